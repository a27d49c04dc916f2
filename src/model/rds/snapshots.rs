//! DB snapshots: manual and automated snapshots under the instance's key, copies that encrypt
//! or re-encrypt (across regions only under a key of the destination region), restores under
//! the snapshot's key, and sharing (never under the AWS managed key).

use super::encryption::StorageRequest;
use super::instances::tags;
use super::*;
use crate::model::params::Params;
use crate::model::trace::{KeyLocation, Participant};
use crate::model::{CallSpec, Pending};

const DOC_SNAPSHOT_KEY: &str = "Snapshots and automated backups of an encrypted DB instance are encrypted with the instance's KMS key (RDS User Guide, Encrypting Amazon RDS resources).";
const DOC_SHARE: &str = "You can't share a snapshot that has been encrypted using the default AWS KMS key of the AWS account that shared the snapshot (RDS User Guide, Sharing a DB snapshot).";
const NOTE_SNAPSHOT: &str = "Internal step: the snapshot keeps the storage's encrypted data key, as EBS snapshots do, so RDS makes no KMS call here. Not published as an API call.";

impl Sim {
    /// CreateDBSnapshot.
    pub(crate) fn create_db_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let snap = valid_identifier("DBSnapshotIdentifier", &q.str("DBSnapshotIdentifier")?)?;
        let id = q.str("DBInstanceIdentifier")?;
        let tags = tags(q)?;
        let arn = self.db_instance(caller, &id)?.arn.clone();
        self.snapshot_of_instance(caller, &arn, &snap, "manual", tags)
    }

    /// A snapshot of an instance's storage, under the instance's key and data key.
    pub(crate) fn snapshot_of_instance(
        &mut self,
        caller: &Caller,
        instance_arn: &str,
        snap_id: &str,
        snapshot_type: &str,
        tags: Vec<Value>,
    ) -> AwsResult<Value> {
        let Some(i) = self.rds.instances.get(instance_arn) else {
            return Err(
                RdsCode::DBInstanceNotFound.err(format!("DBInstance {instance_arn} not found."))
            );
        };
        if !matches!(
            i.status,
            DbStatus::Available | DbStatus::Stopped | DbStatus::BackingUp
        ) {
            return Err(RdsCode::InvalidDBInstanceState.err(format!("Cannot create a snapshot because the database instance {} is not currently in the available state.", i.id)));
        }
        let arn = self
            .provider
            .rds_arn(&i.region, &i.account, "snapshot", snap_id);
        if self.rds.snapshots.contains_key(&arn) {
            return Err(RdsCode::DBSnapshotAlreadyExists.err(format!("Cannot create the snapshot because a snapshot with the identifier {snap_id} already exists.")));
        }
        let s = DbSnapshot {
            id: snap_id.to_string(),
            arn: arn.clone(),
            account: i.account.clone(),
            region: i.region.clone(),
            instance_id: i.id.clone(),
            resource_id: i.resource_id.clone(),
            engine: i.engine.clone(),
            engine_version: i.engine_version.clone(),
            class: i.class.clone(),
            allocated_storage: i.allocated_storage,
            master_username: i.master_username.clone(),
            status: "creating".into(),
            snapshot_type: snapshot_type.into(),
            created: self.now,
            zone: i.zone.clone(),
            encryption: i.encryption.clone(),
            shared_with: BTreeSet::new(),
            public: false,
            source_snapshot: None,
            source_region: None,
            tags,
            sectors: i.sectors.clone(),
        };
        let volume = i.volume_id.clone();
        self.record(
            CallSpec {
                from: Participant::Rds,
                to: Participant::Ebs,
                operation: "SnapshotStorage".into(),
                request: json!({"VolumeId": volume, "DBSnapshotIdentifier": snap_id, "SnapshotType": snapshot_type, "KmsKeyId": s.kms_key_arn(), "DataKey": s.encryption.as_ref().map(|e| e.data_key_id.clone())}),
                principal: self.provider.rds_service(&caller.region),
                account: s.account.clone(),
                region: s.region.clone(),
                key_location: s.encryption.as_ref().map(|_| KeyLocation::EncryptedAtRest),
                approximation: Some(NOTE_SNAPSHOT.into()),
                doc: Some(DOC_SNAPSHOT_KEY.into()),
                ..CallSpec::default()
            },
            json!({"Stored": true}),
            None,
        );
        let out = json!({"DBSnapshot": s.to_json(&caller.account)});
        self.rds.snapshots.insert(arn.clone(), Box::new(s));
        self.schedule(
            SNAPSHOT_SECONDS,
            Pending::Rds(RdsPending::SnapshotAvailable(arn)),
        );
        Ok(out)
    }

    /// The automated backup RDS takes when an instance becomes available (retention > 0).
    pub(crate) fn take_automated_backup(&mut self, instance_arn: &str) {
        let Some(i) = self.rds.instances.get(instance_arn) else {
            return;
        };
        if i.backup_retention == 0 {
            return;
        }
        let caller = Caller::root(&i.account, &i.region);
        let stamp: String = iso(self.now)
            .chars()
            .take(16)
            .map(|c| if c.is_ascii_digit() { c } else { '-' })
            .collect();
        let id = format!("rds:{}-{stamp}", i.id);
        let _ = self.snapshot_of_instance(&caller, instance_arn, &id, "automated", Vec::new());
    }

    /// The ARN of a snapshot the caller may see: its own by name, or any by ARN that it owns or
    /// that is shared with it (or public).
    fn visible_snapshot(&self, caller: &Caller, ident: &str) -> AwsResult<String> {
        let arn = if ident.starts_with("arn:") {
            ident.to_string()
        } else {
            self.db_snapshot_arn(caller, ident)
        };
        match self.rds.snapshots.get(&arn) {
            Some(s)
                if s.account == caller.account
                    || s.public
                    || s.shared_with.contains(&caller.account) =>
            {
                Ok(arn)
            }
            _ => Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {ident}"))),
        }
    }

    /// DescribeDBSnapshots.
    pub(crate) fn describe_db_snapshots(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let instance = q
            .opt_str("DBInstanceIdentifier")?
            .map(|s| s.to_ascii_lowercase());
        let ident = q.opt_str("DBSnapshotIdentifier")?;
        let kind = q.opt_str("SnapshotType")?;
        let shared = q.opt_bool("IncludeShared")?.unwrap_or(false);
        q.opt_u64("MaxRecords")?;
        if let Some(ident) = ident {
            let arn = self.visible_snapshot(caller, &ident)?;
            let list: Vec<Value> = self
                .rds
                .snapshots
                .get(&arn)
                .map(|s| s.to_json(&caller.account))
                .into_iter()
                .collect();
            return Ok(json!({"DBSnapshots": list}));
        }
        let list: Vec<Value> = self
            .rds
            .snapshots
            .values()
            .filter(|s| s.region == caller.region)
            .filter(|s| {
                let own = s.account == caller.account;
                let theirs = s.shared_with.contains(&caller.account) || s.public;
                match kind.as_deref() {
                    Some("shared") => !own && s.shared_with.contains(&caller.account),
                    Some("public") => !own && s.public,
                    Some(t) => own && s.snapshot_type == t,
                    None => own || (shared && theirs),
                }
            })
            .filter(|s| instance.as_ref().is_none_or(|i| &s.instance_id == i))
            .map(|s| s.to_json(&caller.account))
            .collect();
        Ok(json!({"DBSnapshots": list}))
    }

    /// CopyDBSnapshot: same key by default; `KmsKeyId` encrypts an unencrypted snapshot or
    /// re-encrypts an encrypted one; a cross-region or shared encrypted source needs it.
    pub(crate) fn copy_db_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let source = q.str("SourceDBSnapshotIdentifier")?;
        let target = valid_identifier(
            "TargetDBSnapshotIdentifier",
            &q.str("TargetDBSnapshotIdentifier")?,
        )?;
        let kms = q.opt_str("KmsKeyId")?;
        let copy_tags = q.opt_bool("CopyTags")?.unwrap_or(false);
        let source_region = q.opt_str("SourceRegion")?;
        q.opt_str("PreSignedUrl")?;
        let mut new_tags = tags(q)?;
        if let Some(r) = &source_region {
            if !self.provider.has_region(r) {
                return Err(
                    RdsCode::InvalidParameterValue.err(format!("Invalid source region: {r}"))
                );
            }
        }
        let src_arn = self.visible_snapshot(caller, &source)?;
        let Some(src) = self.rds.snapshots.get(&src_arn).cloned() else {
            return Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {source}")));
        };
        if source_region.as_ref().is_some_and(|r| *r != src.region) {
            return Err(RdsCode::InvalidParameterValue.err(format!(
                "The source snapshot {source} is not in the source region {}.",
                source_region.unwrap_or_default()
            )));
        }
        if src.status != "available" {
            return Err(RdsCode::InvalidDBSnapshotState
                .err(format!("Snapshot {} is not in available state.", src.id)));
        }
        let arn = self.db_snapshot_arn(caller, &target);
        if self.rds.snapshots.contains_key(&arn) {
            return Err(RdsCode::DBSnapshotAlreadyExists.err(format!("Cannot create the snapshot because a snapshot with the identifier {target} already exists.")));
        }
        let cross_region = src.region != caller.region;
        let shared = src.account != caller.account;
        let (encryption, sectors) = match (&src.encryption, kms) {
            (None, None) => (None, src.sectors.clone()),
            (Some(_), None) if cross_region => {
                return Err(RdsCode::InvalidParameterCombination.err("KmsKeyId is required to copy an encrypted DB snapshot to another region: KMS keys are specific to the region they are created in."))
            }
            (Some(_), None) if shared => {
                return Err(RdsCode::InvalidParameterCombination.err("KmsKeyId is required to copy an encrypted DB snapshot shared from another account."))
            }
            (Some(e), None) => (Some(e.clone()), src.sectors.clone()),
            (enc, Some(key_ref)) => {
                let ebs_id = self.rng.resource_id(self.provider.prefixes[1]);
                let p = self.provision_rds_storage(
                    caller,
                    StorageRequest {
                        db_id: src.resource_id.clone(),
                        ebs_id,
                        key_ref,
                        source: enc.clone().map(|e| (e, src.region.clone())),
                        sectors: src.sectors.clone(),
                        to_host: false,
                    },
                )?;
                (Some(p.encryption), p.sectors)
            }
        };
        if copy_tags {
            new_tags.extend(src.tags.iter().cloned());
        }
        let s = DbSnapshot {
            id: target,
            arn: arn.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            status: "creating".into(),
            snapshot_type: "manual".into(),
            created: self.now,
            encryption,
            shared_with: BTreeSet::new(),
            public: false,
            source_snapshot: Some(src.arn.clone()),
            source_region: cross_region.then(|| src.region.clone()),
            tags: new_tags,
            sectors,
            ..*src
        };
        let out = json!({"DBSnapshot": s.to_json(&caller.account)});
        self.rds.snapshots.insert(arn.clone(), Box::new(s));
        self.schedule(
            SNAPSHOT_SECONDS,
            Pending::Rds(RdsPending::SnapshotAvailable(arn)),
        );
        Ok(out)
    }

    /// DeleteDBSnapshot (manual snapshots only).
    pub(crate) fn delete_db_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ident = q.str("DBSnapshotIdentifier")?;
        let arn = self.db_snapshot_arn(caller, &ident);
        let Some(s) = self.rds.snapshots.get(&arn) else {
            return Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {ident}")));
        };
        if s.snapshot_type == "automated" {
            return Err(RdsCode::InvalidDBSnapshotState.err(
                "Automated snapshots are deleted with their retention period or their instance.",
            ));
        }
        if s.status != "available" {
            return Err(RdsCode::InvalidDBSnapshotState
                .err(format!("Snapshot {ident} is not in available state.")));
        }
        let mut out = s.to_json(&caller.account);
        out["Status"] = json!("deleted");
        self.rds.snapshots.remove(&arn);
        Ok(json!({"DBSnapshot": out}))
    }

    /// RestoreDBInstanceFromDBSnapshot: a new instance (new DbiResourceId and volume, so a new
    /// context), encrypted exactly when the snapshot is, under the snapshot's key.
    pub(crate) fn restore_db_instance_from_db_snapshot(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let id = valid_identifier("DBInstanceIdentifier", &q.str("DBInstanceIdentifier")?)?;
        let Some(ident) = q.opt_str("DBSnapshotIdentifier")? else {
            return Err(RdsCode::InvalidParameterCombination.err(
                "One of DBSnapshotIdentifier or DBClusterSnapshotIdentifier must be specified.",
            ));
        };
        let class = q.opt_str("DBInstanceClass")?;
        let zone = q.opt_str("AvailabilityZone")?;
        let tags = tags(q)?;
        let src_arn = self.visible_snapshot(caller, &ident)?;
        let Some(src) = self.rds.snapshots.get(&src_arn).cloned() else {
            return Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {ident}")));
        };
        if src.status != "available" {
            return Err(RdsCode::InvalidDBSnapshotState
                .err(format!("Snapshot {} is not in available state.", src.id)));
        }
        let zone = self.rds_zone(caller, zone)?;
        let arn = self.db_arn(caller, &id);
        if self.rds.instances.contains_key(&arn) {
            return Err(RdsCode::DBInstanceAlreadyExists.err("DB instance already exists"));
        }
        let resource_id = self.new_dbi_resource_id();
        let volume_id = self.rng.resource_id(self.provider.prefixes[0]);
        let (encryption, sectors, host_key, grant_id) = match &src.encryption {
            None => (None, src.sectors.clone(), None, None),
            Some(e) => {
                let p = self.provision_rds_storage(
                    caller,
                    StorageRequest {
                        db_id: resource_id.clone(),
                        ebs_id: volume_id.clone(),
                        key_ref: e.kms_key_arn.clone(),
                        source: Some((e.clone(), src.region.clone())),
                        sectors: src.sectors.clone(),
                        to_host: true,
                    },
                )?;
                (Some(p.encryption), p.sectors, p.host_key, p.grant_id)
            }
        };
        let inst = DbInstance {
            id,
            arn,
            account: caller.account.clone(),
            region: caller.region.clone(),
            resource_id,
            volume_id,
            engine: src.engine.clone(),
            engine_version: src.engine_version.clone(),
            class: class.unwrap_or_else(|| src.class.clone()),
            allocated_storage: src.allocated_storage,
            master_username: src.master_username.clone(),
            db_name: None,
            status: DbStatus::Creating,
            zone,
            backup_retention: 1,
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

    /// ModifyDBSnapshotAttribute (`restore`): shares a manual snapshot with accounts.
    pub(crate) fn modify_db_snapshot_attribute(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let ident = q.str("DBSnapshotIdentifier")?;
        let name = q.str("AttributeName")?;
        let add = q.opt_strs("ValuesToAdd")?.unwrap_or_default();
        let remove = q.opt_strs("ValuesToRemove")?.unwrap_or_default();
        if name != "restore" {
            return Err(RdsCode::InvalidParameterValue.err(format!(
                "Invalid snapshot attribute name: {name}. The only attribute is restore."
            )));
        }
        if let Some(bad) = add.iter().chain(&remove).find(|v| {
            v.as_str() != "all" && !(v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()))
        }) {
            return Err(RdsCode::InvalidParameterValue
                .err(format!("Invalid AWS account id or 'all': {bad}")));
        }
        let arn = self.db_snapshot_arn(caller, &ident);
        let Some(s) = self.rds.snapshots.get(&arn) else {
            return Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {ident}")));
        };
        if s.snapshot_type == "automated" && !add.is_empty() {
            return Err(RdsCode::InvalidDBSnapshotState.err("Automated snapshots can't be shared: copy the automated snapshot to a manual one and share the copy."));
        }
        if let Some(key) = s.kms_key_arn().filter(|_| !add.is_empty()) {
            if add.iter().any(|v| v == "all") {
                return Err(RdsCode::InvalidParameterValue.err("An encrypted DB snapshot can be shared only with a list of AWS account IDs, not with 'all'."));
            }
            if self
                .kms
                .keys
                .values()
                .any(|k| k.arn == key && k.aws_managed)
            {
                return Err(RdsCode::InvalidParameterValue.err(format!(
                    "{DOC_SHARE} Copy it under a customer managed key and share the copy."
                )));
            }
        }
        let Some(s) = self.rds.snapshots.get_mut(&arn) else {
            return Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {ident}")));
        };
        for v in add {
            match v.as_str() {
                "all" => s.public = true,
                _ => {
                    s.shared_with.insert(v);
                }
            }
        }
        for v in remove {
            match v.as_str() {
                "all" => s.public = false,
                _ => {
                    s.shared_with.remove(&v);
                }
            }
        }
        Ok(json!({"DBSnapshotAttributesResult": attributes(s)}))
    }

    /// DescribeDBSnapshotAttributes.
    pub(crate) fn describe_db_snapshot_attributes(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let ident = q.str("DBSnapshotIdentifier")?;
        let arn = self.db_snapshot_arn(caller, &ident);
        let Some(s) = self.rds.snapshots.get(&arn) else {
            return Err(RdsCode::DBSnapshotNotFound.err(format!("DBSnapshot not found: {ident}")));
        };
        Ok(json!({"DBSnapshotAttributesResult": attributes(s)}))
    }
}

/// The `restore` attribute of a snapshot.
fn attributes(s: &DbSnapshot) -> Value {
    let mut values: Vec<String> = s.shared_with.iter().cloned().collect();
    if s.public {
        values.insert(0, "all".into());
    }
    json!({"DBSnapshotIdentifier": s.id, "DBSnapshotAttributes": [{"AttributeName": "restore", "AttributeValues": values}]})
}
