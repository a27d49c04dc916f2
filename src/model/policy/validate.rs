//! Validation of policy documents as KMS and IAM do it: syntax, principals, actions,
//! conditions, and KMS's lockout safety check.

use super::*;

pub(super) fn syntax(detail: &str) -> String {
    format!("Syntax errors in policy. ({detail})")
}

pub(super) fn valid_aws_principal(s: &str) -> bool {
    let parts =
        |n: &str, min: usize| n.split('/').count() >= min && n.split('/').all(|x| !x.is_empty());
    let arn = |service: &str| PROVIDER.parse_global_arn(service, s);
    let ok = match (arn("iam"), arn("sts")) {
        _ if s == "*" || is_account_id(s) => return true,
        (Some((acct, "root")), _) => is_account_id(acct),
        (Some((acct, res)), _) => {
            let name = res
                .strip_prefix("user/")
                .or_else(|| res.strip_prefix("role/"));
            is_account_id(acct) && name.is_some_and(|n| parts(n, 1))
        }
        (_, Some((acct, res))) => {
            is_account_id(acct)
                && res
                    .strip_prefix("assumed-role/")
                    .is_some_and(|n| parts(n, 2))
        }
        _ => false,
    };
    ok && !s.contains('*')
}

pub(super) fn validate_principal(v: &Value) -> Result<(), String> {
    let m = match v {
        Value::String(s) if s == "*" => return Ok(()),
        Value::Object(m) if !m.is_empty() => m,
        _ => return Err(INVALID_PRINCIPAL.into()),
    };
    let service_chars =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    for (kind, values) in m {
        let list = one_or_many(values)
            .filter(|l| !l.is_empty())
            .ok_or(INVALID_PRINCIPAL)?;
        let ok = |s: &String| match kind.as_str() {
            "AWS" => valid_aws_principal(s),
            "Service" => {
                service_name(s).is_some_and(|n| !n.is_empty() && n.chars().all(service_chars))
            }
            "Federated" | "CanonicalUser" => !s.is_empty(),
            _ => false,
        };
        if !list.iter().all(ok) {
            return Err(INVALID_PRINCIPAL.into());
        }
    }
    Ok(())
}

pub(super) fn validate_action(a: &str) -> Result<(), String> {
    let Some((vendor, name)) = a.split_once(':') else {
        return if a == "*" { Ok(()) } else { Err(VENDOR.into()) };
    };
    if vendor.is_empty()
        || !vendor
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(VENDOR.into());
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "*?".contains(c))
    {
        return Err(format!("Policy statement contains an invalid action: {a}"));
    }
    Ok(())
}

pub(super) fn validate_condition(c: &Value) -> Result<(), String> {
    let ops = c
        .as_object()
        .ok_or_else(|| syntax("Condition must be a JSON object"))?;
    for (op, block) in ops {
        if parse_operator(op).is_none() {
            return Err(format!("Invalid Condition type : {op}"));
        }
        let Some(keys) = block.as_object().filter(|k| !k.is_empty()) else {
            return Err(syntax(&format!(
                "condition {op} must map condition keys to values"
            )));
        };
        for (key, values) in keys {
            if !key.contains(':') {
                return Err(VENDOR.into());
            }
            if scalar_list(values).is_none() {
                let what = "must be strings, booleans, numbers or a non-empty list of them";
                return Err(syntax(&format!("the values of condition key {key} {what}")));
            }
        }
    }
    Ok(())
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: at most one, a string or non-empty list.
pub(super) fn element_list(
    m: &Map<String, Value>,
    pos: &str,
    neg: &str,
) -> Result<Option<Vec<String>>, String> {
    match (m.get(pos), m.get(neg)) {
        (Some(_), Some(_)) => Err(syntax(&format!(
            "a statement cannot have both {pos} and {neg}"
        ))),
        (None, None) => Ok(None),
        (Some(v), None) | (None, Some(v)) => match one_or_many(v) {
            Some(l) if !l.is_empty() => Ok(Some(l)),
            _ => Err(syntax(&format!(
                "{pos} must be a string or a non-empty list of strings"
            ))),
        },
    }
}

pub(super) fn validate_statement(
    s: &Value,
    kind: PolicyKind,
    sids: &mut BTreeSet<String>,
) -> Result<(), String> {
    const ELEMENTS: &str =
        "Sid Effect Principal NotPrincipal Action NotAction Resource NotResource Condition";
    let m = s
        .as_object()
        .ok_or_else(|| syntax("each statement must be a JSON object"))?;
    if let Some(k) = m
        .keys()
        .find(|k| !ELEMENTS.split(' ').any(|e| e == k.as_str()))
    {
        return Err(syntax(&format!("unknown statement element \"{k}\"")));
    }
    match m.get("Effect") {
        None => return Err("Missing required field Effect".into()),
        Some(Value::String(e)) if e == "Allow" || e == "Deny" => {}
        Some(other) => {
            let e = other.as_str().unwrap_or("(not a string)");
            return Err(format!(
                "Invalid effect: {e}. The Effect must be \"Allow\" or \"Deny\"."
            ));
        }
    }
    let principal = match (m.get("Principal"), m.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(syntax(
                "a statement cannot have both Principal and NotPrincipal",
            ))
        }
        (p, n) => p.or(n),
    };
    match (kind, principal) {
        (PolicyKind::Identity, Some(_)) => {
            return Err("Policy document should not specify a principal.".into())
        }
        (PolicyKind::Key, None) => {
            return Err("Policy contains a statement with no principal.".into())
        }
        (PolicyKind::Trust, None) => return Err("Missing required field Principal".into()),
        (PolicyKind::Key | PolicyKind::Trust, Some(p)) => validate_principal(p)?,
        (PolicyKind::Identity, None) => {}
    }
    if let Some(sid) = m.get("Sid") {
        let sid = sid.as_str().ok_or_else(|| syntax("Sid must be a string"))?;
        if kind == PolicyKind::Identity && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*".into());
        }
        if !sid.is_empty() && !sids.insert(sid.to_string()) {
            return Err("Statement IDs (SID) in a single policy must be unique.".into());
        }
    }
    // KMS accepts key policy statements without Action or Resource (they have no effect);
    // IAM refuses such identity policies.
    let identity = kind == PolicyKind::Identity;
    match element_list(m, "Action", "NotAction")? {
        Some(actions) => actions.iter().try_for_each(|a| validate_action(a))?,
        None if identity || kind == PolicyKind::Trust => {
            return Err("Policy statement must contain actions.".into())
        }
        None => {}
    }
    if kind == PolicyKind::Trust {
        if m.contains_key("Resource") || m.contains_key("NotResource") {
            return Err("Has prohibited field Resource".into());
        }
        let actions = element_list(m, "Action", "NotAction")?.unwrap_or_default();
        if let Some(a) = actions
            .iter()
            .find(|a| !a.to_ascii_lowercase().starts_with("sts:") && *a != "*")
        {
            return Err(format!(
                "AssumeRole policy may only specify STS AssumeRole actions, not {a}."
            ));
        }
    }
    match element_list(m, "Resource", "NotResource")? {
        Some(list) => {
            if let Some(r) = list.iter().find(|r| *r != "*" && !r.starts_with("arn:")) {
                return Err(format!("Resource {r} must be in ARN format or \"*\"."));
            }
        }
        None if identity => return Err("Policy statement must contain resources.".into()),
        None => {}
    }
    m.get("Condition").map_or(Ok(()), validate_condition)
}

/// Validates a policy document of the given kind; `Err` carries the MalformedPolicyDocument message.
pub fn validate_document(doc: &str, kind: PolicyKind) -> Result<Value, String> {
    const KEY_MAX: usize = 32768;
    const IDENTITY_MAX: usize = 10240;
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{ff}');
    match kind {
        PolicyKind::Key if doc.len() > KEY_MAX => {
            return Err(format!("1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to {KEY_MAX}"));
        }
        PolicyKind::Key => {
            if let Some(c) = doc.chars().find(|&c| !allowed(c)) {
                return Err(format!("Policy contains the character U+{:04X}, which a key policy cannot include (printable ASCII and Latin-1, tab, line feed and carriage return only).", u32::from(c)));
            }
        }
        PolicyKind::Identity | PolicyKind::Trust => {
            if doc.chars().filter(|c| !c.is_whitespace()).count() > IDENTITY_MAX {
                return Err(format!(
                    "Cannot exceed quota for PolicySize: {IDENTITY_MAX}"
                ));
            }
        }
    }
    let v: Value = serde_json::from_str(doc).map_err(|e| syntax(&e.to_string()))?;
    let top = v
        .as_object()
        .ok_or_else(|| syntax("the policy must be a JSON object"))?;
    if let Some(k) = top
        .keys()
        .find(|k| !["Version", "Id", "Statement"].contains(&k.as_str()))
    {
        return Err(syntax(&format!("unknown policy element \"{k}\"")));
    }
    match top.get("Version").map(Value::as_str) {
        None | Some(Some("2012-10-17" | "2008-10-17")) => {}
        Some(_) => return Err(syntax("Version must be \"2012-10-17\" or \"2008-10-17\"")),
    }
    if top.get("Id").is_some_and(|id| !id.is_string()) {
        return Err(syntax("Id must be a string"));
    }
    let list: Vec<&Value> = match top.get("Statement") {
        None => return Err("Missing required field Statement".into()),
        Some(Value::Array(a)) if a.is_empty() => return Err(syntax("Statement must not be empty")),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        Some(_) => return Err(syntax("Statement must be an object or a list of objects")),
    };
    let mut sids = BTreeSet::new();
    list.into_iter()
        .try_for_each(|s| validate_statement(s, kind, &mut sids))?;
    Ok(v)
}

/// Validates a key policy without the lockout check (`BypassPolicyLockoutSafetyCheck`).
pub fn validate_key_policy_syntax(doc: &str) -> Result<Value, String> {
    validate_document(doc, PolicyKind::Key)
}

/// Validates a role's trust policy (CreateRole, UpdateAssumeRolePolicy).
pub fn validate_trust_policy(doc: &str) -> Result<Value, String> {
    validate_document(doc, PolicyKind::Trust)
}

/// Validates an IAM identity policy (PutRolePolicy, PutUserPolicy).
pub fn validate_identity_policy(doc: &str) -> Result<Value, String> {
    validate_document(doc, PolicyKind::Identity)
}

/// Validates a key policy or an identity policy, telling them apart by whether any statement
/// names a Principal. Prefer [`validate_identity_policy`] or [`validate_key_policy_syntax`]
/// when the kind is known.
pub fn validate_policy(doc: &str) -> Result<Value, String> {
    let names = |s: &&Value| s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
    let parsed = serde_json::from_str::<Value>(doc);
    let key = parsed.is_ok_and(|v| statements(&v).iter().any(names));
    validate_document(
        doc,
        if key {
            PolicyKind::Key
        } else {
            PolicyKind::Identity
        },
    )
}

/// Validates a key policy and runs KMS's lockout check: the policy must allow `caller_arn`
/// (named, `"*"`, or through its account) to call `kms:PutKeyPolicy` later, and no Deny may
/// stop it.
pub fn validate_key_policy(
    doc: &str,
    caller_arn: &str,
    caller_account: &str,
) -> Result<Value, String> {
    let v = validate_document(doc, PolicyKind::Key)?;
    let ctx = BTreeMap::new();
    let req = Request {
        principal_arn: caller_arn,
        principal_account: caller_account,
        action: "kms:PutKeyPolicy",
        key_arn: "(the key)",
        key_account: caller_account,
        encryption_context: &ctx,
        grant_is_for_aws_resource: false,
        via_service: None,
        grant_operations: &[],
        external_id: None,
    };
    let mut allowed = false;
    for (i, s) in statements(&v).into_iter().enumerate() {
        let Ok(mut s) = parse_stmt(i, s) else {
            continue;
        };
        // The new key's ARN is not known yet: any Resource element counts as covering it.
        s.resource = s.resource.map(|_| (false, vec!["*".to_string()]));
        match check_key_statement(&s, &req, ResourcePolicy::Key) {
            Ok(_) if s.deny => return Err(LOCKOUT_MESSAGE.into()),
            Ok(_) => allowed = true,
            Err(_) => {}
        }
    }
    if allowed {
        Ok(v)
    } else {
        Err(LOCKOUT_MESSAGE.into())
    }
}
