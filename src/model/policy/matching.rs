//! Matching helpers: IAM wildcards, principal forms and names, and how lists are shown in
//! explanations.

use super::*;

/// IAM wildcard matching: `*` is any run of characters, `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| a == b || (ignore_case && a.eq_ignore_ascii_case(&b));
    let (mut pi, mut ti) = (0usize, 0usize);
    // Where the last `*` was, and how much text it has swallowed so far.
    let mut back: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi).copied(), t.get(ti).copied()) {
            (Some('*'), _) => {
                back = Some((pi, ti));
                pi += 1;
            }
            (Some(pc), Some(tc)) if pc == '?' || same(pc, tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match back {
                Some((bp, bt)) => {
                    (pi, ti) = (bp + 1, bt + 1);
                    back = Some((bp, bt + 1));
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|&c| c == '*')
}

pub(super) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `ec2.amazonaws.com` → `ec2`; `None` when `s` is not a service principal.
pub(super) fn service_name(s: &str) -> Option<&str> {
    PROVIDER.service_of_principal(s)
}

pub(super) fn is_service(s: &str) -> bool {
    service_name(s).is_some()
}

/// `arn:aws:sts::ACCT:assumed-role/NAME/SESSION` → (ACCT, NAME).
pub(super) fn session_role(arn: &str) -> Option<(&str, &str)> {
    let (account, rest) = PROVIDER.parse_assumed_role(arn)?;
    let (name, _session) = rest.rsplit_once('/')?;
    Some((account, name))
}

/// A principal named in a policy or grant covers the caller: the same ARN; a role and a session
/// of it (sessions do not show the role's path); `ec2.amazonaws.com` and the regional
/// `ec2.us-east-1.amazonaws.com`.
pub(super) fn same_principal(named: &str, caller: &str) -> bool {
    if named == caller {
        return true;
    }
    if let (Some(n), Some(c)) = (service_name(named), service_name(caller)) {
        return !n.contains('.') && c.split('.').next() == Some(n);
    }
    let role = PROVIDER
        .parse_global_arn("iam", named)
        .and_then(|(account, r)| Some((account, r.strip_prefix("role/")?)));
    match (role, session_role(caller)) {
        (Some((account, path_name)), Some((caller_account, name))) => {
            account == caller_account && path_name.rsplit('/').next() == Some(name)
        }
        _ => false,
    }
}

pub(super) fn is_root(req: &Request) -> bool {
    req.principal_arn == root_arn(req.principal_account)
}

pub(super) fn one_or_many(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// Condition values: a string, boolean or number, or a non-empty list of them.
pub(super) fn scalar_list(v: &Value) -> Option<Vec<String>> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        _ => None,
    };
    match v {
        Value::Array(a) if a.is_empty() => None,
        Value::Array(a) => a.iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

pub(super) fn show(list: &[String]) -> String {
    format!("[{}]", list.join(", "))
}

pub(super) fn show_context(ctx: &BTreeMap<String, String>) -> String {
    // Serializing a map of strings cannot fail; the fallback is never used.
    serde_json::to_string(ctx).unwrap_or_default()
}

pub(super) fn text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}
