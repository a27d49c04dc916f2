//! ECS snapshots: CreateSnapshot (under the disk's key and data key), DescribeSnapshots,
//! CopySnapshot (Encrypted and KMSKeyId re-encrypt the copy in the destination region; the
//! default there is the service key), DeleteSnapshot, and sharing (`play share-snapshot`).

use super::*;
use crate::model::crypto::{xts_decrypt_sector, xts_encrypt_sector, DataKey};
use crate::model::ebs::Sectors;
use crate::model::trace::KeyLocation;

impl Sim {
    /// The caller's own snapshot.
    pub(crate) fn ali_snapshot_of(&self, caller: &Caller, id: &str) -> AwsResult<AliSnapshot> {
        self.aliyun
            .snapshots
            .get(id)
            .filter(|s| s.account == caller.account)
            .map(|b| (**b).clone())
            .ok_or_else(|| {
                AwsError::new(
                    AliEcsCode::InvalidSnapshotId,
                    format!("The specified SnapshotId does not exist: {id}."),
                )
            })
    }

    /// Takes a snapshot of a disk: the disk's sectors as stored, its key and its data key.
    pub(crate) fn ali_snapshot_disk(
        &mut self,
        disk: &Disk,
        name: String,
        description: String,
        retention: Option<u64>,
    ) -> String {
        let id = self.ali_id("s", &disk.region);
        let snap = AliSnapshot {
            id: id.clone(),
            account: disk.account.clone(),
            region: disk.region.clone(),
            name,
            description,
            source_disk_id: disk.id.clone(),
            source_disk_type: disk.disk_type.clone(),
            source_category: disk.category.clone(),
            source_size: disk.size,
            status: "progressing".into(),
            progress: "0%".into(),
            created: self.now,
            encryption: disk.encryption.clone(),
            sectors: disk.sectors.clone(),
            shared_with: Default::default(),
            copied_from: None,
            retention_days: retention,
        };
        self.aliyun.snapshots.insert(id.clone(), Box::new(snap));
        self.ali_schedule(SNAPSHOT_SECS, AliPending::SnapshotDone(id.clone()));
        id
    }

    pub(crate) fn ali_create_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_disk_of(caller, &q.str("DiskId")?)?;
        self.ecs_authorize(caller, "CreateSnapshot", "snapshot/*", &[])?;
        if disk.status == DiskStatus::Creating {
            return Err(AwsError::new(
                AliEcsCode::IncorrectDiskStatus,
                format!(
                    "The current disk status does not support this operation: {} is Creating.",
                    disk.id
                ),
            ));
        }
        let name = q.opt_str("SnapshotName")?.unwrap_or_default();
        let description = q.opt_str("Description")?.unwrap_or_default();
        let retention = q.opt_u64("RetentionDays")?;
        let id = self.ali_snapshot_disk(&disk, name, description, retention);
        self.ali_ok(json!({"SnapshotId": id}))
    }

    pub(crate) fn ali_describe_snapshots(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        self.ecs_authorize(caller, "DescribeSnapshots", "snapshot/*", &[])?;
        let ids = id_list(q, "SnapshotIds")?;
        let disk = q.opt_str("DiskId")?;
        let encrypted = q.opt_bool("Encrypted")?;
        let key = q.opt_str("KMSKeyId")?;
        let status = q.opt_str("Status")?.filter(|s| s != "all");
        let list: Vec<Value> = self
            .aliyun
            .snapshots
            .values()
            .filter(|s| s.region == region)
            .filter(|s| s.account == caller.account || s.shared_with.contains(&caller.account))
            .filter(|s| ids.as_ref().is_none_or(|l| l.contains(&s.id)))
            .filter(|s| disk.as_ref().is_none_or(|d| *d == s.source_disk_id))
            .filter(|s| encrypted.is_none_or(|e| e == s.encryption.is_some()))
            .filter(|s| {
                key.as_ref()
                    .is_none_or(|k| s.encryption.as_ref().is_some_and(|e| e.key_id == *k))
            })
            .filter(|s| status.as_ref().is_none_or(|st| *st == s.status))
            .map(|s| s.to_json())
            .collect();
        let body = ecs_page(q, list, "Snapshots", "Snapshot")?;
        self.ali_ok(body)
    }

    /// Copies a snapshot's data into a new snapshot of `account` in `region`, encrypted under
    /// `key` (`Some(None)`: the service key) or not: the source data key decrypted, a new one
    /// made, every sector re-encrypted.
    pub(crate) fn ali_copy_snapshot_data(
        &mut self,
        src: &AliSnapshot,
        account: &str,
        region: &str,
        key: Option<Option<String>>,
        name: String,
        description: String,
    ) -> AwsResult<String> {
        let id = self.ali_id("s", region);
        let old = match &src.encryption {
            Some(e) if !src.sectors.0.is_empty() => Some(self.ecs_decrypt_data_key(
                e,
                &src.region,
                "restore",
                KeyLocation::EbsTransient,
            )?),
            _ => None,
        };
        let (encryption, new) = match key {
            None => (None, None),
            Some(k) => {
                let key_id = match k {
                    Some(id) => id,
                    None => self.ali_service_key(account, region),
                };
                let (enc, dk) = self.ecs_new_data_key(
                    account,
                    region,
                    &key_id,
                    &id,
                    "AES-256",
                    KeyLocation::EbsTransient,
                    None,
                )?;
                (Some(enc), Some(dk))
            }
        };
        let sectors = recrypt(&src.sectors, old.as_ref(), new.as_ref());
        let snap = AliSnapshot {
            id: id.clone(),
            account: account.into(),
            region: region.into(),
            name,
            description,
            source_disk_id: src.source_disk_id.clone(),
            source_disk_type: src.source_disk_type.clone(),
            source_category: src.source_category.clone(),
            source_size: src.source_size,
            status: "progressing".into(),
            progress: "0%".into(),
            created: self.now,
            encryption,
            sectors,
            shared_with: Default::default(),
            copied_from: Some(src.id.clone()),
            retention_days: None,
        };
        self.aliyun.snapshots.insert(id.clone(), Box::new(snap));
        self.ali_schedule(SNAPSHOT_SECS, AliPending::SnapshotDone(id.clone()));
        Ok(id)
    }

    /// The key of a copy (of a snapshot or image) in `region`: an encrypted source or
    /// `Encrypted=true` gives an encrypted copy, under `KMSKeyId` or the service key;
    /// `Encrypted=false` of an encrypted source is refused (encryption is irreversible).
    pub(crate) fn ali_copy_key(
        &mut self,
        account: &str,
        region: &str,
        source_encrypted: bool,
        encrypted: Option<bool>,
        kms_key_id: Option<String>,
    ) -> AwsResult<Option<Option<String>>> {
        if source_encrypted && encrypted == Some(false) {
            return Err(AwsError::new(
                AliEcsCode::EncryptedNotMatchSnapshot,
                "The specified parameter Encrypted must be set to true when copying an encrypted snapshot or image (encryption is irreversible).",
            ));
        }
        if kms_key_id.is_some() && encrypted != Some(true) && !source_encrypted {
            return Err(AwsError::new(
                AliEcsCode::EncryptedNotMatchKmsKeyId,
                "The specified parameter Encrypted must be true when KmsKeyId is not empty.",
            ));
        }
        if !(source_encrypted || encrypted == Some(true)) {
            return Ok(None);
        }
        if self.provider.ali_region_refuses_encryption(region) {
            return Err(AwsError::new(
                AliEcsCode::RegionNotSupportEncrypted,
                format!("The specified region does not support creating encrypted disks: {region} (seed 002)."),
            ));
        }
        match kms_key_id {
            None => Ok(Some(None)),
            Some(r) => self
                .ali_check_cmk(&r, account, region)
                .map_err(|e| {
                    if e.code == AliEcsCode::KmsKeyIdNotFound {
                        AwsError::new(
                            AliEcsCode::KmsKeyIdNotFoundOperation,
                            format!("The specified KMSKeyId not found, {r} (the key must be in the destination region {region})."),
                        )
                    } else {
                        e
                    }
                })
                .map(Some),
        }
    }

    pub(crate) fn ali_copy_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let region = self.ali_region(caller, q)?;
        let src = self.ali_snapshot_of(caller, &q.str("SnapshotId")?)?;
        if src.region != region {
            return Err(AwsError::new(
                AliEcsCode::InvalidSnapshotId,
                format!(
                    "The specified SnapshotId does not exist in {region}: {}.",
                    src.id
                ),
            ));
        }
        let dest = q.str("DestinationRegionId")?;
        if !self.provider.has_region(&dest) {
            return Err(AwsError::new(
                AliEcsCode::InvalidRegionId,
                format!("The specified DestinationRegionId does not exist: {dest}."),
            ));
        }
        let encrypted = q.opt_bool("Encrypted")?;
        self.ecs_authorize(caller, "CopySnapshot", "snapshot/*", &[])?;
        if src.status != "accomplished" {
            return Err(AwsError::new(
                AliEcsCode::SnapshotNotReady,
                format!("The specified snapshot has not completed yet: {}.", src.id),
            ));
        }
        let key = self.ali_copy_key(
            &caller.account,
            &dest,
            src.encryption.is_some(),
            encrypted,
            q.opt_str("KMSKeyId")?,
        )?;
        let name = q.opt_str("DestinationSnapshotName")?.unwrap_or_default();
        let description = q
            .opt_str("DestinationSnapshotDescription")?
            .unwrap_or_default();
        let id =
            self.ali_copy_snapshot_data(&src, &caller.account, &dest, key, name, description)?;
        if let Some(s) = self.aliyun.snapshots.get_mut(&id) {
            s.retention_days = q.opt_u64("RetentionDays")?;
        }
        self.ali_ok(json!({"SnapshotId": id}))
    }

    pub(crate) fn ali_delete_snapshot(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let snap = self.ali_snapshot_of(caller, &q.str("SnapshotId")?)?;
        self.ecs_authorize(
            caller,
            "DeleteSnapshot",
            &format!("snapshot/{}", snap.id),
            &[],
        )?;
        if let Some(image) = self
            .aliyun
            .images
            .values()
            .find(|i| i.snapshot_id.as_deref() == Some(snap.id.as_str()))
        {
            return Err(AwsError::new(
                AliEcsCode::OperationDenied,
                format!(
                    "The specified snapshot is used by the image {}: delete the image first.",
                    image.id
                ),
            ));
        }
        let used = self
            .aliyun
            .disks
            .values()
            .any(|d| d.source_snapshot.as_deref() == Some(snap.id.as_str()));
        if used && !q.opt_bool("Force")?.unwrap_or(false) {
            return Err(AwsError::new(
                AliEcsCode::SnapshotInUse,
                format!(
                    "The snapshot {} has been used to create disks: pass Force to delete it.",
                    snap.id
                ),
            ));
        }
        self.aliyun.snapshots.remove(&snap.id);
        self.ali_ok(json!({}))
    }
}

/// `src`'s sectors decrypted under `old` and encrypted under `new` (a copy when both are
/// absent): how a snapshot's data moves to a new disk or snapshot.
pub(super) fn recrypt(src: &Sectors, old: Option<&DataKey>, new: Option<&DataKey>) -> Sectors {
    let mut sectors = Sectors::default();
    for (n, bytes) in &src.0 {
        let mut b = bytes.clone();
        if let Some(k) = old {
            let _ = xts_decrypt_sector(k, *n, &mut b);
        }
        if let Some(k) = new {
            let _ = xts_encrypt_sector(k, *n, &mut b);
        }
        sectors.0.insert(*n, b);
    }
    sectors
}
