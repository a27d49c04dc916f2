//! Policy statements: principals (who a statement names and how the caller matches it), and
//! the effect, action and resource checks of one statement.

use super::*;

/// A principal as a policy names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Named {
    Anyone,
    Account(String),
    Arn(String),
    Other(String),
}

/// How a key policy statement covers the caller, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Via {
    /// The caller's account (`arn:aws:iam::ACCT:root` or `ACCT`): delegates to IAM.
    Account,
    /// `"*"`.
    Anyone,
    /// The caller's own ARN (or its role), or its service principal.
    Named,
}

/// A statement as the evaluator reads it; `(true, …)` pairs are the `Not…` forms.
pub(super) struct Stmt<'v> {
    pub(super) label: String,
    pub(super) deny: bool,
    /// `None` when the statement has neither Principal nor NotPrincipal.
    pub(super) principal: Option<(bool, Option<Vec<Named>>)>,
    pub(super) action: Option<(bool, Vec<String>)>,
    pub(super) resource: Option<(bool, Vec<String>)>,
    pub(super) condition: Option<&'v Value>,
}

pub(super) fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => vec![],
    }
}

pub(super) fn parse_principals(v: &Value) -> Option<Vec<Named>> {
    let m = match v {
        Value::String(s) if s == "*" => return Some(vec![Named::Anyone]),
        Value::Object(m) => m,
        _ => return None,
    };
    let mut out = Vec::new();
    for (kind, values) in m {
        for s in one_or_many(values)? {
            let root = PROVIDER
                .parse_global_arn("iam", &s)
                .and_then(|(account, r)| (r == "root").then_some(account));
            out.push(match (kind.as_str(), root) {
                ("AWS", _) if s == "*" => Named::Anyone,
                ("AWS", _) if is_account_id(&s) => Named::Account(s),
                ("AWS", Some(a)) if is_account_id(a) => Named::Account(a.to_string()),
                ("AWS" | "Service", _) => Named::Arn(s),
                _ => Named::Other(format!("{kind}:{s}")),
            });
        }
    }
    Some(out)
}

pub(super) fn show_named(list: &[Named]) -> String {
    let name = |n: &Named| match n {
        Named::Anyone => "*".to_string(),
        Named::Account(a) => root_arn(a),
        Named::Arn(s) | Named::Other(s) => s.clone(),
    };
    show(&list.iter().map(name).collect::<Vec<_>>())
}

pub(super) fn parse_stmt(index: usize, v: &Value) -> Result<Stmt<'_>, String> {
    let label = match v.get("Sid").and_then(Value::as_str) {
        Some(s) if !s.is_empty() => format!("\"{s}\""),
        _ => format!("#{} (no Sid)", index + 1),
    };
    let Some(m) = v.as_object() else {
        return Err(format!(
            "statement {label}: ignored, it is not a JSON object"
        ));
    };
    let deny = match m.get("Effect").and_then(Value::as_str) {
        Some("Allow") => false,
        Some("Deny") => true,
        _ => {
            return Err(format!(
                "statement {label}: ignored, its Effect is not Allow or Deny"
            ))
        }
    };
    let pair = |pos: &str, neg: &str| match (m.get(pos), m.get(neg)) {
        (Some(v), None) => one_or_many(v).map(|l| (false, l)),
        (None, Some(v)) => one_or_many(v).map(|l| (true, l)),
        _ => None,
    };
    let principal = match (m.get("Principal"), m.get("NotPrincipal")) {
        (Some(p), _) => Some((false, parse_principals(p))),
        (None, Some(p)) => Some((true, parse_principals(p))),
        (None, None) => None,
    };
    let (action, resource) = (pair("Action", "NotAction"), pair("Resource", "NotResource"));
    let condition = m.get("Condition");
    Ok(Stmt {
        label,
        deny,
        principal,
        action,
        resource,
        condition,
    })
}

pub(super) fn principal_via(list: &[Named], req: &Request) -> Option<Via> {
    let caller = req.principal_arn;
    let via = |n: &Named| match n {
        Named::Anyone => Some(Via::Anyone),
        Named::Account(a) if a == req.principal_account && !is_service(caller) => {
            Some(Via::Account)
        }
        Named::Arn(s) if same_principal(s, caller) => Some(Via::Named),
        _ => None,
    };
    list.iter().filter_map(via).max()
}

/// Action, resource and condition of a statement, for any kind of policy.
pub(super) fn check_body(s: &Stmt, req: &Request, resource_optional: bool) -> Result<(), String> {
    let (action, key) = (req.action, req.key_arn);
    let Some((not_action, actions)) = &s.action else {
        return Err("it has no valid Action or NotAction, so it has no effect".into());
    };
    match (
        not_action,
        actions.iter().find(|a| wildcard_match(a, action, true)),
    ) {
        (false, None) => return Err(format!("action {action} is not in {}", show(actions))),
        (true, Some(a)) => return Err(format!("NotAction {a} excludes {action}")),
        _ => {}
    }
    let Some((not_resource, resources)) = &s.resource else {
        if resource_optional {
            // A trust policy's statements apply to the role they are attached to.
            return s.condition.map_or(Ok(()), |c| check_conditions(c, req));
        }
        return Err("it has no valid Resource or NotResource, so it has no effect".into());
    };
    match (
        not_resource,
        resources.iter().find(|r| wildcard_match(r, key, false)),
    ) {
        (false, None) => return Err(format!("resource {key} is not in {}", show(resources))),
        (true, Some(r)) => return Err(format!("NotResource {r} excludes {key}")),
        _ => {}
    }
    s.condition.map_or(Ok(()), |c| check_conditions(c, req))
}

/// A statement of a resource-based policy (key policy or trust policy): how it covers the
/// caller, or why it does not apply.
pub(super) fn check_key_statement(
    s: &Stmt,
    req: &Request,
    kind: ResourcePolicy,
) -> Result<Via, String> {
    let via = match &s.principal {
        None => return Err("it has no Principal, so it has no effect".into()),
        Some((_, None)) => return Err("its Principal element is malformed".into()),
        Some((false, Some(list))) => match principal_via(list, req) {
            Some(via) => via,
            None => {
                let (caller, named) = (req.principal_arn, show_named(list));
                return Err(format!("principal {caller} is not covered by {named}"));
            }
        },
        // In NotPrincipal an account excludes the account itself (its root user), not the
        // users and roles in it.
        Some((true, Some(list))) => match principal_via(list, req) {
            Some(Via::Account) if !is_root(req) => Via::Anyone,
            Some(_) => {
                return Err(format!(
                    "NotPrincipal {} excludes the caller",
                    show_named(list)
                ))
            }
            None => Via::Anyone,
        },
    };
    check_body(s, req, kind == ResourcePolicy::Trust)?;
    Ok(via)
}
