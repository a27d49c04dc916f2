//! DB instances: create (encryption chosen here, once), describe, modify (no option turns
//! encryption on), stop, start (the data key again) and delete (with a final snapshot).

use super::encryption::StorageRequest;
use super::*;
use crate::model::params::Params;
use crate::model::Pending;

const ENGINES: &[(&str, &str)] = &[
    ("postgres", "16.3"),
    ("mysql", "8.0.39"),
    ("mariadb", "10.11.9"),
];

/// The first pages the engine writes to new storage: readable text, so the sector view and the
/// tests can tell plaintext from ciphertext.
fn initial_pages(engine: &str, id: &str, user: &str) -> SectorMap {
    let mut page = format!(
        "{engine} data file of {id}: owner {user}; row 1: account=4111-1111, balance=1200.00"
    )
    .into_bytes();
    page.resize(crate::model::crypto::SECTOR_SIZE, b' ');
    let mut m = SectorMap::new();
    m.insert(0, page);
    m
}

impl Sim {
    /// CreateDBInstance.
    pub(crate) fn create_db_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = valid_identifier("DBInstanceIdentifier", &q.str("DBInstanceIdentifier")?)?;
        let class = q.str("DBInstanceClass")?;
        let engine = q.str("Engine")?.to_ascii_lowercase();
        let storage = q.opt_u64("AllocatedStorage")?.unwrap_or(20);
        let user = q.opt_str("MasterUsername")?;
        let password = q.opt_str("MasterUserPassword")?;
        let db_name = q.opt_str("DBName")?;
        let version = q.opt_str("EngineVersion")?;
        let retention = q.opt_u64("BackupRetentionPeriod")?.unwrap_or(1);
        let encrypted = q.opt_bool("StorageEncrypted")?.unwrap_or(false);
        let kms_key_id = q.opt_str("KmsKeyId")?;
        let zone = q.opt_str("AvailabilityZone")?;
        let tags = tags(q)?;
        let Some(&(_, default_version)) = ENGINES.iter().find(|(e, _)| *e == engine) else {
            return Err(RdsCode::InvalidParameterValue.err(format!("Invalid DB engine: {engine}")));
        };
        check_class(&class)?;
        if !(20..=65_536).contains(&storage) {
            return Err(RdsCode::InvalidParameterValue.err(format!(
                "Invalid storage size for engine name {engine} and storage type gp3: {storage}"
            )));
        }
        let Some(user) = user.filter(|u| !u.trim().is_empty()) else {
            return Err(RdsCode::InvalidParameterValue
                .err("The parameter MasterUsername must be provided and must not be blank."));
        };
        check_password(password.as_deref(), true)?;
        if retention > 35 {
            return Err(RdsCode::InvalidParameterValue
                .err("The BackupRetentionPeriod must be between 0 and 35."));
        }
        if kms_key_id.is_some() && !encrypted {
            return Err(RdsCode::InvalidParameterCombination
                .err("KmsKeyId applies to an encrypted DB instance: add --storage-encrypted."));
        }
        let zone = self.rds_zone(caller, zone)?;
        let arn = self.db_arn(caller, &id);
        if self.rds.instances.contains_key(&arn) {
            return Err(RdsCode::DBInstanceAlreadyExists.err("DB instance already exists"));
        }
        let resource_id = self.new_dbi_resource_id();
        let volume_id = self.rng.resource_id(self.provider.prefixes[0]);
        let pages = initial_pages(&engine, &id, &user);
        let (encryption, sectors, host_key, grant_id) = if encrypted {
            let key_ref = kms_key_id.unwrap_or_else(|| self.provider.rds_managed_key_alias());
            let p = self.provision_rds_storage(
                caller,
                StorageRequest {
                    db_id: resource_id.clone(),
                    ebs_id: volume_id.clone(),
                    key_ref,
                    source: None,
                    sectors: pages,
                    to_host: true,
                },
            )?;
            (Some(p.encryption), p.sectors, p.host_key, p.grant_id)
        } else {
            (None, pages, None, None)
        };
        let inst = DbInstance {
            id,
            arn: arn.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            resource_id,
            volume_id,
            engine,
            engine_version: version.unwrap_or_else(|| default_version.to_string()),
            class,
            allocated_storage: storage,
            master_username: Some(user),
            db_name,
            status: DbStatus::Creating,
            zone,
            backup_retention: retention,
            created: self.now,
            inaccessible_since: None,
            encryption,
            grant_id,
            pending: BTreeMap::new(),
            tags,
            host_key,
            sectors,
        };
        Ok(self.store_db_instance(inst))
    }

    /// Stores a new instance (creating), schedules the rest of its creation, returns its JSON.
    pub(crate) fn store_db_instance(&mut self, inst: DbInstance) -> Value {
        let arn = inst.arn.clone();
        let out = json!({"DBInstance": inst.to_json(&self.provider.rds_endpoint(&inst.id, &inst.region))});
        self.rds.instances.insert(arn.clone(), Box::new(inst));
        self.schedule(
            CREATE_SECONDS,
            Pending::Rds(RdsPending::InstanceCreated(arn)),
        );
        out
    }

    /// The zone of a new instance: the one asked for (in the caller's region) or the first.
    pub(crate) fn rds_zone(&self, caller: &Caller, zone: Option<String>) -> AwsResult<String> {
        let zones = self.provider.zones(&caller.region);
        match zone {
            Some(z) if zones.contains(&z) => Ok(z),
            Some(z) => {
                Err(RdsCode::InvalidParameterValue.err(format!("Invalid availability zone: {z}")))
            }
            None => Ok(zones.first().cloned().unwrap_or_default()),
        }
    }

    /// DescribeDBInstances.
    pub(crate) fn describe_db_instances(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let id = q.opt_str("DBInstanceIdentifier")?;
        let max = q.opt_u64("MaxRecords")?;
        if max.is_some_and(|m| !(20..=100).contains(&m)) {
            return Err(RdsCode::InvalidParameterValue
                .err("Invalid value for MaxRecords: must be between 20 and 100."));
        }
        let list: Vec<Value> = match id {
            Some(id) => {
                let i = self.db_instance(caller, &id)?;
                vec![i.to_json(&self.provider.rds_endpoint(&i.id, &i.region))]
            }
            None => self
                .rds
                .instances
                .values()
                .filter(|i| i.account == caller.account && i.region == caller.region)
                .map(|i| i.to_json(&self.provider.rds_endpoint(&i.id, &i.region)))
                .collect(),
        };
        Ok(json!({"DBInstances": list}))
    }

    /// ModifyDBInstance: class, storage, backups, password. The API has no member that turns
    /// encryption on or changes the key ("You can only enable encryption for an Amazon RDS DB
    /// instance when you create it"), so the CLI refuses such options as unknown.
    pub(crate) fn modify_db_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = q.str("DBInstanceIdentifier")?;
        let class = q.opt_str("DBInstanceClass")?;
        let storage = q.opt_u64("AllocatedStorage")?;
        let retention = q.opt_u64("BackupRetentionPeriod")?;
        let password = q.opt_str("MasterUserPassword")?;
        let now = q.opt_bool("ApplyImmediately")?.unwrap_or(false);
        if let Some(c) = &class {
            check_class(c)?;
        }
        check_password(password.as_deref(), false)?;
        let i = self.db_instance(caller, &id)?;
        if i.status != DbStatus::Available {
            return Err(RdsCode::InvalidDBInstanceState.err(format!(
                "Database instance is not in available state (it is {}).",
                i.status.as_str()
            )));
        }
        if storage.is_some_and(|s| s < i.allocated_storage || s > 65_536) {
            return Err(RdsCode::InvalidParameterValue.err(
                "Invalid storage size: the allocated storage can only grow, up to 65536 GiB.",
            ));
        }
        if retention.is_some_and(|r| r > 35) {
            return Err(RdsCode::InvalidParameterValue
                .err("The BackupRetentionPeriod must be between 0 and 35."));
        }
        if class.is_none() && storage.is_none() && retention.is_none() && password.is_none() {
            return Err(RdsCode::InvalidParameterCombination.err("No modifications were requested"));
        }
        let arn = i.arn.clone();
        let endpoint = self.provider.rds_endpoint(&i.id, &i.region);
        let Some(i) = self.rds.instances.get_mut(&arn) else {
            return Err(RdsCode::DBInstanceNotFound.err(format!("DBInstance {id} not found.")));
        };
        if let Some(r) = retention {
            i.backup_retention = r; // applied at once, as RDS does for the retention period
        }
        let mut changed = false;
        if now {
            if let Some(c) = class {
                i.class = c;
                changed = true;
            }
            if let Some(s) = storage {
                i.allocated_storage = s;
                changed = true;
            }
        } else {
            if let Some(c) = class {
                i.pending.insert("DBInstanceClass".into(), json!(c));
            }
            if let Some(s) = storage {
                i.pending.insert("AllocatedStorage".into(), json!(s));
            }
        }
        if password.is_some() {
            i.pending.insert("MasterUserPassword".into(), json!("****"));
            changed = true;
        }
        if changed {
            i.status = DbStatus::Modifying;
        }
        let out = json!({"DBInstance": i.to_json(&endpoint)});
        if let Some(i) = self.rds.instances.get_mut(&arn) {
            i.pending.remove("MasterUserPassword");
        }
        if changed {
            self.schedule(
                CHANGE_SECONDS,
                Pending::Rds(RdsPending::InstanceModified(arn)),
            );
        }
        Ok(out)
    }

    /// DeleteDBInstance: a final snapshot unless SkipFinalSnapshot; automated backups go too
    /// (DeleteAutomatedBackups defaults to true).
    pub(crate) fn delete_db_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = q.str("DBInstanceIdentifier")?;
        let skip = q.opt_bool("SkipFinalSnapshot")?.unwrap_or(false);
        let final_id = q.opt_str("FinalDBSnapshotIdentifier")?;
        let delete_backups = q.opt_bool("DeleteAutomatedBackups")?.unwrap_or(true);
        let i = self.db_instance(caller, &id)?;
        let arn = i.arn.clone();
        if i.status == DbStatus::Deleting {
            return Err(RdsCode::InvalidDBInstanceState
                .err(format!("Instance {id} is already being deleted.")));
        }
        match (skip, &final_id) {
            (true, Some(_)) => return Err(RdsCode::InvalidParameterCombination.err("FinalDBSnapshotIdentifier can not be specified when deleting a DB instance with SkipFinalSnapshot enabled.")),
            (false, None) => return Err(RdsCode::InvalidParameterCombination.err("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")),
            _ => {}
        }
        if let Some(f) = final_id {
            let f = valid_identifier("FinalDBSnapshotIdentifier", &f)?;
            self.snapshot_of_instance(caller, &arn, &f, "manual", Vec::new())?;
        }
        if delete_backups {
            let instance_id = id.to_ascii_lowercase();
            self.rds.snapshots.retain(|_, s| {
                !(s.snapshot_type == "automated"
                    && s.account == caller.account
                    && s.region == caller.region
                    && s.instance_id == instance_id)
            });
        }
        let endpoint = self.provider.rds_endpoint(&id, &caller.region);
        let Some(i) = self.rds.instances.get_mut(&arn) else {
            return Err(RdsCode::DBInstanceNotFound.err(format!("DBInstance {id} not found.")));
        };
        i.status = DbStatus::Deleting;
        let out = json!({"DBInstance": i.to_json(&endpoint)});
        self.schedule(
            CHANGE_SECONDS,
            Pending::Rds(RdsPending::InstanceDeleted(arn)),
        );
        Ok(out)
    }

    /// StopDBInstance (optionally with a snapshot first).
    pub(crate) fn stop_db_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = q.str("DBInstanceIdentifier")?;
        let snap = q.opt_str("DBSnapshotIdentifier")?;
        let i = self.db_instance(caller, &id)?;
        let arn = i.arn.clone();
        if i.status != DbStatus::Available {
            return Err(RdsCode::InvalidDBInstanceState
                .err(format!("Instance {id} is not in available state.")));
        }
        if let Some(s) = snap {
            let s = valid_identifier("DBSnapshotIdentifier", &s)?;
            self.snapshot_of_instance(caller, &arn, &s, "manual", Vec::new())?;
        }
        self.db_transition(
            &arn,
            DbStatus::Stopping,
            RdsPending::InstanceStopped(arn.clone()),
        )
    }

    /// StartDBInstance: from stopped, or from the recoverable inaccessible state once the key
    /// is usable again (the re:Post guide's recovery step).
    pub(crate) fn start_db_instance(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = q.str("DBInstanceIdentifier")?;
        let i = self.db_instance(caller, &id)?;
        let arn = i.arn.clone();
        if !matches!(
            i.status,
            DbStatus::Stopped | DbStatus::InaccessibleRecoverable
        ) {
            return Err(RdsCode::InvalidDBInstanceState.err(format!(
                "Instance {id} is not stopped, it is {}.",
                i.status.as_str()
            )));
        }
        // A recovery cancels the pending expiry: it is re-armed if the start fails again.
        self.pending.retain(
            |p| !matches!(&p.what, Pending::Rds(RdsPending::InaccessibleExpired(a)) if *a == arn),
        );
        let out = self.db_transition(
            &arn,
            DbStatus::Starting,
            RdsPending::InstanceStarting(arn.clone()),
        )?;
        Ok(out)
    }

    /// Sets a transitional status, schedules its end, returns the instance.
    fn db_transition(&mut self, arn: &str, status: DbStatus, then: RdsPending) -> AwsResult<Value> {
        let Some(i) = self.rds.instances.get_mut(arn) else {
            return Err(RdsCode::DBInstanceNotFound.err(format!("DBInstance {arn} not found.")));
        };
        i.status = status;
        let endpoint = self.provider.rds_endpoint(&i.id, &i.region);
        let out = json!({"DBInstance": i.to_json(&endpoint)});
        match then {
            RdsPending::InstanceStarting(a) => self.schedule_db_start(&a),
            other => self.schedule(CHANGE_SECONDS, Pending::Rds(other)),
        }
        Ok(out)
    }
}

/// Reads `Tags` (a list of Key/Value).
pub(crate) fn tags(q: &Params) -> AwsResult<Vec<Value>> {
    let Some(list) = q.opt_structs("Tags", &["Key", "Value"])? else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|t| Ok(json!({"Key": t.opt_str("Key")?.unwrap_or_default(), "Value": t.opt_str("Value")?.unwrap_or_default()})))
        .collect()
}

fn check_class(class: &str) -> AwsResult<()> {
    let ok = class.strip_prefix("db.").is_some_and(|rest| {
        rest.contains('.') && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    });
    if ok {
        Ok(())
    } else {
        Err(RdsCode::InvalidParameterValue.err(format!("Invalid DB Instance class: {class}")))
    }
}

fn check_password(password: Option<&str>, required: bool) -> AwsResult<()> {
    match password {
        None if required => Err(RdsCode::InvalidParameterValue.err("The parameter MasterUserPassword must be provided and must not be blank.")),
        Some(p) if p.len() < 8 => Err(RdsCode::InvalidParameterValue.err("The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.")),
        Some(p) if p.contains(['/', '"', '@', ' ']) => Err(RdsCode::InvalidParameterValue.err("The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.")),
        _ => Ok(()),
    }
}
