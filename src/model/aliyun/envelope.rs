//! Envelope encryption in Alibaba Cloud KMS: the authorization capability ([`AliAuthorized`],
//! made only by [`Sim::ali_kms_authorize`]), data keys sealed under key material (AES-256-GCM,
//! the encryption context as AAD), and GenerateDataKey, Encrypt and Decrypt.

use super::*;
use crate::model::codes::AliKmsCode;
use crate::model::context::{context_aad, Context};
use crate::model::crypto::{gcm_open, gcm_seal};
use crate::model::trace::{AuthDecision, KeyLocation, Participant};
use crate::model::CallSpec;
use base64::Engine;
use zeroize::Zeroizing;

/// The first bytes of every ciphertext blob this KMS makes.
const BLOB_MAGIC: &[u8; 4] = b"ALK1";

/// Proof that KMS authorized a use of one key with one encryption context. Only
/// [`Sim::ali_kms_authorize`] makes one (the fields are private to this file), and
/// [`Sim::ali_wrap`] and [`Sim::ali_unwrap`] take one: a path that skips authorization does
/// not compile.
#[derive(Debug)]
pub(crate) struct AliAuthorized {
    key_id: String,
    context: Context,
}

impl AliAuthorized {
    /// The key the use was authorized on.
    pub(crate) fn key_id(&self) -> &str {
        &self.key_id
    }
}

/// Who is calling KMS, and how the call is drawn.
#[derive(Clone, Debug, Default)]
pub(crate) struct AliKmsCtx {
    /// The lifeline the call comes from (the user, or ECS).
    pub from: Participant,
    /// The principal: a user, the root account, ECS's service principal or the session of
    /// AliyunECSDiskEncryptDefaultRole.
    pub principal: String,
    /// The service that calls on the account's behalf (`ecs.aliyuncs.com`).
    pub invoked_by: Option<String>,
    /// The account the call is made in.
    pub account: String,
    /// The region.
    pub region: String,
    /// Where the plaintext data key is after the call.
    pub key_location: Option<KeyLocation>,
    /// Why the step is inferred.
    pub approximation: Option<String>,
    /// The sentence of the seed the step corresponds to.
    pub doc: Option<String>,
}

impl Sim {
    /// The one authorization point of Alibaba Cloud KMS. The key must exist and be Enabled.
    /// The service key serves ECS only (its service principal); a CMK serves its account, the
    /// account's RAM users and role sessions whose RAM policies allow `action`. The decision
    /// is recorded on the current call to KMS.
    pub(crate) fn ali_kms_authorize(
        &mut self,
        ctx: &AliKmsCtx,
        action: &str,
        key_id: &str,
        ec: &Context,
    ) -> AwsResult<AliAuthorized> {
        let k = self
            .aliyun
            .keys
            .get(key_id)
            .ok_or_else(|| super::kms::key_not_found(key_id))?;
        let (arn, account, service_key, state) =
            (k.arn.clone(), k.account.clone(), k.service_key, k.state);
        // The record names the key it used, refused or not (ActionTrail's trail by key).
        self.record_key(&arn);
        if state != AliKeyState::Enabled {
            return Err(AwsError::new(
                AliKmsCode::KeyStateConflict,
                format!(
                    "The key {key_id} is {}: it cannot be used until it is Enabled.",
                    state.as_str()
                ),
            ));
        }
        if service_key {
            let ecs = self.provider.ecs_service_principal();
            let allowed = ctx.principal == ecs && ctx.account == account;
            let reason = if allowed {
                format!("Allowed: {arn} is ECS's service key and ECS ({ecs}) uses it.")
            } else {
                format!("Denied: {arn} is ECS's service key; only ECS uses it (the playground's reading of \"managed by the cloud service\").")
            };
            self.record_auth(
                Participant::Kms,
                AuthDecision {
                    allowed,
                    reason: reason.clone(),
                    steps: vec![
                        format!("Request: {} calls {action} on {arn}.", ctx.principal),
                        reason.clone(),
                    ],
                },
            );
            if !allowed {
                return Err(AwsError::new(AliKmsCode::NoPermission, reason));
            }
        } else {
            if ctx.account != account {
                let reason = format!("{} is not in the key's account {account}.", ctx.principal);
                return Err(AwsError::new(AliKmsCode::NoPermission, reason));
            }
            let principal = ctx.principal.clone();
            self.ali_authorize(&principal, &account, Participant::Kms, action, &arn, ec)?;
        }
        Ok(AliAuthorized {
            key_id: key_id.to_string(),
            context: ec.clone(),
        })
    }

    /// Seals `plaintext` under the authorized key's primary version, its context as AAD.
    pub(crate) fn ali_wrap(
        &mut self,
        auth: &AliAuthorized,
        plaintext: &[u8],
    ) -> AwsResult<Vec<u8>> {
        let nonce: [u8; 12] = self.rng.bytes();
        let k = self
            .aliyun
            .keys
            .get(&auth.key_id)
            .ok_or_else(|| super::kms::key_not_found(&auth.key_id))?;
        let version = k.material.len().saturating_sub(1);
        let material = k
            .material
            .get(version)
            .ok_or_else(|| super::kms::key_not_found(&auth.key_id))?;
        let sealed = gcm_seal(
            material.bytes(),
            &nonce,
            &context_aad(&auth.context),
            plaintext,
        );
        let id = auth.key_id.as_bytes();
        let mut blob = Vec::with_capacity(4 + 1 + id.len() + 4 + 12 + sealed.len());
        blob.extend_from_slice(BLOB_MAGIC);
        blob.push(id.len().min(255) as u8);
        blob.extend_from_slice(&id[..id.len().min(255)]);
        blob.extend_from_slice(&(version as u32).to_be_bytes());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(blob)
    }

    /// The key id a blob names, if it is well formed.
    pub(crate) fn ali_blob_key_id(blob: &[u8]) -> Option<String> {
        let rest = blob.strip_prefix(BLOB_MAGIC)?;
        let (&len, rest) = rest.split_first()?;
        let id = rest.get(..len as usize)?;
        String::from_utf8(id.to_vec()).ok()
    }

    /// Opens a blob sealed under the authorized key with the authorized context.
    pub(crate) fn ali_unwrap(
        &self,
        auth: &AliAuthorized,
        blob: &[u8],
    ) -> AwsResult<Zeroizing<Vec<u8>>> {
        let bad = || {
            AwsError::new(
                AliKmsCode::InvalidCiphertext,
                "The ciphertext is invalid, or its encryption context does not match.",
            )
        };
        if Self::ali_blob_key_id(blob).as_deref() != Some(auth.key_id.as_str()) {
            return Err(bad());
        }
        let at = 4 + 1 + auth.key_id.len();
        let version = blob
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or_else(bad)?;
        let nonce: [u8; 12] = blob
            .get(at + 4..at + 16)
            .and_then(|n| n.try_into().ok())
            .ok_or_else(bad)?;
        let sealed = blob.get(at + 16..).ok_or_else(bad)?;
        let k = self.aliyun.keys.get(&auth.key_id).ok_or_else(bad)?;
        let material = k.material.get(version).ok_or_else(bad)?;
        gcm_open(
            material.bytes(),
            &nonce,
            &context_aad(&auth.context),
            sealed,
        )
        .map(Zeroizing::new)
        .map_err(|_| bad())
    }

    /// Records one call to KMS and runs it: the response (plaintext redacted) or the error
    /// goes on the call.
    pub(crate) fn ali_kms_traced<T>(
        &mut self,
        ctx: &AliKmsCtx,
        op: &str,
        request: Value,
        ec: Option<&Context>,
        f: impl FnOnce(&mut Sim) -> AwsResult<(T, Value)>,
    ) -> AwsResult<T> {
        let spec = CallSpec {
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
        };
        self.traced(spec, f)
    }

    /// A new data key of `bytes` bytes under a key: (blob, plaintext, key version id).
    pub(crate) fn ali_generate(
        &mut self,
        ctx: &AliKmsCtx,
        key_id: &str,
        bytes: usize,
        ec: &Context,
    ) -> AwsResult<(Vec<u8>, Zeroizing<Vec<u8>>, String)> {
        let auth = self.ali_kms_authorize(ctx, "kms:GenerateDataKey", key_id, ec)?;
        let symmetric = self
            .aliyun
            .keys
            .get(key_id)
            .is_some_and(|k| k.is_symmetric());
        if !symmetric {
            return Err(AwsError::new(
                AliKmsCode::InvalidParameter,
                format!("The key {key_id} is not a symmetric key: it cannot generate data keys."),
            ));
        }
        let mut dk = Zeroizing::new(vec![0u8; bytes]);
        self.rng.fill(&mut dk);
        let blob = self.ali_wrap(&auth, &dk)?;
        let version = self
            .aliyun
            .keys
            .get(key_id)
            .and_then(|k| k.versions.last().cloned())
            .unwrap_or_default();
        Ok((blob, dk, version))
    }

    /// Decrypts a blob: the key is read from the blob; its state and the caller's
    /// authorization are checked with the context.
    pub(crate) fn ali_decrypt_blob(
        &mut self,
        ctx: &AliKmsCtx,
        blob: &[u8],
        ec: &Context,
    ) -> AwsResult<(Zeroizing<Vec<u8>>, String)> {
        let Some(key_id) = Self::ali_blob_key_id(blob) else {
            return Err(AwsError::new(
                AliKmsCode::InvalidCiphertext,
                "The ciphertext is invalid.",
            ));
        };
        let auth = self.ali_kms_authorize(ctx, "kms:Decrypt", &key_id, ec)?;
        let plain = self.ali_unwrap(&auth, blob)?;
        Ok((plain, auth.key_id().to_string()))
    }

    /// The caller's KMS context for the user-facing operations.
    fn user_ctx(caller: &Caller) -> AliKmsCtx {
        AliKmsCtx {
            from: Participant::User,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            ..AliKmsCtx::default()
        }
    }

    pub(crate) fn ali_generate_data_key(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let key_ref = q.str("KeyId")?;
        let id = self.ali_resolve_key(&key_ref, &caller.account, &caller.region)?;
        let bytes = match (
            q.opt_i64("NumberOfBytes")?,
            q.opt_str("KeySpec")?.as_deref(),
        ) {
            (Some(n), _) if (1..=1024).contains(&n) => n as usize,
            (Some(n), _) => {
                return Err(AwsError::new(
                    AliKmsCode::InvalidParameter,
                    format!("The specified parameter NumberOfBytes is not valid: {n} (1 to 1024)."),
                ))
            }
            (None, Some("AES_128")) => 16,
            (None, _) => 32,
        };
        let ec = context_param(q)?;
        let (blob, dk, version) = self.ali_generate(&Self::user_ctx(caller), &id, bytes, &ec)?;
        let b64 = base64::engine::general_purpose::STANDARD;
        self.ali_ok(json!({
            "KeyId": id,
            "KeyVersionId": version,
            "CiphertextBlob": b64.encode(&blob),
            "Plaintext": b64.encode(&dk[..]),
        }))
    }

    pub(crate) fn ali_encrypt(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let key_ref = q.str("KeyId")?;
        let id = self.ali_resolve_key(&key_ref, &caller.account, &caller.region)?;
        let text = q.str("Plaintext")?;
        if text.is_empty() || text.len() > 6144 {
            return Err(AwsError::new(
                AliKmsCode::InvalidParameter,
                "The specified parameter Plaintext is not valid: 1 to 6144 bytes.",
            ));
        }
        let ec = context_param(q)?;
        let auth = self.ali_kms_authorize(&Self::user_ctx(caller), "kms:Encrypt", &id, &ec)?;
        let blob = self.ali_wrap(&auth, text.as_bytes())?;
        let version = self
            .aliyun
            .keys
            .get(&id)
            .and_then(|k| k.versions.last().cloned())
            .unwrap_or_default();
        let b64 = base64::engine::general_purpose::STANDARD;
        self.ali_ok(
            json!({"KeyId": id, "KeyVersionId": version, "CiphertextBlob": b64.encode(&blob)}),
        )
    }

    pub(crate) fn ali_decrypt(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let blob = b64.decode(q.str("CiphertextBlob")?).map_err(|_| {
            AwsError::new(
                AliKmsCode::InvalidCiphertext,
                "The ciphertext is not valid base64.",
            )
        })?;
        let ec = context_param(q)?;
        let (plain, id) = self.ali_decrypt_blob(&Self::user_ctx(caller), &blob, &ec)?;
        let text = match std::str::from_utf8(&plain) {
            Ok(s) => s.to_string(),
            Err(_) => b64.encode(&plain[..]),
        };
        let version = self
            .aliyun
            .keys
            .get(&id)
            .and_then(|k| k.versions.last().cloned())
            .unwrap_or_default();
        self.ali_ok(json!({"KeyId": id, "KeyVersionId": version, "Plaintext": text}))
    }
}

/// `EncryptionContext`, a JSON object of string pairs given as text.
fn context_param(q: &Params) -> AwsResult<Context> {
    let Some(text) = q.opt_str("EncryptionContext")? else {
        return Ok(Context::new());
    };
    let parsed: Option<Context> = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
        v.as_object()?
            .iter()
            .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect()
    });
    parsed.ok_or_else(|| {
        AwsError::new(
            AliKmsCode::InvalidParameter,
            "The specified parameter EncryptionContext is not valid: a JSON object of string pairs.",
        )
    })
}
