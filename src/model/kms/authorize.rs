//! Authorization of KMS requests: the key policy, IAM policies and grants evaluated together, the
//! decision recorded on the call.

use super::*;

/// Proof that KMS authorized a request on one key with one encryption context. Only
/// [`Sim::kms_authorize`] can make one (its fields are private to this file), and wrapping or
/// unwrapping a data key ([`Sim::wrap`], [`Sim::unwrap_blob`]) takes one: a path that skips
/// authorization does not compile.
#[derive(Debug)]
pub(crate) struct Authorized {
    key_id: String,
    context: Context,
}

impl Authorized {
    /// The key the request was authorized on.
    pub(crate) fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The encryption context it was authorized with: the AAD the data key is bound to.
    pub(crate) fn context(&self) -> &Context {
        &self.context
    }
}

impl Sim {
    /// The one authorization point of KMS: evaluates key policy, identity policies and grants.
    /// Records the decision for the current call; returns AccessDeniedException when denied.
    pub(crate) fn kms_authorize(
        &mut self,
        ctx: &KmsCtx,
        action: &str,
        key_id: &str,
        ec: &Context,
        grant_ops: &[String],
    ) -> AwsResult<Authorized> {
        let Some(arn) = self.kms.keys.get(key_id).map(|k| k.arn.clone()) else {
            return Err(not_found_key(key_id));
        };
        self.record_key(&arn);
        let Some(key) = self.kms.keys.get(key_id) else {
            return Err(not_found_key(key_id));
        };
        let grants: Vec<GrantView> = self
            .kms
            .grants_on(&key.arn)
            .into_iter()
            .map(Grant::view)
            .collect();
        let identity = self.iam.identity_policies(&self.provider, &ctx.principal);
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
        self.kms_decided(d)?;
        Ok(Authorized {
            key_id: key_id.to_string(),
            context: ec.clone(),
        })
    }

    /// Stores a KMS authorization decision on the current call; AccessDeniedException if denied.
    pub(crate) fn kms_decided(&mut self, d: policy::Decision) -> AwsResult<()> {
        let (allowed, reason) = (d.allowed, d.reason.clone());
        let decision = AuthDecision {
            allowed,
            reason: d.reason,
            steps: d.steps,
        };
        self.record_auth(Participant::Kms, decision);
        match allowed {
            true => Ok(()),
            false => Err(AwsError::new(KmsCode::AccessDeniedException, reason)),
        }
    }

    /// Resolves the caller's key reference (id, ARN or alias) in the caller's account and
    /// Region and authorizes `action` on it without an encryption context: the key id.
    pub(crate) fn authorized_key(
        &mut self,
        ctx: &KmsCtx,
        key_ref: &str,
        action: &str,
    ) -> AwsResult<String> {
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let id = self.resolve_key(key_ref, &account, &region)?;
        self.kms_authorize(ctx, action, &id, &Context::new(), &[])?;
        Ok(id)
    }

    /// CreateKey's authorization: there is no key policy yet, so the caller's identity policies
    /// decide. Records the decision on the current call.
    pub(crate) fn kms_authorize_create_key(&mut self, caller: &Caller) -> AwsResult<()> {
        let identity = self
            .iam
            .identity_policies(&self.provider, &caller.principal);
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
}
