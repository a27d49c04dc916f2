//! The CloudTrail view filtered by key: the records of the KMS calls that used one key, as an
//! auditor reads them to answer "which team used which data" (seed 003: "Use CloudTrail to log
//! KMS API calls for audit").
//!
//! It owns which calls count as using a key and the columns shown for each; the records
//! themselves come from [`Call::cloudtrail`] and the trace, never edited. A call uses a key when
//! KMS recorded that key on it (CloudTrail `resources`), or when its request or response names
//! the key by ARN, id or alias (the calls that fail before KMS finds the key, CreateKey's
//! response). Calls S3, EC2 and RDS make on a principal's behalf carry that principal as
//! `userIdentity` and the service as `invokedBy`, as CloudTrail records them.

use crate::model::provider::{Cloud, Provider};
use crate::model::trace::{Call, Participant};
use crate::model::Sim;
use serde_json::Value;

/// A key the view can be filtered by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyChoice {
    /// The key ARN (the value to filter by).
    pub arn: String,
    /// What a person recognizes: its aliases, else its key id, and whether AWS manages it.
    pub label: String,
}

/// One CloudTrail record of the filtered view, as its columns show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailRow {
    /// The call's position in the trace (to select it in the diagram).
    pub seq: usize,
    /// `eventTime`.
    pub time: String,
    /// The time of day of `eventTime` (`09:00:05`), for a narrow column.
    pub clock: String,
    /// `eventName`.
    pub event_name: String,
    /// `userIdentity.arn`: who the call was made as.
    pub principal: String,
    /// The principal's short name (`assumed-role/StatementsApp/reporting`, `root`).
    pub who: String,
    /// `userIdentity.type` (`AssumedRole`, `Root`, `IAMUser`, `AWSService`).
    pub identity_type: String,
    /// `userIdentity.invokedBy`: the service that called KMS on the principal's behalf.
    pub invoked_by: Option<String>,
    /// The encryption context, `key=value` pairs joined by `, ` (empty when none).
    pub context: String,
    /// `errorCode`, when KMS refused or failed the call.
    pub error_code: Option<String>,
}

/// Who used a key: one line per principal of the filtered records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalUse {
    /// The principal's short name, as in [`TrailRow::who`].
    pub who: String,
    /// Records that succeeded.
    pub allowed: usize,
    /// Records that failed (refused, or the key unusable).
    pub denied: usize,
    /// The event names, each once, in order of first appearance.
    pub events: Vec<String>,
    /// The services that called on the principal's behalf, each once.
    pub via: Vec<String>,
}

/// The view for one key: its ARN and label, its records oldest first, and who used it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyTrail {
    /// The key ARN.
    pub arn: String,
    /// The key's label, as in [`KeyChoice::label`].
    pub label: String,
    /// The records that used the key, oldest first.
    pub rows: Vec<TrailRow>,
    /// One line per principal, in order of first appearance.
    pub by_principal: Vec<PrincipalUse>,
}

/// A key of either cloud, as the view needs it.
struct KeyRef {
    arn: String,
    key_id: String,
    account: String,
    region: String,
    /// Managed by the provider (an AWS managed key, Alibaba's service key).
    managed: bool,
    aliases: Vec<String>,
}

/// Every key of the world, AWS's or Alibaba Cloud's.
fn keys_of(sim: &Sim) -> Vec<KeyRef> {
    match sim.cloud() {
        Cloud::Aws => sim
            .keys()
            .map(|k| KeyRef {
                arn: k.arn.clone(),
                key_id: k.key_id.clone(),
                account: k.account.clone(),
                region: k.region.clone(),
                managed: k.aws_managed,
                aliases: sim.aliases_of(&k.key_id),
            })
            .collect(),
        Cloud::Alibaba => {
            let a = sim.aliyun();
            a.keys()
                .map(|k| KeyRef {
                    arn: k.arn.clone(),
                    key_id: k.id.clone(),
                    account: k.account.clone(),
                    region: k.region.clone(),
                    managed: k.service_key,
                    aliases: a.aliases_of(&k.id),
                })
                .collect()
        }
    }
}

fn label(sim: &Sim, key: &KeyRef) -> String {
    let mut aliases = key.aliases.clone();
    crate::sort::sort(&mut aliases);
    let name = if aliases.is_empty() {
        key.key_id.clone()
    } else {
        aliases.join(", ")
    };
    match (key.managed, sim.cloud()) {
        (true, Cloud::Aws) => format!("{name} (AWS managed)"),
        (true, Cloud::Alibaba) => format!("{name} (service key)"),
        (false, _) => name,
    }
}

/// Every key of the session, customer managed keys first, each group by label.
pub fn key_choices(sim: &Sim) -> Vec<KeyChoice> {
    let mut keys: Vec<(bool, KeyChoice)> = keys_of(sim)
        .iter()
        .map(|k| {
            (
                k.managed,
                KeyChoice {
                    arn: k.arn.clone(),
                    label: label(sim, k),
                },
            )
        })
        .collect();
    crate::sort::sort_by(&mut keys, |a, b| (a.0, &a.1.label) < (b.0, &b.1.label));
    keys.into_iter().map(|(_, c)| c).collect()
}

/// The ARN of the key `reference` names: a key ARN, a key id, an alias name (`alias/x`) or an
/// alias ARN. `None` when no key of the session matches.
pub fn resolve(sim: &Sim, reference: &str) -> Option<String> {
    let r = reference.trim();
    if r.is_empty() {
        return None;
    }
    keys_of(sim)
        .into_iter()
        .find(|k| names_key(k, r, None))
        .map(|k| k.arn)
}

/// Whether `r` names `key`; an alias name counts only in the key's account and Region
/// (`at`: the account and Region of the call that used it, when there is one).
fn names_key(key: &KeyRef, r: &str, at: Option<(&str, &str)>) -> bool {
    if r == key.arn || r == key.key_id {
        return true;
    }
    let alias = match r.split_once(":alias/") {
        Some((prefix, name)) => {
            let parts: Vec<&str> = prefix.split(':').collect();
            if parts.get(3) != Some(&key.region.as_str())
                || parts.get(4) != Some(&key.account.as_str())
            {
                return false;
            }
            format!("alias/{name}")
        }
        None if r.starts_with("alias/") => {
            if at.is_some_and(|(a, g)| a != key.account || g != key.region) {
                return false;
            }
            r.to_string()
        }
        None => return false,
    };
    key.aliases.contains(&alias)
}

/// The key references a request or response spells out (CloudTrail's camelCase, the user's
/// PascalCase, and CreateKey's metadata).
fn named_references(c: &Call) -> Vec<&str> {
    const MEMBERS: [&str; 10] = [
        "KeyId",
        "keyId",
        "TargetKeyId",
        "targetKeyId",
        "DestinationKeyId",
        "destinationKeyId",
        "SourceKeyId",
        "sourceKeyId",
        "Arn",
        "arn",
    ];
    let mut out = Vec::new();
    for v in [&c.request, &c.response] {
        let meta = v.get("KeyMetadata").or_else(|| v.get("keyMetadata"));
        for obj in [Some(v), meta].into_iter().flatten() {
            for m in MEMBERS {
                if let Some(s) = obj.get(m).and_then(Value::as_str) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Whether the call is a KMS request that used `key`.
fn uses(c: &Call, key: &KeyRef) -> bool {
    if c.to != Participant::Kms {
        return false;
    }
    if c.key_arns.contains(&key.arn) {
        return true;
    }
    named_references(c)
        .into_iter()
        .any(|r| names_key(key, r, Some((&c.account, &c.region))))
}

/// `key=value, …` of the call's encryption context (the request's, as CloudTrail logs it).
fn context_text(c: &Call, record: &Value) -> String {
    let params = &record["requestParameters"];
    let ec = c
        .encryption_context
        .as_ref()
        .or_else(|| params.get("encryptionContext"))
        .or_else(|| params.get("EncryptionContext"));
    match ec.and_then(Value::as_object) {
        Some(m) => m
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => String::new(),
    }
}

/// The principal's short name: what follows the account in its ARN, or the whole name for a
/// service principal.
pub fn short_principal(arn: &str) -> String {
    match (arn.splitn(6, ':').nth(5), arn.splitn(5, ':').nth(4)) {
        (Some(rest), _) if arn.starts_with("arn:") => rest.to_string(),
        // Alibaba Cloud's `acs:ram::UID:user/NAME` has no partition.
        (_, Some(rest)) if arn.starts_with("acs:") => rest.to_string(),
        _ => arn.to_string(),
    }
}

fn row(c: &Call, provider: &Provider) -> TrailRow {
    let rec = c.cloudtrail_in(provider);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let identity = &rec["userIdentity"];
    let time = text(&rec["eventTime"]);
    TrailRow {
        seq: c.seq,
        clock: time
            .split_once('T')
            .map(|(_, t)| t.trim_end_matches('Z').to_string())
            .unwrap_or_else(|| time.clone()),
        time,
        event_name: text(&rec["eventName"]),
        principal: c.principal.clone(),
        who: short_principal(&c.principal),
        identity_type: text(&identity["type"]),
        invoked_by: identity["invokedBy"].as_str().map(str::to_string),
        context: context_text(c, &rec),
        error_code: rec["errorCode"].as_str().map(str::to_string),
    }
}

fn by_principal(rows: &[TrailRow]) -> Vec<PrincipalUse> {
    let mut out: Vec<PrincipalUse> = Vec::new();
    for r in rows {
        let i = match out.iter().position(|p| p.who == r.who) {
            Some(i) => i,
            None => {
                out.push(PrincipalUse {
                    who: r.who.clone(),
                    allowed: 0,
                    denied: 0,
                    events: Vec::new(),
                    via: Vec::new(),
                });
                out.len() - 1
            }
        };
        let Some(p) = out.get_mut(i) else { continue };
        if r.error_code.is_some() {
            p.denied += 1;
        } else {
            p.allowed += 1;
        }
        if !p.events.contains(&r.event_name) {
            p.events.push(r.event_name.clone());
        }
        if let Some(v) = &r.invoked_by {
            if !p.via.contains(v) {
                p.via.push(v.clone());
            }
        }
    }
    out
}

/// The CloudTrail records of the session's KMS calls that used the key `reference` names (ARN,
/// key id, alias or alias ARN), oldest first, with who used it. `None` when no key matches.
pub fn key_trail(sim: &Sim, reference: &str) -> Option<KeyTrail> {
    let arn = resolve(sim, reference)?;
    let key = keys_of(sim).into_iter().find(|k| k.arn == arn)?;
    let rows: Vec<TrailRow> = sim
        .trace()
        .calls()
        .iter()
        .filter(|c| uses(c, &key))
        .map(|c| row(c, sim.provider()))
        .collect();
    Some(KeyTrail {
        label: label(sim, &key),
        by_principal: by_principal(&rows),
        arn,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_the_arn_prefix() {
        assert_eq!(
            short_principal("arn:aws:sts::111122223333:assumed-role/App/s1"),
            "assumed-role/App/s1"
        );
        assert_eq!(short_principal("arn:aws:iam::111122223333:root"), "root");
        assert_eq!(short_principal("s3.amazonaws.com"), "s3.amazonaws.com");
        assert_eq!(short_principal(""), "");
    }
}
