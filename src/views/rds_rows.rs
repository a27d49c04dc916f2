//! The rows of the RDS card: DB instances with their status, encryption, key and where the
//! data key is, and DB snapshots with their type, key and who they are shared with.

use super::rows::key_name;
use crate::model::{Caller, Sim};

/// One row of the RDS card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbRow {
    /// `instance` or `snapshot`.
    pub kind: &'static str,
    /// Identifier.
    pub id: String,
    /// Status.
    pub status: String,
    /// Encrypted.
    pub encrypted: bool,
    /// `encrypted · key` or `unencrypted`.
    pub key: String,
    /// Engine, resource id, data key location, snapshot type and sharing.
    pub sub: String,
}

/// The DB instances, then the DB snapshots, of the caller's account and region.
pub fn db_rows(sim: &Sim, here: &Caller) -> Vec<DbRow> {
    let key = |arn: Option<&str>| match arn {
        Some(a) => format!("encrypted · {}", key_name(sim, a)),
        None => "unencrypted".to_string(),
    };
    let mut out: Vec<DbRow> = sim
        .db_instances()
        .filter(|i| i.account == here.account && i.region == here.region)
        .map(|i| {
            let where_key = match (i.encryption.is_some(), i.key_in_host()) {
                (false, _) => "no data key",
                (true, true) => "data key in the database host's memory",
                (true, false) => "data key only encrypted at rest",
            };
            DbRow {
                kind: "instance",
                id: i.id.clone(),
                status: i.status.as_str().to_string(),
                encrypted: i.encryption.is_some(),
                key: key(i.kms_key_arn()),
                sub: format!(
                    "{} {} · {} · {} · {where_key}",
                    i.engine, i.engine_version, i.class, i.resource_id
                ),
            }
        })
        .collect();
    out.extend(
        sim.db_snapshots()
            .filter(|s| s.account == here.account && s.region == here.region)
            .map(|s| {
                let shared = match (s.public, s.shared_with.is_empty()) {
                    (true, _) => "public".to_string(),
                    (false, true) => "not shared".to_string(),
                    (false, false) => format!(
                        "shared with {}",
                        s.shared_with.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                DbRow {
                    kind: "snapshot",
                    id: s.id.clone(),
                    status: s.status.clone(),
                    encrypted: s.encryption.is_some(),
                    key: key(s.kms_key_arn()),
                    sub: format!(
                        "{} snapshot of {} · {shared}",
                        s.snapshot_type, s.instance_id
                    ),
                }
            }),
    );
    out
}
