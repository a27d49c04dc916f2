//! Amazon RDS on the envelope model: DB instances and DB snapshots whose storage is encrypted
//! with a data key under a KMS key (AWS RDS User Guide, "Encrypting Amazon RDS resources").
//!
//! What AWS documents and this module reproduces: encryption is chosen when the instance is
//! created and cannot be turned on later; snapshots and automated backups use the instance's
//! key; copying a snapshot can encrypt or re-encrypt it (in another region only under a key of
//! that region); restoring uses the snapshot's key; a snapshot under the AWS managed key
//! `aws/rds` cannot be shared; an instance whose key became unusable goes to
//! `inaccessible-encryption-credentials-recoverable`. RDS storage sits on EBS encryption, so
//! the encryption context carries `aws:rds:db-id` and the volume's `aws:ebs:id`; the order
//! of RDS's KMS calls is not published and every such call says so (`approximation`).

mod encryption;
mod instances;
mod snapshots;

pub(crate) use encryption::aws_managed_rds_policy;

use super::clock::iso;
use super::crypto::DataKey;
use super::ebs::Encryption;
use super::error::{AwsError, AwsResult};
use super::{Caller, Handler, Sim, Table};
use crate::json;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Stored sectors of DB storage: sector number → bytes as on disk.
pub(crate) type SectorMap = BTreeMap<u64, Vec<u8>>;

/// RDS's error codes, as botocore's `rds` model spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdsCode {
    /// `DBInstanceNotFoundFault`.
    DBInstanceNotFound,
    /// `DBInstanceAlreadyExistsFault`.
    DBInstanceAlreadyExists,
    /// `DBSnapshotNotFoundFault`.
    DBSnapshotNotFound,
    /// `DBSnapshotAlreadyExistsFault`.
    DBSnapshotAlreadyExists,
    /// `InvalidDBInstanceStateFault`.
    InvalidDBInstanceState,
    /// `InvalidDBSnapshotStateFault`.
    InvalidDBSnapshotState,
    /// `KMSKeyNotAccessibleFault`.
    KMSKeyNotAccessibleFault,
    /// A parameter has a value RDS does not accept.
    InvalidParameterValue,
    /// Parameters that cannot go together (or one that needs another).
    InvalidParameterCombination,
}

impl RdsCode {
    /// The code AWS returns.
    pub const fn as_str(self) -> &'static str {
        match self {
            RdsCode::DBInstanceNotFound => "DBInstanceNotFound",
            RdsCode::DBInstanceAlreadyExists => "DBInstanceAlreadyExists",
            RdsCode::DBSnapshotNotFound => "DBSnapshotNotFound",
            RdsCode::DBSnapshotAlreadyExists => "DBSnapshotAlreadyExists",
            RdsCode::InvalidDBInstanceState => "InvalidDBInstanceState",
            RdsCode::InvalidDBSnapshotState => "InvalidDBSnapshotState",
            RdsCode::KMSKeyNotAccessibleFault => "KMSKeyNotAccessibleFault",
            RdsCode::InvalidParameterValue => "InvalidParameterValue",
            RdsCode::InvalidParameterCombination => "InvalidParameterCombination",
        }
    }

    /// An error with this code.
    pub fn err(self, message: impl Into<String>) -> AwsError {
        AwsError::new(self.as_str(), message)
    }
}

/// The status of a DB instance (`DBInstanceStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DbStatus {
    /// Being created or restored.
    Creating,
    /// Taking its first automated backup.
    BackingUp,
    /// Usable.
    Available,
    /// Applying a modification.
    Modifying,
    /// Stopping.
    Stopping,
    /// Stopped (the host holds no data key).
    Stopped,
    /// Starting.
    Starting,
    /// Being deleted.
    Deleting,
    /// RDS cannot use the KMS key; recoverable for 7 days by enabling the key and starting it.
    InaccessibleRecoverable,
    /// Terminal: the key stayed unusable; restore from a backup once the key is usable.
    Inaccessible,
}

impl DbStatus {
    /// The status as RDS prints it.
    pub const fn as_str(self) -> &'static str {
        match self {
            DbStatus::Creating => "creating",
            DbStatus::BackingUp => "backing-up",
            DbStatus::Available => "available",
            DbStatus::Modifying => "modifying",
            DbStatus::Stopping => "stopping",
            DbStatus::Stopped => "stopped",
            DbStatus::Starting => "starting",
            DbStatus::Deleting => "deleting",
            DbStatus::InaccessibleRecoverable => "inaccessible-encryption-credentials-recoverable",
            DbStatus::Inaccessible => "inaccessible-encryption-credentials",
        }
    }
}

/// A DB instance.
#[derive(Clone, Debug, Serialize)]
pub struct DbInstance {
    /// DBInstanceIdentifier (lower case, as RDS stores it).
    pub id: String,
    /// DBInstanceArn.
    pub arn: String,
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// DbiResourceId (`db-…`): the `aws:rds:db-id` of its encryption context.
    pub resource_id: String,
    /// The EBS-style volume its storage sits on (the `aws:ebs:id` of its context).
    pub volume_id: String,
    /// Engine (`postgres`, `mysql`, `mariadb`).
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// DBInstanceClass.
    pub class: String,
    /// AllocatedStorage in GiB.
    pub allocated_storage: u64,
    /// MasterUsername.
    pub master_username: Option<String>,
    /// DBName.
    pub db_name: Option<String>,
    /// DBInstanceStatus.
    pub status: DbStatus,
    /// AvailabilityZone.
    pub zone: String,
    /// BackupRetentionPeriod in days.
    pub backup_retention: u64,
    /// Simulated creation time.
    pub created: u64,
    /// When `inaccessible-encryption-credentials-recoverable` began.
    pub inaccessible_since: Option<u64>,
    /// Storage encryption (None: unencrypted).
    pub encryption: Option<Encryption>,
    /// The grant RDS holds on the key for this instance.
    pub grant_id: Option<String>,
    /// Modifications waiting for the maintenance window.
    pub pending: BTreeMap<String, Value>,
    /// Tags.
    pub tags: Vec<Value>,
    /// The plaintext data key on the database host while the instance runs. Never exported.
    #[serde(skip)]
    pub(crate) host_key: Option<DataKey>,
    #[serde(skip)]
    pub(crate) sectors: SectorMap,
}

impl DbInstance {
    /// True while the database host holds the plaintext data key.
    pub fn key_in_host(&self) -> bool {
        self.host_key.is_some()
    }

    /// The KMS key ARN, when encrypted.
    pub fn kms_key_arn(&self) -> Option<&str> {
        self.encryption.as_ref().map(|e| e.kms_key_arn.as_str())
    }

    /// The DBInstance structure as DescribeDBInstances prints it.
    pub fn to_json(&self, endpoint: &str) -> Value {
        let mut v = json!({
            "DBInstanceIdentifier": self.id,
            "DBInstanceClass": self.class,
            "Engine": self.engine,
            "DBInstanceStatus": self.status.as_str(),
            "MasterUsername": self.master_username,
            "AllocatedStorage": self.allocated_storage,
            "InstanceCreateTime": iso(self.created),
            "BackupRetentionPeriod": self.backup_retention,
            "AvailabilityZone": self.zone,
            "PendingModifiedValues": self.pending,
            "MultiAZ": false,
            "EngineVersion": self.engine_version,
            "StorageType": "gp3",
            "StorageEncrypted": self.encryption.is_some(),
            "DbiResourceId": self.resource_id,
            "DBInstanceArn": self.arn,
            "TagList": self.tags,
            "DeletionProtection": false,
        });
        if let Some(k) = self.kms_key_arn() {
            v["KmsKeyId"] = json!(k);
        }
        if let Some(n) = &self.db_name {
            v["DBName"] = json!(n);
        }
        if self.status != DbStatus::Creating {
            v["Endpoint"] = json!({"Address": endpoint, "Port": port(&self.engine)});
        }
        v
    }
}

/// The default port of an engine.
fn port(engine: &str) -> u16 {
    match engine {
        "postgres" => 5432,
        _ => 3306,
    }
}

/// A DB snapshot (manual or automated).
#[derive(Clone, Debug, Serialize)]
pub struct DbSnapshot {
    /// DBSnapshotIdentifier (`rds:…` for automated snapshots).
    pub id: String,
    /// DBSnapshotArn.
    pub arn: String,
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// The instance it was taken from.
    pub instance_id: String,
    /// DbiResourceId of that instance.
    pub resource_id: String,
    /// Engine.
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// Class of the source instance (the default of a restore).
    pub class: String,
    /// AllocatedStorage in GiB.
    pub allocated_storage: u64,
    /// MasterUsername.
    pub master_username: Option<String>,
    /// `creating` or `available`.
    pub status: String,
    /// `manual` or `automated`.
    pub snapshot_type: String,
    /// Simulated creation time.
    pub created: u64,
    /// Zone of the source instance.
    pub zone: String,
    /// Encryption (None: unencrypted).
    pub encryption: Option<Encryption>,
    /// Accounts it is shared with (the `restore` attribute).
    pub shared_with: BTreeSet<String>,
    /// Shared with `all`.
    pub public: bool,
    /// SourceDBSnapshotIdentifier of a copy (the source's ARN).
    pub source_snapshot: Option<String>,
    /// SourceRegion of a cross-region copy.
    pub source_region: Option<String>,
    /// Tags.
    pub tags: Vec<Value>,
    #[serde(skip)]
    pub(crate) sectors: SectorMap,
}

impl DbSnapshot {
    /// The KMS key ARN, when encrypted.
    pub fn kms_key_arn(&self) -> Option<&str> {
        self.encryption.as_ref().map(|e| e.kms_key_arn.as_str())
    }

    /// The DBSnapshot structure as DescribeDBSnapshots prints it; `caller_account` decides
    /// whether a snapshot of another account shows as `shared` or `public`.
    pub fn to_json(&self, caller_account: &str) -> Value {
        let snapshot_type = if self.account == caller_account {
            self.snapshot_type.as_str()
        } else if self.public {
            "public"
        } else {
            "shared"
        };
        let mut v = json!({
            "DBSnapshotIdentifier": self.id,
            "DBInstanceIdentifier": self.instance_id,
            "SnapshotCreateTime": iso(self.created),
            "Engine": self.engine,
            "AllocatedStorage": self.allocated_storage,
            "Status": self.status,
            "Port": port(&self.engine),
            "AvailabilityZone": self.zone,
            "InstanceCreateTime": iso(self.created),
            "MasterUsername": self.master_username,
            "EngineVersion": self.engine_version,
            "SnapshotType": snapshot_type,
            "PercentProgress": if self.status == "available" { 100 } else { 0 },
            "StorageType": "gp3",
            "Encrypted": self.encryption.is_some(),
            "DBSnapshotArn": self.arn,
            "DbiResourceId": self.resource_id,
            "TagList": self.tags,
        });
        if let Some(k) = self.kms_key_arn() {
            v["KmsKeyId"] = json!(k);
        }
        if let Some(s) = &self.source_snapshot {
            v["SourceDBSnapshotIdentifier"] = json!(s);
        }
        if let Some(r) = &self.source_region {
            v["SourceRegion"] = json!(r);
        }
        v
    }
}

/// The RDS state of every account and region, keyed by ARN.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Rds {
    pub(crate) instances: Table<DbInstance>,
    pub(crate) snapshots: Table<DbSnapshot>,
}

impl Rds {
    /// The plaintext data keys database hosts hold now (for the export audit only).
    pub(crate) fn host_keys(&self) -> impl Iterator<Item = &DataKey> {
        self.instances.values().filter_map(|i| i.host_key.as_ref())
    }
}

/// Delayed RDS work, in simulated time.
#[derive(Clone, Debug, Serialize)]
pub(crate) enum RdsPending {
    /// A created or restored instance finished creating (then takes its first backup).
    InstanceCreated(String),
    /// The first automated backup is done: the instance is available.
    InstanceBackedUp(String),
    /// A modification was applied.
    InstanceModified(String),
    /// A stop finished.
    InstanceStopped(String),
    /// A start reaches the point where the host needs the data key.
    InstanceStarting(String),
    /// A deletion finished.
    InstanceDeleted(String),
    /// Seven days in the recoverable inaccessible state: the state becomes terminal.
    InaccessibleExpired(String),
    /// A snapshot or copy finished.
    SnapshotAvailable(String),
}

/// Seconds an instance spends creating.
const CREATE_SECONDS: u64 = 90;
/// Seconds of the first automated backup.
const BACKUP_SECONDS: u64 = 30;
/// Seconds a snapshot or a copy spends creating.
const SNAPSHOT_SECONDS: u64 = 30;
/// Seconds of a modification, a stop, a start or a deletion.
const CHANGE_SECONDS: u64 = 60;
/// Seven days: how long `inaccessible-encryption-credentials-recoverable` lasts.
const RECOVERABLE_SECONDS: u64 = 7 * 24 * 3600;

/// RDS identifiers: a letter first, then letters, digits and hyphens; at most 63 characters,
/// no trailing hyphen, no two consecutive hyphens. RDS stores them in lower case.
pub(crate) fn valid_identifier(member: &str, id: &str) -> AwsResult<String> {
    let ok = id.len() <= 63
        && id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !id.ends_with('-')
        && !id.contains("--");
    if ok {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(RdsCode::InvalidParameterValue.err(format!("The parameter {member} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.")))
    }
}

impl Sim {
    /// The ARN of a DB instance of the caller's account and region.
    pub(crate) fn db_arn(&self, caller: &Caller, id: &str) -> String {
        self.provider.rds_arn(
            &caller.region,
            &caller.account,
            "db",
            &id.to_ascii_lowercase(),
        )
    }

    /// The ARN of a DB snapshot of the caller's account and region (automated ones keep `rds:`).
    pub(crate) fn db_snapshot_arn(&self, caller: &Caller, id: &str) -> String {
        self.provider.rds_arn(
            &caller.region,
            &caller.account,
            "snapshot",
            &id.to_ascii_lowercase(),
        )
    }

    /// The caller's DB instance `id`, or DBInstanceNotFound.
    pub(crate) fn db_instance(&self, caller: &Caller, id: &str) -> AwsResult<&DbInstance> {
        self.rds
            .instances
            .get(&self.db_arn(caller, id))
            .map(|d| &**d)
            .ok_or_else(|| RdsCode::DBInstanceNotFound.err(format!("DBInstance {id} not found.")))
    }

    /// A DbiResourceId: `db-` and 26 upper-case letters and digits.
    pub(crate) fn new_dbi_resource_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let b: [u8; 26] = self.rng.bytes();
        let s: String = b
            .iter()
            .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
            .collect();
        format!("db-{s}")
    }

    /// Runs delayed RDS work that fell due.
    pub(crate) fn run_rds_pending(&mut self, what: RdsPending) {
        match what {
            RdsPending::InstanceCreated(arn) => {
                if self.set_db_status(&arn, DbStatus::Creating, DbStatus::BackingUp) {
                    self.take_automated_backup(&arn);
                    self.schedule(
                        BACKUP_SECONDS,
                        super::Pending::Rds(RdsPending::InstanceBackedUp(arn)),
                    );
                }
            }
            RdsPending::InstanceBackedUp(arn) => {
                self.set_db_status(&arn, DbStatus::BackingUp, DbStatus::Available);
            }
            RdsPending::InstanceModified(arn) => {
                self.set_db_status(&arn, DbStatus::Modifying, DbStatus::Available);
            }
            RdsPending::InstanceStopped(arn) => {
                if self.set_db_status(&arn, DbStatus::Stopping, DbStatus::Stopped) {
                    self.unload_db_key(&arn, "stop");
                }
            }
            RdsPending::InstanceStarting(arn) => self.finish_db_start(&arn),
            RdsPending::InstanceDeleted(arn) => {
                self.unload_db_key(&arn, "delete");
                self.retire_db_grant(&arn);
                self.rds.instances.remove(&arn);
            }
            RdsPending::InaccessibleExpired(arn) => {
                self.set_db_status(
                    &arn,
                    DbStatus::InaccessibleRecoverable,
                    DbStatus::Inaccessible,
                );
            }
            RdsPending::SnapshotAvailable(arn) => {
                if let Some(s) = self.rds.snapshots.get_mut(&arn) {
                    if s.status == "creating" {
                        s.status = "available".into();
                    }
                }
            }
        }
    }

    /// Moves an instance from `from` to `to`; false when it is not in `from` (or gone).
    fn set_db_status(&mut self, arn: &str, from: DbStatus, to: DbStatus) -> bool {
        match self.rds.instances.get_mut(arn) {
            Some(i) if i.status == from => {
                i.status = to;
                true
            }
            _ => false,
        }
    }

    /// DB instances, for views.
    pub fn db_instances(&self) -> impl Iterator<Item = &DbInstance> {
        self.rds.instances.values().map(|v| &**v)
    }

    /// DB snapshots, for views.
    pub fn db_snapshots(&self) -> impl Iterator<Item = &DbSnapshot> {
        self.rds.snapshots.values().map(|v| &**v)
    }

    /// What the database engine reads from the first sector of an instance's storage, when it
    /// can read it: the plaintext, decrypted with the data key on the host when encrypted.
    /// `None` while the host holds no key (stopped, inaccessible) or the instance is unknown.
    pub fn db_reads(&self, arn: &str) -> Option<Vec<u8>> {
        let i = self.rds.instances.get(arn)?;
        let mut b = i.sectors.get(&0)?.clone();
        match (&i.encryption, &i.host_key) {
            (None, _) => Some(b),
            (Some(_), Some(k)) => super::crypto::xts_decrypt_sector(k, 0, &mut b)
                .ok()
                .map(|_| b),
            (Some(_), None) => None,
        }
    }

    /// The bytes of the first sector of an instance's storage as they are on disk.
    pub fn db_on_disk(&self, arn: &str) -> Option<Vec<u8>> {
        self.rds.instances.get(arn)?.sectors.get(&0).cloned()
    }
}

/// The method that answers each RDS operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("CreateDBInstance", Sim::create_db_instance),
    ("DescribeDBInstances", Sim::describe_db_instances),
    ("ModifyDBInstance", Sim::modify_db_instance),
    ("DeleteDBInstance", Sim::delete_db_instance),
    ("StopDBInstance", Sim::stop_db_instance),
    ("StartDBInstance", Sim::start_db_instance),
    ("CreateDBSnapshot", Sim::create_db_snapshot),
    ("DescribeDBSnapshots", Sim::describe_db_snapshots),
    ("CopyDBSnapshot", Sim::copy_db_snapshot),
    ("DeleteDBSnapshot", Sim::delete_db_snapshot),
    (
        "RestoreDBInstanceFromDBSnapshot",
        Sim::restore_db_instance_from_db_snapshot,
    ),
    (
        "ModifyDBSnapshotAttribute",
        Sim::modify_db_snapshot_attribute,
    ),
    (
        "DescribeDBSnapshotAttributes",
        Sim::describe_db_snapshot_attributes,
    ),
];
