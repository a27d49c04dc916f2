//! The playground's own commands (`play advance`, `play write`, `play read`, `play sector`):
//! simulated time, and I/O through an instance's host, which holds the plaintext data key.

use super::codes::{Ec2Code, PlayCode};
use super::crypto::{xts_decrypt_sector, xts_encrypt_sector, SECTOR_SIZE};
use super::ebs::InstanceState;
use super::ec2::NOTE_INTERNAL;
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::rng::to_hex;
use super::trace::{KeyLocation, Participant};
use super::{CallSpec, Caller, Sim};
use crate::json;
use crate::model::Handler;
use serde_json::Value;

impl Sim {
    pub(crate) fn write_sectors(
        &mut self,
        vid: &str,
        sector: u64,
        data: &[u8],
    ) -> AwsResult<Value> {
        if data.is_empty() || data.len() > 64 * SECTOR_SIZE {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("Text must be between 1 and {} bytes.", 64 * SECTOR_SIZE),
            ));
        }
        let v = self
            .volumes
            .get(vid)
            .ok_or_else(|| AwsError::new(Ec2Code::InvalidVolumeNotFound, vid.to_string()))?;
        let count = data.len().div_ceil(SECTOR_SIZE) as u64;
        if sector.saturating_add(count) > v.sector_count() {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!(
                    "Sector {sector} is beyond the end of the {} GiB volume.",
                    v.size_gib
                ),
            ));
        }
        if v.encryption.is_some() && v.host_key.is_none() {
            return Err(AwsError::new(
                PlayCode::IoError,
                "The host has no data key for this volume; I/O hangs.",
            ));
        }
        let mut written = Vec::new();
        for (i, chunk) in data.chunks(SECTOR_SIZE).enumerate() {
            let n = sector + i as u64;
            let mut buf = chunk.to_vec();
            buf.resize(SECTOR_SIZE, 0);
            if let Some(k) = self.volumes.get(vid).and_then(|v| v.host_key.as_ref()) {
                xts_encrypt_sector(k, n, &mut buf)
                    .map_err(|_| AwsError::new(Ec2Code::InternalError, "sector size"))?;
            }
            if let Some(v) = self.volumes.get_mut(vid) {
                v.sectors.0.insert(n, buf);
                v.changed.insert(n);
            }
            written.push(n);
        }
        let encrypted = self
            .volumes
            .get(vid)
            .is_some_and(|v| v.encryption.is_some());
        let (account, region) = self
            .volumes
            .get(vid)
            .map(|v| (v.account.clone(), v.region.clone()))
            .unwrap_or_default();
        self.record(
            CallSpec {
                from: Participant::Host,
                to: Participant::Ebs,
                operation: "WriteSectors".into(),
                request: json!({"VolumeId": vid, "Sectors": written, "Cipher": if encrypted { "AES-256-XTS" } else { "none" }}),
                principal: self.provider.ec2_service(&region),
                account,
                region,
                key_location: encrypted.then_some(KeyLocation::HostMemory),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: encrypted.then(|| "Encryption operations occur on the servers that host EC2 instances, ensuring the security of both data-at-rest and data-in-transit between an instance and its attached EBS storage.".to_string()),
                ..CallSpec::default()
            },
            json!({"BytesWritten": data.len()}),
            None,
        );
        Ok(
            json!({"VolumeId": vid, "Sector": sector, "BytesWritten": data.len(), "SectorsWritten": count, "Encrypted": encrypted}),
        )
    }

    pub(crate) fn read_sectors(&mut self, vid: &str, sector: u64, length: u64) -> AwsResult<Value> {
        let v = self
            .volumes
            .get(vid)
            .ok_or_else(|| AwsError::new(Ec2Code::InvalidVolumeNotFound, vid.to_string()))?;
        if sector >= v.sector_count() {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("Sector {sector} is beyond the end of the volume."),
            ));
        }
        if v.encryption.is_some() && v.host_key.is_none() {
            return Err(AwsError::new(
                PlayCode::IoError,
                "The host has no data key for this volume; I/O hangs.",
            ));
        }
        let len = length.clamp(1, 64 * SECTOR_SIZE as u64) as usize;
        let mut out = Vec::with_capacity(len);
        let mut n = sector;
        while out.len() < len && n < v.sector_count() {
            let mut buf = v
                .sectors
                .0
                .get(&n)
                .cloned()
                .unwrap_or_else(|| vec![0u8; SECTOR_SIZE]);
            if v.sectors.0.contains_key(&n) {
                if let Some(k) = &v.host_key {
                    xts_decrypt_sector(k, n, &mut buf)
                        .map_err(|_| AwsError::new(Ec2Code::InternalError, "sector size"))?;
                }
            }
            out.extend_from_slice(&buf);
            n += 1;
        }
        out.truncate(len);
        let text_end = out.iter().position(|b| *b == 0).unwrap_or(out.len());
        Ok(
            json!({"VolumeId": vid, "Sector": sector, "Text": String::from_utf8_lossy(&out[..text_end]), "Hex": to_hex(&out[..text_end.min(64).max(out.len().min(16))])}),
        )
    }

    /// `AdvanceTime`.
    pub(crate) fn advance_time(&mut self, _caller: &Caller, q: &Params) -> AwsResult<Value> {
        let seconds = q.required("Seconds", q.opt_i64("Seconds")?)?;
        if !(0..=10 * 365 * 86_400).contains(&seconds) {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                "Seconds must be between 0 and ten years.",
            ));
        }
        self.advance(seconds as u64);
        Ok(json!({"Now": self.now, "Time": super::clock::iso(self.now)}))
    }

    /// `WriteData` and `ReadData`.
    pub(crate) fn write_or_read_data(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let op = q.operation();
        let instance_id = q.str("InstanceId")?;
        let device = q.str("Device")?;
        let text = q.opt_str("Text")?;
        let sector = q.opt_u64("Sector")?;
        let length = q.opt_u64("Length")?;
        let inst = self.instance_owned(caller, &instance_id)?.clone();
        if inst.state != InstanceState::Running {
            return Err(AwsError::new(
                Ec2Code::IncorrectInstanceState,
                format!(
                    "The instance '{}' is {}, not running: nothing can do I/O.",
                    inst.id,
                    inst.state.as_str()
                ),
            ));
        }
        let Some((_, vid)) = inst.volumes.iter().find(|(d, _)| *d == device).cloned() else {
            return Err(AwsError::new(
                Ec2Code::InvalidParameterValue,
                format!("No volume is attached to {} at {}.", inst.id, device),
            ));
        };
        let sector = sector.unwrap_or(0);
        if op == "WriteData" {
            let text = text.unwrap_or_default();
            self.write_sectors(&vid, sector, text.as_bytes())
        } else {
            self.read_sectors(&vid, sector, length.unwrap_or(SECTOR_SIZE as u64))
        }
    }

    /// `ShowSector`.
    pub(crate) fn show_sector(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let volume_id = q.opt_str("VolumeId")?;
        let snapshot_id = q.opt_str("SnapshotId")?;
        let sector = q.opt_u64("Sector")?;
        let n = sector.unwrap_or(0);
        let (data, encrypted, id) = match (volume_id, snapshot_id) {
            (Some(v), None) => {
                let vol = self.volume_owned(caller, &v)?;
                (vol.sectors.0.get(&n).cloned(), vol.encryption.is_some(), v)
            }
            (None, Some(s)) => {
                let snap = self.snapshot_visible(caller, &s, &caller.region)?;
                let enc = snap.encryption.is_some();
                (self.snapshot_sectors(&s).get(&n).cloned(), enc, s)
            }
            _ => {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterCombination,
                    "Give exactly one of VolumeId and SnapshotId.",
                ))
            }
        };
        Ok(
            json!({"ResourceId": id, "Sector": n, "Stored": data.is_some(), "Encrypted": encrypted, "OnDisk": data.map(|d| to_hex(&d)).unwrap_or_default()}),
        )
    }
}

/// The method that answers each playground command.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("AdvanceTime", Sim::advance_time),
    ("WriteData", Sim::write_or_read_data),
    ("ReadData", Sim::write_or_read_data),
    ("ShowSector", Sim::show_sector),
    ("PutFile", Sim::play_put_file),
    ("ShowFile", Sim::play_show_file),
    ("ListFiles", Sim::play_list_files),
];
