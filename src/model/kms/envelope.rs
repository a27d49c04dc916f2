//! Envelope encryption in KMS: data keys generated and wrapped under key material (AES-256-GCM,
//! the encryption context as AAD), Encrypt, Decrypt and ReEncrypt.

use super::*;

impl Sim {
    pub(crate) fn usable_key(&self, id: &str) -> AwsResult<&Key> {
        let k = self.kms.keys.get(id).ok_or_else(|| not_found_key(id))?;
        if let Some(e) = state_error(k) {
            return Err(e);
        }
        Ok(k)
    }

    /// Seals `plaintext` under the current material of the authorized key, its context as AAD.
    pub(crate) fn wrap(&mut self, auth: &Authorized, plaintext: &[u8]) -> AwsResult<Vec<u8>> {
        let (key_id, ec) = (auth.key_id(), auth.context());
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
        let sealed = gcm_seal(material.bytes(), &nonce, &context_aad(ec), plaintext);
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

    /// Opens a blob sealed under the authorized key with the authorized context.
    pub(crate) fn unwrap_blob(
        &self,
        auth: &Authorized,
        blob: &[u8],
    ) -> AwsResult<Zeroizing<Vec<u8>>> {
        let ec = auth.context();
        let bad = || {
            AwsError::new(
                KmsCode::InvalidCiphertextException,
                "The ciphertext is invalid, or its encryption context does not match.",
            )
        };
        let key_id = Self::blob_key_id(blob).ok_or_else(bad)?;
        if key_id != auth.key_id() {
            return Err(bad());
        }
        let k = self.kms.keys.get(&key_id).ok_or_else(bad)?;
        let version = u32::from_be_bytes([blob[40], blob[41], blob[42], blob[43]]) as usize;
        let material = k.material.get(version).ok_or_else(bad)?;
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&blob[44..56]);
        gcm_open(
            material.bytes(),
            &nonce,
            &context_aad(ec),
            &blob[BLOB_HEADER..],
        )
        .map(Zeroizing::new)
        .map_err(|_| bad())
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
    ) -> AwsResult<(Vec<u8>, Zeroizing<Vec<u8>>, String)> {
        let id = self.resolve_key(key_ref, &ctx.account, &ctx.region)?;
        let k = self.usable_key(&id)?;
        if !k.is_symmetric() {
            return Err(AwsError::new(
                KmsCode::InvalidKeyUsageException,
                format!(
                    "{} key usage is {} which is not valid for GenerateDataKey.",
                    k.arn, k.key_usage
                ),
            ));
        }
        if bytes == 0 || bytes > 1024 {
            return Err(AwsError::new(KmsCode::ValidationException, "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024"));
        }
        let arn = k.arn.clone();
        let auth = self.kms_authorize(ctx, action, &id, ec, &[])?;
        let mut dk = Zeroizing::new(vec![0u8; bytes]);
        self.rng.fill(&mut dk);
        let blob = self.wrap(&auth, &dk)?;
        Ok((blob, dk, arn))
    }

    /// Decrypt: unwraps a blob; checks the named key, the key state, authorization and the context.
    pub(crate) fn kms_decrypt(
        &mut self,
        ctx: &KmsCtx,
        blob: &[u8],
        key_ref: Option<&str>,
        ec: &Context,
    ) -> AwsResult<(Zeroizing<Vec<u8>>, String)> {
        let Some(blob_key) = Self::blob_key_id(blob) else {
            return Err(AwsError::new(
                KmsCode::InvalidCiphertextException,
                "The ciphertext is invalid, or its encryption context does not match.",
            ));
        };
        let Some(k) = self.kms.keys.get(&blob_key) else {
            return Err(not_found_key(&blob_key));
        };
        let arn = k.arn.clone();
        self.record_key(&arn);
        let Some(k) = self.kms.keys.get(&blob_key) else {
            return Err(not_found_key(&blob_key));
        };
        if k.state == KeyState::Deleted {
            return Err(not_found_key(&k.arn));
        }
        if let Some(r) = key_ref {
            let named = self.resolve_key(r, &ctx.account, &ctx.region)?;
            if named != blob_key {
                return Err(AwsError::new(KmsCode::IncorrectKeyException, "The key ID in the request does not identify a CMK that can perform this operation."));
            }
        }
        let k = self.usable_key(&blob_key)?;
        let arn = k.arn.clone();
        let auth = self.kms_authorize(ctx, "kms:Decrypt", &blob_key, ec, &[])?;
        let pt = self.unwrap_blob(&auth, blob)?;
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
                KmsCode::InvalidCiphertextException,
                "The ciphertext is invalid, or its encryption context does not match.",
            ));
        };
        let src_arn = self.usable_key(&src_id)?.arn.clone();
        // CloudTrail lists the source key first.
        self.record_key(&src_arn);
        let dst_id = self.resolve_key(dst_ref, &ctx.account, &ctx.region)?;
        let dst = self.usable_key(&dst_id)?;
        if !dst.is_symmetric() {
            return Err(AwsError::new(
                KmsCode::InvalidKeyUsageException,
                format!("{} key usage is not valid for ReEncrypt.", dst.arn),
            ));
        }
        let dst_arn = dst.arn.clone();
        let from = self.kms_authorize(ctx, "kms:ReEncryptFrom", &src_id, src_ec, &[])?;
        let to = self.kms_authorize(ctx, "kms:ReEncryptTo", &dst_id, dst_ec, &[])?;
        let pt = self.unwrap_blob(&from, blob)?;
        let out = self.wrap(&to, &pt)?;
        Ok((out, src_arn, dst_arn))
    }

    /// `GenerateDataKey` and `GenerateDataKeyWithoutPlaintext`.
    pub(crate) fn generate_data_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let op = q.operation();
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let number_of_bytes = q.opt_i64("NumberOfBytes")?;
        let key_spec = q.opt_str("KeySpec")?;
        let encryption_context = q.opt_context("EncryptionContext")?;
        q.opt_strs("GrantTokens")?;
        let n = match (number_of_bytes, key_spec.as_deref()) {
            (Some(_), Some(_)) => return Err(AwsError::new(KmsCode::ValidationException, "Specify either KeySpec or NumberOfBytes, not both.")),
            (Some(n), None) => usize::try_from(n).unwrap_or(0),
            (None, Some("AES_256")) => 32,
            (None, Some("AES_128")) => 16,
            (None, Some(other)) => return Err(AwsError::new(KmsCode::ValidationException, format!("Value '{other}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"))),
            (None, None) => return Err(AwsError::new(KmsCode::ValidationException, "Please specify either number of bytes or key spec.")),
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

    /// `Encrypt`.
    pub(crate) fn encrypt(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let plaintext = q.str("Plaintext")?;
        let encryption_context = q.opt_context("EncryptionContext")?;
        let ec = encryption_context.unwrap_or_default();
        let pt = B64
            .decode(plaintext.as_bytes())
            .unwrap_or_else(|_| plaintext.into_bytes());
        if pt.is_empty() || pt.len() > 4096 {
            return Err(AwsError::new(
                KmsCode::ValidationException,
                "Plaintext must be between 1 and 4096 bytes.",
            ));
        }
        let id = self.resolve_key(&key_id, &caller.account, &caller.region)?;
        let k = self.usable_key(&id)?;
        if !k.is_symmetric() {
            return Err(AwsError::new(KmsCode::UnsupportedOperationException, "The playground implements only symmetric encryption; EBS cannot use asymmetric keys."));
        }
        let arn = k.arn.clone();
        let auth = self.kms_authorize(&ctx, "kms:Encrypt", &id, &ec, &[])?;
        let blob = self.wrap(&auth, &pt)?;
        Ok(
            json!({"CiphertextBlob": B64.encode(&blob), "KeyId": arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
        )
    }

    /// `Decrypt`.
    pub(crate) fn decrypt(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let ciphertext_blob = q.str("CiphertextBlob")?;
        let key_id = q.opt_str("KeyId")?;
        let encryption_context = q.opt_context("EncryptionContext")?;
        q.opt_str("EncryptionAlgorithm")?;
        q.opt_strs("GrantTokens")?;
        let blob = B64.decode(ciphertext_blob.trim().as_bytes()).map_err(|_| {
            AwsError::new(
                KmsCode::InvalidCiphertextException,
                "The ciphertext is not valid base64.",
            )
        })?;
        let ec = encryption_context.unwrap_or_default();
        let (pt, arn) = self.kms_decrypt(&ctx, &blob, key_id.as_deref(), &ec)?;
        Ok(
            json!({"KeyId": arn, "Plaintext": B64.encode(&pt), "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
        )
    }

    /// `ReEncrypt`.
    pub(crate) fn re_encrypt(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let ciphertext_blob = q.str("CiphertextBlob")?;
        let destination_key_id = q.str("DestinationKeyId")?;
        let source_key_id = q.opt_str("SourceKeyId")?;
        let source_encryption_context = q.opt_context("SourceEncryptionContext")?;
        let destination_encryption_context = q.opt_context("DestinationEncryptionContext")?;
        let blob = B64.decode(ciphertext_blob.trim().as_bytes()).map_err(|_| {
            AwsError::new(
                KmsCode::InvalidCiphertextException,
                "The ciphertext is not valid base64.",
            )
        })?;
        if let Some(s) = &source_key_id {
            let named = self.resolve_key(s, &caller.account, &caller.region)?;
            if Self::blob_key_id(&blob).as_deref() != Some(named.as_str()) {
                return Err(AwsError::new(KmsCode::IncorrectKeyException, "The key ID in the request does not identify a CMK that can perform this operation."));
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
}
