//! KMS grants: create (with constraints), list, retire, revoke.

use super::*;

impl Sim {
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
            return Err(AwsError::new(KmsCode::ValidationException, "1 validation error detected: Value at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1"));
        }
        if let Some(bad) = operations
            .iter()
            .find(|o| !GRANT_OPERATIONS.contains(&o.as_str()))
        {
            return Err(AwsError::new(KmsCode::ValidationException, format!("1 validation error detected: Value '{bad}' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: [{}]", GRANT_OPERATIONS.join(", "))));
        }
        if grantee.trim().is_empty() {
            return Err(AwsError::new(
                KmsCode::ValidationException,
                "GranteePrincipal must not be empty.",
            ));
        }
        if subset.is_some() && equals.is_some() {
            return Err(AwsError::new(
                KmsCode::ValidationException,
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
            Box::new(Grant {
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
            }),
        );
        Ok((grant_id, token))
    }

    /// RetireGrant: allowed for the retiring principal, the grantee when the grant includes
    /// RetireGrant, or the account that created it.
    pub(crate) fn kms_retire_grant(&mut self, ctx: &KmsCtx, grant_id: &str) -> AwsResult<()> {
        let Some(g) = self.kms.grants.get(grant_id) else {
            return Err(AwsError::new(
                KmsCode::NotFoundException,
                format!("Grant ID {grant_id} not found"),
            ));
        };
        let allowed = g.retiring.as_deref() == Some(ctx.principal.as_str())
            || (g.grantee == ctx.principal && g.operations.iter().any(|o| o == "RetireGrant"))
            || ctx.principal == self.provider.root_arn(&g.issuing_account);
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
            return Err(AwsError::new(
                KmsCode::AccessDeniedException,
                decision.reason,
            ));
        }
        self.kms.grants.remove(grant_id);
        Ok(())
    }

    /// `CreateGrant`.
    pub(crate) fn create_grant(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
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

    /// `ListGrants`.
    pub(crate) fn list_grants(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
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
            .map(|g| g.to_json(&self.provider))
            .collect();
        Ok(json!({"Grants": grants, "Truncated": false}))
    }

    /// `RetireGrant`.
    pub(crate) fn retire_grant(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
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
                        KmsCode::InvalidGrantTokenException,
                        "The grant token is not valid.",
                    )
                })?,
            (None, Some(g)) => {
                if key_id.is_none() {
                    return Err(AwsError::new(
                        KmsCode::ValidationException,
                        "RetireGrant needs GrantToken, or KeyId and GrantId.",
                    ));
                }
                g
            }
            (None, None) => {
                return Err(AwsError::new(
                    KmsCode::ValidationException,
                    "RetireGrant needs GrantToken, or KeyId and GrantId.",
                ))
            }
        };
        self.kms_retire_grant(&ctx, &gid)?;
        Ok(json!({}))
    }

    /// `RevokeGrant`.
    pub(crate) fn revoke_grant(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let ctx = KmsCtx::user(caller);
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
                KmsCode::NotFoundException,
                format!("Grant ID {} not found", grant_id),
            )),
        }
    }
}
