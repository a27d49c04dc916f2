//! How S3 seals an object's bytes and opens them again: a fresh AES-256 data key per object,
//! AES-256-GCM with the object ARN as AAD, and the data key protected by S3's own key
//! (SSE-S3), by KMS (SSE-KMS: `GenerateDataKey` on write, `Decrypt` on read), or by a
//! bucket-level key that KMS protects (S3 Bucket Key).

use super::*;
use crate::model::crypto::{gcm_open, gcm_seal};
use crate::model::kms::{KmsCtx, ManagedKeyFor};
use crate::model::rng::to_hex;
use crate::model::trace::KeyLocation;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use zeroize::Zeroizing;

/// How long S3 reuses a bucket-level key, in simulated seconds (an approximation: AWS says
/// only "for a time-limited period").
pub(crate) const BUCKET_KEY_REUSE_SECONDS: u64 = 3600;

const DOC_GDK: &str = "To protect an object with SSE-KMS, Amazon S3 asks AWS KMS for a data key (GenerateDataKey), encrypts the object with the plaintext key, stores the encrypted data key with the object and discards the plaintext (AWS KMS Developer Guide, services-s3).";
const DOC_DECRYPT: &str = "To return an SSE-KMS object, Amazon S3 sends its encrypted data key to AWS KMS (Decrypt) and decrypts the object with the plaintext key, which it then discards (AWS KMS Developer Guide, services-s3).";
const DOC_BUCKET_KEY: &str = "With an S3 Bucket Key, AWS KMS protects one bucket-level key, whose encryption context is the bucket ARN; S3 uses it for a time-limited period to create data keys for new objects, which cuts S3's requests to AWS KMS (Amazon S3 User Guide, bucket-key).";
const NOTE_WINDOW: &str = "AWS does not publish how long S3 keeps a bucket-level key: the playground reuses it for 1 hour of simulated time (`play advance --hours 1` moves past it), for any principal, without calling KMS again.";

/// What encryption a write asks for, once the request and the bucket default are combined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    pub sse: Sse,
    /// With SSE-KMS: the key reference (`None`: `alias/aws/s3`).
    pub kms_key: Option<String>,
    pub bucket_key: bool,
    /// Pairs from `SSEKMSEncryptionContext`.
    pub user_context: Context,
}

/// Whether 32 key bytes appear in `text`, in hex (either case) or base64.
pub(crate) fn appears_in(key: &[u8; 32], text: &str) -> bool {
    let hex = to_hex(key);
    let b64 = B64.encode(key);
    [hex.as_str(), &hex[..32], &hex[32..], &b64]
        .iter()
        .any(|s| text.contains(s) || text.contains(&s.to_ascii_uppercase()))
}

fn internal(what: &str) -> AwsError {
    AwsError::new("InternalError", format!("S3 could not {what}."))
}

/// The base64 JSON object of `SSEKMSEncryptionContext`, as S3 takes it.
pub(crate) fn parse_user_context(b64: Option<&str>) -> AwsResult<Context> {
    let Some(text) = b64 else {
        return Ok(Context::new());
    };
    let bad = || {
        S3Code::InvalidArgument.err(
            "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map",
        )
    };
    let raw = B64.decode(text.trim().as_bytes()).map_err(|_| bad())?;
    // Read as text into a `Value` (the one JSON reader the crate compiles), then in key order
    // with the last of repeated keys, as a derived `BTreeMap` reads it.
    let text = std::str::from_utf8(&raw).map_err(|_| bad())?;
    let Ok(Value::Object(members)) = serde_json::from_str::<Value>(text) else {
        return Err(bad());
    };
    let map: BTreeMap<String, Value> = members.into_iter().collect();
    let mut out = Context::new();
    for (k, v) in map {
        let Value::String(v) = v else {
            return Err(bad());
        };
        if k.starts_with("aws:") {
            return Err(S3Code::InvalidArgument.err(format!(
                "Encryption context keys may not start with aws: ({k}); S3 adds aws:s3:arn itself."
            )));
        }
        out.insert(k, v);
    }
    Ok(out)
}

impl Sim {
    fn s3_kms_ctx(&self, caller: &Caller, doc: &str, location: KeyLocation) -> KmsCtx {
        KmsCtx {
            from: Participant::S3,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            invoked_by: Some(self.provider.s3_service_principal()),
            via_service: Some(self.provider.s3_via_service(&caller.region)),
            doc: Some(doc.into()),
            key_location: Some(location),
            ..KmsCtx::default()
        }
    }

    /// S3's own key for SSE-S3 in a Region, made on first use from the seeded generator.
    fn s3_owned_key(&mut self, region: &str) -> [u8; 32] {
        if let Some(k) = self.s3.owned.get(region) {
            return *k.bytes();
        }
        let bytes = self.rng.bytes::<32>();
        self.s3
            .owned
            .insert(region.into(), Box::new(KeyMaterial::new(bytes)));
        bytes
    }

    /// The ARN of the key a plan names (creating `alias/aws/s3` on first use), when KMS knows it.
    fn s3_plan_key_arn(&mut self, caller: &Caller, plan: &Plan) -> Option<String> {
        match &plan.kms_key {
            None => {
                Some(self.ensure_service_key(ManagedKeyFor::S3, &caller.account, &caller.region))
            }
            Some(r) => {
                let id = self.resolve_key(r, &caller.account, &caller.region).ok()?;
                self.key(&id).map(|k| k.arn.clone())
            }
        }
    }

    /// SSE-KMS GenerateDataKey as S3 makes it: a 256-bit key with the given context.
    fn s3_generate(
        &mut self,
        ctx: &KmsCtx,
        key_ref: &str,
        ec: &Context,
        approximation: Option<&str>,
    ) -> AwsResult<(Vec<u8>, Zeroizing<Vec<u8>>, String)> {
        let ctx = KmsCtx {
            approximation: approximation.map(str::to_string),
            ..ctx.clone()
        };
        let req = json!({"keyId": key_ref, "keySpec": "AES_256", "encryptionContext": ec});
        let out = self.kms_traced(&ctx, "GenerateDataKey", req, Some(ec), |s| {
            let (blob, pt, arn) = s.kms_generate(&ctx, key_ref, 32, ec, "kms:GenerateDataKey")?;
            let resp = json!({"keyId": arn, "ciphertextBlob": format!("<{} bytes>", blob.len())});
            Ok(((blob, pt, arn), resp))
        });
        out.map_err(from_kms)
    }

    /// SSE-KMS Decrypt as S3 makes it.
    fn s3_kms_decrypt(
        &mut self,
        ctx: &KmsCtx,
        blob: &[u8],
        ec: &Context,
    ) -> AwsResult<Zeroizing<Vec<u8>>> {
        let req = json!({"encryptionContext": ec, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"});
        let out = self.kms_traced(ctx, "Decrypt", req, Some(ec), |s| {
            let (pt, arn) = s.kms_decrypt(ctx, blob, None, ec)?;
            let resp = json!({"keyId": arn, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"});
            Ok((pt, resp))
        });
        out.map_err(from_kms)
    }

    /// The plaintext bucket key at `index` of `bucket` if S3 still holds it.
    fn s3_cached(&self, bucket: &str, index: usize) -> Option<[u8; 32]> {
        let c = self.s3.cache.get(&(bucket.to_string(), index))?;
        (self.now < c.since.saturating_add(BUCKET_KEY_REUSE_SECONDS)).then(|| *c.key.bytes())
    }

    fn s3_hold(&mut self, bucket: &str, index: usize, key: &[u8]) -> AwsResult<[u8; 32]> {
        let bytes: [u8; 32] = key.try_into().map_err(|_| internal("use the bucket key"))?;
        let cached = CachedKey {
            key: KeyMaterial::new(bytes),
            since: self.now,
        };
        self.s3.cache.insert((bucket.to_string(), index), cached);
        Ok(bytes)
    }

    /// The bucket-level key for new objects under `key_arn` and `ec`: the one S3 holds, or a
    /// new one from KMS. Returns its index and plaintext.
    fn s3_bucket_key_for_write(
        &mut self,
        caller: &Caller,
        bucket: &str,
        key_ref: &str,
        key_arn: Option<&str>,
        ec: &Context,
    ) -> AwsResult<(usize, Zeroizing<[u8; 32]>)> {
        let held = self
            .bucket(bucket)?
            .bucket_keys
            .iter()
            .enumerate()
            .rev()
            .find(|(_, k)| Some(k.kms_key_arn.as_str()) == key_arn && k.context == *ec);
        if let Some((i, _)) = held {
            if let Some(k) = self.s3_cached(bucket, i) {
                return Ok((i, Zeroizing::new(k)));
            }
        }
        let ctx = self.s3_kms_ctx(caller, DOC_BUCKET_KEY, KeyLocation::S3BucketKey);
        let (blob, pt, arn) = self.s3_generate(&ctx, key_ref, ec, Some(NOTE_WINDOW))?;
        let b = self.bucket_mut(bucket)?;
        b.bucket_keys.push(BucketKey {
            kms_key_arn: arn,
            context: ec.clone(),
            created: 0,
            wrapped: blob,
        });
        let i = b.bucket_keys.len() - 1;
        let now = self.now;
        if let Some(k) = self.bucket_mut(bucket)?.bucket_keys.get_mut(i) {
            k.created = now;
        }
        let bytes = self.s3_hold(bucket, i, &pt)?;
        Ok((i, Zeroizing::new(bytes)))
    }

    /// Encrypts `body` as object `key` of `bucket` under `plan`, making S3's KMS calls.
    pub(crate) fn s3_seal(
        &mut self,
        caller: &Caller,
        bucket: &str,
        key: &str,
        plan: &Plan,
        body: &[u8],
    ) -> AwsResult<Object> {
        let object_arn = self.provider.s3_object_arn(bucket, key);
        let ctx_key = self.provider.s3_context_key();
        let aad = object_arn.as_bytes().to_vec();
        let mut sealed = Sealed::default();
        let (dk, kms_key_arn, context): (Zeroizing<Vec<u8>>, Option<String>, Option<Context>) =
            match (plan.sse, plan.bucket_key) {
                (Sse::S3, _) => {
                    let region = self.bucket(bucket)?.region.clone();
                    let owned = Zeroizing::new(self.s3_owned_key(&region));
                    let mut dk = Zeroizing::new(vec![0u8; 32]);
                    self.rng.fill(&mut dk);
                    sealed.key_nonce = self.rng.bytes();
                    sealed.wrapped_key = gcm_seal(&owned, &sealed.key_nonce, &aad, &dk);
                    (dk, None, None)
                }
                (Sse::Kms, false) => {
                    let arn = self.s3_plan_key_arn(caller, plan);
                    let key_ref = arn.clone().or(plan.kms_key.clone()).unwrap_or_default();
                    let mut ec = plan.user_context.clone();
                    ec.insert(ctx_key.into(), object_arn.clone());
                    let ctx = self.s3_kms_ctx(caller, DOC_GDK, KeyLocation::S3PerRequest);
                    let (blob, dk, arn) = self.s3_generate(&ctx, &key_ref, &ec, None)?;
                    sealed.wrapped_key = blob;
                    (dk, Some(arn), Some(ec))
                }
                (Sse::Kms, true) => {
                    let arn = self.s3_plan_key_arn(caller, plan);
                    let key_ref = arn.clone().or(plan.kms_key.clone()).unwrap_or_default();
                    let mut ec = plan.user_context.clone();
                    ec.insert(ctx_key.into(), self.provider.s3_bucket_arn(bucket));
                    let (i, bk) = self.s3_bucket_key_for_write(
                        caller,
                        bucket,
                        &key_ref,
                        arn.as_deref(),
                        &ec,
                    )?;
                    let arn = self
                        .bucket(bucket)?
                        .bucket_keys
                        .get(i)
                        .map(|k| k.kms_key_arn.clone());
                    let mut dk = Zeroizing::new(vec![0u8; 32]);
                    self.rng.fill(&mut dk);
                    sealed.key_nonce = self.rng.bytes();
                    sealed.wrapped_key = gcm_seal(&bk, &sealed.key_nonce, &aad, &dk);
                    sealed.bucket_key = Some(i);
                    (dk, arn, Some(ec))
                }
            };
        let dk: &[u8; 32] = dk
            .as_slice()
            .try_into()
            .map_err(|_| internal("use the data key"))?;
        sealed.nonce = self.rng.bytes();
        sealed.ciphertext = gcm_seal(dk, &sealed.nonce, &aad, body);
        let etag = format!("\"{}\"", to_hex(&self.rng.bytes::<16>()));
        let preview = to_hex(&sealed.ciphertext[..sealed.ciphertext.len().min(16)]);
        Ok(Object {
            key: key.into(),
            size: body.len(),
            etag,
            content_type: "binary/octet-stream".into(),
            last_modified: self.now,
            sse: plan.sse,
            kms_key_arn,
            bucket_key: plan.sse == Sse::Kms && plan.bucket_key,
            context,
            ciphertext_preview: preview,
            sealed,
        })
    }

    /// Decrypts object `key` of `bucket`, making S3's KMS calls (none for SSE-S3 or while S3
    /// holds the bucket key).
    pub(crate) fn s3_open(
        &mut self,
        caller: &Caller,
        bucket: &str,
        key: &str,
    ) -> AwsResult<Zeroizing<Vec<u8>>> {
        let b = self.bucket(bucket)?;
        let region = b.region.clone();
        let obj = b
            .objects
            .get(key)
            .ok_or_else(|| S3Code::NoSuchKey.err("The specified key does not exist."))?;
        let sealed = obj.sealed.clone();
        let (sse, context) = (obj.sse, obj.context.clone().unwrap_or_default());
        let aad = self.provider.s3_object_arn(bucket, key).into_bytes();
        let dk: Zeroizing<Vec<u8>> = match (sse, sealed.bucket_key) {
            (Sse::S3, _) => {
                let owned = Zeroizing::new(self.s3_owned_key(&region));
                let pt = gcm_open(&owned, &sealed.key_nonce, &aad, &sealed.wrapped_key);
                Zeroizing::new(pt.map_err(|_| internal("unwrap the data key"))?)
            }
            (Sse::Kms, None) => {
                let ctx = self.s3_kms_ctx(caller, DOC_DECRYPT, KeyLocation::S3PerRequest);
                self.s3_kms_decrypt(&ctx, &sealed.wrapped_key, &context)?
            }
            (Sse::Kms, Some(i)) => {
                let bk = match self.s3_cached(bucket, i) {
                    Some(k) => Zeroizing::new(k),
                    None => {
                        let Some(held) = self.bucket(bucket)?.bucket_keys.get(i).cloned() else {
                            return Err(internal("find the bucket key"));
                        };
                        let ctx = KmsCtx {
                            approximation: Some(NOTE_WINDOW.into()),
                            ..self.s3_kms_ctx(caller, DOC_BUCKET_KEY, KeyLocation::S3BucketKey)
                        };
                        let pt = self.s3_kms_decrypt(&ctx, &held.wrapped, &held.context)?;
                        Zeroizing::new(self.s3_hold(bucket, i, &pt)?)
                    }
                };
                let pt = gcm_open(&bk, &sealed.key_nonce, &aad, &sealed.wrapped_key);
                Zeroizing::new(pt.map_err(|_| internal("unwrap the data key"))?)
            }
        };
        let dk: &[u8; 32] = dk
            .as_slice()
            .try_into()
            .map_err(|_| internal("use the data key"))?;
        let body = gcm_open(dk, &sealed.nonce, &aad, &sealed.ciphertext)
            .map_err(|_| internal("decrypt the object"))?;
        Ok(Zeroizing::new(body))
    }
}
