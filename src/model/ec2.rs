//! EC2 and EBS operations: volumes, snapshots, encryption by default, images and instances,
//! and the KMS calls EC2 makes for them, in the order the EBS documentation gives.
//!
//! The encryption outcome of every create, copy and launch is decided in one place,
//! [`Sim::decide_encryption`], which implements seed 000's encryption outcomes table and
//! seed 001's launch and copy-image rules.

use super::crypto::{xts_decrypt_sector, xts_encrypt_sector, DataKey, SECTOR_SIZE};
use super::ebs::{
    Attachment, Encryption, Image, ImageMapping, Instance, InstanceState, Sectors, Snapshot,
    SnapshotState, Volume, VolumeState,
};
use super::error::{AwsError, AwsResult};
use super::filters::{Filters, IMAGE_FILTERS, INSTANCE_FILTERS, SNAPSHOT_FILTERS, VOLUME_FILTERS};
use super::kms::{Context, KmsCtx};
use super::params::Params;
use super::rng::to_hex;
use super::trace::{KeyLocation, Participant};
use super::{CallSpec, Caller, Pending, Sim, AMAZON_ACCOUNT};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Stored sectors of a resource: sector number → bytes as on disk.
type SectorMap = BTreeMap<u64, Vec<u8>>;
/// A sharing permission: (account id, group such as "all").
type Grantee = (Option<String>, Option<String>);

/// The grantees to add and to remove, from the `CreateVolumePermission` / `LaunchPermission`
/// structure (`Add` and `Remove` lists of `UserId` / `Group`) and from the flat
/// `OperationType` + `UserIds` + groups form. `strict`: the flat form needs a valid
/// `OperationType` (snapshots); otherwise anything but "remove" adds (images).
fn permission_changes(
    modification: Option<Params>,
    operation_type: Option<&str>,
    user_ids: Option<Vec<String>>,
    groups: Option<Vec<String>>,
    strict: bool,
) -> AwsResult<(Vec<Grantee>, Vec<Grantee>)> {
    let grantees = |m: &Params, list: &str| -> AwsResult<Vec<Grantee>> {
        m.opt_structs(list, &["UserId", "Group"])?
            .unwrap_or_default()
            .iter()
            .map(|g| Ok((g.opt_str("UserId")?, g.opt_str("Group")?)))
            .collect()
    };
    let (mut add, mut remove) = match &modification {
        Some(m) => (grantees(m, "Add")?, grantees(m, "Remove")?),
        None => (Vec::new(), Vec::new()),
    };
    let list: Vec<Grantee> = user_ids
        .unwrap_or_default()
        .into_iter()
        .map(|u| (Some(u), None))
        .chain(
            groups
                .unwrap_or_default()
                .into_iter()
                .map(|g| (None, Some(g))),
        )
        .collect();
    match operation_type {
        Some("add") => add.extend(list),
        Some("remove") => remove.extend(list),
        _ if !strict => add.extend(list),
        None if list.is_empty() => {}
        None => {
            return Err(AwsError::new(
                "MissingParameter",
                "The request must contain the parameter OperationType",
            ))
        }
        Some(o) => {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!("Value ({o}) for parameter operationType is invalid."),
            ))
        }
    }
    Ok((add, remove))
}

/// What differs between the snapshot and the image form of a permission change.
struct PermissionForm {
    /// The member naming the resource: `SnapshotId` / `ImageId`.
    id: &'static str,
    /// The flat form's group list: `GroupNames` / `UserGroups`.
    groups: &'static str,
    /// The structure form: `CreateVolumePermission` / `LaunchPermission`.
    structure: &'static str,
    /// The only `Attribute` value the playground modifies, and the error for any other.
    attribute: &'static str,
    attribute_error: &'static str,
    /// See [`permission_changes`].
    strict: bool,
}

const SNAPSHOT_PERMISSION: PermissionForm = PermissionForm {
    id: "SnapshotId",
    groups: "GroupNames",
    structure: "CreateVolumePermission",
    attribute: "createVolumePermission",
    attribute_error: "Only the createVolumePermission attribute can be modified.",
    strict: true,
};

const IMAGE_PERMISSION: PermissionForm = PermissionForm {
    id: "ImageId",
    groups: "UserGroups",
    structure: "LaunchPermission",
    attribute: "launchPermission",
    attribute_error: "Only the launchPermission attribute can be modified in this playground.",
    strict: false,
};

/// Reads a ModifySnapshotAttribute / ModifyImageAttribute request: the resource id and the
/// grantees to add and to remove.
fn permission_request(
    p: &Value,
    form: &PermissionForm,
) -> AwsResult<(String, Vec<Grantee>, Vec<Grantee>)> {
    let members = [
        form.id,
        "Attribute",
        "OperationType",
        "UserIds",
        form.groups,
        form.structure,
    ];
    let q = Params::new("ec2", p, &members)?;
    let id = q.str(form.id)?;
    if q.opt_str("Attribute")?.is_some_and(|a| a != form.attribute) {
        return Err(AwsError::new("InvalidParameterValue", form.attribute_error));
    }
    let (add, remove) = permission_changes(
        q.opt_struct(form.structure, &["Add", "Remove"])?,
        q.opt_str("OperationType")?.as_deref(),
        q.opt_strs("UserIds")?,
        q.opt_strs(form.groups)?,
        form.strict,
    )?;
    Ok((id, add, remove))
}

/// Applies permission changes: accounts join or leave `accounts`; a group (`all`) makes the
/// resource public or private.
fn apply_grantees(
    accounts: &mut BTreeSet<String>,
    public: &mut bool,
    add: Vec<Grantee>,
    remove: Vec<Grantee>,
) {
    for (user, group) in add {
        accounts.extend(user);
        *public |= group.is_some();
    }
    for (user, group) in remove {
        if let Some(u) = user {
            accounts.remove(&u);
        }
        *public &= group.is_none();
    }
}

/// `Owners` / `OwnerIds` as account ids: `self` is the caller's account, `amazon` Amazon's.
fn owner_accounts(caller: &Caller, owners: Option<Vec<String>>) -> Option<Vec<String>> {
    let account = |o: String| match o.as_str() {
        "self" => caller.account.clone(),
        "amazon" => AMAZON_ACCOUNT.to_string(),
        _ => o,
    };
    owners.map(|list| list.into_iter().map(account).collect())
}

/// Seconds a new volume spends in `creating`.
const VOLUME_CREATE_SECONDS: u64 = 2;
/// Seconds a snapshot spends in `pending`.
const SNAPSHOT_SECONDS: u64 = 5;
/// Seconds an instance spends in `pending`, `stopping` or `shutting-down`.
const INSTANCE_SECONDS: u64 = 10;

const DOC_GDK: &str = "Amazon EC2 sends a GenerateDataKeyWithoutPlaintext request to AWS KMS, specifying the KMS key that you chose for volume encryption.";
const DOC_STORE: &str = "AWS KMS generates a new data key, encrypts it under the KMS key that you chose for volume encryption, and sends the encrypted data key to Amazon EBS to be stored with the volume metadata.";
const DOC_GRANT_ATTACH: &str = "When you attach the encrypted volume to an instance, Amazon EC2 sends a CreateGrant request to AWS KMS so that it can decrypt the data key.";
const DOC_DECRYPT_ATTACH: &str =
    "AWS KMS decrypts the encrypted data key and sends the decrypted data key to Amazon EC2.";
const DOC_HOST: &str = "Amazon EC2 uses the plaintext data key in hypervisor memory to encrypt disk I/O to the volume. The plaintext data key persists in memory as long as the volume is attached to the instance.";
const DOC_GRANT_RESTORE: &str = "Amazon EC2 sends a CreateGrant request to AWS KMS, so that it can encrypt the volume that is created from the snapshot.";
const DOC_DECRYPT_RESTORE: &str = "Amazon EC2 sends a Decrypt request to AWS KMS to get the encryption key to encrypt the volume data.";
const DOC_SHARE: &str = "The same data key is shared by snapshots of the volume and any subsequent volumes created from those snapshots.";
const DOC_FULL_COPY: &str = "If you copy a snapshot and encrypt it to a new KMS key, a complete (non-incremental) copy is created.";

const NOTE_CREATE_GRANT_OPS: &str = "The operations of the grant EBS makes while creating a volume are not published; the playground grants Decrypt to the EBS infrastructure role, constrained to the new resource, and retires it when the data is written.";
const NOTE_SAME_KEY: &str = "Not settled publicly: the EBS guide's call sequence shows GenerateDataKeyWithoutPlaintext here, while its 'Data keys' paragraph says volumes restored under the same KMS key share the snapshot's data key. The playground makes the documented call and keeps the shared data key.";
const NOTE_REENCRYPT: &str = "Not settled publicly: which step calls kms:ReEncrypt (a permission the EBS guide requires). The playground uses it to bind the shared data key to the new resource's encryption context.";
const NOTE_SOURCE_DECRYPT: &str = "The guide says the source data is decrypted and re-encrypted under the new key; the exact calls for the source key are not published.";
const NOTE_INTERNAL: &str = "Internal step between EC2, EBS and the host; AWS does not publish it as an API call. Drawn so you can see where the data key goes.";

/// What to do about encryption for a new volume or snapshot copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EncryptionPlan {
    /// Stays unencrypted.
    None,
    /// Encrypt under `key_arn`; `reuse` is true when the source's data key is shared (same key, owned source).
    Encrypt { key_arn: String, reuse: bool },
}

/// Where the data of a new volume or copy comes from.
pub(crate) struct Source {
    pub snapshot_id: Option<String>,
    pub encryption: Option<Encryption>,
    pub owner: String,
    pub region: String,
    pub sectors: BTreeMap<u64, Vec<u8>>,
    pub size: u64,
}

/// The `Ebs` structure of one block device mapping.
struct EbsBlock {
    snapshot_id: Option<String>,
    volume_size: Option<u64>,
    volume_type: Option<String>,
    encrypted: Option<bool>,
    kms_key_id: Option<String>,
    delete_on_termination: Option<bool>,
}

/// One entry of a request's `BlockDeviceMappings`.
struct BlockDeviceMapping {
    device_name: String,
    ebs: Option<EbsBlock>,
    /// `NoDevice` was given: the image's mapping for this device is dropped.
    no_device: bool,
}

/// The request's `BlockDeviceMappings`, if it has any.
fn block_device_mappings(q: &Params) -> AwsResult<Option<Vec<BlockDeviceMapping>>> {
    let Some(items) = q.opt_structs(
        "BlockDeviceMappings",
        &["DeviceName", "Ebs", "NoDevice", "VirtualName"],
    )?
    else {
        return Ok(None);
    };
    let mapping = |m: &Params| -> AwsResult<BlockDeviceMapping> {
        m.opt_str("VirtualName")?;
        let ebs = match m.opt_struct(
            "Ebs",
            &[
                "SnapshotId",
                "VolumeSize",
                "VolumeType",
                "Encrypted",
                "KmsKeyId",
                "DeleteOnTermination",
                "Iops",
            ],
        )? {
            Some(e) => {
                e.opt_u64("Iops")?;
                Some(EbsBlock {
                    snapshot_id: e.opt_str("SnapshotId")?,
                    volume_size: e.opt_u64("VolumeSize")?,
                    volume_type: e.opt_str("VolumeType")?,
                    encrypted: e.opt_bool("Encrypted")?,
                    kms_key_id: e.opt_str("KmsKeyId")?,
                    delete_on_termination: e.opt_bool("DeleteOnTermination")?,
                })
            }
            None => None,
        };
        Ok(BlockDeviceMapping {
            device_name: m.str("DeviceName")?,
            ebs,
            no_device: m.opt_str("NoDevice")?.is_some(),
        })
    };
    items
        .iter()
        .map(mapping)
        .collect::<AwsResult<_>>()
        .map(Some)
}

impl Sim {
    fn ec2_kms_ctx(&self, caller: &Caller) -> KmsCtx {
        KmsCtx {
            from: Participant::Ec2,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            invoked_by: Some(if caller.principal.contains("autoscaling.amazonaws.com") {
                "autoscaling.amazonaws.com".into()
            } else {
                "ec2-frontend-api.amazonaws.com".into()
            }),
            via_service: Some(format!("ec2.{}.amazonaws.com", caller.region)),
            ..KmsCtx::default()
        }
    }

    fn infra_ctx(&self, account: &str, region: &str, principal: String) -> KmsCtx {
        KmsCtx {
            from: Participant::Ec2,
            principal,
            account: account.into(),
            region: region.into(),
            invoked_by: Some("AWS Internal".into()),
            via_service: Some(format!("ec2.{region}.amazonaws.com")),
            ..KmsCtx::default()
        }
    }

    fn ctx_for(&self, id: &str) -> Context {
        let mut c = Context::new();
        c.insert(self.provider.context_key.to_string(), id.to_string());
        c
    }

    /// The key EBS uses when none is specified: the account's default key for the region.
    pub(crate) fn default_key_arn(&mut self, account: &str, region: &str) -> String {
        match self.settings_of(account, region).default_kms_key {
            Some(k) => k,
            None => self.ensure_managed_key(account, region),
        }
    }

    /// Seed 000's encryption outcomes table and seed 001's launch/copy rules, in one function.
    pub(crate) fn decide_encryption(
        &mut self,
        caller: &Caller,
        source: Option<&Source>,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
    ) -> AwsResult<EncryptionPlan> {
        if kms_key_id.is_some() && encrypted != Some(true) {
            return Err(AwsError::new(
                "InvalidParameterDependency",
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        let by_default = self
            .settings_of(&caller.account, &caller.region)
            .encryption_by_default;
        let specified = match kms_key_id {
            Some(k) => Some(self.ebs_key(caller, k)?),
            None => None,
        };
        let src_enc = source.and_then(|s| s.encryption.as_ref());
        let owned_same_region =
            source.is_some_and(|s| s.owner == caller.account && s.region == caller.region);
        match (src_enc, specified) {
            (Some(e), Some(k)) => Ok(EncryptionPlan::Encrypt {
                reuse: owned_same_region && k == e.kms_key_arn,
                key_arn: k,
            }),
            (Some(e), None) if owned_same_region => Ok(EncryptionPlan::Encrypt {
                key_arn: e.kms_key_arn.clone(),
                reuse: true,
            }),
            (Some(_), None) => Ok(EncryptionPlan::Encrypt {
                key_arn: self.default_key_arn(&caller.account, &caller.region),
                reuse: false,
            }),
            (None, Some(k)) => Ok(EncryptionPlan::Encrypt {
                key_arn: k,
                reuse: false,
            }),
            (None, None) if encrypted == Some(true) || by_default => Ok(EncryptionPlan::Encrypt {
                key_arn: self.default_key_arn(&caller.account, &caller.region),
                reuse: false,
            }),
            (None, None) => Ok(EncryptionPlan::None),
        }
    }

    /// Resolves a KmsKeyId given to EC2. Unknown keys resolve to the ARN as given (EC2 checks them
    /// asynchronously, so the create appears to succeed and fails later); asymmetric keys are refused.
    fn ebs_key(&mut self, caller: &Caller, key_ref: &str) -> AwsResult<String> {
        match self.resolve_key(key_ref, &caller.account, &caller.region) {
            Ok(id) => {
                let k = self
                    .key(&id)
                    .ok_or_else(|| AwsError::new("InvalidKMSKey.NotFound", key_ref.to_string()))?;
                if !k.is_symmetric() {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        format!(
                            "Amazon EBS does not support asymmetric KMS keys: {} has KeySpec {}.",
                            k.arn, k.key_spec
                        ),
                    ));
                }
                Ok(k.arn.clone())
            }
            Err(_) => Ok(if key_ref.starts_with("arn:") {
                key_ref.to_string()
            } else {
                format!(
                    "arn:aws:kms:{}:{}:{}",
                    caller.region,
                    caller.account,
                    if key_ref.starts_with("alias/") {
                        key_ref.to_string()
                    } else {
                        format!("key/{key_ref}")
                    }
                )
            }),
        }
    }

    /// Creates the encryption of a new resource `id` from a plan, making the KMS calls in the
    /// documented order, and transforms `sectors` (source data) into the new resource's data.
    /// Returns the encryption (or None) and the new sectors, or the error that makes the creation fail.
    fn encrypt_new_resource(
        &mut self,
        caller: &Caller,
        id: &str,
        plan: &EncryptionPlan,
        source: Option<Source>,
    ) -> AwsResult<(Option<Encryption>, SectorMap)> {
        // The source is taken by value so its sectors are moved, not copied: a full copy of a
        // large snapshot holds one map of sectors at a time.
        let (sectors, source) = match source {
            Some(mut s) => (std::mem::take(&mut s.sectors), Some(s)),
            None => (BTreeMap::new(), None),
        };
        let source = source.as_ref();
        let src_enc = source.and_then(|s| s.encryption.clone());
        let EncryptionPlan::Encrypt { key_arn, reuse } = plan.clone() else {
            return Ok((None, sectors));
        };
        let ctx_new = self.ctx_for(id);
        let ec2 = self.ec2_kms_ctx(caller);
        let has_data = !sectors.is_empty() || source.is_some_and(|s| s.snapshot_id.is_some());
        let ebs_role = self.provider.ebs_infrastructure_role(&caller.account, id);

        if reuse {
            let Some(src) = src_enc else {
                return Err(AwsError::new("InternalError", "reuse without a source key"));
            };
            // Seed 000 step 1–2 (see the note).
            let gdk = KmsCtx {
                doc: Some(DOC_GDK.into()),
                approximation: Some(NOTE_SAME_KEY.into()),
                key_location: Some(KeyLocation::EncryptedAtRest),
                ..ec2.clone()
            };
            self.kms_traced(&gdk, "GenerateDataKeyWithoutPlaintext", json!({"keyId": key_arn, "numberOfBytes": self.provider.data_key_bytes, "encryptionContext": ctx_new}), Some(&ctx_new), |s| {
                let (blob, _, arn) = s.kms_generate(&gdk, &key_arn, s.provider.data_key_bytes, &ctx_new, "kms:GenerateDataKeyWithoutPlaintext")?;
                Ok(((), json!({"keyId": arn, "ciphertextBlob": format!("<{} bytes>", blob.len())})))
            })?;
            let re = KmsCtx {
                doc: Some(DOC_SHARE.into()),
                approximation: Some(NOTE_REENCRYPT.into()),
                key_location: Some(KeyLocation::EncryptedAtRest),
                ..ec2.clone()
            };
            let wrapped = self.kms_traced(&re, "ReEncrypt", json!({"sourceEncryptionContext": src.context, "destinationKeyId": key_arn, "destinationEncryptionContext": ctx_new}), Some(&ctx_new), |s| {
                let (out, src_arn, dst_arn) = s.kms_reencrypt(&re, &src.wrapped_key, &src.context, &key_arn, &ctx_new)?;
                Ok((out, json!({"sourceKeyId": src_arn, "keyId": dst_arn})))
            })?;
            let enc = Encryption {
                kms_key_arn: key_arn.clone(),
                wrapped_key: wrapped,
                context: ctx_new,
                data_key_id: src.data_key_id.clone(),
            };
            self.store_metadata(caller, id, &enc);
            return Ok((Some(enc), sectors));
        }

        // A new data key under the chosen key.
        let needs_plaintext = has_data;
        let mut grant_new = None;
        if needs_plaintext && src_enc.is_none() {
            // Seed 000 (unencrypted snapshot), step 1: CreateGrant first.
            let g = KmsCtx {
                doc: Some(DOC_GRANT_RESTORE.into()),
                approximation: Some(NOTE_CREATE_GRANT_OPS.into()),
                for_aws_resource: true,
                ..ec2.clone()
            };
            grant_new = Some(self.ec2_grant(&g, &key_arn, &ebs_role, &ctx_new, caller)?);
        }
        let gdk = KmsCtx {
            doc: Some(DOC_GDK.into()),
            key_location: Some(KeyLocation::EncryptedAtRest),
            ..ec2.clone()
        };
        let blob = self.kms_traced(&gdk, "GenerateDataKeyWithoutPlaintext", json!({"keyId": key_arn, "numberOfBytes": self.provider.data_key_bytes, "encryptionContext": ctx_new}), Some(&ctx_new), |s| {
            let (blob, _, arn) = s.kms_generate(&gdk, &key_arn, s.provider.data_key_bytes, &ctx_new, "kms:GenerateDataKeyWithoutPlaintext")?;
            Ok((blob.clone(), json!({"keyId": arn, "ciphertextBlob": format!("<{} bytes>", blob.len())})))
        })?;
        let dk_id = self.new_data_key_id();
        let enc = Encryption {
            kms_key_arn: key_arn.clone(),
            wrapped_key: blob,
            context: ctx_new.clone(),
            data_key_id: dk_id,
        };
        self.store_metadata(caller, id, &enc);
        if !needs_plaintext {
            return Ok((Some(enc), sectors));
        }
        // Decrypt the source data (if encrypted), then encrypt it under the new data key.
        let plain_sectors = match (&src_enc, source) {
            (Some(se), Some(src)) => {
                let g = KmsCtx {
                    approximation: Some(NOTE_SOURCE_DECRYPT.into()),
                    for_aws_resource: true,
                    region: src.region.clone(),
                    ..ec2.clone()
                };
                let gid = self.ec2_grant(&g, &se.kms_key_arn, &ebs_role, &se.context, caller)?;
                let d = KmsCtx {
                    approximation: Some(NOTE_SOURCE_DECRYPT.into()),
                    key_location: Some(KeyLocation::EbsTransient),
                    region: src.region.clone(),
                    ..self.infra_ctx(&caller.account, &src.region, ebs_role.clone())
                };
                let dk = self.ec2_decrypt(&d, se)?;
                self.retire_quietly(caller, &gid, &src.region);
                // In place: a full copy of a large snapshot must not hold several maps at once.
                let mut plain = sectors;
                for (n, b) in plain.iter_mut() {
                    xts_decrypt_sector(&dk, *n, b)
                        .map_err(|_| AwsError::new("InternalError", "sector size"))?;
                }
                plain
            }
            _ => sectors,
        };
        if grant_new.is_none() {
            let g = KmsCtx {
                doc: Some(DOC_GRANT_RESTORE.into()),
                approximation: Some(NOTE_CREATE_GRANT_OPS.into()),
                for_aws_resource: true,
                ..ec2.clone()
            };
            grant_new = Some(self.ec2_grant(&g, &key_arn, &ebs_role, &ctx_new, caller)?);
        }
        let d = KmsCtx {
            doc: Some(DOC_DECRYPT_RESTORE.into()),
            key_location: Some(KeyLocation::EbsTransient),
            ..self.infra_ctx(&caller.account, &caller.region, ebs_role.clone())
        };
        let dk = self.ec2_decrypt(&d, &enc)?;
        let mut out = plain_sectors;
        for (n, b) in out.iter_mut() {
            xts_encrypt_sector(&dk, *n, b)
                .map_err(|_| AwsError::new("InternalError", "sector size"))?;
        }
        drop(dk);
        if let Some(gid) = grant_new {
            self.retire_quietly(caller, &gid, &caller.region);
        }
        Ok((Some(enc), out))
    }

    fn store_metadata(&mut self, caller: &Caller, id: &str, enc: &Encryption) {
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Ebs,
                operation: "StoreEncryptedDataKey".into(),
                request: json!({"ResourceId": id, "KmsKeyId": enc.kms_key_arn, "EncryptedDataKey": format!("{}…", to_hex(&enc.wrapped_key[..enc.wrapped_key.len().min(12)])), "DataKey": enc.data_key_id}),
                principal: format!("ec2.{}.amazonaws.com", caller.region),
                account: caller.account.clone(),
                region: caller.region.clone(),
                key_location: Some(KeyLocation::EncryptedAtRest),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: Some(DOC_STORE.into()),
                ..CallSpec::default()
            },
            json!({"Stored": true}),
            None,
        );
    }

    fn ec2_grant(
        &mut self,
        ctx: &KmsCtx,
        key_arn: &str,
        grantee: &str,
        ec: &Context,
        caller: &Caller,
    ) -> AwsResult<String> {
        let retiring = self.provider.ec2_service(&ctx.region);
        let ops = vec!["Decrypt".to_string()];
        let req = json!({"keyId": key_arn, "granteePrincipal": grantee, "retiringPrincipal": retiring, "operations": ops, "constraints": {"encryptionContextSubset": ec}});
        let _ = caller;
        self.kms_traced(ctx, "CreateGrant", req, Some(ec), |s| {
            let (gid, _) = s.kms_create_grant(
                ctx,
                key_arn,
                grantee,
                &ops,
                Some(&retiring),
                Some(ec.clone()),
                None,
                None,
            )?;
            Ok((gid.clone(), json!({"grantId": gid, "keyId": key_arn})))
        })
    }

    fn ec2_decrypt(&mut self, ctx: &KmsCtx, enc: &Encryption) -> AwsResult<DataKey> {
        let req =
            json!({"encryptionContext": enc.context, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"});
        let ec = enc.context.clone();
        let wrapped = enc.wrapped_key.clone();
        self.kms_traced(ctx, "Decrypt", req, Some(&ec), |s| {
            let (pt, arn) = s.kms_decrypt(ctx, &wrapped, None, &ec)?;
            let dk = DataKey::from_slice(&pt).ok_or_else(|| AwsError::new("InternalError", "data key length"))?;
            Ok((dk, json!({"keyId": arn, "encryptionAlgorithm": "SYMMETRIC_DEFAULT", "plaintext": "<512-bit data key, delivered over TLS>"})))
        })
    }

    fn retire_quietly(&mut self, caller: &Caller, grant_id: &str, region: &str) {
        let ctx = KmsCtx {
            from: Participant::Ec2,
            principal: self.provider.ec2_service(region),
            account: caller.account.clone(),
            region: region.into(),
            invoked_by: Some("ec2.amazonaws.com".into()),
            ..KmsCtx::default()
        };
        let gid = grant_id.to_string();
        let _ = self.kms_traced(&ctx, "RetireGrant", json!({"grantId": gid}), None, |s| {
            s.kms_retire_grant(&ctx, &gid)?;
            Ok(((), Value::Null))
        });
    }

    /// Loads the data key of an attached encrypted volume into host memory: CreateGrant, Decrypt, load.
    fn load_key_into_host(
        &mut self,
        caller: &Caller,
        vol_id: &str,
        instance_id: &str,
    ) -> AwsResult<()> {
        let Some(enc) = self.volumes.get(vol_id).and_then(|v| v.encryption.clone()) else {
            return Ok(());
        };
        let (account, region) = match self.volumes.get(vol_id) {
            Some(v) => (v.account.clone(), v.region.clone()),
            None => return Ok(()),
        };
        let infra = self.provider.infrastructure_role(&account, instance_id);
        let g = KmsCtx {
            doc: Some(DOC_GRANT_ATTACH.into()),
            for_aws_resource: true,
            ..self.ec2_kms_ctx(caller)
        };
        let gid = self.ec2_grant(&g, &enc.kms_key_arn, &infra, &enc.context, caller)?;
        let d = KmsCtx {
            doc: Some(DOC_DECRYPT_ATTACH.into()),
            key_location: Some(KeyLocation::InTransitToHost),
            ..self.infra_ctx(&account, &region, infra)
        };
        let dk = self.ec2_decrypt(&d, &enc)?;
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Host,
                operation: "LoadDataKey".into(),
                request: json!({"VolumeId": vol_id, "InstanceId": instance_id, "DataKey": enc.data_key_id}),
                principal: format!("ec2.{region}.amazonaws.com"),
                account: account.clone(),
                region: region.clone(),
                key_location: Some(KeyLocation::HostMemory),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: Some(DOC_HOST.into()),
                ..CallSpec::default()
            },
            json!({"Loaded": true}),
            None,
        );
        if let Some(v) = self.volumes.get_mut(vol_id) {
            v.host_key = Some(dk);
            if let Some(a) = v.attachment.as_mut() {
                a.grant_id = Some(gid);
            }
        }
        Ok(())
    }

    /// Drops a volume's data key from host memory and retires its attach grant.
    fn unload_key(&mut self, caller: &Caller, vol_id: &str, why: &str) {
        let Some(v) = self.volumes.get_mut(vol_id) else {
            return;
        };
        let had = v.host_key.take().is_some();
        let grant = v.attachment.as_mut().and_then(|a| a.grant_id.take());
        let (account, region, dk) = (
            v.account.clone(),
            v.region.clone(),
            v.encryption.as_ref().map(|e| e.data_key_id.clone()),
        );
        if had {
            self.record(
                CallSpec {
                    from: Participant::Ec2,
                    to: Participant::Host,
                    operation: "DiscardDataKey".into(),
                    request: json!({"VolumeId": vol_id, "Reason": why, "DataKey": dk}),
                    principal: format!("ec2.{region}.amazonaws.com"),
                    account: account.clone(),
                    region: region.clone(),
                    key_location: Some(KeyLocation::Discarded),
                    approximation: Some(NOTE_INTERNAL.into()),
                    ..CallSpec::default()
                },
                json!({"Discarded": true}),
                None,
            );
        }
        if let Some(gid) = grant {
            let c = Caller {
                account,
                region: region.clone(),
                principal: caller.principal.clone(),
            };
            self.retire_quietly(&c, &gid, &region);
        }
    }

    fn volume_owned(&self, caller: &Caller, id: &str) -> AwsResult<&Volume> {
        match self.volumes.get(id) {
            Some(v) if v.account == caller.account && v.region == caller.region => Ok(v),
            _ => Err(AwsError::new(
                "InvalidVolume.NotFound",
                format!("The volume '{id}' does not exist."),
            )),
        }
    }

    fn instance_owned(&self, caller: &Caller, id: &str) -> AwsResult<&Instance> {
        match self.instances.get(id) {
            Some(i) if i.account == caller.account && i.region == caller.region => Ok(i),
            _ => Err(AwsError::new(
                "InvalidInstanceID.NotFound",
                format!("The instance ID '{id}' does not exist"),
            )),
        }
    }

    /// A snapshot the caller can see: owned, shared with the account, or public; in the given region.
    fn snapshot_visible(&self, caller: &Caller, id: &str, region: &str) -> AwsResult<&Snapshot> {
        match self.snapshots.get(id) {
            Some(s)
                if s.region == region
                    && (s.account == caller.account
                        || s.public
                        || s.shared_with.contains(&caller.account)
                        || self.shared_via_image(id, &caller.account)) =>
            {
                Ok(s)
            }
            _ => Err(AwsError::new(
                "InvalidSnapshot.NotFound",
                format!("The snapshot '{id}' does not exist."),
            )),
        }
    }

    fn shared_via_image(&self, snap: &str, account: &str) -> bool {
        self.images.values().any(|i| {
            (i.public || i.launch_permissions.contains(account))
                && i.mappings.iter().any(|m| m.snapshot_id == snap)
        })
    }

    /// All sectors of a snapshot, following its chain of incremental parents.
    pub(crate) fn snapshot_sectors(&self, id: &str) -> BTreeMap<u64, Vec<u8>> {
        let mut chain = Vec::new();
        let mut cur = Some(id.to_string());
        while let Some(c) = cur {
            if chain.len() > 10_000 || chain.contains(&c) {
                break;
            }
            let Some(s) = self.snapshots.get(&c) else {
                break;
            };
            chain.push(c);
            cur = s.parent.clone();
        }
        let mut out = BTreeMap::new();
        for c in chain.iter().rev() {
            if let Some(s) = self.snapshots.get(c) {
                for (k, v) in &s.blocks.0 {
                    out.insert(*k, v.clone());
                }
            }
        }
        out
    }

    fn source_of_snapshot(&self, s: &Snapshot) -> Source {
        Source {
            snapshot_id: Some(s.id.clone()),
            encryption: s.encryption.clone(),
            owner: s.account.clone(),
            region: s.region.clone(),
            sectors: self.snapshot_sectors(&s.id),
            size: s.volume_size,
        }
    }

    /// Creates a volume (for CreateVolume and for launches). Returns its id, or a synchronous error.
    /// KMS failures do not fail the request: the volume stays `creating` and then disappears.
    #[allow(clippy::too_many_arguments)]
    fn create_volume_inner(
        &mut self,
        caller: &Caller,
        az: &str,
        size: Option<u64>,
        snapshot_id: Option<&str>,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
        volume_type: &str,
    ) -> AwsResult<(String, Result<(), String>)> {
        if !self.provider.zones(&caller.region).iter().any(|z| z == az) {
            return Err(AwsError::new(
                "InvalidZone.NotFound",
                format!("The zone '{az}' does not exist."),
            ));
        }
        const TYPES: &[&str] = &["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"];
        if !TYPES.contains(&volume_type) {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!(
                    "Value ({volume_type}) for parameter volumeType is invalid. Valid values: {}",
                    TYPES.join(", ")
                ),
            ));
        }
        let source = match snapshot_id {
            Some(sid) => {
                let s = self.snapshot_visible(caller, sid, &caller.region)?;
                if s.state != SnapshotState::Completed {
                    return Err(AwsError::new(
                        "IncorrectState",
                        format!("Snapshot is in invalid state - {}", s.state.as_str()),
                    ));
                }
                Some(self.source_of_snapshot(&s.clone()))
            }
            None => None,
        };
        let size = match (size, &source) {
            (Some(n), Some(s)) if n < s.size => {
                return Err(AwsError::new(
                    "InvalidParameterValue",
                    format!("Volume of {n}GiB is too small; minimum is {}GiB.", s.size),
                ))
            }
            (Some(n), _) => n,
            (None, Some(s)) => s.size,
            (None, None) => {
                return Err(AwsError::new(
                    "MissingParameter",
                    "The request must contain the parameter size or snapshotId",
                ))
            }
        };
        if size == 0 || size > self.provider.max_volume_gib {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!(
                    "Volume size must be between 1 and {} GiB.",
                    self.provider.max_volume_gib
                ),
            ));
        }
        let plan = self.decide_encryption(caller, source.as_ref(), encrypted, kms_key_id)?;
        let id = self.rng.resource_id(self.provider.prefixes[0]);
        if let (Some(src), true) = (
            &source,
            source.as_ref().is_some_and(|s| s.owner != caller.account),
        ) {
            let sid = src.snapshot_id.clone().unwrap_or_default();
            let owner = src.owner.clone();
            self.event(
                Participant::Ec2,
                Participant::EventBridge,
                "SharedSnapshotVolumeCreated",
                &owner,
                &caller.region,
                json!({"snapshotId": sid, "recipientAccount": caller.account, "volumeId": id}),
                None,
            );
        }
        let result = self.encrypt_new_resource(caller, &id, &plan, source);
        let (encryption, sectors, outcome) = match result {
            Ok((e, s)) => (e, s, Ok(())),
            Err(e) => (None, BTreeMap::new(), Err(e.message)),
        };
        let vol = Volume {
            id: id.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            az: az.into(),
            size_gib: size,
            volume_type: volume_type.into(),
            state: VolumeState::Creating,
            created: self.now,
            snapshot_id: snapshot_id.map(str::to_string),
            encryption: encryption.or_else(|| match &plan {
                EncryptionPlan::Encrypt { key_arn, .. } => Some(Encryption {
                    kms_key_arn: key_arn.clone(),
                    wrapped_key: vec![],
                    context: Context::new(),
                    data_key_id: String::new(),
                }),
                EncryptionPlan::None => None,
            }),
            attachment: None,
            sectors: Sectors(sectors),
            changed: BTreeSet::new(),
            last_snapshot: None,
            host_key: None,
        };
        let mut vol = vol;
        // `extend` inserts in key order; `collect` would sort first (and add a sort to the wasm).
        vol.changed.extend(vol.sectors.0.keys().copied());
        self.volumes.insert(id.clone(), vol);
        Ok((id, outcome))
    }

    fn schedule_volume(&mut self, id: &str, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.schedule(VOLUME_CREATE_SECONDS, Pending::VolumeReady(id.into())),
            Err(cause) => self.schedule(
                VOLUME_CREATE_SECONDS,
                Pending::VolumeFailed {
                    volume: id.into(),
                    cause,
                },
            ),
        }
    }

    /// Runs delayed work that fell due.
    pub(crate) fn run_pending(&mut self, what: Pending) {
        match what {
            Pending::VolumeReady(id) => {
                if let Some(v) = self.volumes.get_mut(&id) {
                    if v.state == VolumeState::Creating {
                        v.state = VolumeState::Available;
                    }
                }
            }
            Pending::VolumeFailed { volume, cause } => {
                if let Some(v) = self.volumes.remove(&volume) {
                    self.event(Participant::Ec2, Participant::EventBridge, "createVolume", &v.account, &v.region, json!({"event": "createVolume", "result": "failed", "cause": cause, "volumeId": volume}), None);
                }
            }
            Pending::SnapshotCompleted(id) => {
                if let Some(s) = self.snapshots.get_mut(&id) {
                    if s.state == SnapshotState::Pending {
                        s.state = SnapshotState::Completed;
                    }
                }
            }
            Pending::SnapshotFailed { snapshot, cause } => {
                if let Some(s) = self.snapshots.get_mut(&snapshot) {
                    s.state = SnapshotState::Error;
                    s.state_message = Some(cause.clone());
                    let (a, r) = (s.account.clone(), s.region.clone());
                    self.event(Participant::Ec2, Participant::EventBridge, "copySnapshot", &a, &r, json!({"event": "copySnapshot", "result": "failed", "cause": cause, "snapshot_id": snapshot}), None);
                }
            }
            Pending::InstanceRunning(id) => {
                if let Some(i) = self.instances.get_mut(&id) {
                    if i.state == InstanceState::Pending {
                        i.state = InstanceState::Running;
                    }
                }
            }
            Pending::InstanceFailed {
                instance,
                code,
                message,
            } => {
                let caller = match self.instances.get(&instance) {
                    Some(i) => Caller::root(&i.account, &i.region),
                    None => return,
                };
                self.terminate_now(&caller, &instance);
                if let Some(i) = self.instances.get_mut(&instance) {
                    i.state = InstanceState::Terminated;
                    i.state_reason = Some((code.clone(), message.clone()));
                }
                self.event(Participant::Ec2, Participant::EventBridge, "EC2 Instance State-change Notification", &caller.account, &caller.region, json!({"instance-id": instance, "state": "terminated", "reason": {"Code": code, "Message": message}}), None);
            }
            Pending::InstanceStopped(id) => {
                if let Some(i) = self.instances.get_mut(&id) {
                    if i.state == InstanceState::Stopping {
                        i.state = InstanceState::Stopped;
                    }
                }
            }
            Pending::InstanceStartFailed {
                instance,
                code,
                message,
            } => {
                let caller = match self.instances.get(&instance) {
                    Some(i) => Caller::root(&i.account, &i.region),
                    None => return,
                };
                let vols: Vec<String> = self
                    .instances
                    .get(&instance)
                    .map(|i| i.volumes.iter().map(|(_, v)| v.clone()).collect())
                    .unwrap_or_default();
                for v in vols {
                    self.unload_key(&caller, &v, "start failed");
                }
                if let Some(i) = self.instances.get_mut(&instance) {
                    i.state = InstanceState::Stopped;
                    i.state_reason = Some((code.clone(), message.clone()));
                }
                self.event(Participant::Ec2, Participant::EventBridge, "EC2 Instance State-change Notification", &caller.account, &caller.region, json!({"instance-id": instance, "state": "stopped", "reason": {"Code": code, "Message": message}}), Some("AWS documents that a stop/start attaches the volumes again and fails when the key is unusable; the exact state reason of a failed start is not published."));
            }
            Pending::InstanceTerminated(id) => {
                if let Some(i) = self.instances.get_mut(&id) {
                    i.state = InstanceState::Terminated;
                }
            }
            Pending::ImageAvailable(id) => {
                let snaps: Vec<String> = self
                    .images
                    .get(&id)
                    .map(|i| i.mappings.iter().map(|m| m.snapshot_id.clone()).collect())
                    .unwrap_or_default();
                let failed = snaps.iter().any(|s| {
                    self.snapshots
                        .get(s)
                        .is_none_or(|s| s.state == SnapshotState::Error)
                });
                if let Some(i) = self.images.get_mut(&id) {
                    i.state = if failed {
                        "failed".into()
                    } else {
                        "available".into()
                    };
                }
            }
            Pending::KeyDeleted(id) => self.kms_delete_now(&id),
        }
    }

    /// The public AMI every region starts with: an unencrypted 8 GiB root snapshot owned by Amazon.
    pub(crate) fn seed_public_image(&mut self, region: &str) {
        let snap = self.rng.resource_id(self.provider.prefixes[1]);
        let ami = self.rng.resource_id(self.provider.prefixes[3]);
        let mut blocks = BTreeMap::new();
        let mut s0 = b"Amazon Linux 2023 root filesystem (playground image)".to_vec();
        s0.resize(SECTOR_SIZE, 0);
        blocks.insert(0, s0);
        self.snapshots.insert(
            snap.clone(),
            Snapshot {
                id: snap.clone(),
                account: AMAZON_ACCOUNT.into(),
                region: region.into(),
                volume_id: "vol-ffffffff".into(),
                volume_size: 8,
                state: SnapshotState::Completed,
                state_message: None,
                created: 0,
                description: "Amazon Linux 2023 AMI root".into(),
                encryption: None,
                blocks: Sectors(blocks),
                parent: None,
                shared_with: BTreeSet::new(),
                public: true,
                copied_from: None,
            },
        );
        self.images.insert(
            ami.clone(),
            Image {
                id: ami,
                account: AMAZON_ACCOUNT.into(),
                region: region.into(),
                name: "al2023-ami-playground-x86_64".into(),
                description: "Amazon Linux 2023 (unencrypted root snapshot)".into(),
                root_device: "/dev/xvda".into(),
                mappings: vec![ImageMapping {
                    device: "/dev/xvda".into(),
                    snapshot_id: snap,
                    volume_size: 8,
                    delete_on_termination: true,
                }],
                state: "available".into(),
                public: true,
                launch_permissions: BTreeSet::new(),
                created: 0,
            },
        );
    }

    /// EC2 requests.
    pub(crate) fn ec2_dispatch(
        &mut self,
        caller: &Caller,
        op: &str,
        p: &Value,
    ) -> AwsResult<Value> {
        if p.get("DryRun").and_then(Value::as_bool) == Some(true) {
            return Err(AwsError::new(
                "DryRunOperation",
                "Request would have succeeded, but DryRun flag is set.",
            ));
        }
        match op {
            "CreateVolume" => {
                let q = Params::new(
                    "ec2",
                    p,
                    &[
                        "AvailabilityZone",
                        "Size",
                        "SnapshotId",
                        "VolumeType",
                        "Encrypted",
                        "KmsKeyId",
                        "Iops",
                        "Throughput",
                        "TagSpecifications",
                    ],
                )?;
                let availability_zone = q.str("AvailabilityZone")?;
                let size = q.opt_u64("Size")?;
                let snapshot_id = q.opt_str("SnapshotId")?;
                let volume_type = q.opt_str("VolumeType")?;
                let encrypted = q.opt_bool("Encrypted")?;
                let kms_key_id = q.opt_str("KmsKeyId")?;
                q.opt_u64("Iops")?;
                q.opt_u64("Throughput")?;
                let (id, outcome) = self.create_volume_inner(
                    caller,
                    &availability_zone,
                    size,
                    snapshot_id.as_deref(),
                    encrypted,
                    kms_key_id.as_deref(),
                    volume_type.as_deref().unwrap_or("gp3"),
                )?;
                self.schedule_volume(&id, outcome);
                Ok(self
                    .volumes
                    .get(&id)
                    .map(Volume::to_json)
                    .unwrap_or(Value::Null))
            }
            "DescribeVolumes" => {
                let q = Params::new("ec2", p, &["VolumeIds", "Filters", "MaxResults"])?;
                let volume_ids = q.opt_strs("VolumeIds")?;
                let filters = Filters::read(&q, VOLUME_FILTERS)?;
                q.opt_u64("MaxResults")?;
                if let Some(ids) = &volume_ids {
                    for id in ids {
                        self.volume_owned(caller, id)?;
                    }
                }
                let list: Vec<Value> = self
                    .volumes
                    .values()
                    .filter(|v| {
                        v.account == caller.account
                            && v.region == caller.region
                            && volume_ids.as_ref().is_none_or(|ids| ids.contains(&v.id))
                    })
                    .map(Volume::to_json)
                    .filter(|v| filters.pass(v))
                    .collect();
                Ok(json!({"Volumes": list}))
            }
            "DeleteVolume" => {
                let volume_id = Params::new("ec2", p, &["VolumeId"])?.str("VolumeId")?;
                let v = self.volume_owned(caller, &volume_id)?;
                if v.attachment.is_some() {
                    return Err(AwsError::new(
                        "VolumeInUse",
                        format!(
                            "Volume {} is currently attached to {}",
                            v.id,
                            v.attachment
                                .as_ref()
                                .map(|x| x.instance_id.clone())
                                .unwrap_or_default()
                        ),
                    ));
                }
                if v.state == VolumeState::Creating {
                    return Err(AwsError::new(
                        "IncorrectState",
                        format!("The volume '{}' is 'creating'", v.id),
                    ));
                }
                self.volumes.remove(&volume_id);
                Ok(json!({}))
            }
            "AttachVolume" => {
                let q = Params::new("ec2", p, &["VolumeId", "InstanceId", "Device"])?;
                let volume_id = q.str("VolumeId")?;
                let instance_id = q.str("InstanceId")?;
                let device = q.str("Device")?;
                self.attach_volume(caller, &volume_id, &instance_id, &device)
            }
            "DetachVolume" => {
                let q = Params::new("ec2", p, &["VolumeId", "InstanceId", "Device", "Force"])?;
                let volume_id = q.str("VolumeId")?;
                let instance_id = q.opt_str("InstanceId")?;
                q.opt_str("Device")?;
                q.opt_bool("Force")?;
                let v = self.volume_owned(caller, &volume_id)?;
                let Some(att) = v.attachment.clone() else {
                    return Err(AwsError::new(
                        "IncorrectState",
                        format!("Volume '{}' is in the 'available' state.", volume_id),
                    ));
                };
                if instance_id.as_ref().is_some_and(|i| *i != att.instance_id) {
                    return Err(AwsError::new(
                        "InvalidAttachment.NotFound",
                        format!(
                            "The volume {} is not attached to {}",
                            volume_id,
                            instance_id.unwrap_or_default()
                        ),
                    ));
                }
                self.unload_key(caller, &volume_id, "detach");
                if let Some(v) = self.volumes.get_mut(&volume_id) {
                    v.attachment = None;
                    v.state = VolumeState::Available;
                }
                if let Some(i) = self.instances.get_mut(&att.instance_id) {
                    i.volumes.retain(|(_, vid)| *vid != volume_id);
                }
                Ok(
                    json!({"AttachTime": super::clock::iso(att.attach_time), "Device": att.device, "InstanceId": att.instance_id, "State": "detaching", "VolumeId": volume_id}),
                )
            }
            "CreateSnapshot" => {
                let q = Params::new("ec2", p, &["VolumeId", "Description", "TagSpecifications"])?;
                let volume_id = q.str("VolumeId")?;
                let description = q.opt_str("Description")?;
                let id = self.create_snapshot_inner(
                    caller,
                    &volume_id,
                    description.unwrap_or_default(),
                )?;
                Ok(self
                    .snapshots
                    .get(&id)
                    .map(Snapshot::to_json)
                    .unwrap_or(Value::Null))
            }
            "DescribeSnapshots" => {
                let q = Params::new(
                    "ec2",
                    p,
                    &["SnapshotIds", "OwnerIds", "RestorableByUserIds", "Filters"],
                )?;
                let snapshot_ids = q.opt_strs("SnapshotIds")?;
                let owner_ids = q.opt_strs("OwnerIds")?;
                let restorable_by_user_ids = q.opt_strs("RestorableByUserIds")?;
                let filters = Filters::read(&q, SNAPSHOT_FILTERS)?;
                if let Some(ids) = &snapshot_ids {
                    for id in ids {
                        self.snapshot_visible(caller, id, &caller.region)?;
                    }
                }
                let owners = owner_accounts(caller, owner_ids);
                let list: Vec<Value> = self
                    .snapshots
                    .values()
                    .filter(|s| s.region == caller.region)
                    .filter(|s| match &snapshot_ids {
                        Some(ids) => ids.contains(&s.id),
                        None => {
                            s.account == caller.account
                                || s.shared_with.contains(&caller.account)
                                || (restorable_by_user_ids.is_some() && s.public)
                                || owners.as_ref().is_some_and(|o| {
                                    o.contains(&s.account)
                                        && (s.public || s.account == caller.account)
                                })
                        }
                    })
                    .filter(|s| owners.as_ref().is_none_or(|o| o.contains(&s.account)))
                    .map(Snapshot::to_json)
                    .filter(|v| filters.pass(v))
                    .collect();
                Ok(json!({"Snapshots": list}))
            }
            "CopySnapshot" => {
                let q = Params::new(
                    "ec2",
                    p,
                    &[
                        "SourceSnapshotId",
                        "SourceRegion",
                        "Encrypted",
                        "KmsKeyId",
                        "Description",
                        "DestinationRegion",
                        "TagSpecifications",
                        "PresignedUrl",
                    ],
                )?;
                let source_snapshot_id = q.str("SourceSnapshotId")?;
                let source_region = q.str("SourceRegion")?;
                let encrypted = q.opt_bool("Encrypted")?;
                let kms_key_id = q.opt_str("KmsKeyId")?;
                let description = q.opt_str("Description")?;
                let destination_region = q.opt_str("DestinationRegion")?;
                q.opt_str("PresignedUrl")?;
                if destination_region
                    .as_ref()
                    .is_some_and(|d| *d != caller.region)
                {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        "DestinationRegion must be the region the request is sent to.",
                    ));
                }
                if !self.provider.has_region(&source_region) {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        format!("Invalid source region {}", source_region),
                    ));
                }
                let id = self.copy_snapshot_inner(
                    caller,
                    &source_snapshot_id,
                    &source_region,
                    encrypted,
                    kms_key_id.as_deref(),
                    description,
                )?;
                Ok(json!({"SnapshotId": id}))
            }
            "DeleteSnapshot" => {
                let q = Params::new("ec2", p, &["SnapshotId"])?;
                let snapshot_id = q.str("SnapshotId")?;
                match self.snapshots.get(&snapshot_id) {
                    Some(s) if s.account == caller.account && s.region == caller.region => {}
                    _ => {
                        return Err(AwsError::new(
                            "InvalidSnapshot.NotFound",
                            format!("The snapshot '{}' does not exist.", snapshot_id),
                        ))
                    }
                }
                if let Some(img) = self
                    .images
                    .values()
                    .find(|i| i.mappings.iter().any(|m| m.snapshot_id == snapshot_id))
                {
                    return Err(AwsError::new(
                        "InvalidSnapshot.InUse",
                        format!(
                            "The snapshot {} is currently in use by {}",
                            snapshot_id, img.id
                        ),
                    ));
                }
                self.delete_snapshot_inner(&snapshot_id);
                Ok(json!({}))
            }
            "ModifySnapshotAttribute" => self.modify_snapshot_attribute(caller, p),
            "DescribeSnapshotAttribute" => {
                let q = Params::new("ec2", p, &["SnapshotId", "Attribute"])?;
                let snapshot_id = q.str("SnapshotId")?;
                let attribute = q.str("Attribute")?;
                let s = self.snapshot_visible(caller, &snapshot_id, &caller.region)?;
                if s.account != caller.account {
                    return Err(AwsError::new(
                        "InvalidSnapshot.NotFound",
                        format!("The snapshot '{}' does not exist.", snapshot_id),
                    ));
                }
                if attribute != "createVolumePermission" {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        format!("Value ({}) for parameter attribute is invalid.", attribute),
                    ));
                }
                let mut perms: Vec<Value> =
                    s.shared_with.iter().map(|u| json!({"UserId": u})).collect();
                if s.public {
                    perms.push(json!({"Group": "all"}));
                }
                Ok(json!({"CreateVolumePermissions": perms, "SnapshotId": s.id}))
            }
            "EnableEbsEncryptionByDefault" | "DisableEbsEncryptionByDefault" => {
                Params::new("ec2", p, &[])?;
                let on = op == "EnableEbsEncryptionByDefault";
                self.settings_mut(&caller.account, &caller.region)
                    .encryption_by_default = on;
                Ok(json!({"EbsEncryptionByDefault": on}))
            }
            "GetEbsEncryptionByDefault" => {
                Params::new("ec2", p, &[])?;
                Ok(
                    json!({"EbsEncryptionByDefault": self.settings_of(&caller.account, &caller.region).encryption_by_default, "SseType": "sse-ebs"}),
                )
            }
            "GetEbsDefaultKmsKeyId" => {
                Params::new("ec2", p, &[])?;
                Ok(json!({"KmsKeyId": self.default_key_display(caller)}))
            }
            "ModifyEbsDefaultKmsKeyId" => {
                let q = Params::new("ec2", p, &["KmsKeyId"])?;
                let kms_key_id = q.str("KmsKeyId")?;
                let id = self
                    .resolve_key(&kms_key_id, &caller.account, &caller.region)
                    .map_err(|_| {
                        AwsError::new(
                            "InvalidParameterValue",
                            format!("Invalid KMS key ID {}", kms_key_id),
                        )
                    })?;
                let k = self
                    .key(&id)
                    .ok_or_else(|| AwsError::new("InvalidParameterValue", "Invalid KMS key"))?;
                if !k.is_symmetric() {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        format!(
                            "Amazon EBS does not support asymmetric KMS keys: {} has KeySpec {}.",
                            k.arn, k.key_spec
                        ),
                    ));
                }
                let arn = k.arn.clone();
                let managed = k.aws_managed;
                self.settings_mut(&caller.account, &caller.region)
                    .default_kms_key = if managed { None } else { Some(arn.clone()) };
                Ok(json!({"KmsKeyId": arn}))
            }
            "ResetEbsDefaultKmsKeyId" => {
                Params::new("ec2", p, &[])?;
                self.settings_mut(&caller.account, &caller.region)
                    .default_kms_key = None;
                Ok(json!({"KmsKeyId": self.default_key_display(caller)}))
            }
            "RegisterImage" => self.register_image(caller, p),
            "CreateImage" => self.create_image(caller, p),
            "CopyImage" => self.copy_image(caller, p),
            "DescribeImages" => {
                let q = Params::new(
                    "ec2",
                    p,
                    &["ImageIds", "Owners", "ExecutableUsers", "Filters"],
                )?;
                let image_ids = q.opt_strs("ImageIds")?;
                let owners = q.opt_strs("Owners")?;
                q.opt_strs("ExecutableUsers")?;
                let filters = Filters::read(&q, IMAGE_FILTERS)?;
                let owners = owner_accounts(caller, owners);
                let list: Vec<Value> = self
                    .images
                    .values()
                    .filter(|i| {
                        i.region == caller.region
                            && (i.account == caller.account
                                || i.public
                                || i.launch_permissions.contains(&caller.account))
                    })
                    .filter(|i| image_ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
                    .filter(|i| owners.as_ref().is_none_or(|o| o.contains(&i.account)))
                    .map(|i| {
                        i.to_json(|sid| {
                            self.snapshots.get(sid).map(|s| {
                                (
                                    s.encryption.is_some(),
                                    s.encryption.as_ref().map(|e| e.kms_key_arn.clone()),
                                )
                            })
                        })
                    })
                    .collect();
                if let Some(ids) = &image_ids {
                    if list.len() < ids.len() {
                        let missing = ids
                            .iter()
                            .find(|id| !list.iter().any(|v| v["ImageId"] == json!(id)))
                            .cloned()
                            .unwrap_or_default();
                        return Err(AwsError::new(
                            "InvalidAMIID.NotFound",
                            format!("The image id '[{missing}]' does not exist"),
                        ));
                    }
                }
                let list: Vec<Value> = list.into_iter().filter(|v| filters.pass(v)).collect();
                Ok(json!({"Images": list}))
            }
            "ModifyImageAttribute" => self.modify_image_attribute(caller, p),
            "DeregisterImage" => {
                let q = Params::new("ec2", p, &["ImageId"])?;
                let image_id = q.str("ImageId")?;
                match self.images.get(&image_id) {
                    Some(i) if i.account == caller.account && i.region == caller.region => {
                        self.images.remove(&image_id);
                        Ok(json!({}))
                    }
                    _ => Err(AwsError::new(
                        "InvalidAMIID.NotFound",
                        format!("The image id '[{}]' does not exist", image_id),
                    )),
                }
            }
            "RunInstances" => self.run_instances(caller, p, None),
            "DescribeInstances" => {
                let q = Params::new("ec2", p, &["InstanceIds", "Filters"])?;
                let instance_ids = q.opt_strs("InstanceIds")?;
                let filters = Filters::read(&q, INSTANCE_FILTERS)?;
                if let Some(ids) = &instance_ids {
                    for id in ids {
                        self.instance_owned(caller, id)?;
                    }
                }
                let mut by_res: BTreeMap<String, Vec<Value>> = BTreeMap::new();
                for i in self.instances.values().filter(|i| {
                    i.account == caller.account
                        && i.region == caller.region
                        && instance_ids.as_ref().is_none_or(|ids| ids.contains(&i.id))
                }) {
                    let json = i.to_json(&self.volumes);
                    if filters.pass(&json) {
                        by_res
                            .entry(i.reservation_id.clone())
                            .or_default()
                            .push(json);
                    }
                }
                Ok(
                    json!({"Reservations": by_res.into_iter().map(|(r, is)| json!({"ReservationId": r, "OwnerId": caller.account, "Instances": is})).collect::<Vec<_>>()}),
                )
            }
            "StopInstances" | "StartInstances" | "RebootInstances" | "TerminateInstances" => {
                let q = Params::new("ec2", p, &["InstanceIds", "Force", "Hibernate"])?;
                let instance_ids = q.strs("InstanceIds")?;
                q.opt_bool("Force")?;
                q.opt_bool("Hibernate")?;
                if instance_ids.is_empty() {
                    return Err(AwsError::new(
                        "MissingParameter",
                        "The request must contain the parameter InstanceIds",
                    ));
                }
                for id in &instance_ids {
                    self.instance_owned(caller, id)?;
                }
                let mut changes = Vec::new();
                for id in &instance_ids {
                    changes.push(self.change_instance_state(caller, op, id)?);
                }
                let key = match op {
                    "StopInstances" => "StoppingInstances",
                    "StartInstances" => "StartingInstances",
                    "TerminateInstances" => "TerminatingInstances",
                    _ => return Ok(json!({})),
                };
                Ok(json!({ key: changes }))
            }
            "CreateLaunchTemplate" => {
                let q = Params::new(
                    "ec2",
                    p,
                    &[
                        "LaunchTemplateName",
                        "LaunchTemplateData",
                        "VersionDescription",
                    ],
                )?;
                let launch_template_name = q.str("LaunchTemplateName")?;
                let launch_template_data =
                    q.required("LaunchTemplateData", q.raw("LaunchTemplateData").cloned())?;
                q.opt_str("VersionDescription")?;
                if !launch_template_data.is_object() {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        "LaunchTemplateData must be a structure.",
                    ));
                }
                if self.launch_templates.values().any(|t| {
                    t["LaunchTemplateName"] == json!(launch_template_name)
                        && t["Account"] == json!(caller.account)
                        && t["Region"] == json!(caller.region)
                }) {
                    return Err(AwsError::new(
                        "InvalidLaunchTemplateName.AlreadyExistsException",
                        format!(
                            "Launch template name already in use: {}",
                            launch_template_name
                        ),
                    ));
                }
                let id = self.rng.resource_id("lt");
                let lt = json!({"LaunchTemplateId": id, "LaunchTemplateName": launch_template_name, "LatestVersionNumber": 1, "DefaultVersionNumber": 1, "CreateTime": super::clock::iso(self.now), "Account": caller.account, "Region": caller.region, "Data": launch_template_data});
                self.launch_templates.insert(id.clone(), lt);
                Ok(
                    json!({"LaunchTemplate": {"LaunchTemplateId": id, "LaunchTemplateName": launch_template_name, "LatestVersionNumber": 1, "DefaultVersionNumber": 1}}),
                )
            }
            _ => Err(AwsError::new(
                "InvalidAction",
                format!("The action {op} is not valid for the ec2 service in this playground."),
            )),
        }
    }

    fn default_key_display(&self, caller: &Caller) -> String {
        match self
            .settings_of(&caller.account, &caller.region)
            .default_kms_key
        {
            Some(k) => k,
            None => format!(
                "arn:aws:kms:{}:{}:{}",
                caller.region, caller.account, self.provider.managed_key_alias
            ),
        }
    }

    fn attach_volume(
        &mut self,
        caller: &Caller,
        vol_id: &str,
        inst_id: &str,
        device: &str,
    ) -> AwsResult<Value> {
        let v = self.volume_owned(caller, vol_id)?.clone();
        let inst = self.instance_owned(caller, inst_id)?.clone();
        if v.state != VolumeState::Available {
            return Err(AwsError::new(
                "IncorrectState",
                format!("vol '{vol_id}' is not 'available'."),
            ));
        }
        if v.az != inst.az {
            return Err(AwsError::new("InvalidVolume.ZoneMismatch", format!("The volume '{vol_id}' is not in the same availability zone as instance '{inst_id}'")));
        }
        if !matches!(inst.state, InstanceState::Running | InstanceState::Stopped) {
            return Err(AwsError::new(
                "IncorrectInstanceState",
                format!("The instance '{inst_id}' is not in the 'running' or 'stopped' state."),
            ));
        }
        if !device.starts_with("/dev/") || device.len() < 7 {
            return Err(AwsError::new("InvalidParameterValue", format!("Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name.")));
        }
        if inst.volumes.iter().any(|(d, _)| d == device) {
            return Err(AwsError::new("InvalidParameterValue", format!("Invalid value '{device}' for unixDevice. Attachment point {device} is already in use")));
        }
        if v.encryption.is_some()
            && self
                .provider
                .instance_type_supports_encryption(&inst.instance_type)
                == Some(false)
        {
            return Err(AwsError::new(
                "UnsupportedOperation",
                format!(
                    "The instance type {} does not support EBS encryption.",
                    inst.instance_type
                ),
            ));
        }
        if let Some(vv) = self.volumes.get_mut(vol_id) {
            vv.attachment = Some(Attachment {
                instance_id: inst_id.into(),
                device: device.into(),
                attach_time: self.now,
                grant_id: None,
                delete_on_termination: false,
            });
            vv.state = VolumeState::InUse;
        }
        if inst.state == InstanceState::Running {
            if let Err(e) = self.load_key_into_host(caller, vol_id, inst_id) {
                if let Some(vv) = self.volumes.get_mut(vol_id) {
                    vv.attachment = None;
                    vv.state = VolumeState::Available;
                }
                let _ = e;
                self.event(Participant::Ec2, Participant::EventBridge, "attachVolume", &caller.account, &caller.region, json!({"event": "attachVolume", "result": "failed", "cause": "The encrypted volume was unable to access the KMS key.", "volumeId": vol_id, "instanceId": inst_id}), None);
                return Err(AwsError::new("CustomerKeyHasBeenRevoked", format!("Volume {vol_id} cannot be attached. The encrypted volume was unable to access the KMS key.")));
            }
        }
        if let Some(i) = self.instances.get_mut(inst_id) {
            i.volumes.push((device.into(), vol_id.into()));
        }
        Ok(
            json!({"AttachTime": super::clock::iso(self.now), "Device": device, "InstanceId": inst_id, "State": "attaching", "VolumeId": vol_id}),
        )
    }

    fn create_snapshot_inner(
        &mut self,
        caller: &Caller,
        vol_id: &str,
        description: String,
    ) -> AwsResult<String> {
        // Only what the snapshot needs is copied out of the volume: cloning the whole volume
        // would copy every stored sector once more.
        let (size_gib, encryption, parent, blocks) = {
            let v = self.volume_owned(caller, vol_id)?;
            if v.state == VolumeState::Creating {
                return Err(AwsError::new(
                    "IncorrectState",
                    format!("The volume '{vol_id}' is 'creating'"),
                ));
            }
            // Incremental: only sectors changed since the previous snapshot that still exists.
            let parent = v
                .last_snapshot
                .clone()
                .filter(|s| self.snapshots.contains_key(s));
            let blocks: BTreeMap<u64, Vec<u8>> = if parent.is_some() {
                let mut changed = BTreeMap::new();
                changed.extend(
                    v.changed
                        .iter()
                        .filter_map(|n| v.sectors.0.get(n).map(|b| (*n, b.clone()))),
                );
                changed
            } else {
                v.sectors.0.clone()
            };
            (v.size_gib, v.encryption.clone(), parent, blocks)
        };
        let id = self.rng.resource_id(self.provider.prefixes[1]);
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Ebs,
                operation: "CopyChangedBlocks".into(),
                request: json!({"VolumeId": vol_id, "SnapshotId": id, "Blocks": blocks.len(), "Incremental": parent.is_some(), "ParentSnapshotId": parent}),
                principal: format!("ec2.{}.amazonaws.com", caller.region),
                account: caller.account.clone(),
                region: caller.region.clone(),
                key_location: encryption.as_ref().map(|_| KeyLocation::EncryptedAtRest),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: encryption.as_ref().map(|_| "All snapshots created from the volume are encrypted, with the volume's data key.".to_string()),
                ..CallSpec::default()
            },
            json!({"StoredBlocks": blocks.len()}),
            None,
        );
        self.snapshots.insert(
            id.clone(),
            Snapshot {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                volume_id: vol_id.into(),
                volume_size: size_gib,
                state: SnapshotState::Pending,
                state_message: None,
                created: self.now,
                description,
                encryption,
                blocks: Sectors(blocks),
                parent,
                shared_with: BTreeSet::new(),
                public: false,
                copied_from: None,
            },
        );
        if let Some(vv) = self.volumes.get_mut(vol_id) {
            vv.changed.clear();
            vv.last_snapshot = Some(id.clone());
        }
        self.schedule(SNAPSHOT_SECONDS, Pending::SnapshotCompleted(id.clone()));
        Ok(id)
    }

    /// Deletes a snapshot, moving blocks its incremental children still need into them.
    fn delete_snapshot_inner(&mut self, id: &str) {
        let Some(s) = self.snapshots.remove(id) else {
            return;
        };
        let children: Vec<String> = self
            .snapshots
            .values()
            .filter(|c| c.parent.as_deref() == Some(id))
            .map(|c| c.id.clone())
            .collect();
        for c in children {
            if let Some(child) = self.snapshots.get_mut(&c) {
                for (k, v) in &s.blocks.0 {
                    child.blocks.0.entry(*k).or_insert_with(|| v.clone());
                }
                child.parent = s.parent.clone();
            }
        }
    }

    fn copy_snapshot_inner(
        &mut self,
        caller: &Caller,
        src_id: &str,
        src_region: &str,
        encrypted: Option<bool>,
        kms_key_id: Option<&str>,
        description: Option<String>,
    ) -> AwsResult<String> {
        let src = self.snapshot_visible(caller, src_id, src_region)?.clone();
        if src.state != SnapshotState::Completed {
            return Err(AwsError::new(
                "IncorrectState",
                format!("Snapshot is in invalid state - {}", src.state.as_str()),
            ));
        }
        let source = self.source_of_snapshot(&src);
        let plan = self.decide_encryption(caller, Some(&source), encrypted, kms_key_id)?;
        let id = self.rng.resource_id(self.provider.prefixes[1]);
        if src.account != caller.account {
            self.event(Participant::Ec2, Participant::EventBridge, "SharedSnapshotCopyInitiated", &src.account, src_region, json!({"snapshotId": src_id, "recipientAccount": caller.account, "newSnapshotId": id}), None);
        }
        let (encryption, blocks, outcome) =
            match self.encrypt_new_resource(caller, &id, &plan, Some(source)) {
                Ok((e, b)) => (e, b, Ok(())),
                Err(e) => (None, BTreeMap::new(), Err(e.message)),
            };
        let full = matches!(plan, EncryptionPlan::Encrypt { reuse: false, .. });
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Ebs,
                operation: "CopySnapshotData".into(),
                request: json!({"SourceSnapshotId": src_id, "SnapshotId": id, "Blocks": blocks.len(), "FullCopy": full}),
                principal: format!("ec2.{}.amazonaws.com", caller.region),
                account: caller.account.clone(),
                region: caller.region.clone(),
                approximation: Some(NOTE_INTERNAL.into()),
                doc: full.then(|| DOC_FULL_COPY.to_string()),
                ..CallSpec::default()
            },
            json!({"StoredBlocks": blocks.len()}),
            None,
        );
        self.snapshots.insert(
            id.clone(),
            Snapshot {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                volume_id: src.volume_id.clone(),
                volume_size: src.volume_size,
                state: SnapshotState::Pending,
                state_message: None,
                created: self.now,
                description: description
                    .unwrap_or_else(|| format!("Copied for DestinationAmi from {src_id}")),
                encryption: encryption.or_else(|| match &plan {
                    EncryptionPlan::Encrypt { key_arn, .. } => Some(Encryption {
                        kms_key_arn: key_arn.clone(),
                        wrapped_key: vec![],
                        context: Context::new(),
                        data_key_id: String::new(),
                    }),
                    EncryptionPlan::None => None,
                }),
                blocks: Sectors(blocks),
                parent: None,
                shared_with: BTreeSet::new(),
                public: false,
                copied_from: Some(src_id.into()),
            },
        );
        match outcome {
            Ok(()) => self.schedule(SNAPSHOT_SECONDS, Pending::SnapshotCompleted(id.clone())),
            Err(cause) => self.schedule(
                SNAPSHOT_SECONDS,
                Pending::SnapshotFailed {
                    snapshot: id.clone(),
                    cause,
                },
            ),
        }
        Ok(id)
    }

    fn modify_snapshot_attribute(&mut self, caller: &Caller, p: &Value) -> AwsResult<Value> {
        let (snapshot_id, add, remove) = permission_request(p, &SNAPSHOT_PERMISSION)?;
        let s = match self.snapshots.get(&snapshot_id) {
            Some(s) if s.account == caller.account && s.region == caller.region => s.clone(),
            _ => {
                return Err(AwsError::new(
                    "InvalidSnapshot.NotFound",
                    format!("The snapshot '{snapshot_id}' does not exist."),
                ))
            }
        };
        if add.is_empty() && remove.is_empty() {
            return Err(AwsError::new(
                "MissingParameter",
                "The request must contain the parameter createVolumePermission",
            ));
        }
        for (user, group) in &add {
            if let Some(g) = group {
                if g != "all" {
                    return Err(AwsError::new(
                        "InvalidParameterValue",
                        format!("Value ({g}) for parameter group is invalid."),
                    ));
                }
                if s.encryption.is_some() {
                    return Err(AwsError::new(
                        "UnsupportedOperation",
                        "Encrypted snapshots can't be shared publicly.",
                    ));
                }
            }
            if let Some(u) = user {
                if u.len() != 12 || !u.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(AwsError::new("InvalidParameterValue", format!("Value ({u}) for parameter userId is invalid. Account IDs must be 12 digits.")));
                }
                if let Some(e) = &s.encryption {
                    let managed = self
                        .kms
                        .keys
                        .values()
                        .any(|k| k.arn == e.kms_key_arn && k.aws_managed);
                    if managed {
                        return Err(AwsError::new(
                            "OperationNotPermitted",
                            "Encrypted snapshots with EBS default key cannot be shared",
                        ));
                    }
                }
            }
        }
        if let Some(sm) = self.snapshots.get_mut(&snapshot_id) {
            apply_grantees(&mut sm.shared_with, &mut sm.public, add, remove);
        }
        Ok(json!({}))
    }

    fn register_image(&mut self, caller: &Caller, p: &Value) -> AwsResult<Value> {
        let q = Params::new(
            "ec2",
            p,
            &[
                "Name",
                "RootDeviceName",
                "BlockDeviceMappings",
                "Description",
                "Architecture",
                "VirtualizationType",
                "EnaSupport",
            ],
        )?;
        let name = q.str("Name")?;
        let root_device_name = q.opt_str("RootDeviceName")?;
        let block_device_mappings =
            q.required("BlockDeviceMappings", block_device_mappings(&q)?)?;
        let description = q.opt_str("Description")?;
        q.opt_str("Architecture")?;
        q.opt_str("VirtualizationType")?;
        q.opt_bool("EnaSupport")?;
        self.check_image_name(caller, &name)?;
        let mut mappings = Vec::new();
        for m in block_device_mappings {
            let Some(ebs) = m.ebs else { continue };
            if ebs.encrypted.is_some() || ebs.kms_key_id.is_some() {
                return Err(AwsError::new("InvalidParameterCombination", "RegisterImage keeps the encryption of its snapshots; set Encrypted and KmsKeyId when you launch or copy the image."));
            }
            let Some(sid) = ebs.snapshot_id else {
                return Err(AwsError::new(
                    "InvalidParameterValue",
                    format!("A snapshot is required for {}", m.device_name),
                ));
            };
            let s = match self.snapshots.get(&sid) {
                Some(s) if s.account == caller.account && s.region == caller.region => s.clone(),
                _ => {
                    return Err(AwsError::new(
                        "InvalidSnapshot.NotFound",
                        format!("The snapshot '{sid}' does not exist."),
                    ))
                }
            };
            mappings.push(ImageMapping {
                device: m.device_name,
                snapshot_id: sid,
                volume_size: ebs.volume_size.unwrap_or(s.volume_size).max(s.volume_size),
                delete_on_termination: ebs.delete_on_termination.unwrap_or(true),
            });
        }
        if mappings.is_empty() {
            return Err(AwsError::new(
                "InvalidBlockDeviceMapping",
                "An EBS-backed image needs at least one block device mapping with a snapshot.",
            ));
        }
        let root = root_device_name.unwrap_or_else(|| mappings[0].device.clone());
        let id = self.rng.resource_id(self.provider.prefixes[3]);
        self.images.insert(
            id.clone(),
            Image {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                name,
                description: description.unwrap_or_default(),
                root_device: root,
                mappings,
                state: "available".into(),
                public: false,
                launch_permissions: BTreeSet::new(),
                created: self.now,
            },
        );
        Ok(json!({"ImageId": id}))
    }

    fn check_image_name(&self, caller: &Caller, name: &str) -> AwsResult<()> {
        if name.len() < 3 || name.len() > 128 {
            return Err(AwsError::new(
                "InvalidAMIName.Malformed",
                "AMI names must be between 3 and 128 characters long.",
            ));
        }
        if self
            .images
            .values()
            .any(|i| i.account == caller.account && i.region == caller.region && i.name == name)
        {
            return Err(AwsError::new(
                "InvalidAMIName.Duplicate",
                format!("AMI name {name} is already in use by another AMI"),
            ));
        }
        Ok(())
    }

    fn create_image(&mut self, caller: &Caller, p: &Value) -> AwsResult<Value> {
        let q = Params::new("ec2", p, &["InstanceId", "Name", "Description", "NoReboot"])?;
        let instance_id = q.str("InstanceId")?;
        let name = q.str("Name")?;
        let description = q.opt_str("Description")?;
        q.opt_bool("NoReboot")?;
        self.check_image_name(caller, &name)?;
        let inst = self.instance_owned(caller, &instance_id)?.clone();
        let mut mappings = Vec::new();
        for (dev, vid) in &inst.volumes {
            let sid = self.create_snapshot_inner(
                caller,
                vid,
                format!("Created by CreateImage({}) for {}", instance_id, name),
            )?;
            let size = self.volumes.get(vid).map(|v| v.size_gib).unwrap_or(8);
            mappings.push(ImageMapping {
                device: dev.clone(),
                snapshot_id: sid,
                volume_size: size,
                delete_on_termination: true,
            });
        }
        if mappings.is_empty() {
            return Err(AwsError::new(
                "InvalidParameterValue",
                "The instance has no volumes.",
            ));
        }
        let id = self.rng.resource_id(self.provider.prefixes[3]);
        self.images.insert(
            id.clone(),
            Image {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                name,
                description: description.unwrap_or_default(),
                root_device: mappings[0].device.clone(),
                mappings,
                state: "pending".into(),
                public: false,
                launch_permissions: BTreeSet::new(),
                created: self.now,
            },
        );
        self.schedule(SNAPSHOT_SECONDS, Pending::ImageAvailable(id.clone()));
        Ok(json!({"ImageId": id}))
    }

    fn copy_image(&mut self, caller: &Caller, p: &Value) -> AwsResult<Value> {
        let q = Params::new(
            "ec2",
            p,
            &[
                "SourceImageId",
                "SourceRegion",
                "Name",
                "Encrypted",
                "KmsKeyId",
                "Description",
                "CopyImageTags",
            ],
        )?;
        let source_image_id = q.str("SourceImageId")?;
        let source_region = q.str("SourceRegion")?;
        let name = q.str("Name")?;
        let encrypted = q.opt_bool("Encrypted")?;
        let kms_key_id = q.opt_str("KmsKeyId")?;
        let description = q.opt_str("Description")?;
        q.opt_bool("CopyImageTags")?;
        if kms_key_id.is_some() && encrypted != Some(true) {
            return Err(AwsError::new(
                "InvalidParameterDependency",
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
            ));
        }
        let img = match self.images.get(&source_image_id) {
            Some(i)
                if i.region == source_region
                    && (i.account == caller.account
                        || i.public
                        || i.launch_permissions.contains(&caller.account)) =>
            {
                i.clone()
            }
            _ => {
                return Err(AwsError::new(
                    "InvalidAMIID.NotFound",
                    format!("The image id '[{}]' does not exist", source_image_id),
                ))
            }
        };
        self.check_image_name(caller, &name)?;
        let mut mappings = Vec::new();
        for m in &img.mappings {
            let sid = self.copy_snapshot_inner(
                caller,
                &m.snapshot_id,
                &source_region,
                encrypted,
                kms_key_id.as_deref(),
                Some(format!(
                    "Copied for DestinationAmi from SourceAmi {} in {}",
                    img.id, source_region
                )),
            )?;
            mappings.push(ImageMapping {
                device: m.device.clone(),
                snapshot_id: sid,
                volume_size: m.volume_size,
                delete_on_termination: m.delete_on_termination,
            });
        }
        let id = self.rng.resource_id(self.provider.prefixes[3]);
        self.images.insert(
            id.clone(),
            Image {
                id: id.clone(),
                account: caller.account.clone(),
                region: caller.region.clone(),
                name,
                description: description.unwrap_or_else(|| img.description.clone()),
                root_device: img.root_device.clone(),
                mappings,
                state: "pending".into(),
                public: false,
                launch_permissions: BTreeSet::new(),
                created: self.now,
            },
        );
        self.schedule(SNAPSHOT_SECONDS + 1, Pending::ImageAvailable(id.clone()));
        Ok(json!({"ImageId": id}))
    }

    fn modify_image_attribute(&mut self, caller: &Caller, p: &Value) -> AwsResult<Value> {
        let (image_id, add, remove) = permission_request(p, &IMAGE_PERMISSION)?;
        let img = match self.images.get(&image_id) {
            Some(i) if i.account == caller.account && i.region == caller.region => i.clone(),
            _ => {
                return Err(AwsError::new(
                    "InvalidAMIID.NotFound",
                    format!("The image id '[{image_id}]' does not exist"),
                ))
            }
        };
        let encs: Vec<Option<Encryption>> = img
            .mappings
            .iter()
            .map(|m| {
                self.snapshots
                    .get(&m.snapshot_id)
                    .and_then(|s| s.encryption.clone())
            })
            .collect();
        for (user, group) in &add {
            if group.is_some() && encs.iter().any(Option::is_some) {
                return Err(AwsError::new(
                    "InvalidParameter",
                    "Images with encrypted snapshots can't be made public.",
                ));
            }
            if user.is_some()
                && encs.iter().flatten().any(|e| {
                    self.kms
                        .keys
                        .values()
                        .any(|k| k.arn == e.kms_key_arn && k.aws_managed)
                })
            {
                return Err(AwsError::new("InvalidParameter", "Images with EBS-encrypted snapshots using the AWS managed key can't be shared."));
            }
        }
        if let Some(im) = self.images.get_mut(&image_id) {
            apply_grantees(&mut im.launch_permissions, &mut im.public, add, remove);
        }
        Ok(json!({}))
    }

    /// RunInstances (also used by Auto Scaling, with the service-linked role as `caller`).
    pub(crate) fn run_instances(
        &mut self,
        caller: &Caller,
        p: &Value,
        asg: Option<&str>,
    ) -> AwsResult<Value> {
        /// The members RunInstances accepts, also those of a launch template's data.
        const MEMBERS: &[&str] = &[
            "ImageId",
            "InstanceType",
            "MinCount",
            "MaxCount",
            "BlockDeviceMappings",
            "Placement",
            "LaunchTemplate",
            "KeyName",
            "SecurityGroupIds",
            "SubnetId",
            "TagSpecifications",
            "UserData",
        ];
        let q = Params::new("ec2", p, MEMBERS)?;
        q.opt_str("KeyName")?;
        q.opt_strs("SecurityGroupIds")?;
        q.opt_str("SubnetId")?;
        q.opt_str("UserData")?;
        let mut image_id = q.opt_str("ImageId")?;
        let mut instance_type = q.opt_str("InstanceType")?;
        let min_count = q.opt_u64("MinCount")?;
        let max_count = q.opt_u64("MaxCount")?;
        let mut mappings = block_device_mappings(&q)?;
        let zone = match q.opt_struct("Placement", &["AvailabilityZone", "Tenancy"])? {
            Some(pl) => {
                pl.opt_str("Tenancy")?;
                pl.opt_str("AvailabilityZone")?
            }
            None => None,
        };
        let template = q.opt_struct(
            "LaunchTemplate",
            &["LaunchTemplateName", "LaunchTemplateId", "Version"],
        )?;
        if let Some(lt) = template {
            lt.opt_str("Version")?;
            let (lt_id, lt_name) = (
                lt.opt_str("LaunchTemplateId")?,
                lt.opt_str("LaunchTemplateName")?,
            );
            let t = self
                .launch_templates
                .values()
                .find(|t| {
                    (lt_id
                        .as_ref()
                        .is_some_and(|i| t["LaunchTemplateId"] == json!(i))
                        || lt_name
                            .as_ref()
                            .is_some_and(|n| t["LaunchTemplateName"] == json!(n)))
                        && t["Account"] == json!(caller.account)
                        && t["Region"] == json!(caller.region)
                })
                .cloned();
            let Some(t) = t else {
                return Err(AwsError::new(
                    "InvalidLaunchTemplateName.NotFoundException",
                    "The specified launch template does not exist.",
                ));
            };
            let data = Params::new("ec2", &t["Data"], MEMBERS)?;
            image_id = image_id.or(data.opt_str("ImageId")?);
            instance_type = instance_type.or(data.opt_str("InstanceType")?);
            if mappings.is_none() {
                mappings = block_device_mappings(&data)?;
            }
        }
        let Some(image_id) = image_id else {
            return Err(AwsError::new(
                "MissingParameter",
                "The request must contain the parameter ImageId",
            ));
        };
        let count = max_count.or(min_count).unwrap_or(1);
        if count == 0 || count > 20 || min_count.unwrap_or(1) > count {
            return Err(AwsError::new(
                "InvalidParameterValue",
                "MinCount and MaxCount must be between 1 and 20, with MinCount ≤ MaxCount.",
            ));
        }
        let img = match self.images.get(&image_id) {
            Some(i)
                if i.region == caller.region
                    && (i.account == caller.account
                        || i.public
                        || i.launch_permissions.contains(&caller.account)) =>
            {
                i.clone()
            }
            _ => {
                return Err(AwsError::new(
                    "InvalidAMIID.NotFound",
                    format!("The image id '[{image_id}]' does not exist"),
                ))
            }
        };
        if img.state != "available" {
            return Err(AwsError::new(
                "InvalidAMIID.Unavailable",
                format!("Image {} is not available (state {}).", img.id, img.state),
            ));
        }
        let itype = instance_type.unwrap_or_else(|| "t3.micro".into());
        let Some(supports) = self.provider.instance_type_supports_encryption(&itype) else {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!("Invalid value '{itype}' for InstanceType."),
            ));
        };
        let az = match zone {
            Some(z) if self.provider.zones(&caller.region).contains(&z) => z,
            Some(z) => {
                return Err(AwsError::new(
                    "InvalidParameterValue",
                    format!("Invalid availability zone: [{z}]"),
                ))
            }
            None => format!("{}a", caller.region),
        };
        // Merge the image's mappings with the request's per-device overrides.
        struct Plan {
            device: String,
            snapshot: Option<String>,
            size: Option<u64>,
            vtype: String,
            encrypted: Option<bool>,
            key: Option<String>,
            dot: bool,
        }
        let mut plans: Vec<Plan> = img
            .mappings
            .iter()
            .map(|m| Plan {
                device: m.device.clone(),
                snapshot: Some(m.snapshot_id.clone()),
                size: Some(m.volume_size),
                vtype: "gp3".into(),
                encrypted: None,
                key: None,
                dot: m.delete_on_termination,
            })
            .collect();
        for b in mappings.unwrap_or_default() {
            if b.no_device {
                plans.retain(|p| p.device != b.device_name);
                continue;
            }
            let Some(e) = b.ebs else { continue };
            match plans.iter_mut().find(|p| p.device == b.device_name) {
                Some(pl) => {
                    if e.snapshot_id
                        .as_ref()
                        .is_some_and(|s| Some(s) != pl.snapshot.as_ref())
                    {
                        return Err(AwsError::new(
                            "InvalidBlockDeviceMapping",
                            format!(
                                "The snapshot of device {} cannot be changed at launch.",
                                b.device_name
                            ),
                        ));
                    }
                    pl.size = e.volume_size.or(pl.size);
                    pl.vtype = e.volume_type.unwrap_or_else(|| pl.vtype.clone());
                    pl.encrypted = e.encrypted;
                    pl.key = e.kms_key_id;
                    pl.dot = e.delete_on_termination.unwrap_or(pl.dot);
                }
                None => plans.push(Plan {
                    device: b.device_name,
                    snapshot: e.snapshot_id,
                    size: e.volume_size,
                    vtype: e.volume_type.unwrap_or_else(|| "gp3".into()),
                    encrypted: e.encrypted,
                    key: e.kms_key_id,
                    dot: e.delete_on_termination.unwrap_or(true),
                }),
            }
        }
        // Validate every mapping before anything is created (seed 001: KmsKeyId without Encrypted is an error).
        let mut will_encrypt = false;
        for pl in &plans {
            let src = match &pl.snapshot {
                Some(s) => Some(self.source_of_snapshot(
                    &self.snapshot_visible(caller, s, &caller.region)?.clone(),
                )),
                None => None,
            };
            if pl.size.is_none() && src.is_none() {
                return Err(AwsError::new(
                    "InvalidBlockDeviceMapping",
                    format!("Device {} needs a snapshot or a volume size.", pl.device),
                ));
            }
            if self.decide_encryption(caller, src.as_ref(), pl.encrypted, pl.key.as_deref())?
                != EncryptionPlan::None
            {
                will_encrypt = true;
            }
        }
        if will_encrypt && !supports {
            return Err(AwsError::new("UnsupportedOperation", format!("The instance type {itype} does not support EBS encryption, which this launch requires (encryption by default, an encrypted snapshot, or Encrypted=true).")));
        }
        let reservation = self.rng.resource_id(self.provider.prefixes[4]);
        let mut out = Vec::new();
        for _ in 0..count {
            let iid = self.rng.resource_id(self.provider.prefixes[2]);
            self.instances.insert(
                iid.clone(),
                Instance {
                    id: iid.clone(),
                    account: caller.account.clone(),
                    region: caller.region.clone(),
                    az: az.clone(),
                    image_id: img.id.clone(),
                    instance_type: itype.clone(),
                    state: InstanceState::Pending,
                    state_reason: None,
                    launched: self.now,
                    reservation_id: reservation.clone(),
                    volumes: vec![],
                    asg: asg.map(str::to_string),
                },
            );
            let mut failure: Option<String> = None;
            for pl in &plans {
                let (vid, outcome) = self.create_volume_inner(
                    caller,
                    &az,
                    pl.size,
                    pl.snapshot.as_deref(),
                    pl.encrypted,
                    pl.key.as_deref(),
                    &pl.vtype,
                )?;
                if let Err(c) = outcome {
                    failure.get_or_insert(c);
                }
                if let Some(v) = self.volumes.get_mut(&vid) {
                    v.state = VolumeState::InUse;
                    v.attachment = Some(Attachment {
                        instance_id: iid.clone(),
                        device: pl.device.clone(),
                        attach_time: self.now,
                        grant_id: None,
                        delete_on_termination: pl.dot,
                    });
                }
                if let Some(i) = self.instances.get_mut(&iid) {
                    i.volumes.push((pl.device.clone(), vid.clone()));
                }
                if failure.is_none() {
                    if let Err(e) = self.load_key_into_host(caller, &vid, &iid) {
                        failure = Some(e.message);
                    }
                }
            }
            match failure {
                None => self.schedule(INSTANCE_SECONDS, Pending::InstanceRunning(iid.clone())),
                Some(_) => self.schedule(INSTANCE_SECONDS, Pending::InstanceFailed { instance: iid.clone(), code: "Client.InvalidKMSKey.InvalidState".into(), message: "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state".into() }),
            }
            out.push(
                self.instances
                    .get(&iid)
                    .map(|i| i.to_json(&self.volumes))
                    .unwrap_or(Value::Null),
            );
        }
        Ok(
            json!({"Groups": [], "Instances": out, "OwnerId": caller.account, "ReservationId": reservation}),
        )
    }

    fn change_instance_state(&mut self, caller: &Caller, op: &str, id: &str) -> AwsResult<Value> {
        let inst = self.instance_owned(caller, id)?.clone();
        let prev = inst.state;
        let vols: Vec<String> = inst.volumes.iter().map(|(_, v)| v.clone()).collect();
        let next = match op {
            "StopInstances" => match prev {
                InstanceState::Running | InstanceState::Pending => {
                    for v in &vols {
                        self.unload_key(caller, v, "stop");
                    }
                    self.schedule(INSTANCE_SECONDS / 2, Pending::InstanceStopped(id.into()));
                    InstanceState::Stopping
                }
                InstanceState::Stopped | InstanceState::Stopping => prev,
                _ => {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!(
                            "This instance '{id}' is not in a state from which it can be stopped."
                        ),
                    ))
                }
            },
            "StartInstances" => match prev {
                InstanceState::Stopped => {
                    let mut failure = None;
                    for v in &vols {
                        if let Err(e) = self.load_key_into_host(caller, v, id) {
                            failure = Some(e.message);
                            break;
                        }
                    }
                    match failure {
                        None => self.schedule(INSTANCE_SECONDS, Pending::InstanceRunning(id.into())),
                        Some(_) => self.schedule(INSTANCE_SECONDS / 2, Pending::InstanceStartFailed { instance: id.into(), code: "Client.InvalidKMSKey.InvalidState".into(), message: "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state".into() }),
                    }
                    if let Some(i) = self.instances.get_mut(id) {
                        i.state_reason = None;
                    }
                    InstanceState::Pending
                }
                InstanceState::Running | InstanceState::Pending => prev,
                _ => {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!(
                            "The instance '{id}' is not in a state from which it can be started."
                        ),
                    ))
                }
            },
            "RebootInstances" => {
                if prev != InstanceState::Running {
                    return Err(AwsError::new(
                        "IncorrectInstanceState",
                        format!("The instance '{id}' is not in the 'running' state."),
                    ));
                }
                self.record(
                    CallSpec {
                        from: Participant::Ec2,
                        to: Participant::Host,
                        operation: "RebootGuest".into(),
                        request: json!({"InstanceId": id}),
                        principal: format!("ec2.{}.amazonaws.com", caller.region),
                        account: caller.account.clone(),
                        region: caller.region.clone(),
                        key_location: Some(KeyLocation::HostMemory),
                        approximation: Some("A reboot stays on the same host, so the plaintext data keys stay in host memory and no KMS call is made (AWS documents this for key deletion; Alibaba ECS documents that a reboot after disabling the key hangs disk I/O).".into()),
                        ..CallSpec::default()
                    },
                    json!({}),
                    None,
                );
                prev
            }
            _ => {
                if prev == InstanceState::Terminated {
                    prev
                } else {
                    self.terminate_now(caller, id);
                    self.schedule(INSTANCE_SECONDS / 2, Pending::InstanceTerminated(id.into()));
                    InstanceState::ShuttingDown
                }
            }
        };
        if let Some(i) = self.instances.get_mut(id) {
            i.state = next;
        }
        Ok(
            json!({"InstanceId": id, "CurrentState": next.to_json(), "PreviousState": prev.to_json()}),
        )
    }

    /// Drops the instance's data keys and grants, deletes volumes marked DeleteOnTermination, detaches the rest.
    fn terminate_now(&mut self, caller: &Caller, id: &str) {
        let vols: Vec<String> = self
            .instances
            .get(id)
            .map(|i| i.volumes.iter().map(|(_, v)| v.clone()).collect())
            .unwrap_or_default();
        for v in &vols {
            self.unload_key(caller, v, "terminate");
            let dot = self
                .volumes
                .get(v)
                .and_then(|x| x.attachment.as_ref())
                .is_some_and(|a| a.delete_on_termination);
            if dot {
                self.volumes.remove(v);
            } else if let Some(vol) = self.volumes.get_mut(v) {
                vol.attachment = None;
                vol.state = VolumeState::Available;
            }
        }
        if let Some(i) = self.instances.get_mut(id) {
            i.volumes.clear();
        }
    }

    /// The playground's own commands (no AWS CLI equivalent).
    pub(crate) fn play_dispatch(
        &mut self,
        caller: &Caller,
        op: &str,
        p: &Value,
    ) -> AwsResult<Value> {
        match op {
            "AdvanceTime" => {
                let q = Params::new("play", p, &["Seconds"])?;
                let seconds = q.required("Seconds", q.opt_i64("Seconds")?)?;
                if !(0..=10 * 365 * 86_400).contains(&seconds) {
                    return Err(AwsError::new("InvalidParameterValue", "Seconds must be between 0 and ten years."));
                }
                self.advance(seconds as u64);
                Ok(json!({"Now": self.now, "Time": super::clock::iso(self.now)}))
            }
            "WriteData" | "ReadData" => {
                let q = Params::new("play", p, &["InstanceId", "Device", "Text", "Sector", "Length"])?;
                let instance_id = q.str("InstanceId")?;
                let device = q.str("Device")?;
                let text = q.opt_str("Text")?;
                let sector = q.opt_u64("Sector")?;
                let length = q.opt_u64("Length")?;
                let inst = self.instance_owned(caller, &instance_id)?.clone();
                if inst.state != InstanceState::Running {
                    return Err(AwsError::new("IncorrectInstanceState", format!("The instance '{}' is {}, not running: nothing can do I/O.", inst.id, inst.state.as_str())));
                }
                let Some((_, vid)) = inst.volumes.iter().find(|(d, _)| *d == device).cloned() else {
                    return Err(AwsError::new("InvalidParameterValue", format!("No volume is attached to {} at {}.", inst.id, device)));
                };
                let sector = sector.unwrap_or(0);
                if op == "WriteData" {
                    let text = text.unwrap_or_default();
                    self.write_data(&vid, sector, text.as_bytes())
                } else {
                    self.read_data(&vid, sector, length.unwrap_or(SECTOR_SIZE as u64))
                }
            }
            "ShowSector" => {
                let q = Params::new("play", p, &["VolumeId", "SnapshotId", "Sector"])?;
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
                    _ => return Err(AwsError::new("InvalidParameterCombination", "Give exactly one of VolumeId and SnapshotId.")),
                };
                Ok(json!({"ResourceId": id, "Sector": n, "Stored": data.is_some(), "Encrypted": encrypted, "OnDisk": data.map(|d| to_hex(&d)).unwrap_or_default()}))
            }
            _ => Err(AwsError::new("InvalidAction", format!("Unknown playground command {op}; try AdvanceTime, WriteData, ReadData or ShowSector."))),
        }
    }

    fn write_data(&mut self, vid: &str, sector: u64, data: &[u8]) -> AwsResult<Value> {
        if data.is_empty() || data.len() > 64 * SECTOR_SIZE {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!("Text must be between 1 and {} bytes.", 64 * SECTOR_SIZE),
            ));
        }
        let v = self
            .volumes
            .get(vid)
            .ok_or_else(|| AwsError::new("InvalidVolume.NotFound", vid.to_string()))?;
        let count = data.len().div_ceil(SECTOR_SIZE) as u64;
        if sector.saturating_add(count) > v.sector_count() {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!(
                    "Sector {sector} is beyond the end of the {} GiB volume.",
                    v.size_gib
                ),
            ));
        }
        if v.encryption.is_some() && v.host_key.is_none() {
            return Err(AwsError::new(
                "IOError",
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
                    .map_err(|_| AwsError::new("InternalError", "sector size"))?;
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
                principal: format!("ec2.{region}.amazonaws.com"),
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

    fn read_data(&mut self, vid: &str, sector: u64, length: u64) -> AwsResult<Value> {
        let v = self
            .volumes
            .get(vid)
            .ok_or_else(|| AwsError::new("InvalidVolume.NotFound", vid.to_string()))?;
        if sector >= v.sector_count() {
            return Err(AwsError::new(
                "InvalidParameterValue",
                format!("Sector {sector} is beyond the end of the volume."),
            ));
        }
        if v.encryption.is_some() && v.host_key.is_none() {
            return Err(AwsError::new(
                "IOError",
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
                        .map_err(|_| AwsError::new("InternalError", "sector size"))?;
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
}
