//! The rows of the Resources tab and the choices of the Policies tab, as plain data computed
//! from the session for the current account and region: encryption-by-default settings, keys,
//! volumes, snapshots, images, instances, IAM users and roles, and the sector view's text.

use super::commands::PolicyTarget;
use super::visibility::{self, IMAGES_CARD, SNAPSHOTS_CARD};
use crate::model::ebs::{Snapshot, Volume};
use crate::model::iam::PrincipalKind;
use crate::model::visibility::Access;
use crate::model::{Caller, Sim};
use crate::session::Session;
use serde_json::Value;
use std::collections::BTreeMap;

/// A short, readable name for a key ARN: its first alias, else the start of its id.
pub fn key_name(sim: &Sim, arn: &str) -> String {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    sim.aliases_of(id)
        .into_iter()
        .next()
        .unwrap_or_else(|| id.chars().take(8).collect::<String>() + "…")
}

/// The encryption-by-default card: whether it is on, and the default key's name.
pub fn defaults(sim: &Sim, here: &Caller) -> (bool, String) {
    let st = sim.ebs_settings(&here.account, &here.region);
    let key = st
        .default_kms_key
        .as_deref()
        .map(|k| key_name(sim, k))
        .unwrap_or_else(|| format!("{} (AWS managed)", sim.provider().managed_key_alias));
    (st.encryption_by_default, key)
}

/// One row of the keys card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    /// Key id.
    pub id: String,
    /// Its aliases.
    pub aliases: Vec<String>,
    /// KMS key state (`Enabled`, `PendingDeletion`, …).
    pub state: &'static str,
    /// Key spec.
    pub spec: String,
    /// AWS managed (no buttons).
    pub managed: bool,
    /// Automatic rotation.
    pub rotation: bool,
    /// Material versions.
    pub versions: usize,
    /// Grants on the key.
    pub grants: usize,
}

impl KeyRow {
    /// The name shown: first alias, else the id.
    pub fn name(&self) -> String {
        self.aliases
            .first()
            .cloned()
            .unwrap_or_else(|| self.id.clone())
    }

    /// The line under the name.
    pub fn sub(&self) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            " · {} material version{} · rotation {} · {} grant{}",
            self.versions,
            plural(self.versions),
            if self.rotation { "on" } else { "off" },
            self.grants,
            plural(self.grants),
        )
    }

    /// Identity for keyed rendering: changes whenever the row's content does.
    pub fn render_key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.id,
            self.aliases.join(","),
            self.state,
            self.rotation,
            self.grants
        )
    }
}

/// The keys of the current account and region.
pub fn keys(sim: &Sim, here: &Caller) -> Vec<KeyRow> {
    sim.keys()
        .filter(|k| k.account == here.account && k.region == here.region)
        .map(|k| KeyRow {
            id: k.key_id.clone(),
            aliases: sim.aliases_of(&k.key_id),
            state: k.state.as_str(),
            spec: k.key_spec.clone(),
            managed: k.aws_managed,
            rotation: k.rotation_enabled,
            versions: k.material_versions,
            grants: sim.grants_on(&k.arn).len(),
        })
        .collect()
}

/// Resource ids per data-key label (`dk-3`), to show which resources share a data key.
pub fn data_key_users(sim: &Sim) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for v in sim.volumes() {
        if let Some(e) = &v.encryption {
            m.entry(e.data_key_id.clone())
                .or_default()
                .push(v.id.clone());
        }
    }
    for s in sim.snapshots() {
        if let Some(e) = &s.encryption {
            m.entry(e.data_key_id.clone())
                .or_default()
                .push(s.id.clone());
        }
    }
    m
}

/// One row of the volumes card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeRow {
    /// Volume id.
    pub id: String,
    /// Size in GiB.
    pub size: u64,
    /// State.
    pub state: &'static str,
    /// Name of its KMS key, when encrypted.
    pub key: Option<String>,
    /// Label of its data key, when encrypted.
    pub data_key: Option<String>,
    /// Other resources with the same data key.
    pub shares_with: Vec<String>,
    /// Snapshot it was restored from.
    pub from_snapshot: Option<String>,
    /// (instance, device) when attached.
    pub attached: Option<(String, String)>,
    /// The plaintext data key is in host memory.
    pub key_in_host: bool,
    /// Sectors written.
    pub stored: usize,
}

impl VolumeRow {
    /// Identity for keyed rendering.
    pub fn render_key(&self) -> String {
        let (instance, device) = self.attached.clone().unwrap_or_default();
        format!(
            "{}|{}|{}|{instance}|{device}|{}|{}",
            self.id,
            self.state,
            self.key_in_host,
            self.stored,
            self.shares_with.join(","),
        )
    }

    /// The line under the name: lineage, attachment and sectors.
    pub fn sub(&self) -> String {
        let mut s = String::new();
        if let Some(snap) = &self.from_snapshot {
            s.push_str(&format!("from {snap} · "));
        }
        if let Some((i, d)) = &self.attached {
            s.push_str(&format!("attached to {i} as {d} · "));
        }
        s.push_str(&format!("{} sector(s) written", self.stored));
        s
    }

    /// Where the data key is, in words (`None` for an unencrypted volume).
    pub fn key_location(&self) -> Option<String> {
        let dk = self.data_key.as_ref()?;
        let mut s = if self.key_in_host {
            format!("Data key {dk}: plaintext in host memory (attached); encrypted copy in volume metadata")
        } else {
            format!("Data key {dk}: only encrypted, in volume metadata — nowhere in plaintext")
        };
        if !self.shares_with.is_empty() {
            s.push_str(&format!(
                " · same data key as {}",
                self.shares_with.join(", ")
            ));
        }
        Some(s)
    }
}

fn volume_row(sim: &Sim, v: &Volume, users: &BTreeMap<String, Vec<String>>) -> VolumeRow {
    let data_key = v.encryption.as_ref().map(|e| e.data_key_id.clone());
    VolumeRow {
        id: v.id.clone(),
        size: v.size_gib,
        state: v.state.as_str(),
        key: v.encryption.as_ref().map(|e| key_name(sim, &e.kms_key_arn)),
        shares_with: data_key
            .as_ref()
            .and_then(|d| users.get(d))
            .map(|u| u.iter().filter(|x| **x != v.id).cloned().collect())
            .unwrap_or_default(),
        data_key,
        from_snapshot: v.snapshot_id.clone(),
        attached: v
            .attachment
            .as_ref()
            .map(|a| (a.instance_id.clone(), a.device.clone())),
        key_in_host: v.key_in_host(),
        stored: v.sectors.0.len(),
    }
}

/// The volumes of the current account and region.
pub fn volumes(sim: &Sim, here: &Caller) -> Vec<VolumeRow> {
    let users = data_key_users(sim);
    sim.volumes()
        .filter(|v| v.account == here.account && v.region == here.region)
        .map(|v| volume_row(sim, v, &users))
        .collect()
}

/// One row of the snapshots card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRow {
    /// Snapshot id.
    pub id: String,
    /// Owned by another account and shared with this one.
    pub shared: bool,
    /// Encrypted.
    pub encrypted: bool,
    /// `encrypted · key · data key dk-…` or `unencrypted`.
    pub key: String,
    /// Lineage and sharing.
    pub sub: String,
    /// State.
    pub state: String,
}

fn snapshot_row(sim: &Sim, s: &Snapshot, access: Access) -> SnapshotRow {
    let key = s
        .encryption
        .as_ref()
        .map(|e| {
            format!(
                "encrypted · {} · data key {}",
                key_name(sim, &e.kms_key_arn),
                e.data_key_id
            )
        })
        .unwrap_or_else(|| "unencrypted".into());
    let mut sub = format!("of {} · {} block(s) stored", s.volume_id, s.blocks.0.len());
    if let Some(p) = &s.parent {
        sub.push_str(&format!(" · incremental after {p}"));
    }
    if let Some(c) = &s.copied_from {
        sub.push_str(&format!(" · copy of {c}"));
    }
    if !s.shared_with.is_empty() {
        sub.push_str(&format!(
            " · shared with {}",
            s.shared_with.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if s.public {
        sub.push_str(" · public");
    }
    SnapshotRow {
        id: s.id.clone(),
        shared: access != Access::Owner,
        encrypted: s.encryption.is_some(),
        key,
        sub,
        state: s.state.as_str().to_string(),
    }
}

/// The snapshots the current account sees in its region (owned, or shared with it).
pub fn snapshots(sim: &Sim, here: &Caller) -> Vec<SnapshotRow> {
    visibility::snapshots(sim, &here.account, &here.region, SNAPSHOTS_CARD)
        .map(|(s, a)| snapshot_row(sim, s, a))
        .collect()
}

/// One row of the images card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRow {
    /// Image id.
    pub id: String,
    /// Name.
    pub name: String,
    /// State.
    pub state: &'static str,
    /// `device ← snapshot`, comma-separated.
    pub mappings: String,
    /// Public.
    pub public: bool,
}

/// The images the current account sees in its region (owned, or public).
pub fn images(sim: &Sim, here: &Caller) -> Vec<ImageRow> {
    visibility::images(sim, &here.account, &here.region, IMAGES_CARD)
        .map(|(i, _)| ImageRow {
            id: i.id.clone(),
            name: i.name.clone(),
            state: i.state.as_str(),
            mappings: i
                .mappings
                .iter()
                .map(|m| format!("{} ← {}", m.device, m.snapshot_id))
                .collect::<Vec<_>>()
                .join(", "),
            public: i.public,
        })
        .collect()
}

/// One row of the instances card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceRow {
    /// Instance id.
    pub id: String,
    /// Instance type.
    pub instance_type: String,
    /// State.
    pub state: &'static str,
    /// `device→volume`, comma-separated.
    pub volumes: String,
    /// `code: message` of the last state change, if any.
    pub reason: Option<String>,
}

impl InstanceRow {
    /// Identity for keyed rendering.
    pub fn render_key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.id,
            self.state,
            self.volumes,
            self.reason.as_deref().unwrap_or("")
        )
    }
}

/// The instances of the current account and region.
pub fn instances(sim: &Sim, here: &Caller) -> Vec<InstanceRow> {
    sim.instances()
        .filter(|i| i.account == here.account && i.region == here.region)
        .map(|i| InstanceRow {
            id: i.id.clone(),
            instance_type: i.instance_type.clone(),
            state: i.state.as_str(),
            volumes: i
                .volumes
                .iter()
                .map(|(d, v)| format!("{d}→{v}"))
                .collect::<Vec<_>>()
                .join(", "),
            reason: i.state_reason.as_ref().map(|(c, m)| format!("{c}: {m}")),
        })
        .collect()
}

/// One row of the IAM card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IamRow {
    /// ARN.
    pub arn: String,
    /// User or role.
    pub kind: PrincipalKind,
    /// Name.
    pub name: String,
    /// Inline and attached policy names, comma-separated.
    pub policies: String,
    /// Who the role trusts, comma-separated.
    pub trusted: String,
    /// Console profiles acting as it, comma-separated.
    pub profiles: String,
    /// A service-linked role.
    pub service_linked: bool,
}

/// Whether an IAM ARN belongs to the account.
fn in_account(arn: &str, account: &str) -> bool {
    arn.split(':').nth(4) == Some(account)
}

/// Users and roles of the current account.
pub fn iam(s: &Session, here: &Caller) -> Vec<IamRow> {
    s.sim()
        .iam_principals()
        .filter(|p| in_account(&p.arn, &here.account))
        .map(|p| IamRow {
            arn: p.arn.clone(),
            kind: p.kind,
            name: p.name.clone(),
            policies: p
                .inline
                .keys()
                .cloned()
                .chain(
                    p.attached
                        .iter()
                        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string()),
                )
                .collect::<Vec<_>>()
                .join(", "),
            trusted: p.trusted().join(", "),
            profiles: s.profiles_acting_as(&p.arn).join(", "),
            service_linked: p.is_service_linked(),
        })
        .collect()
}

/// Printable form of sector bytes: text up to the first NUL, with non-printables as "·".
pub fn printable(b: &[u8]) -> String {
    b.iter()
        .take_while(|&&c| c != 0)
        .map(|&c| {
            if (0x20..0x7f).contains(&c) {
                c as char
            } else {
                '·'
            }
        })
        .collect()
}

/// The first `max` bytes in hex, with `…` when there are more.
pub fn hex(b: &[u8], max: usize) -> String {
    let mut s: String = b.iter().take(max).map(|x| format!("{x:02x}")).collect();
    if b.len() > max {
        s.push('…');
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The Policies tab's choices.

/// Customer managed keys of the current account and region: (key id, first alias or id).
pub fn policy_keys(sim: &Sim, here: &Caller) -> Vec<(String, String)> {
    sim.keys()
        .filter(|k| k.account == here.account && k.region == here.region && !k.aws_managed)
        .map(|k| {
            let name = sim
                .aliases_of(&k.key_id)
                .into_iter()
                .next()
                .unwrap_or_else(|| k.key_id.clone());
            (k.key_id.clone(), name)
        })
        .collect()
}

/// Users and roles of the current account whose policies one may edit: (kind, name).
pub fn policy_principals(sim: &Sim, here: &Caller) -> Vec<(PrincipalKind, String)> {
    sim.iam_principals()
        .filter(|p| in_account(&p.arn, &here.account) && !p.is_service_linked())
        .map(|p| (p.kind, p.name.clone()))
        .collect()
}

/// Roles one may assume (any account; not service-linked): (ARN, `name (account)`).
pub fn assumable_roles(sim: &Sim) -> Vec<(String, String)> {
    sim.iam_principals()
        .filter(|p| p.kind == PrincipalKind::Role && !p.is_service_linked())
        .map(|p| {
            let account = p.arn.split(':').nth(4).unwrap_or("");
            (p.arn.clone(), format!("{} ({account})", p.name))
        })
        .collect()
}

/// The document a policy target holds now, pretty-printed; empty when it has none.
pub fn current_policy(sim: &Sim, target: &PolicyTarget) -> String {
    let doc: Option<Value> = match target {
        PolicyTarget::Key(id) => sim
            .keys()
            .find(|k| &k.key_id == id)
            .map(|k| k.policy.clone()),
        PolicyTarget::Identity(kind, name) => sim
            .iam_principals()
            .find(|p| p.kind.as_str() == kind && &p.name == name)
            .and_then(|p| p.inline.values().next().cloned()),
        PolicyTarget::Trust(name) => sim
            .iam_principals()
            .find(|p| p.kind == PrincipalKind::Role && &p.name == name)
            .and_then(|p| p.trust.clone()),
    };
    doc.and_then(|d| serde_json::to_string_pretty(&d).ok())
        .unwrap_or_default()
}

/// The key ARN identity templates name: the chosen key's, else the first key's, else `*`.
pub fn template_key_arn(sim: &Sim, here: &Caller, target: Option<&PolicyTarget>) -> String {
    let arn = |id: &str| format!("arn:aws:kms:{}:{}:key/{id}", here.region, here.account);
    match target {
        Some(PolicyTarget::Key(id)) => arn(id),
        _ => policy_keys(sim, here)
            .first()
            .map(|(id, _)| arn(id))
            .unwrap_or_else(|| "*".into()),
    }
}

/// A policy target from the editor's `<select>` value (`key:ID`, `trust:NAME`,
/// `iam:KIND:NAME`); `None` for anything else.
pub fn parse_target(value: &str) -> Option<PolicyTarget> {
    if let Some(id) = value.strip_prefix("key:") {
        Some(PolicyTarget::Key(id.to_string()))
    } else if let Some(name) = value.strip_prefix("trust:") {
        Some(PolicyTarget::Trust(name.to_string()))
    } else {
        let (kind, name) = value.strip_prefix("iam:")?.split_once(':')?;
        Some(PolicyTarget::Identity(kind.to_string(), name.to_string()))
    }
}

#[cfg(test)]
mod tests;
