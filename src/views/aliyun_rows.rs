//! The Alibaba Cloud Resources tab as plain data: account-level default encryption, KMS keys
//! (with what depends on each, for the warning before DisableKey), disks, instances, snapshots
//! and images of the current account and region, and the `aliyun` lines their buttons run.
//!
//! Nothing here is an Alibaba rule: the rows read the model's state and the lines go through
//! the console's parser like typed ones.

use crate::model::aliyun::{AliKeyState, Aliyun};
use crate::model::Caller;
use crate::session::Session;

/// A key's short name: its first alias, else its id.
pub fn key_name(a: &Aliyun, key_id: &str) -> String {
    a.aliases_of(key_id)
        .into_iter()
        .next()
        .unwrap_or_else(|| key_id.to_string())
}

/// The default-encryption card: on or off, and the key new disks get.
pub fn defaults(a: &Aliyun, here: &Caller) -> (bool, String) {
    let d = a.default_encryption(&here.account, &here.region);
    let key = match d.key_id {
        Some(k) => key_name(a, &k),
        None => "alias/acs/ecs (the service key)".to_string(),
    };
    (d.enabled, key)
}

/// One row of the keys card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    /// `key-…`.
    pub id: String,
    /// Alias or id.
    pub name: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`.
    pub state: &'static str,
    /// The service key (no buttons: it cannot be disabled or deleted).
    pub service_key: bool,
    /// Key spec.
    pub spec: String,
    /// Disks, snapshots and images under the key.
    pub dependents: usize,
}

/// The keys of the account in the region, service key first.
pub fn keys(a: &Aliyun, here: &Caller) -> Vec<KeyRow> {
    let mut rows: Vec<KeyRow> = a
        .keys()
        .filter(|k| k.account == here.account && k.region == here.region)
        .map(|k| KeyRow {
            id: k.id.clone(),
            name: key_name(a, &k.id),
            state: k.state.as_str(),
            service_key: k.service_key,
            spec: k.key_spec.clone(),
            dependents: a.key_dependents(&k.id).len(),
        })
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| a.service_key && !b.service_key);
    rows
}

/// The confirmation asked before disabling a key (seed 002: "Before you disable a CMK, check
/// for associated cloud resources"): what depends on it, or that nothing does.
pub fn disable_warning(a: &Aliyun, key_id: &str) -> String {
    let deps = a.key_dependents(key_id);
    let name = key_name(a, key_id);
    if deps.is_empty() {
        return format!("Disable {name}? No disk, snapshot or image uses it.");
    }
    let list: Vec<String> = deps
        .iter()
        .map(|d| format!("  • {} {} ({})", d.kind, d.id, d.detail))
        .collect();
    format!(
        "Disable {name}? These resources depend on it and cannot be decrypted while it is disabled:\n{}\nRunning instances keep working until they restart.",
        list.join("\n")
    )
}

/// One row of the disks card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskRow {
    /// `d-…`.
    pub id: String,
    /// `system` or `data`.
    pub kind: String,
    /// Category and size (`cloud_essd, 40 GiB`).
    pub what: String,
    /// `Available`, `In_use`, `Creating`.
    pub status: &'static str,
    /// The key's name when encrypted.
    pub key: Option<String>,
    /// The instance it is attached to.
    pub instance: Option<String>,
    /// Whether the host holds its plaintext data key now.
    pub key_in_host: bool,
    /// Its I/O hangs (the data key could not be decrypted at the last startup).
    pub io_hang: bool,
}

impl DiskRow {
    /// Where the disk's data key is, in one phrase.
    pub fn key_location(&self) -> &'static str {
        match (&self.key, self.key_in_host, self.io_hang) {
            (None, _, _) => "not encrypted",
            (Some(_), _, true) => "I/O hangs: KMS would not decrypt the data key at startup",
            (Some(_), true, _) => "data key in host memory (plaintext)",
            (Some(_), false, _) => "data key stored KMS-encrypted with the disk",
        }
    }
}

/// The disks of the account in the region.
pub fn disks(a: &Aliyun, here: &Caller) -> Vec<DiskRow> {
    a.disks()
        .filter(|d| d.account == here.account && d.region == here.region)
        .map(|d| DiskRow {
            id: d.id.clone(),
            kind: d.disk_type.clone(),
            what: format!("{}, {} GiB", d.category, d.size),
            status: d.status.as_str(),
            key: d.encryption.as_ref().map(|e| key_name(a, &e.key_id)),
            instance: d.instance_id.clone(),
            key_in_host: d.key_in_host(),
            io_hang: d.io_hang,
        })
        .collect()
}

/// One row of the instances card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceRow {
    /// `i-…`.
    pub id: String,
    /// Type and zone.
    pub what: String,
    /// `Running`, `Stopped`, …
    pub status: String,
    /// Its disks' I/O hangs.
    pub io_hang: bool,
}

/// The instances of the account in the region.
pub fn instances(a: &Aliyun, here: &Caller) -> Vec<InstanceRow> {
    a.instances()
        .filter(|i| i.account == here.account && i.region == here.region)
        .map(|i| InstanceRow {
            id: i.id.clone(),
            what: format!("{} in {}", i.instance_type, i.zone),
            status: i.status.clone(),
            io_hang: a.instance_io_hangs(&i.id),
        })
        .collect()
}

/// One row of the snapshots and images card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyRow {
    /// `s-…` or `m-…`.
    pub id: String,
    /// What it is (the source disk, the image name).
    pub what: String,
    /// Its status.
    pub status: String,
    /// The key's name when encrypted.
    pub key: Option<String>,
    /// Shared with other accounts / shared with this one.
    pub sharing: Option<String>,
}

/// The snapshots the account owns or that are shared with it, in the region.
pub fn snapshots(a: &Aliyun, here: &Caller) -> Vec<CopyRow> {
    a.snapshots()
        .filter(|s| s.region == here.region)
        .filter(|s| s.account == here.account || s.shared_with.contains(&here.account))
        .map(|s| CopyRow {
            id: s.id.clone(),
            what: format!("of {} ({} GiB)", s.source_disk_id, s.source_size),
            status: s.status.clone(),
            key: s.encryption.as_ref().map(|e| key_name(a, &e.key_id)),
            sharing: if s.account != here.account {
                Some(format!("shared by {}", s.account))
            } else if !s.shared_with.is_empty() {
                Some(format!(
                    "shared with {}",
                    s.shared_with.iter().cloned().collect::<Vec<_>>().join(", ")
                ))
            } else {
                None
            },
        })
        .collect()
}

/// The custom images of the account in the region (public images are left out).
pub fn images(a: &Aliyun, here: &Caller) -> Vec<CopyRow> {
    a.images()
        .filter(|i| i.region == here.region && i.account == here.account)
        .map(|i| {
            let key = i
                .snapshot_id
                .as_ref()
                .and_then(|s| a.snapshots().find(|x| &x.id == s))
                .and_then(|s| s.encryption.as_ref())
                .map(|e| key_name(a, &e.key_id));
            CopyRow {
                id: i.id.clone(),
                what: i.name.clone(),
                status: i.status.clone(),
                key,
                sharing: (!i.shared_with.is_empty()).then(|| {
                    format!(
                        "shared with {}",
                        i.shared_with.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                }),
            }
        })
        .collect()
}

/// One row of the RAM panel: a user, a role or a custom policy.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RamRow {
    /// `user`, `role` or `policy`.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// The policies attached (users and roles), or the policy's description.
    pub attached: String,
}

/// The RAM users, roles and custom policies of the session's current account.
pub fn ram(s: &Session) -> Vec<RamRow> {
    let here = s.caller();
    let a = s.sim().aliyun();
    let list = |p: &[(String, String)]| {
        if p.is_empty() {
            "no policies attached".to_string()
        } else {
            p.iter()
                .map(|(t, n)| format!("{n} ({t})"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let users = a
        .ram_users()
        .filter(|u| u.account == here.account)
        .map(|u| RamRow {
            kind: "user",
            name: u.name.clone(),
            attached: list(&u.policies),
        });
    let roles = a
        .ram_roles()
        .filter(|r| r.account == here.account)
        .map(|r| RamRow {
            kind: "role",
            name: r.name.clone(),
            attached: list(&r.policies),
        });
    let policies = a
        .ram_policies()
        .filter(|p| p.account == here.account)
        .map(|p| RamRow {
            kind: "policy",
            name: p.name.clone(),
            attached: if p.description.is_empty() {
                "custom policy".to_string()
            } else {
                p.description.clone()
            },
        });
    users.chain(roles).chain(policies).collect()
}

/// Whether a key is in a state whose button re-enables it.
pub fn can_enable(state: &str) -> bool {
    state == AliKeyState::Disabled.as_str()
}

/// The `aliyun` lines the card's buttons run.
pub mod lines {
    /// `aliyun kms DisableKey` / `EnableKey`.
    pub fn set_key_enabled(key_id: &str, enabled: bool) -> String {
        let op = if enabled { "EnableKey" } else { "DisableKey" };
        format!("aliyun kms {op} --KeyId {key_id}")
    }

    /// `aliyun kms ScheduleKeyDeletion` with the shortest window.
    pub fn schedule_deletion(key_id: &str) -> String {
        format!("aliyun kms ScheduleKeyDeletion --KeyId {key_id} --PendingWindowInDays 7")
    }

    /// `aliyun kms CancelKeyDeletion`.
    pub fn cancel_deletion(key_id: &str) -> String {
        format!("aliyun kms CancelKeyDeletion --KeyId {key_id}")
    }

    /// An instance action: `RebootInstance`, `StopInstance`, `StartInstance`.
    pub fn instance(action: &str, instance_id: &str) -> String {
        format!("aliyun ecs {action} --InstanceId {instance_id}")
    }

    /// `aliyun ecs CreateSnapshot`.
    pub fn snapshot(disk_id: &str) -> String {
        format!("aliyun ecs CreateSnapshot --DiskId {disk_id}")
    }

    /// `aliyun ecs DetachDisk`.
    pub fn detach(instance_id: &str, disk_id: &str) -> String {
        format!("aliyun ecs DetachDisk --InstanceId {instance_id} --DiskId {disk_id}")
    }

    /// `aliyun ecs DeleteDisk`.
    pub fn delete_disk(disk_id: &str) -> String {
        format!("aliyun ecs DeleteDisk --DiskId {disk_id}")
    }

    /// Account-level default encryption on or off.
    pub fn default_encryption(on: bool) -> String {
        if on {
            "aliyun ecs EnableDiskEncryptionByDefault".into()
        } else {
            "aliyun ecs DisableDiskEncryptionByDefault".into()
        }
    }

    /// Writes a line of text through an instance to a disk.
    pub fn write(instance_id: &str, disk_id: &str, text: &str) -> String {
        format!(
            "play write --InstanceId {instance_id} --DiskId {disk_id} --Text {}",
            crate::cli::shell::shell_quote(text)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::provider::Cloud;

    /// Everything the card shows, for the session's current account and region.
    struct Card {
        /// Default encryption: on, and the key.
        defaults: (bool, String),
        /// Keys.
        keys: Vec<KeyRow>,
        /// Disks.
        disks: Vec<DiskRow>,
        /// Instances.
        instances: Vec<InstanceRow>,
        /// Snapshots.
        snapshots: Vec<CopyRow>,
        /// Custom images.
        images: Vec<CopyRow>,
    }

    /// The card of a session.
    fn card(s: &Session) -> Card {
        let here = s.caller();
        let a = s.sim().aliyun();
        Card {
            defaults: defaults(a, &here),
            keys: keys(a, &here),
            disks: disks(a, &here),
            instances: instances(a, &here),
            snapshots: snapshots(a, &here),
            images: images(a, &here),
        }
    }

    fn run(s: &mut Session, line: &str) {
        let e = s.run(line).cloned().expect("an entry");
        assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
    }

    #[test]
    fn the_card_shows_keys_disks_and_what_depends_on_a_key() {
        let mut s = Session::new_in(Cloud::Alibaba, 1);
        run(
            &mut s,
            "KEY=$(aliyun kms CreateKey --Description k --cli-query KeyMetadata.KeyId)",
        );
        run(
            &mut s,
            "aliyun kms CreateAlias --AliasName alias/disks --KeyId $KEY",
        );
        run(
            &mut s,
            r#"aliyun ram CreateRole --RoleName AliyunECSDiskEncryptDefaultRole --AssumeRolePolicyDocument '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}'"#,
        );
        run(&mut s, "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName AliyunECSDiskEncryptRolePolicy --RoleName AliyunECSDiskEncryptDefaultRole");
        run(&mut s, "DISK=$(aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true --KMSKeyId $KEY --cli-query DiskId)");
        run(
            &mut s,
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 20",
        );
        let c = card(&s);
        assert_eq!(
            c.defaults,
            (false, "alias/acs/ecs (the service key)".to_string())
        );
        let k = c
            .keys
            .iter()
            .find(|k| k.name == "alias/disks")
            .expect("the CMK");
        assert_eq!(
            (k.state, k.dependents, k.service_key),
            ("Enabled", 1, false)
        );
        assert_eq!(c.disks.len(), 2);
        // No instance or snapshot yet, and the region's public images are not the account's.
        assert!(c.instances.is_empty() && c.snapshots.is_empty() && c.images.is_empty());
        let enc = c
            .disks
            .iter()
            .find(|d| d.key.is_some())
            .expect("the encrypted disk");
        assert_eq!(enc.key.as_deref(), Some("alias/disks"));
        assert_eq!(
            enc.key_location(),
            "data key stored KMS-encrypted with the disk"
        );
        let plain = c
            .disks
            .iter()
            .find(|d| d.key.is_none())
            .expect("the plain disk");
        assert_eq!(plain.key_location(), "not encrypted");
        let key = s.shell().var("KEY").unwrap_or_default().to_string();
        let warn = disable_warning(s.sim().aliyun(), &key);
        let disk = s.shell().var("DISK").unwrap_or_default().to_string();
        assert!(
            warn.contains(&disk) && warn.contains("cannot be decrypted"),
            "{warn}"
        );
        // Other accounts see none of it.
        run(&mut s, "export ALIBABA_CLOUD_PROFILE=partner");
        let c = card(&s);
        assert!(c.disks.is_empty() && c.keys.iter().all(|k| k.name != "alias/disks"));
    }

    #[test]
    fn button_lines_parse_as_aliyun_commands() {
        let s = Session::new_in(Cloud::Alibaba, 1);
        for l in [
            lines::set_key_enabled("key-1", false),
            lines::set_key_enabled("key-1", true),
            lines::schedule_deletion("key-1"),
            lines::cancel_deletion("key-1"),
            lines::instance("RebootInstance", "i-1"),
            lines::snapshot("d-1"),
            lines::detach("i-1", "d-1"),
            lines::delete_disk("d-1"),
            lines::default_encryption(true),
            lines::default_encryption(false),
            lines::write("i-1", "d-1", "it's here"),
        ] {
            assert!(s.shell().parse_command(&l).is_ok(), "{l}");
        }
    }
}
