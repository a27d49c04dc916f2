//! KMS keys: create, describe, list, enable and disable, deletion and its cancellation,
//! rotation, key policies, and the AWS managed keys created on first use.

use super::*;

impl Sim {
    pub(crate) fn key_arn(&self, account: &str, region: &str, id: &str) -> String {
        self.provider.kms_arn(region, account, id)
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
                KmsCode::ValidationException,
                "KeyId must not be empty.",
            ));
        }
        let (acct, reg, rest) = if let Some(arn) = key_ref.strip_prefix("arn:") {
            let parts: Vec<&str> = arn.splitn(5, ':').collect();
            if parts.len() != 5 || parts[1] != "kms" {
                return Err(AwsError::new(
                    KmsCode::NotFoundException,
                    format!("Invalid keyId {key_ref}"),
                ));
            }
            if parts[2] != region {
                return Err(AwsError::new(KmsCode::NotFoundException, format!("Invalid arn {key_ref}: KMS keys are regional and this request is in {region}.")));
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
                None if name == self.provider.s3_managed_key_alias() => {
                    let arn = self.ensure_service_key(ManagedKeyFor::S3, &acct, &reg);
                    arn.rsplit('/').next().unwrap_or_default().to_string()
                }
                None if name == self.provider.rds_managed_key_alias() => {
                    let arn = self.ensure_service_key(ManagedKeyFor::Rds, &acct, &reg);
                    arn.rsplit('/').next().unwrap_or_default().to_string()
                }
                None => {
                    return Err(AwsError::new(
                        KmsCode::NotFoundException,
                        format!(
                            "Alias {} is not found.",
                            self.provider.arn("kms", &reg, &acct, &name)
                        ),
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
                let arn = k.arn.clone();
                self.record_key(&arn);
                Ok(id)
            }
            _ => Err(not_found_key(&self.key_arn(&acct, &reg, &id))),
        }
    }

    pub(crate) fn key(&self, id: &str) -> Option<&Key> {
        self.kms.keys.get(id).map(|k| &**k)
    }

    /// The ARN of the AWS managed key for EBS in an account and region, creating it on first use.
    pub(crate) fn ensure_managed_key(&mut self, account: &str, region: &str) -> String {
        self.ensure_service_key(ManagedKeyFor::Ebs, account, region)
    }

    /// The ARN of a service's AWS managed key (`alias/aws/ebs`, `alias/aws/s3`) in an account
    /// and region, creating it on first use as the service does.
    pub(crate) fn ensure_service_key(
        &mut self,
        service: ManagedKeyFor,
        account: &str,
        region: &str,
    ) -> String {
        let alias_name = service.alias(&self.provider);
        let alias = (
            account.to_string(),
            region.to_string(),
            alias_name.to_string(),
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
            description: service.description().into(),
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
            policy: match service {
                ManagedKeyFor::Ebs => policy::aws_managed_ebs_policy(account, region),
                ManagedKeyFor::S3 => policy::aws_managed_s3_policy(account, region),
                ManagedKeyFor::Rds => {
                    crate::model::rds::aws_managed_rds_policy(&self.provider, account, region)
                }
            },
            material_versions: 1,
            tags: BTreeMap::new(),
            material: vec![KeyMaterial::new(material)],
        };
        self.kms.keys.insert(id.clone(), Box::new(key));
        self.kms.aliases.insert(alias, id);
        let detail = json!({"KeyId": arn, "AliasName": alias_name, "KeyManager": "AWS"});
        match service {
            ManagedKeyFor::Ebs => self.event(
                Participant::Ebs,
                Participant::Kms,
                "CreateKey",
                account,
                region,
                detail,
                Some("EBS creates its AWS managed key (alias/aws/ebs) in an account and Region on first use; the exact call is internal to AWS."),
            ),
            ManagedKeyFor::S3 => {
                let by = self.provider.s3_service_principal();
                let spec = CallSpec {
                    from: Participant::S3,
                    to: Participant::Kms,
                    operation: "CreateKey".into(),
                    request: detail,
                    principal: by.clone(),
                    invoked_by: Some(by),
                    account: account.into(),
                    region: region.into(),
                    approximation: Some("S3 creates its AWS managed key (alias/aws/s3) in an account and Region the first time SSE-KMS is asked for without a key; the exact call is internal to AWS.".into()),
                    doc: Some("If you don't specify a customer managed key, Amazon S3 automatically creates an AWS managed key in your AWS account the first time that you add an object encrypted with SSE-KMS to a bucket (Amazon S3 User Guide, UsingKMSEncryption).".into()),
                    is_event: true,
                    ..CallSpec::default()
                };
                self.record(spec, Value::Null, None);
            }
            ManagedKeyFor::Rds => self.event(
                Participant::Rds,
                Participant::Kms,
                "CreateKey",
                account,
                region,
                detail,
                Some("RDS creates its AWS managed key (alias/aws/rds) in an account and Region on first use; the exact call is internal to AWS."),
            ),
        }
        arn
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

    pub(crate) fn rotate(&mut self, id: &str) {
        let material = self.rng.bytes::<32>();
        let now = self.now;
        if let Some(k) = self.kms.keys.get_mut(id) {
            k.material.push(KeyMaterial::new(material));
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
        // Dropping the material zeroes it.
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

    pub(crate) fn create_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let description = q.opt_str("Description")?;
        let key_spec = q.opt_str("KeySpec")?;
        let customer_master_key_spec = q.opt_str("CustomerMasterKeySpec")?;
        let key_usage = q.opt_str("KeyUsage")?;
        let policy_doc = q.opt_str("Policy")?;
        let bypass_policy_lockout_safety_check = q.opt_bool("BypassPolicyLockoutSafetyCheck")?;
        let multi_region = q.opt_bool("MultiRegion")?;
        let origin = q.opt_str("Origin")?;
        let custom_store = q.opt_str("CustomKeyStoreId")?.or(q.opt_str("XksKeyId")?);
        let tags = tags::read_tags(q)?;
        self.kms_authorize_create_key(caller)?;
        if origin.as_deref().is_some_and(|o| o != "AWS_KMS") || custom_store.is_some() {
            return Err(AwsError::new(
                KmsCode::UnsupportedOperationException,
                "Imported key material and custom key stores are not modelled by this playground: create the key with Origin AWS_KMS.",
            ));
        }
        if multi_region == Some(true) {
            return Err(AwsError::new(
                KmsCode::UnsupportedOperationException,
                "Multi-Region keys are not modelled by this playground.",
            ));
        }
        let spec = key_spec
            .or(customer_master_key_spec)
            .unwrap_or_else(|| "SYMMETRIC_DEFAULT".into());
        if !KEY_SPECS.contains(&spec.as_str()) {
            return Err(AwsError::new(KmsCode::ValidationException, format!("1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [{}]", KEY_SPECS.join(", "))));
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
                KmsCode::ValidationException,
                format!("KeyUsage {usage} is not compatible with KeySpec {spec}."),
            ));
        }
        let policy = match policy_doc {
            Some(doc) => if bypass_policy_lockout_safety_check.unwrap_or(false) {
                policy::validate_policy(&doc)
            } else {
                policy::validate_key_policy(&doc, &caller.principal, &caller.account)
            }
            .map_err(|m| AwsError::new(KmsCode::MalformedPolicyDocumentException, m))?,
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
            tags: BTreeMap::new(),
            material: vec![KeyMaterial::new(material)],
        };
        let meta = key.metadata();
        let key = Key { tags, ..key };
        let arn = key.arn.clone();
        self.kms.keys.insert(id, Box::new(key));
        self.record_key(&arn);
        Ok(json!({ "KeyMetadata": meta }))
    }

    /// `DescribeKey`.
    pub(crate) fn describe_key(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let id = self.authorized_key(&ctx, &key_id, "kms:DescribeKey")?;
        let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
        Ok(json!({ "KeyMetadata": k.metadata() }))
    }

    /// `ListKeys`.
    pub(crate) fn list_keys(&mut self, caller: &Caller, _q: &Params) -> AwsResult<Value> {
        Ok(
            json!({"Keys": self.kms.keys.values().filter(|k| k.account == caller.account && k.region == caller.region && k.state != KeyState::Deleted).map(|k| json!({"KeyId": k.key_id, "KeyArn": k.arn})).collect::<Vec<_>>()}),
        )
    }

    /// `EnableKey` and `DisableKey`.
    pub(crate) fn enable_or_disable_key(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let op = q.operation();
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let id = self.authorized_key(&ctx, &key_id, &format!("kms:{op}"))?;
        let k = self
            .kms
            .keys
            .get_mut(&id)
            .ok_or_else(|| not_found_key(&id))?;
        if k.aws_managed {
            return Err(AwsError::new(KmsCode::AccessDeniedException, format!("User: {} is not authorized to perform: kms:{op} on resource: {} because AWS managed keys cannot be enabled or disabled", caller.principal, k.arn)));
        }
        if k.state == KeyState::PendingDeletion {
            return Err(AwsError::new(
                KmsCode::KmsInvalidStateException,
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

    /// `ScheduleKeyDeletion`.
    pub(crate) fn schedule_key_deletion(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let pending_window_in_days = q.opt_i64("PendingWindowInDays")?;
        let days = pending_window_in_days.unwrap_or(30);
        if !(7..=30).contains(&days) {
            return Err(AwsError::new(KmsCode::ValidationException, format!("1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30")));
        }
        let id = self.authorized_key(&ctx, &key_id, "kms:ScheduleKeyDeletion")?;
        let now = self.now;
        let k = self
            .kms
            .keys
            .get_mut(&id)
            .ok_or_else(|| not_found_key(&id))?;
        if k.aws_managed {
            return Err(AwsError::new(KmsCode::AccessDeniedException, format!("User: {} is not authorized to perform: kms:ScheduleKeyDeletion on resource: {} because AWS managed keys cannot be deleted", caller.principal, k.arn)));
        }
        if k.state == KeyState::PendingDeletion {
            return Err(AwsError::new(
                KmsCode::KmsInvalidStateException,
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

    /// `CancelKeyDeletion`.
    pub(crate) fn cancel_key_deletion(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let id = self.authorized_key(&ctx, &key_id, "kms:CancelKeyDeletion")?;
        let k = self
            .kms
            .keys
            .get_mut(&id)
            .ok_or_else(|| not_found_key(&id))?;
        if k.state != KeyState::PendingDeletion {
            return Err(AwsError::new(
                KmsCode::KmsInvalidStateException,
                format!("{} is not pending deletion.", k.arn),
            ));
        }
        k.state = KeyState::Disabled;
        k.deletion_due = None;
        k.pending_window_days = None;
        Ok(json!({"KeyId": k.arn}))
    }

    /// `EnableKeyRotation` and `DisableKeyRotation`.
    pub(crate) fn enable_or_disable_key_rotation(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let op = q.operation();
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let rotation_period_in_days = q.opt_i64("RotationPeriodInDays")?;
        let period = rotation_period_in_days.unwrap_or(365);
        if !(90..=2560).contains(&period) {
            return Err(AwsError::new(
                KmsCode::ValidationException,
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
            return Err(AwsError::new(KmsCode::AccessDeniedException, format!("User: {} is not authorized to perform: kms:{op} on resource: {} because AWS managed keys are rotated by AWS", caller.principal, k.arn)));
        }
        if let Some(e) = state_error(k) {
            return Err(e);
        }
        if !k.is_symmetric() {
            return Err(AwsError::new(
                KmsCode::UnsupportedOperationException,
                format!(
                    "{} is not a symmetric encryption key; automatic rotation is not supported.",
                    k.arn
                ),
            ));
        }
        k.rotation_enabled = op == "EnableKeyRotation";
        k.rotation_period_days = period as u64;
        k.next_rotation = k.rotation_enabled.then_some(now + period as u64 * DAY);
        Ok(json!({}))
    }

    /// `GetKeyRotationStatus`.
    pub(crate) fn get_key_rotation_status(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let id = self.authorized_key(&ctx, &key_id, "kms:GetKeyRotationStatus")?;
        let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
        // While a key is pending deletion its rotation status is false; cancelling the deletion
        // brings the original status back (API_GetKeyRotationStatus, "Pending deletion").
        let enabled = k.rotation_enabled && k.state != KeyState::PendingDeletion;
        let mut out = json!({"KeyRotationEnabled": enabled, "KeyId": k.arn});
        if enabled {
            out["RotationPeriodInDays"] = json!(k.rotation_period_days);
            out["NextRotationDate"] = json!(k.next_rotation.map(unix));
        }
        Ok(out)
    }

    /// `RotateKeyOnDemand`.
    pub(crate) fn rotate_key_on_demand(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let id = self.authorized_key(&ctx, &key_id, "kms:RotateKeyOnDemand")?;
        let k = self.usable_key(&id)?;
        if !k.is_symmetric() || k.aws_managed {
            return Err(AwsError::new(
                KmsCode::UnsupportedOperationException,
                format!("{} does not support on-demand rotation.", k.arn),
            ));
        }
        let arn = k.arn.clone();
        self.rotate(&id);
        Ok(json!({"KeyId": arn}))
    }

    /// `GetKeyPolicy`.
    pub(crate) fn get_key_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let policy_name = q.opt_str("PolicyName")?;
        if policy_name.as_deref().is_some_and(|n| n != "default") {
            return Err(AwsError::new(
                KmsCode::NotFoundException,
                "No such policy exists",
            ));
        }
        let id = self.authorized_key(&ctx, &key_id, "kms:GetKeyPolicy")?;
        let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
        Ok(
            json!({"Policy": serde_json::to_string_pretty(&k.policy).unwrap_or_default(), "PolicyName": "default"}),
        )
    }

    /// `PutKeyPolicy`.
    pub(crate) fn put_key_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let policy = q.str("Policy")?;
        let policy_name = q.opt_str("PolicyName")?;
        let bypass_policy_lockout_safety_check = q.opt_bool("BypassPolicyLockoutSafetyCheck")?;
        if policy_name.as_deref().is_some_and(|n| n != "default") {
            return Err(AwsError::new(
                KmsCode::ValidationException,
                "PolicyName must be \"default\".",
            ));
        }
        let id = self.authorized_key(&ctx, &key_id, "kms:PutKeyPolicy")?;
        if self.key(&id).is_some_and(|k| k.aws_managed) {
            return Err(AwsError::new(KmsCode::AccessDeniedException, format!("User: {} is not authorized to perform: kms:PutKeyPolicy on resource: {} because the policies of AWS managed keys cannot be changed", caller.principal, self.key(&id).map(|k| k.arn.clone()).unwrap_or_default())));
        }
        let doc = if bypass_policy_lockout_safety_check.unwrap_or(false) {
            policy::validate_policy(&policy)
        } else {
            policy::validate_key_policy(&policy, &caller.principal, &caller.account)
        }
        .map_err(|m| AwsError::new(KmsCode::MalformedPolicyDocumentException, m))?;
        if let Some(k) = self.kms.keys.get_mut(&id) {
            k.policy = doc;
        }
        Ok(json!({}))
    }
}

/// The services whose AWS managed key KMS creates on first use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ManagedKeyFor {
    /// `alias/aws/ebs`.
    Ebs,
    /// `alias/aws/s3`.
    S3,
    /// `alias/aws/rds`.
    Rds,
}

impl ManagedKeyFor {
    fn alias(self, provider: &crate::model::provider::Provider) -> String {
        match self {
            ManagedKeyFor::Ebs => provider.managed_key_alias.to_string(),
            ManagedKeyFor::S3 => provider.s3_managed_key_alias().to_string(),
            ManagedKeyFor::Rds => provider.rds_managed_key_alias(),
        }
    }

    fn description(self) -> &'static str {
        match self {
            ManagedKeyFor::Ebs => {
                "Default key that protects my EBS volumes when no other key is defined"
            }
            ManagedKeyFor::S3 => {
                "Default key that protects my S3 objects when no other key is defined"
            }
            ManagedKeyFor::Rds => {
                "Default key that protects my RDS database volumes when no other key is defined"
            }
        }
    }
}
