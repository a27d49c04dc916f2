//! AWS KMS: keys, key material and rotation, aliases, grants, envelope encryption, key policies.
//!
//! Key material is random bytes that never leave this module's [`Kms`] value: it is not
//! serialized, exported or displayed. Data keys are wrapped with AES-256-GCM under the key's
//! current material, with the canonical encryption context as additional authenticated data.
//! Every request is authorized at one point, [`Sim::kms_authorize`], which asks the policy
//! evaluator and records its decision on the call.

use super::clock::{unix, DAY};
use super::crypto::{gcm_open, gcm_seal};
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::policy::{self, GrantConstraints, GrantView};
use super::trace::{AuthDecision, KeyLocation, Participant};
use super::{CallSpec, Caller, Pending, Sim};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

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

/// An encryption context: string pairs bound to a ciphertext as AAD.
pub type Context = BTreeMap<String, String>;

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
    #[serde(skip)]
    material: Vec<[u8; 32]>,
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
    pub fn to_json(&self) -> Value {
        let mut g = json!({
            "KeyId": self.key_arn,
            "GrantId": self.grant_id,
            "Name": self.name.clone().unwrap_or_default(),
            "CreationDate": unix(self.created),
            "GranteePrincipal": self.grantee,
            "IssuingAccount": format!("arn:aws:iam::{}:root", self.issuing_account),
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
    pub(crate) keys: BTreeMap<String, Key>,
    /// (account, region, alias name) → key id.
    pub(crate) aliases: BTreeMap<(String, String, String), String>,
    pub(crate) grants: BTreeMap<String, Grant>,
}

impl Kms {
    /// Keys (without material), aliases and grants as JSON.
    pub fn export(&self) -> Value {
        json!({
            "Keys": self.keys.values().map(|k| serde_json::to_value(k).unwrap_or(Value::Null)).collect::<Vec<_>>(),
            "Aliases": self.aliases.iter().map(|((a, r, n), k)| json!({"Account": a, "Region": r, "AliasName": n, "TargetKeyId": k})).collect::<Vec<_>>(),
            "Grants": self.grants.values().map(Grant::to_json).collect::<Vec<_>>(),
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

/// Canonical AAD of an encryption context: its JSON with keys in sorted order.
pub fn context_aad(ctx: &Context) -> Vec<u8> {
    serde_json::to_vec(ctx).unwrap_or_default()
}

fn not_found_key(r: &str) -> AwsError {
    AwsError::new("NotFoundException", format!("Key '{r}' does not exist"))
}

fn state_error(k: &Key) -> Option<AwsError> {
    match k.state {
        KeyState::Enabled => None,
        KeyState::Disabled => Some(AwsError::new(
            "DisabledException",
            format!("{} is disabled.", k.arn),
        )),
        KeyState::PendingDeletion => Some(AwsError::new(
            "KMSInvalidStateException",
            format!("{} is pending deletion.", k.arn),
        )),
        KeyState::Deleted => Some(not_found_key(&k.arn)),
    }
}

impl Sim {
    fn key_arn(&self, account: &str, region: &str, id: &str) -> String {
        format!(
            "arn:{}:kms:{region}:{account}:key/{id}",
            self.provider.partition
        )
    }

    /// Finds a key from a key id, key ARN, alias name or alias ARN, as seen from `account`/`region`.
    /// Creates the AWS managed key on first reference to its alias, as KMS does.
    pub(crate) fn resolve_key(
        &mut self,
        key_ref: &str,
        account: &str,
        region: &str,
    ) -> AwsResult<String> {
        let key_ref = key_ref.trim();
        if key_ref.is_empty() {
            return Err(AwsError::new(
                "ValidationException",
                "KeyId must not be empty.",
            ));
        }
        let (acct, reg, rest) = if let Some(arn) = key_ref.strip_prefix("arn:") {
            let parts: Vec<&str> = arn.splitn(5, ':').collect();
            if parts.len() != 5 || parts[1] != "kms" {
                return Err(AwsError::new(
                    "NotFoundException",
                    format!("Invalid keyId {key_ref}"),
                ));
            }
            if parts[2] != region {
                return Err(AwsError::new("NotFoundException", format!("Invalid arn {key_ref}: KMS keys are regional and this request is in {region}.")));
            }
            (
                parts[3].to_string(),
                parts[2].to_string(),
                parts[4].to_string(),
            )
        } else {
            (account.to_string(), region.to_string(), key_ref.to_string())
        };
        let id = if let Some(alias) = rest.strip_prefix("alias/") {
            let name = format!("alias/{alias}");
            match self
                .kms
                .aliases
                .get(&(acct.clone(), reg.clone(), name.clone()))
            {
                Some(id) => id.clone(),
                None if name == self.provider.managed_key_alias => {
                    let arn = self.ensure_managed_key(&acct, &reg);
                    arn.rsplit('/').next().unwrap_or_default().to_string()
                }
                None => {
                    return Err(AwsError::new(
                        "NotFoundException",
                        format!("Alias arn:aws:kms:{reg}:{acct}:{name} is not found."),
                    ))
                }
            }
        } else if let Some(id) = rest.strip_prefix("key/") {
            id.to_string()
        } else {
            rest
        };
        match self.kms.keys.get(&id) {
            Some(k) if k.account == acct && k.region == reg && k.state != KeyState::Deleted => {
                Ok(id)
            }
            _ => Err(not_found_key(&self.key_arn(&acct, &reg, &id))),
        }
    }

    pub(crate) fn key(&self, id: &str) -> Option<&Key> {
        self.kms.keys.get(id)
    }

    /// The ARN of the AWS managed key for EBS in an account and region, creating it on first use.
    pub(crate) fn ensure_managed_key(&mut self, account: &str, region: &str) -> String {
        let alias = (
            account.to_string(),
            region.to_string(),
            self.provider.managed_key_alias.to_string(),
        );
        if let Some(id) = self.kms.aliases.get(&alias) {
            return self.key_arn(account, region, id);
        }
        let id = self.rng.uuid();
        let arn = self.key_arn(account, region, &id);
        let material = self.rng.bytes::<32>();
        let key = Key {
            key_id: id.clone(),
            arn: arn.clone(),
            account: account.into(),
            region: region.into(),
            description: "Default key that protects my EBS volumes when no other key is defined"
                .into(),
            key_spec: "SYMMETRIC_DEFAULT".into(),
            key_usage: "ENCRYPT_DECRYPT".into(),
            aws_managed: true,
            state: KeyState::Enabled,
            created: self.now,
            deletion_due: None,
            pending_window_days: None,
            rotation_enabled: true,
            rotation_period_days: 365,
            next_rotation: Some(self.now + 365 * DAY),
            rotations: vec![],
            policy: policy::aws_managed_ebs_policy(account, region),
            material_versions: 1,
            material: vec![material],
        };
        self.kms.keys.insert(id.clone(), key);
        self.kms.aliases.insert(alias, id);
        self.event(
            Participant::Ebs,
            Participant::Kms,
            "CreateKey",
            account,
            region,
            json!({"KeyId": arn, "AliasName": self.provider.managed_key_alias, "KeyManager": "AWS"}),
            Some("EBS creates its AWS managed key (alias/aws/ebs) in an account and Region on first use; the exact call is internal to AWS."),
        );
        arn
    }

    /// The one authorization point of KMS: evaluates key policy, identity policies and grants.
    /// Records the decision for the current call; returns AccessDeniedException when denied.
    pub(crate) fn kms_authorize(
        &mut self,
        ctx: &KmsCtx,
        action: &str,
        key_id: &str,
        ec: &Context,
        grant_ops: &[String],
    ) -> AwsResult<()> {
        let Some(key) = self.kms.keys.get(key_id) else {
            return Err(not_found_key(key_id));
        };
        let grants: Vec<GrantView> = self
            .kms
            .grants_on(&key.arn)
            .into_iter()
            .map(Grant::view)
            .collect();
        let identity = self.iam.identity_policies(&ctx.principal);
        let req = policy::Request {
            principal_arn: &ctx.principal,
            principal_account: &ctx.account,
            action,
            key_arn: &key.arn,
            key_account: &key.account,
            encryption_context: ec,
            grant_is_for_aws_resource: ctx.for_aws_resource,
            via_service: ctx.via_service.as_deref(),
            grant_operations: grant_ops,
            external_id: None,
        };
        let pols = policy::Policies {
            key_policy: &key.policy,
            identity_policies: &identity,
            grants: &grants,
            key_is_aws_managed: key.aws_managed,
        };
        let d = policy::evaluate(&req, &pols);
        self.kms_decided(d)
    }

    /// Stores a KMS authorization decision on the current call; AccessDeniedException if denied.
    fn kms_decided(&mut self, d: policy::Decision) -> AwsResult<()> {
        let (allowed, reason) = (d.allowed, d.reason.clone());
        let decision = AuthDecision {
            allowed,
            reason: d.reason,
            steps: d.steps,
        };
        self.record_auth(Participant::Kms, decision);
        match allowed {
            true => Ok(()),
            false => Err(AwsError::new("AccessDeniedException", reason)),
        }
    }

    /// Resolves the caller's key reference (id, ARN or alias) in the caller's account and
    /// Region and authorizes `action` on it without an encryption context: the key id.
    fn authorized_key(&mut self, ctx: &KmsCtx, key_ref: &str, action: &str) -> AwsResult<String> {
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let id = self.resolve_key(key_ref, &account, &region)?;
        self.kms_authorize(ctx, action, &id, &Context::new(), &[])?;
        Ok(id)
    }

    /// CreateKey's authorization: there is no key policy yet, so the caller's identity policies
    /// decide. Records the decision on the current call.
    fn kms_authorize_create_key(&mut self, caller: &Caller) -> AwsResult<()> {
        let identity = self.iam.identity_policies(&caller.principal);
        let (who, account) = (&caller.principal, &caller.account);
        let req = policy::Request::new(who, account, "kms:CreateKey", "*", account);
        let d = policy::evaluate_identity(&req, &identity);
        self.kms_decided(d)
    }

    /// Runs a KMS request made by another service (or the user) and records it as one call.
    pub(crate) fn kms_traced<T>(
        &mut self,
        ctx: &KmsCtx,
        op: &str,
        request: Value,
        ec: Option<&Context>,
        f: impl FnOnce(&mut Sim) -> AwsResult<(T, Value)>,
    ) -> AwsResult<T> {
        let i = self.open_call(CallSpec {
            from: ctx.from,
            to: Participant::Kms,
            operation: op.into(),
            request,
            principal: ctx.principal.clone(),
            invoked_by: ctx.invoked_by.clone(),
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            encryption_context: ec.map(|c| json!(c)),
            key_location: ctx.key_location,
            approximation: ctx.approximation.clone(),
            doc: ctx.doc.clone(),
            is_event: false,
        });
        match f(self) {
            Ok((t, resp)) => {
                self.close_call(i, super::redact(&resp), None);
                Ok(t)
            }
            Err(e) => {
                if let Some(c) = self.trace.get_mut(i) {
                    c.key_location = None;
                }
                self.close_call(i, Value::Null, Some(e.clone()));
                Err(e)
            }
        }
    }

    fn usable_key(&self, id: &str) -> AwsResult<&Key> {
        let k = self.kms.keys.get(id).ok_or_else(|| not_found_key(id))?;
        if let Some(e) = state_error(k) {
            return Err(e);
        }
        Ok(k)
    }

    fn wrap(&mut self, key_id: &str, plaintext: &[u8], ec: &Context) -> AwsResult<Vec<u8>> {
        let nonce: [u8; 12] = self.rng.bytes();
        let k = self
            .kms
            .keys
            .get(key_id)
            .ok_or_else(|| not_found_key(key_id))?;
        let version = k.material.len().saturating_sub(1);
        let material = k
            .material
            .get(version)
            .ok_or_else(|| not_found_key(key_id))?;
        let sealed = gcm_seal(material, &nonce, &context_aad(ec), plaintext);
        let mut blob = Vec::with_capacity(BLOB_HEADER + sealed.len());
        blob.extend_from_slice(BLOB_MAGIC);
        blob.extend_from_slice(k.key_id.as_bytes());
        blob.extend_from_slice(&(version as u32).to_be_bytes());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(blob)
    }

    /// The key id a ciphertext blob names, if it is well formed.
    pub(crate) fn blob_key_id(blob: &[u8]) -> Option<String> {
        if blob.len() < BLOB_HEADER + 16 || &blob[..4] != BLOB_MAGIC {
            return None;
        }
        String::from_utf8(blob[4..40].to_vec()).ok()
    }

    fn unwrap_blob(&self, blob: &[u8], ec: &Context) -> AwsResult<Vec<u8>> {
        let bad = || {
            AwsError::new(
                "InvalidCiphertextException",
                "The ciphertext is invalid, or its encryption context does not match.",
            )
        };
        let key_id = Self::blob_key_id(blob).ok_or_else(bad)?;
        let k = self.kms.keys.get(&key_id).ok_or_else(bad)?;
        let version = u32::from_be_bytes([blob[40], blob[41], blob[42], blob[43]]) as usize;
        let material = k.material.get(version).ok_or_else(bad)?;
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&blob[44..56]);
        gcm_open(material, &nonce, &context_aad(ec), &blob[BLOB_HEADER..]).map_err(|_| bad())
    }

    /// GenerateDataKey(WithoutPlaintext): a fresh random data key, wrapped under the key.
    /// `action` is the IAM action authorized (`kms:GenerateDataKeyWithoutPlaintext` for what
    /// EBS calls), so that a grant or policy naming only one of the two is honoured exactly.
    pub(crate) fn kms_generate(
        &mut self,
        ctx: &KmsCtx,
        key_ref: &str,
        bytes: usize,
        ec: &Context,
        action: &str,
    ) -> AwsResult<(Vec<u8>, Vec<u8>, String)> {
        let id = self.resolve_key(key_ref, &ctx.account, &ctx.region)?;
        let k = self.usable_key(&id)?;
        if !k.is_symmetric() {
            return Err(AwsError::new(
                "InvalidKeyUsageException",
                format!(
                    "{} key usage is {} which is not valid for GenerateDataKey.",
                    k.arn, k.key_usage
                ),
            ));
        }
        if bytes == 0 || bytes > 1024 {
            return Err(AwsError::new("ValidationException", "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024"));
        }
        let arn = k.arn.clone();
        self.kms_authorize(ctx, action, &id, ec, &[])?;
        let mut dk = vec![0u8; bytes];
        self.rng.fill(&mut dk);
        let blob = self.wrap(&id, &dk, ec)?;
        Ok((blob, dk, arn))
    }

    /// Decrypt: unwraps a blob; checks the named key, the key state, authorization and the context.
    pub(crate) fn kms_decrypt(
        &mut self,
        ctx: &KmsCtx,
        blob: &[u8],
        key_ref: Option<&str>,
        ec: &Context,
    ) -> AwsResult<(Vec<u8>, String)> {
        let Some(blob_key) = Self::blob_key_id(blob) else {
            return Err(AwsError::new(
                "InvalidCiphertextException",
                "The ciphertext is invalid, or its encryption context does not match.",
            ));
        };
        let Some(k) = self.kms.keys.get(&blob_key) else {
            return Err(not_found_key(&blob_key));
        };
        if k.state == KeyState::Deleted {
            return Err(not_found_key(&k.arn));
        }
        if let Some(r) = key_ref {
            let named = self.resolve_key(r, &ctx.account, &ctx.region)?;
            if named != blob_key {
                return Err(AwsError::new("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation."));
            }
        }
        let k = self.usable_key(&blob_key)?;
        let arn = k.arn.clone();
        self.kms_authorize(ctx, "kms:Decrypt", &blob_key, ec, &[])?;
        let pt = self.unwrap_blob(blob, ec)?;
        Ok((pt, arn))
    }

    /// ReEncrypt: decrypts under the source key and context, encrypts under the destination.
    pub(crate) fn kms_reencrypt(
        &mut self,
        ctx: &KmsCtx,
        blob: &[u8],
        src_ec: &Context,
        dst_ref: &str,
        dst_ec: &Context,
    ) -> AwsResult<(Vec<u8>, String, String)> {
        let Some(src_id) = Self::blob_key_id(blob) else {
            return Err(AwsError::new(
                "InvalidCiphertextException",
                "The ciphertext is invalid, or its encryption context does not match.",
            ));
        };
        let src_arn = self.usable_key(&src_id)?.arn.clone();
        let dst_id = self.resolve_key(dst_ref, &ctx.account, &ctx.region)?;
        let dst = self.usable_key(&dst_id)?;
        if !dst.is_symmetric() {
            return Err(AwsError::new(
                "InvalidKeyUsageException",
                format!("{} key usage is not valid for ReEncrypt.", dst.arn),
            ));
        }
        let dst_arn = dst.arn.clone();
        self.kms_authorize(ctx, "kms:ReEncryptFrom", &src_id, src_ec, &[])?;
        self.kms_authorize(ctx, "kms:ReEncryptTo", &dst_id, dst_ec, &[])?;
        let pt = self.unwrap_blob(blob, src_ec)?;
        let out = self.wrap(&dst_id, &pt, dst_ec)?;
        Ok((out, src_arn, dst_arn))
    }

    /// CreateGrant.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn kms_create_grant(
        &mut self,
        ctx: &KmsCtx,
        key_ref: &str,
        grantee: &str,
        operations: &[String],
        retiring: Option<&str>,
        subset: Option<Context>,
        equals: Option<Context>,
        name: Option<String>,
    ) -> AwsResult<(String, String)> {
        if operations.is_empty() {
            return Err(AwsError::new("ValidationException", "1 validation error detected: Value at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1"));
        }
        if let Some(bad) = operations
            .iter()
            .find(|o| !GRANT_OPERATIONS.contains(&o.as_str()))
        {
            return Err(AwsError::new("ValidationException", format!("1 validation error detected: Value '{bad}' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: [{}]", GRANT_OPERATIONS.join(", "))));
        }
        if grantee.trim().is_empty() {
            return Err(AwsError::new(
                "ValidationException",
                "GranteePrincipal must not be empty.",
            ));
        }
        if subset.is_some() && equals.is_some() {
            return Err(AwsError::new(
                "ValidationException",
                "A grant can have EncryptionContextSubset or EncryptionContextEquals, not both.",
            ));
        }
        let id = self.resolve_key(key_ref, &ctx.account, &ctx.region)?;
        let k = self.usable_key(&id)?;
        let arn = k.arn.clone();
        let ec = subset
            .clone()
            .or_else(|| equals.clone())
            .unwrap_or_default();
        self.kms_authorize(ctx, "kms:CreateGrant", &id, &ec, operations)?;
        let grant_id = self.rng.token();
        let token = format!("AQpAM2{}", self.rng.token());
        self.kms.grants.insert(
            grant_id.clone(),
            Grant {
                grant_id: grant_id.clone(),
                token: token.clone(),
                key_arn: arn,
                name,
                grantee: grantee.to_string(),
                retiring: retiring.map(str::to_string),
                operations: operations.to_vec(),
                context_subset: subset,
                context_equals: equals,
                issuing_account: ctx.account.clone(),
                created: self.now,
            },
        );
        Ok((grant_id, token))
    }

    /// RetireGrant: allowed for the retiring principal, the grantee when the grant includes
    /// RetireGrant, or the account that created it.
    pub(crate) fn kms_retire_grant(&mut self, ctx: &KmsCtx, grant_id: &str) -> AwsResult<()> {
        let Some(g) = self.kms.grants.get(grant_id) else {
            return Err(AwsError::new(
                "NotFoundException",
                format!("Grant ID {grant_id} not found"),
            ));
        };
        let allowed = g.retiring.as_deref() == Some(ctx.principal.as_str())
            || (g.grantee == ctx.principal && g.operations.iter().any(|o| o == "RetireGrant"))
            || ctx.principal == format!("arn:aws:iam::{}:root", g.issuing_account);
        let decision = AuthDecision {
            allowed,
            reason: if allowed {
                "RetireGrant is allowed for the grant's retiring principal, its grantee (with RetireGrant), or the account that created it.".into()
            } else {
                format!(
                    "User: {} is not authorized to perform: kms:RetireGrant on resource: {}",
                    ctx.principal, g.key_arn
                )
            },
            steps: vec![
                format!(
                    "retiring principal: {}",
                    g.retiring.clone().unwrap_or_else(|| "(none)".into())
                ),
                format!("grantee: {}", g.grantee),
            ],
        };
        if let Some(&i) = self.open.last() {
            if let Some(c) = self.trace.get_mut(i) {
                c.auth = Some(decision.clone());
            }
        }
        if !allowed {
            return Err(AwsError::new("AccessDeniedException", decision.reason));
        }
        self.kms.grants.remove(grant_id);
        Ok(())
    }

    /// Processes automatic rotations that fell due.
    pub(crate) fn kms_rotate_due(&mut self) {
        let now = self.now;
        let due: Vec<String> = self
            .kms
            .keys
            .values()
            .filter(|k| {
                k.rotation_enabled
                    && k.state == KeyState::Enabled
                    && k.next_rotation.is_some_and(|t| t <= now)
            })
            .map(|k| k.key_id.clone())
            .collect();
        for id in due {
            self.rotate(&id);
            let (account, region, arn, period) = match self.kms.keys.get_mut(&id) {
                Some(k) => {
                    k.next_rotation = Some(now + k.rotation_period_days * DAY);
                    (
                        k.account.clone(),
                        k.region.clone(),
                        k.arn.clone(),
                        k.rotation_period_days,
                    )
                }
                None => continue,
            };
            self.event(
                Participant::Kms,
                Participant::Kms,
                "RotateKey",
                &account,
                &region,
                json!({"KeyId": arn, "RotationPeriodInDays": period}),
                None,
            );
        }
    }

    fn rotate(&mut self, id: &str) {
        let material = self.rng.bytes::<32>();
        let now = self.now;
        if let Some(k) = self.kms.keys.get_mut(id) {
            k.material.push(material);
            k.material_versions = k.material.len();
            k.rotations.push(now);
        }
    }

    /// Completes a scheduled deletion, if it is still scheduled.
    pub(crate) fn kms_delete_now(&mut self, id: &str) {
        let now = self.now;
        let Some(k) = self.kms.keys.get_mut(id) else {
            return;
        };
        if k.state != KeyState::PendingDeletion || k.deletion_due.is_none_or(|d| d > now) {
            return;
        }
        k.state = KeyState::Deleted;
        for m in k.material.iter_mut() {
            *m = [0u8; 32];
        }
        k.material.clear();
        let (account, region, arn) = (k.account.clone(), k.region.clone(), k.arn.clone());
        self.kms.aliases.retain(|_, v| v != id);
        self.kms.grants.retain(|_, g| g.key_arn != arn);
        self.event(
            Participant::Kms,
            Participant::Kms,
            "DeleteKey",
            &account,
            &region,
            json!({"KeyId": arn}),
            None,
        );
    }

    /// KMS requests made by the user (console, CLI, forms).
    pub(crate) fn kms_user_dispatch(
        &mut self,
        caller: &Caller,
        op: &str,
        p: &Value,
    ) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        match op {
            "CreateKey" => self.kms_create_key(caller, p),
            "DescribeKey" => {
                let key_id = Params::new("kms", p, &["KeyId"])?.str("KeyId")?;
                let id = self.authorized_key(&ctx, &key_id, "kms:DescribeKey")?;
                let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
                Ok(json!({ "KeyMetadata": k.metadata() }))
            }
            "ListKeys" => Ok(
                json!({"Keys": self.kms.keys.values().filter(|k| k.account == caller.account && k.region == caller.region && k.state != KeyState::Deleted).map(|k| json!({"KeyId": k.key_id, "KeyArn": k.arn})).collect::<Vec<_>>()}),
            ),
            "CreateAlias" => {
                let q = Params::new("kms", p, &["AliasName", "TargetKeyId"])?;
                let alias_name = q.str("AliasName")?;
                let target_key_id = q.str("TargetKeyId")?;
                if !alias_name.starts_with("alias/")
                    || alias_name.len() < 7
                    || alias_name.len() > 256
                    || !alias_name[6..]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
                {
                    return Err(AwsError::new("ValidationException", format!("Alias must start with the prefix \"alias/\" and contain only alphanumeric characters, '/', '_' or '-': {}", alias_name)));
                }
                if alias_name.starts_with("alias/aws/") {
                    return Err(AwsError::new(
                        "NotAuthorizedException",
                        "Cannot create alias with prefix 'alias/aws/'",
                    ));
                }
                let k = (
                    caller.account.clone(),
                    caller.region.clone(),
                    alias_name.clone(),
                );
                if self.kms.aliases.contains_key(&k) {
                    return Err(AwsError::new(
                        "AlreadyExistsException",
                        format!(
                            "An alias with the name arn:aws:kms:{}:{}:{} already exists",
                            caller.region, caller.account, alias_name
                        ),
                    ));
                }
                let id = self.resolve_key(&target_key_id, &caller.account, &caller.region)?;
                if self.key(&id).is_some_and(|k| k.aws_managed) {
                    return Err(AwsError::new(
                        "NotAuthorizedException",
                        "Cannot point an alias at an AWS managed key.",
                    ));
                }
                self.kms_authorize(&ctx, "kms:CreateAlias", &id, &Context::new(), &[])?;
                self.kms.aliases.insert(k, id);
                Ok(json!({}))
            }
            "DeleteAlias" => {
                let q = Params::new("kms", p, &["AliasName"])?;
                let alias_name = q.str("AliasName")?;
                let k = (
                    caller.account.clone(),
                    caller.region.clone(),
                    alias_name.clone(),
                );
                match self.kms.aliases.remove(&k) {
                    Some(_) => Ok(json!({})),
                    None => Err(AwsError::new(
                        "NotFoundException",
                        format!(
                            "Alias arn:aws:kms:{}:{}:{} is not found.",
                            caller.region, caller.account, alias_name
                        ),
                    )),
                }
            }
            "ListAliases" => {
                let q = Params::new("kms", p, &["KeyId"])?;
                let key_id = q.opt_str("KeyId")?;
                let filter = match key_id {
                    Some(r) => Some(self.resolve_key(&r, &caller.account, &caller.region)?),
                    None => None,
                };
                let list: Vec<Value> = self
                    .kms
                    .aliases
                    .iter()
                    .filter(|((acct, reg, _), id)| *acct == caller.account && *reg == caller.region && filter.as_ref().is_none_or(|f| f == *id))
                    .map(|((acct, reg, name), id)| json!({"AliasName": name, "AliasArn": format!("arn:aws:kms:{reg}:{acct}:{name}"), "TargetKeyId": id}))
                    .collect();
                Ok(json!({ "Aliases": list }))
            }
            "EnableKey" | "DisableKey" => {
                let key_id = Params::new("kms", p, &["KeyId"])?.str("KeyId")?;
                let id = self.authorized_key(&ctx, &key_id, &format!("kms:{op}"))?;
                let k = self
                    .kms
                    .keys
                    .get_mut(&id)
                    .ok_or_else(|| not_found_key(&id))?;
                if k.aws_managed {
                    return Err(AwsError::new("AccessDeniedException", format!("User: {} is not authorized to perform: kms:{op} on resource: {} because AWS managed keys cannot be enabled or disabled", caller.principal, k.arn)));
                }
                if k.state == KeyState::PendingDeletion {
                    return Err(AwsError::new(
                        "KMSInvalidStateException",
                        format!("{} is pending deletion.", k.arn),
                    ));
                }
                k.state = if op == "EnableKey" {
                    KeyState::Enabled
                } else {
                    KeyState::Disabled
                };
                Ok(json!({}))
            }
            "ScheduleKeyDeletion" => {
                let q = Params::new("kms", p, &["KeyId", "PendingWindowInDays"])?;
                let key_id = q.str("KeyId")?;
                let pending_window_in_days = q.opt_i64("PendingWindowInDays")?;
                let days = pending_window_in_days.unwrap_or(30);
                if !(7..=30).contains(&days) {
                    return Err(AwsError::new("ValidationException", format!("1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30")));
                }
                let id = self.authorized_key(&ctx, &key_id, "kms:ScheduleKeyDeletion")?;
                let now = self.now;
                let k = self
                    .kms
                    .keys
                    .get_mut(&id)
                    .ok_or_else(|| not_found_key(&id))?;
                if k.aws_managed {
                    return Err(AwsError::new("AccessDeniedException", format!("User: {} is not authorized to perform: kms:ScheduleKeyDeletion on resource: {} because AWS managed keys cannot be deleted", caller.principal, k.arn)));
                }
                if k.state == KeyState::PendingDeletion {
                    return Err(AwsError::new(
                        "KMSInvalidStateException",
                        format!("{} is pending deletion.", k.arn),
                    ));
                }
                let due = now + days as u64 * DAY;
                k.state = KeyState::PendingDeletion;
                k.deletion_due = Some(due);
                k.pending_window_days = Some(days as u64);
                let out = json!({"KeyId": k.arn, "DeletionDate": unix(due), "KeyState": "PendingDeletion", "PendingWindowInDays": days});
                self.schedule(days as u64 * DAY, Pending::KeyDeleted(id));
                Ok(out)
            }
            "CancelKeyDeletion" => {
                let key_id = Params::new("kms", p, &["KeyId"])?.str("KeyId")?;
                let id = self.authorized_key(&ctx, &key_id, "kms:CancelKeyDeletion")?;
                let k = self
                    .kms
                    .keys
                    .get_mut(&id)
                    .ok_or_else(|| not_found_key(&id))?;
                if k.state != KeyState::PendingDeletion {
                    return Err(AwsError::new(
                        "KMSInvalidStateException",
                        format!("{} is not pending deletion.", k.arn),
                    ));
                }
                k.state = KeyState::Disabled;
                k.deletion_due = None;
                k.pending_window_days = None;
                Ok(json!({"KeyId": k.arn}))
            }
            "EnableKeyRotation" | "DisableKeyRotation" => {
                let q = Params::new("kms", p, &["KeyId", "RotationPeriodInDays"])?;
                let key_id = q.str("KeyId")?;
                let rotation_period_in_days = q.opt_i64("RotationPeriodInDays")?;
                let period = rotation_period_in_days.unwrap_or(365);
                if !(90..=2560).contains(&period) {
                    return Err(AwsError::new(
                        "ValidationException",
                        "RotationPeriodInDays must be between 90 and 2560.",
                    ));
                }
                let id = self.authorized_key(&ctx, &key_id, &format!("kms:{op}"))?;
                let now = self.now;
                let k = self
                    .kms
                    .keys
                    .get_mut(&id)
                    .ok_or_else(|| not_found_key(&id))?;
                if k.aws_managed {
                    return Err(AwsError::new("AccessDeniedException", format!("User: {} is not authorized to perform: kms:{op} on resource: {} because AWS managed keys are rotated by AWS", caller.principal, k.arn)));
                }
                if let Some(e) = state_error(k) {
                    return Err(e);
                }
                if !k.is_symmetric() {
                    return Err(AwsError::new("UnsupportedOperationException", format!("{} is not a symmetric encryption key; automatic rotation is not supported.", k.arn)));
                }
                k.rotation_enabled = op == "EnableKeyRotation";
                k.rotation_period_days = period as u64;
                k.next_rotation = k.rotation_enabled.then_some(now + period as u64 * DAY);
                Ok(json!({}))
            }
            "GetKeyRotationStatus" => {
                let key_id = Params::new("kms", p, &["KeyId"])?.str("KeyId")?;
                let id = self.authorized_key(&ctx, &key_id, "kms:GetKeyRotationStatus")?;
                let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
                let mut out = json!({"KeyRotationEnabled": k.rotation_enabled, "KeyId": k.arn});
                if k.rotation_enabled {
                    out["RotationPeriodInDays"] = json!(k.rotation_period_days);
                    out["NextRotationDate"] = json!(k.next_rotation.map(unix));
                }
                Ok(out)
            }
            "RotateKeyOnDemand" => {
                let key_id = Params::new("kms", p, &["KeyId"])?.str("KeyId")?;
                let id = self.authorized_key(&ctx, &key_id, "kms:RotateKeyOnDemand")?;
                let k = self.usable_key(&id)?;
                if !k.is_symmetric() || k.aws_managed {
                    return Err(AwsError::new(
                        "UnsupportedOperationException",
                        format!("{} does not support on-demand rotation.", k.arn),
                    ));
                }
                let arn = k.arn.clone();
                self.rotate(&id);
                Ok(json!({"KeyId": arn}))
            }
            "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext" => {
                let q = Params::new(
                    "kms",
                    p,
                    &[
                        "KeyId",
                        "NumberOfBytes",
                        "KeySpec",
                        "EncryptionContext",
                        "GrantTokens",
                    ],
                )?;
                let key_id = q.str("KeyId")?;
                let number_of_bytes = q.opt_i64("NumberOfBytes")?;
                let key_spec = q.opt_str("KeySpec")?;
                let encryption_context = q.opt_context("EncryptionContext")?;
                q.opt_strs("GrantTokens")?;
                let n = match (number_of_bytes, key_spec.as_deref()) {
                    (Some(_), Some(_)) => return Err(AwsError::new("ValidationException", "Specify either KeySpec or NumberOfBytes, not both.")),
                    (Some(n), None) => usize::try_from(n).unwrap_or(0),
                    (None, Some("AES_256")) => 32,
                    (None, Some("AES_128")) => 16,
                    (None, Some(other)) => return Err(AwsError::new("ValidationException", format!("Value '{other}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"))),
                    (None, None) => return Err(AwsError::new("ValidationException", "Please specify either number of bytes or key spec.")),
                };
                let ec = encryption_context.unwrap_or_default();
                let action = if op == "GenerateDataKey" {
                    "kms:GenerateDataKey"
                } else {
                    "kms:GenerateDataKeyWithoutPlaintext"
                };
                let (blob, pt, arn) = self.kms_generate(&ctx, &key_id, n, &ec, action)?;
                let mut out = json!({"CiphertextBlob": B64.encode(&blob), "KeyId": arn});
                if op == "GenerateDataKey" {
                    out["Plaintext"] = json!(B64.encode(&pt));
                }
                Ok(out)
            }
            "Encrypt" => {
                let q = Params::new("kms", p, &["KeyId", "Plaintext", "EncryptionContext"])?;
                let key_id = q.str("KeyId")?;
                let plaintext = q.str("Plaintext")?;
                let encryption_context = q.opt_context("EncryptionContext")?;
                let ec = encryption_context.unwrap_or_default();
                let pt = B64
                    .decode(plaintext.as_bytes())
                    .unwrap_or_else(|_| plaintext.into_bytes());
                if pt.is_empty() || pt.len() > 4096 {
                    return Err(AwsError::new(
                        "ValidationException",
                        "Plaintext must be between 1 and 4096 bytes.",
                    ));
                }
                let id = self.resolve_key(&key_id, &caller.account, &caller.region)?;
                let k = self.usable_key(&id)?;
                if !k.is_symmetric() {
                    return Err(AwsError::new("UnsupportedOperationException", "The playground implements only symmetric encryption; EBS cannot use asymmetric keys."));
                }
                let arn = k.arn.clone();
                self.kms_authorize(&ctx, "kms:Encrypt", &id, &ec, &[])?;
                let blob = self.wrap(&id, &pt, &ec)?;
                Ok(
                    json!({"CiphertextBlob": B64.encode(&blob), "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
                )
            }
            "Decrypt" => {
                let q = Params::new(
                    "kms",
                    p,
                    &[
                        "CiphertextBlob",
                        "KeyId",
                        "EncryptionContext",
                        "EncryptionAlgorithm",
                        "GrantTokens",
                    ],
                )?;
                let ciphertext_blob = q.str("CiphertextBlob")?;
                let key_id = q.opt_str("KeyId")?;
                let encryption_context = q.opt_context("EncryptionContext")?;
                q.opt_str("EncryptionAlgorithm")?;
                q.opt_strs("GrantTokens")?;
                let blob = B64.decode(ciphertext_blob.trim().as_bytes()).map_err(|_| {
                    AwsError::new(
                        "InvalidCiphertextException",
                        "The ciphertext is not valid base64.",
                    )
                })?;
                let ec = encryption_context.unwrap_or_default();
                let (pt, arn) = self.kms_decrypt(&ctx, &blob, key_id.as_deref(), &ec)?;
                Ok(
                    json!({"KeyId": arn, "Plaintext": B64.encode(&pt), "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
                )
            }
            "ReEncrypt" => {
                let q = Params::new(
                    "kms",
                    p,
                    &[
                        "CiphertextBlob",
                        "DestinationKeyId",
                        "SourceKeyId",
                        "SourceEncryptionContext",
                        "DestinationEncryptionContext",
                    ],
                )?;
                let ciphertext_blob = q.str("CiphertextBlob")?;
                let destination_key_id = q.str("DestinationKeyId")?;
                let source_key_id = q.opt_str("SourceKeyId")?;
                let source_encryption_context = q.opt_context("SourceEncryptionContext")?;
                let destination_encryption_context =
                    q.opt_context("DestinationEncryptionContext")?;
                let blob = B64.decode(ciphertext_blob.trim().as_bytes()).map_err(|_| {
                    AwsError::new(
                        "InvalidCiphertextException",
                        "The ciphertext is not valid base64.",
                    )
                })?;
                if let Some(s) = &source_key_id {
                    let named = self.resolve_key(s, &caller.account, &caller.region)?;
                    if Self::blob_key_id(&blob).as_deref() != Some(named.as_str()) {
                        return Err(AwsError::new("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation."));
                    }
                }
                let (out, src, dst) = self.kms_reencrypt(
                    &ctx,
                    &blob,
                    &source_encryption_context.unwrap_or_default(),
                    &destination_key_id,
                    &destination_encryption_context.unwrap_or_default(),
                )?;
                Ok(
                    json!({"CiphertextBlob": B64.encode(&out), "SourceKeyId": src, "KeyId": dst, "SourceEncryptionAlgorithm": "SYMMETRIC_DEFAULT", "DestinationEncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
                )
            }
            "CreateGrant" => {
                let q = Params::new(
                    "kms",
                    p,
                    &[
                        "KeyId",
                        "GranteePrincipal",
                        "Operations",
                        "RetiringPrincipal",
                        "Constraints",
                        "Name",
                        "GrantTokens",
                    ],
                )?;
                q.opt_strs("GrantTokens")?;
                let constraints = q.opt_struct(
                    "Constraints",
                    &["EncryptionContextSubset", "EncryptionContextEquals"],
                )?;
                let (subset, equals) = match constraints {
                    Some(c) => (
                        c.opt_context("EncryptionContextSubset")?,
                        c.opt_context("EncryptionContextEquals")?,
                    ),
                    None => (None, None),
                };
                let (grant_id, token) = self.kms_create_grant(
                    &ctx,
                    &q.str("KeyId")?,
                    &q.str("GranteePrincipal")?,
                    &q.strs("Operations")?,
                    q.opt_str("RetiringPrincipal")?.as_deref(),
                    subset,
                    equals,
                    q.opt_str("Name")?,
                )?;
                Ok(json!({"GrantToken": token, "GrantId": grant_id}))
            }
            "ListGrants" => {
                let q = Params::new("kms", p, &["KeyId", "GrantId", "GranteePrincipal"])?;
                let key_id = q.str("KeyId")?;
                let grant_id = q.opt_str("GrantId")?;
                let grantee_principal = q.opt_str("GranteePrincipal")?;
                let id = self.authorized_key(&ctx, &key_id, "kms:ListGrants")?;
                let arn = self.key(&id).map(|k| k.arn.clone()).unwrap_or_default();
                let grants: Vec<Value> = self
                    .kms
                    .grants_on(&arn)
                    .into_iter()
                    .filter(|g| {
                        grant_id.as_ref().is_none_or(|x| *x == g.grant_id)
                            && grantee_principal.as_ref().is_none_or(|x| *x == g.grantee)
                    })
                    .map(Grant::to_json)
                    .collect();
                Ok(json!({"Grants": grants, "Truncated": false}))
            }
            "RetireGrant" => {
                let q = Params::new("kms", p, &["GrantToken", "KeyId", "GrantId"])?;
                let grant_token = q.opt_str("GrantToken")?;
                let key_id = q.opt_str("KeyId")?;
                let grant_id = q.opt_str("GrantId")?;
                let gid = match (grant_token, grant_id) {
                    (Some(t), _) => self
                        .kms
                        .grants
                        .values()
                        .find(|g| g.token == t)
                        .map(|g| g.grant_id.clone())
                        .ok_or_else(|| {
                            AwsError::new(
                                "InvalidGrantTokenException",
                                "The grant token is not valid.",
                            )
                        })?,
                    (None, Some(g)) => {
                        if key_id.is_none() {
                            return Err(AwsError::new(
                                "ValidationException",
                                "RetireGrant needs GrantToken, or KeyId and GrantId.",
                            ));
                        }
                        g
                    }
                    (None, None) => {
                        return Err(AwsError::new(
                            "ValidationException",
                            "RetireGrant needs GrantToken, or KeyId and GrantId.",
                        ))
                    }
                };
                self.kms_retire_grant(&ctx, &gid)?;
                Ok(json!({}))
            }
            "RevokeGrant" => {
                let q = Params::new("kms", p, &["KeyId", "GrantId"])?;
                let key_id = q.str("KeyId")?;
                let grant_id = q.str("GrantId")?;
                let id = self.authorized_key(&ctx, &key_id, "kms:RevokeGrant")?;
                let arn = self.key(&id).map(|k| k.arn.clone()).unwrap_or_default();
                match self.kms.grants.get(&grant_id) {
                    Some(g) if g.key_arn == arn => {
                        self.kms.grants.remove(&grant_id);
                        Ok(json!({}))
                    }
                    _ => Err(AwsError::new(
                        "NotFoundException",
                        format!("Grant ID {} not found", grant_id),
                    )),
                }
            }
            "GetKeyPolicy" => {
                let q = Params::new("kms", p, &["KeyId", "PolicyName"])?;
                let key_id = q.str("KeyId")?;
                let policy_name = q.opt_str("PolicyName")?;
                if policy_name.as_deref().is_some_and(|n| n != "default") {
                    return Err(AwsError::new("NotFoundException", "No such policy exists"));
                }
                let id = self.authorized_key(&ctx, &key_id, "kms:GetKeyPolicy")?;
                let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
                Ok(
                    json!({"Policy": serde_json::to_string_pretty(&k.policy).unwrap_or_default(), "PolicyName": "default"}),
                )
            }
            "PutKeyPolicy" => {
                let q = Params::new(
                    "kms",
                    p,
                    &[
                        "KeyId",
                        "Policy",
                        "PolicyName",
                        "BypassPolicyLockoutSafetyCheck",
                    ],
                )?;
                let key_id = q.str("KeyId")?;
                let policy = q.str("Policy")?;
                let policy_name = q.opt_str("PolicyName")?;
                let bypass_policy_lockout_safety_check =
                    q.opt_bool("BypassPolicyLockoutSafetyCheck")?;
                if policy_name.as_deref().is_some_and(|n| n != "default") {
                    return Err(AwsError::new(
                        "ValidationException",
                        "PolicyName must be \"default\".",
                    ));
                }
                let id = self.authorized_key(&ctx, &key_id, "kms:PutKeyPolicy")?;
                if self.key(&id).is_some_and(|k| k.aws_managed) {
                    return Err(AwsError::new("AccessDeniedException", format!("User: {} is not authorized to perform: kms:PutKeyPolicy on resource: {} because the policies of AWS managed keys cannot be changed", caller.principal, self.key(&id).map(|k| k.arn.clone()).unwrap_or_default())));
                }
                let doc = if bypass_policy_lockout_safety_check.unwrap_or(false) {
                    policy::validate_policy(&policy)
                } else {
                    policy::validate_key_policy(&policy, &caller.principal, &caller.account)
                }
                .map_err(|m| AwsError::new("MalformedPolicyDocumentException", m))?;
                if let Some(k) = self.kms.keys.get_mut(&id) {
                    k.policy = doc;
                }
                Ok(json!({}))
            }
            _ => Err(AwsError::new(
                "InvalidAction",
                format!("The action {op} is not valid for the kms service in this playground."),
            )),
        }
    }

    fn kms_create_key(&mut self, caller: &Caller, p: &Value) -> AwsResult<Value> {
        let q = Params::new(
            "kms",
            p,
            &[
                "Description",
                "KeySpec",
                "CustomerMasterKeySpec",
                "KeyUsage",
                "Policy",
                "BypassPolicyLockoutSafetyCheck",
                "Tags",
                "MultiRegion",
            ],
        )?;
        let description = q.opt_str("Description")?;
        let key_spec = q.opt_str("KeySpec")?;
        let customer_master_key_spec = q.opt_str("CustomerMasterKeySpec")?;
        let key_usage = q.opt_str("KeyUsage")?;
        let policy_doc = q.opt_str("Policy")?;
        let bypass_policy_lockout_safety_check = q.opt_bool("BypassPolicyLockoutSafetyCheck")?;
        let multi_region = q.opt_bool("MultiRegion")?;
        self.kms_authorize_create_key(caller)?;
        if multi_region == Some(true) {
            return Err(AwsError::new(
                "UnsupportedOperationException",
                "Multi-Region keys are not modelled by this playground.",
            ));
        }
        let spec = key_spec
            .or(customer_master_key_spec)
            .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
        if !KEY_SPECS.contains(&spec.as_str()) {
            return Err(AwsError::new("ValidationException", format!("1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [{}]", KEY_SPECS.join(", "))));
        }
        let usage = key_usage.unwrap_or_else(|| {
            if spec.starts_with("ECC") {
                "SIGN_VERIFY".into()
            } else if spec.starts_with("HMAC") {
                "GENERATE_VERIFY_MAC".into()
            } else {
                "ENCRYPT_DECRYPT".into()
            }
        });
        let ok_usage = match spec.as_str() {
            "SYMMETRIC_DEFAULT" => usage == "ENCRYPT_DECRYPT",
            s if s.starts_with("RSA") => usage == "ENCRYPT_DECRYPT" || usage == "SIGN_VERIFY",
            s if s.starts_with("ECC") => usage == "SIGN_VERIFY" || usage == "KEY_AGREEMENT",
            _ => usage == "GENERATE_VERIFY_MAC",
        };
        if !ok_usage {
            return Err(AwsError::new(
                "ValidationException",
                format!("KeyUsage {usage} is not compatible with KeySpec {spec}."),
            ));
        }
        let policy = match policy_doc {
            Some(doc) => if bypass_policy_lockout_safety_check.unwrap_or(false) {
                policy::validate_policy(&doc)
            } else {
                policy::validate_key_policy(&doc, &caller.principal, &caller.account)
            }
            .map_err(|m| AwsError::new("MalformedPolicyDocumentException", m))?,
            None => policy::default_key_policy(&caller.account),
        };
        let id = self.rng.uuid();
        let arn = self.key_arn(&caller.account, &caller.region, &id);
        let material = self.rng.bytes::<32>();
        let key = Key {
            key_id: id.clone(),
            arn,
            account: caller.account.clone(),
            region: caller.region.clone(),
            description: description.unwrap_or_default(),
            key_spec: spec,
            key_usage: usage,
            aws_managed: false,
            state: KeyState::Enabled,
            created: self.now,
            deletion_due: None,
            pending_window_days: None,
            rotation_enabled: false,
            rotation_period_days: 365,
            next_rotation: None,
            rotations: vec![],
            policy,
            material_versions: 1,
            material: vec![material],
        };
        let meta = key.metadata();
        self.kms.keys.insert(id, key);
        Ok(json!({ "KeyMetadata": meta }))
    }
}
