//! The playground's own commands in an Alibaba Cloud world: I/O through an instance's host
//! (which holds the plaintext data key), a raw sector, snapshot sharing, simulated time.

use super::*;
use crate::model::codes::AliPlayCode;
use crate::model::crypto::{xts_decrypt_sector, xts_encrypt_sector, SECTOR_SIZE};
use crate::model::rng::to_hex;

impl Sim {
    /// The disk of a running instance that `play write`/`play read` may use, checked for I/O:
    /// an encrypted disk needs its data key in host memory.
    fn ali_io_disk(&self, caller: &Caller, q: &Params) -> AwsResult<Disk> {
        let inst = self.ali_instance_of(caller, &q.str("InstanceId")?)?;
        let disk = self.ali_disk_of(caller, &q.str("DiskId")?)?;
        if disk.instance_id.as_deref() != Some(inst.id.as_str()) || inst.status != "Running" {
            return Err(AwsError::new(
                AliPlayCode::NotAttached,
                format!(
                    "The disk {} is not attached to the running instance {}.",
                    disk.id, inst.id
                ),
            ));
        }
        if disk.io_hang || (disk.encryption.is_some() && disk.host_key.is_none()) {
            return Err(AwsError::new(
                AliPlayCode::IoHang,
                format!("I/O on {} hangs: the host could not decrypt the disk's data key at startup (its KMS key is not usable). Enable the key and restart the instance.", disk.id),
            ));
        }
        Ok(disk)
    }

    pub(crate) fn ali_play_write(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_io_disk(caller, q)?;
        let text = q.str("Text")?;
        let sector = q.opt_u64("Sector")?.unwrap_or(0);
        let data = text.as_bytes();
        if data.is_empty() || data.len() > 64 * SECTOR_SIZE {
            return Err(AwsError::new(
                AliEcsCode::InvalidParameter,
                format!("Text must be between 1 and {} bytes.", 64 * SECTOR_SIZE),
            ));
        }
        let count = data.len().div_ceil(SECTOR_SIZE) as u64;
        if sector.saturating_add(count) > disk.sector_count() {
            return Err(AwsError::new(
                AliEcsCode::InvalidParameter,
                format!(
                    "Sector {sector} is beyond the end of the {} GiB disk.",
                    disk.size
                ),
            ));
        }
        let Some(d) = self.aliyun.disks.get_mut(&disk.id) else {
            return Err(AwsError::new("InternalError", "disk missing"));
        };
        for (i, chunk) in data.chunks(SECTOR_SIZE).enumerate() {
            let n = sector + i as u64;
            let mut buf = chunk.to_vec();
            buf.resize(SECTOR_SIZE, 0);
            if let Some(k) = d.host_key.as_ref() {
                xts_encrypt_sector(k, n, &mut buf)
                    .map_err(|_| AwsError::new("InternalError", "sector size"))?;
            }
            d.sectors.0.insert(n, buf);
        }
        self.ali_ok(json!({"DiskId": disk.id, "Sector": sector, "Sectors": count, "Encrypted": disk.encryption.is_some()}))
    }

    pub(crate) fn ali_play_read(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_io_disk(caller, q)?;
        let sector = q.opt_u64("Sector")?.unwrap_or(0);
        let length = q
            .opt_u64("Length")?
            .unwrap_or(SECTOR_SIZE as u64)
            .min(64 * SECTOR_SIZE as u64) as usize;
        let mut out = Vec::new();
        let mut n = sector;
        while out.len() < length && n < disk.sector_count() {
            let mut b = disk
                .sectors
                .0
                .get(&n)
                .cloned()
                .unwrap_or(vec![0; SECTOR_SIZE]);
            if disk.sectors.0.contains_key(&n) {
                if let Some(k) = disk.host_key.as_ref() {
                    let _ = xts_decrypt_sector(k, n, &mut b);
                }
            }
            out.extend_from_slice(&b);
            n += 1;
        }
        out.truncate(length);
        let end = out.iter().position(|b| *b == 0).unwrap_or(out.len());
        self.ali_ok(json!({"DiskId": disk.id, "Sector": sector, "Text": String::from_utf8_lossy(&out[..end])}))
    }

    pub(crate) fn ali_play_sector(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let disk = self.ali_disk_of(caller, &q.str("DiskId")?)?;
        let sector = q.opt_u64("Sector")?.unwrap_or(0);
        let raw = disk.sectors.0.get(&sector).cloned();
        let written = raw.is_some();
        let bytes = raw.unwrap_or(vec![0; SECTOR_SIZE]);
        self.ali_ok(json!({
            "DiskId": disk.id,
            "Sector": sector,
            "Written": written,
            "Encrypted": disk.encryption.is_some(),
            "Hex": to_hex(&bytes[..64.min(bytes.len())]),
        }))
    }

    pub(crate) fn ali_play_share_snapshot(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let snap = self.ali_snapshot_of(caller, &q.str("SnapshotId")?)?;
        let account = q.str("AccountId")?;
        if !self.provider.valid_account(&account) || account == caller.account {
            return Err(AwsError::new(
                AliEcsCode::InvalidAccount,
                format!("The specified account is not valid: {account} (another account's 16-digit UID)."),
            ));
        }
        if let Some(s) = self.aliyun.snapshots.get_mut(&snap.id) {
            s.shared_with.insert(account.clone());
        }
        self.ali_ok(json!({"SnapshotId": snap.id, "SharedWith": account}))
    }

    pub(crate) fn ali_play_advance(&mut self, _caller: &Caller, q: &Params) -> AwsResult<Value> {
        let seconds = q.required("Seconds", q.opt_i64("Seconds")?)?;
        if !(0..=10 * 365 * 86_400).contains(&seconds) {
            return Err(AwsError::new(
                AliEcsCode::InvalidParameter,
                "Seconds must be between 0 and ten years.",
            ));
        }
        self.advance(seconds as u64);
        self.ali_ok(json!({"Now": self.now, "Time": ali_time(self.now)}))
    }
}
