//! The key decision of seed 002 (which key encrypts a new disk) as one pure function, and the
//! calls ECS makes to KMS for a disk: a data key at creation, its decryption at startup.
//!
//! **What is inferred.** Alibaba documents that "ECS stores a KMS-encrypted data key with the
//! disk" and that "at instance startup, ECS requests KMS to decrypt the data key and loads the
//! plaintext key into memory", but not which KMS operations ECS calls, with which encryption
//! context, or how it obtains the rights of AliyunECSDiskEncryptDefaultRole. The playground
//! draws creation as GenerateDataKey, startup (and attach, and reboot) as Decrypt, the role as
//! an AssumeRole, and binds each data key to `{"acs:ecs:disk-id": DISK}`: every such call
//! carries an approximation note.

use super::envelope::AliKmsCtx;
use super::*;
use crate::model::codes::{AliKmsCode, AliPlayCode};
use crate::model::context::Context;
use crate::model::crypto::DataKey;
use crate::model::trace::{KeyLocation, Participant};
use crate::model::CallSpec;

/// The seed sentence ECS's creation-time call stands for.
pub const DOC_CREATE: &str =
    "When you create an encrypted disk, ECS stores a KMS-encrypted data key with the disk.";
/// The seed sentence ECS's startup-time call stands for.
pub const DOC_STARTUP: &str = "At instance startup, ECS requests KMS to decrypt the data key and loads the plaintext key into memory for data encryption and decryption.";
const NOTE_GENERATE: &str = "Inferred: Alibaba documents that ECS stores a KMS-encrypted data key with the disk, not which KMS operation makes it; drawn as GenerateDataKey (the encryption context acs:ecs:disk-id is the playground's).";
const NOTE_DECRYPT: &str = "Documented at instance startup (ECS asks KMS to decrypt the data key); the operation name Decrypt and its encryption context are inferred.";
const NOTE_DECRYPT_ATTACH: &str = "Inferred: Alibaba documents the decryption at instance startup; attaching a disk to a running instance is drawn the same way.";
const NOTE_RESTORE: &str = "Inferred: the disk's data is re-encrypted from the snapshot under the new disk's data key; Alibaba does not publish how.";
const NOTE_ROLE: &str = "Inferred: ECS may use a CMK once the account has granted it the role AliyunECSDiskEncryptDefaultRole (seed 002); how ECS takes on the role (an STS AssumeRole, drawn on the RAM lifeline) is not published.";
const NOTE_HOST: &str = "The plaintext data key is held only in the host (hypervisor) memory; the host is internal to ECS and has no API.";

/// The source snapshot of a new disk, as the decision sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotKey<'a> {
    /// The snapshot's key (`None`: unencrypted).
    pub key_id: Option<&'a str>,
    /// True when the snapshot belongs to another account that shared it.
    pub shared: bool,
}

/// What a new disk's encryption is decided from.
#[derive(Clone, Copy, Debug)]
pub struct DiskRequest<'a> {
    /// `Encrypted` as given (`None`: not given).
    pub encrypted: Option<bool>,
    /// `KMSKeyId` as given.
    pub kms_key_id: Option<&'a str>,
    /// The source snapshot, if any.
    pub snapshot: Option<SnapshotKey<'a>>,
    /// Account-level default encryption in the region.
    pub default_enabled: bool,
    /// Its key (`None`: the service key).
    pub default_key: Option<&'a str>,
    /// `DiskCategory`.
    pub category: &'a str,
    /// The region cannot create encrypted disks (seed 002: Nanjing, Seoul).
    pub region_refuses_encryption: bool,
}

/// Which key a new disk gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChoice {
    /// Not encrypted.
    Unencrypted,
    /// The account's service key in the region, `alias/acs/ecs`.
    ServiceKey,
    /// This key reference (id, ARN or alias), resolved afterwards.
    Key(String),
}

/// Which rule of seed 002 decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// No encryption asked, none forced.
    NotEncrypted,
    /// "You can select a different KMS key": an explicit KMSKeyId overrides every default.
    ExplicitKey,
    /// "Create a disk from an unshared encrypted snapshot: The disk uses the same key as the snapshot by default."
    UnsharedSnapshotKey,
    /// "Create a disk from a shared encrypted snapshot: The disk uses a service key by default."
    SharedSnapshotServiceKey,
    /// "…account-level default encryption … is enabled: The disk uses the specified account-level key by default."
    AccountDefaultKey,
    /// Default encryption on with no key set: the service key (EnableDiskEncryptionByDefault: "the service key in the region is automatically used").
    AccountDefaultServiceKey,
    /// "Other scenarios: Select the Encryption checkbox and select a KMS key. A service key is used by default."
    ServiceKeyByDefault,
}

impl Rule {
    /// The seed's sentence for the rule.
    pub fn sentence(self) -> &'static str {
        match self {
            Rule::NotEncrypted => "The disk is not encrypted.",
            Rule::ExplicitKey => "You can select a different KMS key.",
            Rule::UnsharedSnapshotKey => "Create a disk from an unshared encrypted snapshot: The disk uses the same key as the snapshot by default.",
            Rule::SharedSnapshotServiceKey => "Create a disk from a shared encrypted snapshot: The disk uses a service key by default.",
            Rule::AccountDefaultKey => "Create a disk in a region where account-level default encryption for Elastic Block Storage is enabled: The disk uses the specified account-level key by default.",
            Rule::AccountDefaultServiceKey => "The first time you enable the Account-level EBS Default Encryption feature in a region, the service key in the region is automatically used to encrypt EBS resources.",
            Rule::ServiceKeyByDefault => "Other scenarios: Select the Encryption checkbox and select a KMS key. A service key is used by default.",
        }
    }
}

/// Seed 002's key decision: which key encrypts a new disk, or the error ECS returns.
///
/// Encryption is irreversible: a disk from an encrypted snapshot is encrypted (an explicit
/// `Encrypted=false` is refused, as CreateDisk's `InvalidEncrypted.NotMatchSnapshot` says);
/// with default encryption on, an explicit `Encrypted=false` is refused
/// (`InvalidEncrypted.NotMatchDiskDefaultEncryption`). Only the ESSD family can be encrypted.
pub fn decide(r: &DiskRequest) -> AwsResult<(KeyChoice, Rule)> {
    let snap_key = r.snapshot.and_then(|s| s.key_id);
    if r.encrypted == Some(false) && snap_key.is_some() {
        return Err(AwsError::new(
            AliEcsCode::EncryptedNotMatchSnapshot,
            "The specified parameter Encrypted must be set to true when creating disks with encrypted snapshots.",
        ));
    }
    if r.encrypted == Some(false) && r.default_enabled {
        return Err(AwsError::new(
            AliEcsCode::EncryptedNotMatchDefault,
            "Enabling disk default encryption prevents the creation of non-encrypted disks.",
        ));
    }
    let forced = snap_key.is_some() || r.default_enabled;
    if r.kms_key_id.is_some() && r.encrypted != Some(true) && !forced {
        return Err(AwsError::new(
            AliEcsCode::EncryptedNotMatchKmsKeyId,
            "The specified parameter Encrypted must be true when KmsKeyId is not empty.",
        ));
    }
    if !(forced || r.encrypted == Some(true)) {
        return Ok((KeyChoice::Unencrypted, Rule::NotEncrypted));
    }
    if !super::super::provider::ALIBABA.ali_category_encryptable(r.category) {
        return Err(AwsError::new(
            AliEcsCode::EncryptedNotSupported,
            format!("The current disk category does not support encryption. If encryption is required, please switch to a different disk category. ({} cannot be encrypted: only ESSD-series disks — cloud_essd, cloud_essd_entry, cloud_auto, cloud_regional_disk_auto — support encryption.)", r.category),
        ));
    }
    if r.region_refuses_encryption {
        return Err(AwsError::new(
            AliEcsCode::RegionNotSupportEncrypted,
            "The specified region does not support creating encrypted disks (seed 002 lists it among the regions where you cannot create encrypted disks; the code is the playground's choice among CreateDisk's documented codes).",
        ));
    }
    if let Some(k) = r.kms_key_id {
        return Ok((KeyChoice::Key(k.to_string()), Rule::ExplicitKey));
    }
    if let (Some(s), Some(k)) = (r.snapshot, snap_key) {
        return Ok(if s.shared {
            (KeyChoice::ServiceKey, Rule::SharedSnapshotServiceKey)
        } else {
            (KeyChoice::Key(k.to_string()), Rule::UnsharedSnapshotKey)
        });
    }
    if r.default_enabled {
        return Ok(match r.default_key {
            Some(k) => (KeyChoice::Key(k.to_string()), Rule::AccountDefaultKey),
            None => (KeyChoice::ServiceKey, Rule::AccountDefaultServiceKey),
        });
    }
    Ok((KeyChoice::ServiceKey, Rule::ServiceKeyByDefault))
}

/// A KMS error as ECS reports it: an unknown key, a key not Enabled, no right to the key.
pub(crate) fn ecs_error(e: AwsError, at_startup: bool) -> AwsError {
    if e.code == AliKmsCode::KeyNotFound || e.code == AliKmsCode::AliasNotFound {
        return if at_startup {
            AwsError::new(
                AliEcsCode::KmsKeyIdNotFoundOperation,
                format!("The specified KMSKeyId not found, {}", e.message),
            )
        } else {
            AwsError::new(
                AliEcsCode::KmsKeyIdNotFound,
                format!("The specified KMSKeyId does not exist. ({})", e.message),
            )
        };
    }
    if e.code == AliKmsCode::KeyStateConflict {
        return AwsError::new(
            AliEcsCode::CmkNotEnabled,
            format!(
                "The CMK (Customer Master Key) must be in an active state. ({})",
                e.message
            ),
        );
    }
    if e.code == AliKmsCode::NoPermission {
        return AwsError::new(
            AliEcsCode::KmsUnauthorized,
            format!(
                "ECS service have no right to access your KMS. ({})",
                e.message
            ),
        );
    }
    e
}

impl Sim {
    /// The context ECS calls KMS with for a key of `account`: as ECS itself for the service
    /// key; for a CMK, as a session of AliyunECSDiskEncryptDefaultRole (drawn as an AssumeRole
    /// on the RAM lifeline), or `InvalidParameter.KMSKeyId.KMSUnauthorized` without the role.
    pub(crate) fn ecs_kms_ctx(
        &mut self,
        account: &str,
        region: &str,
        key_id: &str,
    ) -> AwsResult<AliKmsCtx> {
        let ecs = self.provider.ecs_service_principal();
        let base = AliKmsCtx {
            from: Participant::Ecs,
            principal: ecs.clone(),
            invoked_by: Some(ecs.clone()),
            account: account.into(),
            region: region.into(),
            ..AliKmsCtx::default()
        };
        let service_key = self.aliyun.keys.get(key_id).is_none_or(|k| k.service_key);
        if service_key {
            return Ok(base);
        }
        let role_name = self.provider.ecs_disk_encrypt_role();
        let role = self.ecs_encrypt_role(account);
        let error = role.is_none().then(|| {
            AwsError::new(
                AliEcsCode::KmsUnauthorized,
                format!("ECS service have no right to access your KMS. (The account has no role {role_name} trusted by {ecs}: grant it to ECS — aliyun ram CreateRole, then AttachPolicyToRole AliyunECSDiskEncryptRolePolicy.)"),
            )
        });
        let session = self
            .provider
            .ram_role_session_arn(account, role_name, "ecs");
        self.record(
            CallSpec {
                from: Participant::Ecs,
                to: Participant::Ram,
                operation: "AssumeRole".into(),
                request: json!({"RoleArn": self.provider.ram_role_arn(account, role_name), "RoleSessionName": "ecs"}),
                principal: ecs.clone(),
                invoked_by: Some(ecs.clone()),
                account: account.into(),
                region: region.into(),
                approximation: Some(NOTE_ROLE.into()),
                ..CallSpec::default()
            },
            match &error {
                None => json!({"AssumedRoleUser": {"Arn": session}}),
                Some(_) => Value::Null,
            },
            error.clone(),
        );
        if let Some(e) = error {
            return Err(e);
        }
        Ok(AliKmsCtx {
            principal: session,
            ..base
        })
    }

    /// Makes a disk's data key under `key_id`: ECS→KMS GenerateDataKey (inferred). Returns the
    /// encryption ECS stores with the disk and the plaintext key (for data being restored).
    #[allow(clippy::too_many_arguments)] // the disk's place, key, algorithm and how it is drawn
    pub(crate) fn ecs_new_data_key(
        &mut self,
        account: &str,
        region: &str,
        key_id: &str,
        disk_id: &str,
        algorithm: &str,
        location: KeyLocation,
        rule: Option<Rule>,
    ) -> AwsResult<(AliEncryption, DataKey)> {
        let ctx = self
            .ecs_kms_ctx(account, region, key_id)
            .map_err(|e| ecs_error(e, false))?;
        let ctx = AliKmsCtx {
            key_location: Some(location),
            approximation: Some(NOTE_GENERATE.into()),
            doc: Some(match rule {
                Some(r) => format!("{} {DOC_CREATE}", r.sentence()),
                None => DOC_CREATE.into(),
            }),
            ..ctx
        };
        let mut ec = Context::new();
        ec.insert(self.provider.context_key.into(), disk_id.into());
        let bytes = self.provider.data_key_bytes;
        let request = json!({"KeyId": key_id, "NumberOfBytes": bytes, "EncryptionContext": ec});
        let key = key_id.to_string();
        let ec2 = ec.clone();
        let inner = ctx.clone();
        let (blob, dk) = self
            .ali_kms_traced(&ctx, "GenerateDataKey", request, Some(&ec), move |sim| {
                let (blob, dk, version) = sim.ali_generate(&inner, &key, bytes, &ec2)?;
                let resp = json!({"KeyId": key, "KeyVersionId": version, "CiphertextBlob": format!("<{} bytes>", blob.len()), "Plaintext": "-"});
                Ok(((blob, dk), resp))
            })
            .map_err(|e| ecs_error(e, false))?;
        let data_key = DataKey::from_slice(&dk)
            .ok_or_else(|| AwsError::new("InternalError", "data key length"))?;
        let enc = AliEncryption {
            key_id: key_id.into(),
            algorithm: algorithm.into(),
            wrapped_key: blob,
            context: ec,
            data_key_id: self.new_data_key_id(),
        };
        Ok((enc, data_key))
    }

    /// Decrypts a stored data key: ECS→KMS Decrypt, in the key's account. `purpose` picks the
    /// note: `startup`, `attach` or `restore`.
    pub(crate) fn ecs_decrypt_data_key(
        &mut self,
        enc: &AliEncryption,
        region: &str,
        purpose: &str,
        location: KeyLocation,
    ) -> AwsResult<DataKey> {
        let account = self
            .aliyun
            .keys
            .get(&enc.key_id)
            .map(|k| k.account.clone())
            .unwrap_or_default();
        let at_startup = purpose != "restore";
        let ctx = self
            .ecs_kms_ctx(&account, region, &enc.key_id)
            .map_err(|e| ecs_error(e, at_startup))?;
        let (note, doc) = match purpose {
            "startup" => (NOTE_DECRYPT, Some(DOC_STARTUP)),
            "attach" => (NOTE_DECRYPT_ATTACH, None),
            _ => (NOTE_RESTORE, None),
        };
        let ctx = AliKmsCtx {
            key_location: Some(location),
            approximation: Some(note.into()),
            doc: doc.map(str::to_string),
            ..ctx
        };
        let blob = enc.wrapped_key.clone();
        let request = json!({"CiphertextBlob": format!("<{} bytes, the data key stored with the disk>", blob.len()), "EncryptionContext": enc.context});
        let ec = enc.context.clone();
        let plain = self
            .ali_kms_traced(&ctx, "Decrypt", request, Some(&ec), |sim| {
                let (plain, key) = sim.ali_decrypt_blob(&ctx, &blob, &ec)?;
                Ok((plain, json!({"KeyId": key, "Plaintext": "-"})))
            })
            .map_err(|e| ecs_error(e, at_startup))?;
        DataKey::from_slice(&plain).ok_or_else(|| AwsError::new("InternalError", "data key length"))
    }

    /// Startup of a disk on a host: the data key decrypted and loaded into host memory. When
    /// KMS refuses, the disk's I/O hangs (seed 002: "the system cannot decrypt data, causing an
    /// I/O hang") and the failure is on the trace; the instance itself still starts. Returns
    /// ECS's error when KMS refused.
    pub(crate) fn ecs_load_disk_key(
        &mut self,
        disk_id: &str,
        instance_id: &str,
        purpose: &str,
    ) -> AwsResult<()> {
        let Some(d) = self.aliyun.disks.get(disk_id) else {
            return Ok(());
        };
        let Some(enc) = d.encryption.clone() else {
            return Ok(());
        };
        let (account, region) = (d.account.clone(), d.region.clone());
        let result =
            self.ecs_decrypt_data_key(&enc, &region, purpose, KeyLocation::InTransitToHost);
        let ok = result.is_ok();
        let error = result.as_ref().err().map(|e| {
            AwsError::new(
                AliPlayCode::IoHang,
                format!("The host could not get the disk's data key ({}): the disk's I/O hangs until the key is usable again and the instance restarts.", e.code),
            )
        });
        self.record(
            CallSpec {
                from: Participant::Ecs,
                to: Participant::Host,
                operation: "LoadDataKey".into(),
                request: json!({"DiskId": disk_id, "InstanceId": instance_id, "DataKey": enc.data_key_id}),
                principal: self.provider.ecs_service_principal(),
                account,
                region,
                key_location: ok.then_some(KeyLocation::HostMemory),
                approximation: Some(NOTE_HOST.into()),
                doc: Some(DOC_STARTUP.into()),
                ..CallSpec::default()
            },
            if ok { json!({"Loaded": true}) } else { Value::Null },
            error,
        );
        let Some(d) = self.aliyun.disks.get_mut(disk_id) else {
            return Ok(());
        };
        match result {
            Ok(k) => {
                d.host_key = Some(k);
                d.io_hang = false;
                Ok(())
            }
            Err(e) => {
                d.host_key = None;
                d.io_hang = true;
                Err(e)
            }
        }
    }

    /// The host forgets a disk's data key (stop, detach, release, reboot).
    pub(crate) fn ecs_unload_disk_key(&mut self, disk_id: &str, why: &str) {
        let Some(d) = self.aliyun.disks.get_mut(disk_id) else {
            return;
        };
        let had = d.host_key.take().is_some();
        d.io_hang = false;
        let (account, region) = (d.account.clone(), d.region.clone());
        let dk = d.encryption.as_ref().map(|e| e.data_key_id.clone());
        if had {
            self.record(
                CallSpec {
                    from: Participant::Ecs,
                    to: Participant::Host,
                    operation: "DiscardDataKey".into(),
                    request: json!({"DiskId": disk_id, "Reason": why, "DataKey": dk}),
                    principal: self.provider.ecs_service_principal(),
                    account,
                    region,
                    key_location: Some(KeyLocation::Discarded),
                    approximation: Some(NOTE_HOST.into()),
                    ..CallSpec::default()
                },
                json!({"Discarded": true}),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>() -> DiskRequest<'a> {
        DiskRequest {
            encrypted: None,
            kms_key_id: None,
            snapshot: None,
            default_enabled: false,
            default_key: None,
            category: "cloud_essd",
            region_refuses_encryption: false,
        }
    }

    fn code(r: AwsResult<(KeyChoice, Rule)>) -> String {
        r.map(|_| String::new()).unwrap_or_else(|e| e.code)
    }

    #[test]
    fn each_rule_of_the_seed() {
        let unshared = Some(SnapshotKey {
            key_id: Some("key-snap"),
            shared: false,
        });
        let shared = Some(SnapshotKey {
            key_id: Some("key-other"),
            shared: true,
        });
        let k = |s: &str| KeyChoice::Key(s.into());
        let rows: Vec<(DiskRequest, KeyChoice, Rule)> = vec![
            (req(), KeyChoice::Unencrypted, Rule::NotEncrypted),
            (
                DiskRequest {
                    encrypted: Some(true),
                    ..req()
                },
                KeyChoice::ServiceKey,
                Rule::ServiceKeyByDefault,
            ),
            (
                DiskRequest {
                    snapshot: unshared,
                    ..req()
                },
                k("key-snap"),
                Rule::UnsharedSnapshotKey,
            ),
            (
                DiskRequest {
                    snapshot: shared,
                    encrypted: Some(true),
                    ..req()
                },
                KeyChoice::ServiceKey,
                Rule::SharedSnapshotServiceKey,
            ),
            (
                DiskRequest {
                    default_enabled: true,
                    default_key: Some("key-default"),
                    ..req()
                },
                k("key-default"),
                Rule::AccountDefaultKey,
            ),
            (
                DiskRequest {
                    default_enabled: true,
                    ..req()
                },
                KeyChoice::ServiceKey,
                Rule::AccountDefaultServiceKey,
            ),
            (
                DiskRequest {
                    snapshot: unshared,
                    kms_key_id: Some("key-mine"),
                    ..req()
                },
                k("key-mine"),
                Rule::ExplicitKey,
            ),
            (
                DiskRequest {
                    default_enabled: true,
                    default_key: Some("key-default"),
                    kms_key_id: Some("key-mine"),
                    ..req()
                },
                k("key-mine"),
                Rule::ExplicitKey,
            ),
        ];
        for (i, (r, key, rule)) in rows.into_iter().enumerate() {
            assert_eq!(decide(&r).unwrap(), (key, rule), "row {i}");
        }
    }

    #[test]
    fn refusals() {
        let snap = Some(SnapshotKey {
            key_id: Some("key-snap"),
            shared: false,
        });
        let cases = [
            (
                DiskRequest {
                    snapshot: snap,
                    encrypted: Some(false),
                    ..req()
                },
                "InvalidEncrypted.NotMatchSnapshot",
            ),
            (
                DiskRequest {
                    default_enabled: true,
                    encrypted: Some(false),
                    ..req()
                },
                "InvalidEncrypted.NotMatchDiskDefaultEncryption",
            ),
            (
                DiskRequest {
                    kms_key_id: Some("key-1"),
                    ..req()
                },
                "InvalidEncrypted.NotMatchKmsKeyId",
            ),
            (
                DiskRequest {
                    encrypted: Some(true),
                    category: "cloud_ssd",
                    ..req()
                },
                "InvalidParameter.EncryptedNotSupported",
            ),
            (
                DiskRequest {
                    encrypted: Some(true),
                    region_refuses_encryption: true,
                    ..req()
                },
                "NotSupportSnapshotEncrypted.RegionId",
            ),
        ];
        for (r, want) in cases {
            assert_eq!(code(decide(&r)), want);
        }
        // An unencrypted disk of any category in any region is fine.
        let plain = DiskRequest {
            category: "cloud",
            region_refuses_encryption: true,
            ..req()
        };
        assert_eq!(decide(&plain).unwrap().0, KeyChoice::Unencrypted);
    }
}
