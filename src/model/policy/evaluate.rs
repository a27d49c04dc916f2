//! Evaluation: grants, then the key policy, identity policies and grants together as KMS does
//! (an explicit Deny wins; in the key's account IAM counts where the key policy delegates;
//! across accounts both sides must allow), step by step for "Why was this denied?".

use super::*;

pub(super) fn check_grant(g: &GrantView, req: &Request) -> Result<(), String> {
    let (ops, ctx, action) = (show(&g.operations), req.encryption_context, req.action);
    if g.key_arn != req.key_arn {
        return Err(format!("it is for key {}", g.key_arn));
    }
    if !same_principal(&g.grantee_principal, req.principal_arn) {
        return Err(format!(
            "its grantee is {}, not the caller",
            g.grantee_principal
        ));
    }
    let has = |o: &str| g.operations.iter().any(|x| x.eq_ignore_ascii_case(o));
    let op = action.get(4..).filter(|_| {
        action
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("kms:"))
    });
    if !op.is_some_and(has) {
        return Err(format!("{action} is not among its operations {ops}"));
    }
    if action.eq_ignore_ascii_case("kms:CreateGrant") {
        if let Some(extra) = req.grant_operations.iter().find(|o| !has(o)) {
            return Err(format!(
                "a grant passes on only its own operations; {extra} is not in {ops}"
            ));
        }
    }
    let constraints = g.constraints.clone().unwrap_or_default();
    if let Some(subset) = &constraints.encryption_context_subset {
        if let Some((k, v)) = subset.iter().find(|(k, v)| ctx.get(*k) != Some(*v)) {
            let (want, got) = (show_context(subset), show_context(ctx));
            let diff = ctx
                .get(k)
                .map_or(format!("has no {k}"), |h| format!("has {k} = {h}, not {v}"));
            return Err(format!("EncryptionContextSubset {want} is not satisfied: the request's context {got} {diff}"));
        }
    }
    match &constraints.encryption_context_equals {
        Some(equals) if equals != ctx => {
            let (want, got) = (show_context(equals), show_context(ctx));
            Err(format!(
                "EncryptionContextEquals {want} is not satisfied: the request's context is {got}"
            ))
        }
        _ => Ok(()),
    }
}

/// A grant matches a request when its grantee is the caller (or the caller's role), the action's
/// operation is in its operations (for CreateGrant, so are all requested operations), and its
/// constraints hold: EncryptionContextSubset pairs present with exactly equal, case-sensitive
/// values; EncryptionContextEquals an exactly equal map.
pub fn grant_allows(g: &GrantView, req: &Request) -> bool {
    check_grant(g, req).is_ok()
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

pub(super) fn denial(req: &Request, why: &str) -> String {
    let (who, action, key) = (req.principal_arn, req.action, req.key_arn);
    format!("User: {who} is not authorized to perform: {action} on resource: {key} {why}")
}

/// What AWS managed keys let their account's service-linked roles do without extra authorization.
pub(super) const MANAGED_KEY_USE: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
    "kms:CreateGrant",
];

/// What one policy document contributes: the first Deny that applies, and each Allow that applies.
#[derive(Default)]
pub(super) struct Scan {
    pub(super) deny: Option<String>,
    pub(super) allow: Vec<(Via, String)>,
}

/// Scans one policy document, one step per statement.
/// `resource`: the document is that resource-based policy; `None` for an identity policy.
pub(super) fn scan(
    doc: &Value,
    req: &Request,
    head: &str,
    resource: Option<ResourcePolicy>,
    steps: &mut Vec<String>,
) -> Scan {
    let key = resource.is_some();
    let list = statements(doc);
    if list.is_empty() {
        steps.push(format!("{head}: it has no statements."));
    }
    let mut out = Scan::default();
    for (i, v) in list.into_iter().enumerate() {
        let s = match parse_stmt(i, v) {
            Ok(s) => s,
            Err(e) => {
                steps.push(format!("{head} {e}."));
                continue;
            }
        };
        let line = format!(
            "{head} statement {} ({})",
            s.label,
            if s.deny { "Deny" } else { "Allow" }
        );
        let result = match resource {
            Some(kind) => check_key_statement(&s, req, kind),
            None => check_body(&s, req, false).map(|()| Via::Named),
        };
        match result {
            Ok(via) => {
                let how = match via {
                    _ if !key => "",
                    Via::Named => "; it names the caller",
                    Via::Anyone => "; it names every principal (\"*\")",
                    Via::Account if s.deny => "; it names the caller's account",
                    Via::Account => {
                        "; it names the caller's account, which delegates to IAM policies"
                    }
                };
                steps.push(format!("{line}: applies{how}."));
                match s.deny {
                    true => drop(out.deny.get_or_insert(s.label)),
                    false => out.allow.push((via, s.label)),
                }
            }
            Err(why) => steps.push(format!("{line}: does not apply; {why}.")),
        }
    }
    out
}

/// Evaluates a request as KMS does: an explicit Deny in the key policy or an identity policy
/// wins; then the key policy must allow the caller, directly or (through the account principal)
/// together with an identity policy; across accounts both are needed. A matching grant allows
/// what the policies alone would not. AWS managed keys need no extra authorization for their
/// account's service-linked roles.
pub fn evaluate(req: &Request, p: &Policies) -> Decision {
    decide(req, p, ResourcePolicy::Key)
}

/// Evaluates `sts:AssumeRole` on a role as IAM does, with the role's trust policy as the
/// resource-based policy: an explicit Deny wins; a trust statement naming the caller suffices
/// in the role's account; one naming the account (its root) delegates to the caller's identity
/// policies; across accounts both sides must allow. `req.key_arn` is the role's ARN.
pub fn evaluate_trust(req: &Request, trust: &Value, identity: &[(String, Value)]) -> Decision {
    let p = Policies {
        key_policy: trust,
        identity_policies: identity,
        grants: &[],
        key_is_aws_managed: false,
    };
    decide(req, &p, ResourcePolicy::Trust)
}

/// Evaluates an action that no resource-based policy governs, such as `kms:CreateKey` (there is
/// no key yet): only the caller's identity policies count. An explicit Deny wins; otherwise an
/// Allow is needed. An account's root user may do anything in its account.
pub fn evaluate_identity(req: &Request, identity: &[(String, Value)]) -> Decision {
    let (who, action) = (req.principal_arn, req.action);
    let mut steps = vec![format!(
        "Request: {who} calls {action}, which only IAM policies govern: no key policy applies."
    )];
    let finish = |mut steps: Vec<String>, allowed: bool, reason: String| {
        let verdict = if allowed { "ALLOWED" } else { "DENIED" };
        steps.push(format!("Decision: {verdict}. {reason}"));
        Decision {
            allowed,
            reason,
            steps,
        }
    };
    if is_root(req) {
        let why = format!("Allowed: {who} is the account's root user.");
        return finish(steps, true, why);
    }
    if identity.is_empty() {
        steps.push(format!("Identity policies: none attached to {who}."));
    }
    let (mut deny, mut allow) = (None, None);
    for (name, doc) in identity {
        let found = scan(
            doc,
            req,
            &format!("Identity policy \"{name}\""),
            None,
            &mut steps,
        );
        if found.deny.is_some() {
            deny.get_or_insert(name.clone());
        }
        if !found.allow.is_empty() {
            allow.get_or_insert(name.clone());
        }
    }
    if let Some(name) = deny {
        let why = denial(req, "with an explicit deny in an identity-based policy");
        steps.push(format!("Explicit Deny in identity policy \"{name}\" wins."));
        return finish(steps, false, why);
    }
    match allow {
        Some(name) => finish(
            steps,
            true,
            format!("Allowed by identity policy \"{name}\""),
        ),
        None => {
            let why = format!("because no identity-based policy allows the {action} action");
            finish(steps, false, denial(req, &why))
        }
    }
}

/// The resource-based policy a request is evaluated against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ResourcePolicy {
    /// A KMS key policy.
    Key,
    /// An IAM role's trust policy (for `sts:AssumeRole`).
    Trust,
}

impl ResourcePolicy {
    /// "key policy" / "trust policy".
    fn name(self) -> &'static str {
        match self {
            ResourcePolicy::Key => "key policy",
            ResourcePolicy::Trust => "trust policy",
        }
    }

    /// "Key policy" / "Trust policy".
    fn head(self) -> &'static str {
        match self {
            ResourcePolicy::Key => "Key policy",
            ResourcePolicy::Trust => "Trust policy",
        }
    }

    /// What the policy protects: "key" / "role".
    fn noun(self) -> &'static str {
        match self {
            ResourcePolicy::Key => "key",
            ResourcePolicy::Trust => "role",
        }
    }
}

pub(super) fn decide(req: &Request, p: &Policies, kind: ResourcePolicy) -> Decision {
    let (name, noun) = (kind.name(), kind.noun());
    let (who, action) = (req.principal_arn, req.action);
    let via = req
        .via_service
        .map(|v| format!(", via {v}"))
        .unwrap_or_default();
    let for_aws = if req.grant_is_for_aws_resource {
        ", grant for an AWS resource"
    } else {
        ""
    };
    let (caller_acct, key_acct) = (req.principal_account, req.key_account);
    let mut steps = vec![format!(
        "Request: {who} calls {action} on {} (caller account {caller_acct}, {noun} account {key_acct}{via}{for_aws}).",
        req.key_arn
    )];
    let key = scan(p.key_policy, req, kind.head(), Some(kind), &mut steps);
    let (mut id_deny, mut id_allow) = (None, None);
    if p.identity_policies.is_empty() {
        steps.push(format!("Identity policies: none attached to {who}."));
    }
    for (name, doc) in p.identity_policies {
        let head = format!("Identity policy \"{name}\"");
        let found = scan(doc, req, &head, None, &mut steps);
        if found.deny.is_some() {
            id_deny.get_or_insert(format!("\"{name}\""));
        }
        if !found.allow.is_empty() {
            id_allow.get_or_insert(format!("\"{name}\""));
        }
    }
    let mut by_grant = None;
    for g in p.grants {
        let name = g
            .name
            .as_deref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        let (id, grantee, ops) = (&g.grant_id, &g.grantee_principal, show(&g.operations));
        let head = format!("Grant {id}{name} (grantee {grantee}, operations {ops})");
        match check_grant(g, req) {
            Ok(()) => {
                steps.push(format!("{head}: applies."));
                by_grant.get_or_insert(id);
            }
            Err(why) => steps.push(format!("{head}: does not apply; {why}.")),
        }
    }

    let finish = |mut steps: Vec<String>, allowed: bool, reason: String| {
        steps.push(format!(
            "Decision: {}. {reason}",
            if allowed { "ALLOWED" } else { "DENIED" }
        ));
        Decision {
            allowed,
            reason,
            steps,
        }
    };
    if let Some(sid) = key.deny {
        steps.push(format!(
            "Explicit Deny in {name} statement {sid} wins over any Allow or grant."
        ));
        return finish(
            steps,
            false,
            denial(req, "with an explicit deny in a resource-based policy"),
        );
    }
    if let Some(name) = id_deny {
        steps.push(format!(
            "Explicit Deny in identity policy {name} wins over any Allow or grant."
        ));
        return finish(
            steps,
            false,
            denial(req, "with an explicit deny in an identity-based policy"),
        );
    }
    let service = is_service(who);
    let direct = key
        .allow
        .iter()
        .find(|(v, _)| *v != Via::Account)
        .map(|(_, s)| s);
    let delegated = key
        .allow
        .iter()
        .find(|(v, _)| *v == Via::Account)
        .map(|(_, s)| s);
    // In the key's account a statement naming the caller (or "*") suffices and the account
    // principal delegates to IAM; across accounts every key policy Allow needs IAM too.
    let (alone, with_iam) = match caller_acct == key_acct || service {
        true => (direct, delegated),
        false => (None, direct.or(delegated)),
    };
    if let Some(stmt) = alone {
        return finish(steps, true, format!("Allowed by {name} statement {stmt}"));
    }
    let mut missing = "resource";
    if let Some(stmt) = with_iam {
        let allowed = format!("Allowed by {name} statement {stmt}");
        if is_root(req) {
            let why = format!("{allowed} (the account's root user needs no identity policy)");
            return finish(steps, true, why);
        }
        if let Some(name) = &id_allow {
            return finish(steps, true, format!("{allowed} and identity policy {name}"));
        }
        let head = kind.head();
        let verb = match kind {
            ResourcePolicy::Key => "use the key",
            ResourcePolicy::Trust => "assume the role",
        };
        steps.push(format!("{head} statement {stmt} lets account {caller_acct} {verb} only through its IAM policies, and none of the caller's allows {action} on this {noun}."));
        missing = "identity";
    }
    if let Some(id) = by_grant {
        return finish(steps, true, format!("Allowed by grant {id}"));
    }
    let slr = PROVIDER.service_linked_role_prefix(key_acct);
    let managed_use = MANAGED_KEY_USE
        .iter()
        .any(|a| wildcard_match(a, action, true));
    if p.key_is_aws_managed && who.starts_with(&slr) && managed_use {
        let why = format!("Allowed: the service-linked role {who} needs no extra authorization to use its account's AWS managed key");
        return finish(steps, true, why);
    }
    if missing == "resource" {
        steps.push(format!("No {name} statement allows {action} for {who}."));
    }
    let why = format!("because no {missing}-based policy allows the {action} action");
    finish(steps, false, denial(req, &why))
}
