//! How EC2 and EBS encrypt a new volume, snapshot or image: the encryption decision (seed 000's
//! outcomes table, seed 001's launch and copy rules) and the KMS calls EBS makes for it.

use super::*;

impl Sim {
    pub(crate) fn ec2_kms_ctx(&self, caller: &Caller) -> KmsCtx {
        KmsCtx {
            from: Participant::Ec2,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            invoked_by: Some({
                let autoscaling = self.provider.service_principal("autoscaling");
                if caller.principal.contains(&autoscaling) {
                    autoscaling
                } else {
                    self.provider.service_principal("ec2-frontend-api")
                }
            }),
            via_service: Some(self.provider.ec2_service(&caller.region)),
            ..KmsCtx::default()
        }
    }

    pub(crate) fn infra_ctx(&self, account: &str, region: &str, principal: String) -> KmsCtx {
        KmsCtx {
            from: Participant::Ec2,
            principal,
            account: account.into(),
            region: region.into(),
            invoked_by: Some("AWS Internal".into()),
            via_service: Some(self.provider.ec2_service(region)),
            ..KmsCtx::default()
        }
    }

    pub(crate) fn ctx_for(&self, id: &str) -> Context {
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
                Ec2Code::InvalidParameterDependency,
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
    pub(crate) fn ebs_key(&mut self, caller: &Caller, key_ref: &str) -> AwsResult<String> {
        match self.resolve_key(key_ref, &caller.account, &caller.region) {
            Ok(id) => {
                let k = self.key(&id).ok_or_else(|| {
                    AwsError::new(Ec2Code::InvalidKmsKeyNotFound, key_ref.to_string())
                })?;
                if !k.is_symmetric() {
                    return Err(AwsError::new(
                        Ec2Code::InvalidParameterValue,
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
                self.provider
                    .kms_arn(&caller.region, &caller.account, key_ref)
            }),
        }
    }

    /// Creates the encryption of a new resource `id` from a plan, making the KMS calls in the
    /// documented order, and transforms `sectors` (source data) into the new resource's data.
    /// Returns the encryption (or None) and the new sectors, or the error that makes the creation fail.
    pub(crate) fn encrypt_new_resource(
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
                return Err(AwsError::new(
                    Ec2Code::InternalError,
                    "reuse without a source key",
                ));
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
                        .map_err(|_| AwsError::new(Ec2Code::InternalError, "sector size"))?;
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
                .map_err(|_| AwsError::new(Ec2Code::InternalError, "sector size"))?;
        }
        drop(dk);
        if let Some(gid) = grant_new {
            self.retire_quietly(caller, &gid, &caller.region);
        }
        Ok((Some(enc), out))
    }

    pub(crate) fn store_metadata(&mut self, caller: &Caller, id: &str, enc: &Encryption) {
        self.record(
            CallSpec {
                from: Participant::Ec2,
                to: Participant::Ebs,
                operation: "StoreEncryptedDataKey".into(),
                request: json!({"ResourceId": id, "KmsKeyId": enc.kms_key_arn, "EncryptedDataKey": format!("{}…", to_hex(&enc.wrapped_key[..enc.wrapped_key.len().min(12)])), "DataKey": enc.data_key_id}),
                principal: self.provider.ec2_service(&caller.region),
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

    pub(crate) fn ec2_grant(
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

    pub(crate) fn ec2_decrypt(&mut self, ctx: &KmsCtx, enc: &Encryption) -> AwsResult<DataKey> {
        let req =
            json!({"encryptionContext": enc.context, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"});
        let ec = enc.context.clone();
        let wrapped = enc.wrapped_key.clone();
        self.kms_traced(ctx, "Decrypt", req, Some(&ec), |s| {
            let (pt, arn) = s.kms_decrypt(ctx, &wrapped, None, &ec)?;
            let dk = DataKey::from_slice(&pt).ok_or_else(|| AwsError::new(Ec2Code::InternalError, "data key length"))?;
            Ok((dk, json!({"keyId": arn, "encryptionAlgorithm": "SYMMETRIC_DEFAULT", "plaintext": "<512-bit data key, delivered over TLS>"})))
        })
    }

    pub(crate) fn retire_quietly(&mut self, caller: &Caller, grant_id: &str, region: &str) {
        let ctx = KmsCtx {
            from: Participant::Ec2,
            principal: self.provider.ec2_service(region),
            account: caller.account.clone(),
            region: region.into(),
            invoked_by: Some(self.provider.service_principal("ec2")),
            ..KmsCtx::default()
        };
        let gid = grant_id.to_string();
        let _ = self.kms_traced(&ctx, "RetireGrant", json!({"grantId": gid}), None, |s| {
            s.kms_retire_grant(&ctx, &gid)?;
            Ok(((), Value::Null))
        });
    }

    pub(crate) fn source_of_snapshot(&self, s: &Snapshot) -> Source {
        Source {
            snapshot_id: Some(s.id.clone()),
            encryption: s.encryption.clone(),
            owner: s.account.clone(),
            region: s.region.clone(),
            sectors: self.snapshot_sectors(&s.id),
            size: s.volume_size,
        }
    }
}
