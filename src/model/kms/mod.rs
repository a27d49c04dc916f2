//! AWS KMS: keys, key material and rotation, aliases, grants, envelope encryption, key policies.
//!
//! Key material is random bytes that never leave this module's [`Kms`] value: it is not
//! serialized, exported or displayed. Data keys are wrapped with AES-256-GCM under the key's
//! current material, with the canonical encryption context as additional authenticated data.
//! Every request is authorized at one point, [`Sim::kms_authorize`], which asks the policy
//! evaluator and records its decision on the call.

mod aliases;
mod authorize;
mod envelope;
mod grants;
mod keys;
mod tags;

use super::codes::KmsCode;
pub use super::context::{context_aad, Context};
use super::crypto::{gcm_open, gcm_seal, KeyMaterial};
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::policy::{self, GrantConstraints, GrantView};
use super::provider::Provider;
use super::trace::{AuthDecision, KeyLocation, Participant};
use super::{CallSpec, Caller, Pending, Sim, Table};
use crate::json;
use crate::model::clock::{unix, DAY};
use crate::model::Handler;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use zeroize::Zeroizing;

pub(crate) use authorize::Authorized;
pub(crate) use keys::ManagedKeyFor;

/// The operations a grant may allow (CreateGrant's `Operations`).
pub const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "Sign",
    "Verify",
    "GetPublicKey",
    "GenerateMac",
    "VerifyMac",
];

/// The key specs CreateKey accepts.
pub const KEY_SPECS: &[&str] = &[
    "SYMMETRIC_DEFAULT",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
];

/// The lifecycle state of a KMS key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Refuses cryptographic operations with DisabledException.
    Disabled,
    /// Scheduled for deletion; refuses cryptographic operations with KMSInvalidStateException.
    PendingDeletion,
    /// Deleted: its material is gone and every request answers NotFoundException.
    Deleted,
}

impl KeyState {
    /// The name AWS prints.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Enabled => "Enabled",
            KeyState::Disabled => "Disabled",
            KeyState::PendingDeletion => "PendingDeletion",
            KeyState::Deleted => "Deleted",
        }
    }
}

/// A KMS key. Its material is private to KMS.
#[derive(Clone, Debug, Serialize)]
pub struct Key {
    /// The key id (a UUID).
    pub key_id: String,
    /// The key ARN.
    pub arn: String,
    /// Owning account.
    pub account: String,
    /// Region (keys are regional).
    pub region: String,
    /// Description.
    pub description: String,
    /// SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256, …
    pub key_spec: String,
    /// ENCRYPT_DECRYPT, SIGN_VERIFY, …
    pub key_usage: String,
    /// True for AWS managed keys (`alias/aws/ebs`).
    pub aws_managed: bool,
    /// Current state.
    pub state: KeyState,
    /// Simulated creation time.
    pub created: u64,
    /// When a pending deletion completes.
    pub deletion_due: Option<u64>,
    /// The waiting period chosen for a pending deletion.
    pub pending_window_days: Option<u64>,
    /// Automatic rotation on or off.
    pub rotation_enabled: bool,
    /// Days between automatic rotations.
    pub rotation_period_days: u64,
    /// When the next automatic rotation happens.
    pub next_rotation: Option<u64>,
    /// Simulated times of past rotations (on demand or automatic).
    pub rotations: Vec<u64>,
    /// The key policy document.
    pub policy: Value,
    /// Number of material versions (1 + rotations); old versions stay to decrypt old ciphertexts.
    pub material_versions: usize,
    /// Tags: TagKey → TagValue.
    pub tags: BTreeMap<String, String>,
    #[serde(skip)]
    material: Vec<KeyMaterial>,
}

impl Key {
    /// True for the symmetric encryption keys EBS can use.
    pub fn is_symmetric(&self) -> bool {
        self.key_spec == "SYMMETRIC_DEFAULT"
    }

    /// The KeyMetadata structure KMS returns.
    pub fn metadata(&self) -> Value {
        let mut m = json!({
            "AWSAccountId": self.account,
            "KeyId": self.key_id,
            "Arn": self.arn,
            "CreationDate": unix(self.created),
            "Enabled": self.state == KeyState::Enabled,
            "Description": self.description,
            "KeyUsage": self.key_usage,
            "KeyState": self.state.as_str(),
            "Origin": "AWS_KMS",
            "KeyManager": if self.aws_managed { "AWS" } else { "CUSTOMER" },
            "CustomerMasterKeySpec": self.key_spec,
            "KeySpec": self.key_spec,
            "EncryptionAlgorithms": if self.is_symmetric() { json!(["SYMMETRIC_DEFAULT"]) } else if self.key_usage == "ENCRYPT_DECRYPT" { json!(["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]) } else { json!([]) },
            "MultiRegion": false,
        });
        if let Some(d) = self.deletion_due {
            m["DeletionDate"] = json!(unix(d));
            m["PendingDeletionWindowInDays"] = json!(self.pending_window_days);
        }
        m
    }
}

/// A grant on a key.
#[derive(Clone, Debug, Serialize)]
pub struct Grant {
    /// Grant id.
    pub grant_id: String,
    /// Grant token (accepted by RetireGrant).
    pub token: String,
    /// Key ARN the grant is for.
    pub key_arn: String,
    /// Optional name.
    pub name: Option<String>,
    /// Who may use it.
    pub grantee: String,
    /// Who may retire it.
    pub retiring: Option<String>,
    /// Operations it allows (`Decrypt`, `CreateGrant`, …).
    pub operations: Vec<String>,
    /// EncryptionContextSubset constraint.
    pub context_subset: Option<Context>,
    /// EncryptionContextEquals constraint.
    pub context_equals: Option<Context>,
    /// Account that created it.
    pub issuing_account: String,
    /// Simulated creation time.
    pub created: u64,
}

impl Grant {
    fn view(&self) -> GrantView {
        GrantView {
            grant_id: self.grant_id.clone(),
            name: self.name.clone(),
            key_arn: self.key_arn.clone(),
            grantee_principal: self.grantee.clone(),
            retiring_principal: self.retiring.clone(),
            operations: self.operations.clone(),
            constraints: if self.context_subset.is_some() || self.context_equals.is_some() {
                Some(GrantConstraints {
                    encryption_context_subset: self.context_subset.clone(),
                    encryption_context_equals: self.context_equals.clone(),
                })
            } else {
                None
            },
        }
    }

    /// The grant as ListGrants prints it.
    pub fn to_json(&self, provider: &Provider) -> Value {
        let mut g = json!({
            "KeyId": self.key_arn,
            "GrantId": self.grant_id,
            "Name": self.name.clone().unwrap_or_default(),
            "CreationDate": unix(self.created),
            "GranteePrincipal": self.grantee,
            "IssuingAccount": provider.root_arn(&self.issuing_account),
            "Operations": self.operations,
        });
        if let Some(r) = &self.retiring {
            g["RetiringPrincipal"] = json!(r);
        }
        if let Some(c) = &self.context_subset {
            g["Constraints"] = json!({ "EncryptionContextSubset": c });
        }
        if let Some(c) = &self.context_equals {
            g["Constraints"] = json!({ "EncryptionContextEquals": c });
        }
        g
    }
}

/// The KMS service state of every account and region.
#[derive(Clone, Debug, Default)]
pub struct Kms {
    pub(crate) keys: Table<Key>,
    /// (account, region, alias name) → key id.
    pub(crate) aliases: BTreeMap<(String, String, String), String>,
    pub(crate) grants: Table<Grant>,
}

impl Kms {
    /// Keys (without material), aliases and grants as JSON.
    pub fn export(&self, provider: &Provider) -> Value {
        json!({
            "Keys": self.keys.values().map(|k| serde_json::to_value(k).unwrap_or(Value::Null)).collect::<Vec<_>>(),
            "Aliases": self.aliases.iter().map(|((a, r, n), k)| json!({"Account": a, "Region": r, "AliasName": n, "TargetKeyId": k})).collect::<Vec<_>>(),
            "Grants": self.grants.values().map(|g| g.to_json(provider)).collect::<Vec<_>>(),
        })
    }

    /// Aliases that point at a key.
    pub fn aliases_of(&self, key_id: &str) -> Vec<String> {
        self.aliases
            .iter()
            .filter(|(_, k)| *k == key_id)
            .map(|((_, _, n), _)| n.clone())
            .collect()
    }

    /// Grants on a key (by ARN).
    pub fn grants_on(&self, key_arn: &str) -> Vec<&Grant> {
        self.grants
            .values()
            .filter(|g| g.key_arn == key_arn)
            .map(|g| &**g)
            .collect()
    }
}

/// Who calls KMS and how, for one request.
#[derive(Clone, Debug, Default)]
pub(crate) struct KmsCtx {
    pub from: Participant,
    pub principal: String,
    pub account: String,
    pub region: String,
    pub invoked_by: Option<String>,
    pub via_service: Option<String>,
    pub for_aws_resource: bool,
    pub approximation: Option<String>,
    pub doc: Option<String>,
    pub key_location: Option<KeyLocation>,
}

impl KmsCtx {
    pub fn user(caller: &Caller) -> Self {
        KmsCtx {
            from: Participant::User,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            ..KmsCtx::default()
        }
    }
}

const BLOB_MAGIC: &[u8; 4] = b"EKB1";
const BLOB_HEADER: usize = 4 + 36 + 4 + 12;

fn not_found_key(r: &str) -> AwsError {
    AwsError::new(
        KmsCode::NotFoundException,
        format!("Key '{r}' does not exist"),
    )
}

fn state_error(k: &Key) -> Option<AwsError> {
    match k.state {
        KeyState::Enabled => None,
        KeyState::Disabled => Some(AwsError::new(
            KmsCode::DisabledException,
            format!("{} is disabled.", k.arn),
        )),
        KeyState::PendingDeletion => Some(AwsError::new(
            KmsCode::KmsInvalidStateException,
            format!("{} is pending deletion.", k.arn),
        )),
        KeyState::Deleted => Some(not_found_key(&k.arn)),
    }
}

/// The method that answers each KMS operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("CreateKey", Sim::create_key),
    ("DescribeKey", Sim::describe_key),
    ("ListKeys", Sim::list_keys),
    ("CreateAlias", Sim::create_alias),
    ("DeleteAlias", Sim::delete_alias),
    ("ListAliases", Sim::list_aliases),
    ("EnableKey", Sim::enable_or_disable_key),
    ("DisableKey", Sim::enable_or_disable_key),
    ("ScheduleKeyDeletion", Sim::schedule_key_deletion),
    ("CancelKeyDeletion", Sim::cancel_key_deletion),
    ("EnableKeyRotation", Sim::enable_or_disable_key_rotation),
    ("DisableKeyRotation", Sim::enable_or_disable_key_rotation),
    ("GetKeyRotationStatus", Sim::get_key_rotation_status),
    ("RotateKeyOnDemand", Sim::rotate_key_on_demand),
    ("GenerateDataKey", Sim::generate_data_key),
    ("GenerateDataKeyWithoutPlaintext", Sim::generate_data_key),
    ("Encrypt", Sim::encrypt),
    ("Decrypt", Sim::decrypt),
    ("ReEncrypt", Sim::re_encrypt),
    ("CreateGrant", Sim::create_grant),
    ("ListGrants", Sim::list_grants),
    ("RetireGrant", Sim::retire_grant),
    ("RevokeGrant", Sim::revoke_grant),
    ("GetKeyPolicy", Sim::get_key_policy),
    ("PutKeyPolicy", Sim::put_key_policy),
    ("TagResource", Sim::tag_resource),
    ("UntagResource", Sim::untag_resource),
    ("ListResourceTags", Sim::list_resource_tags),
];
