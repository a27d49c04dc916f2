//! KMS authorization: evaluates key policies, IAM identity policies and grants as AWS KMS does,
//! explains each decision step by step, validates policy documents, and builds the standard
//! key policies (default, console default view, `alias/aws/ebs`).
//!
//! It owns the decision only: where keys, policies and grants are stored (kms.rs, iam.rs), the
//! RetireGrant rules and key states live elsewhere.
//!
//! **Approximations:** principals are checked for form, not for existence; the Numeric, Date,
//! IpAddress and Binary condition operators are accepted, but no key of a simulated request is
//! a number, date or address, so such conditions never hold (negated ones hold when absent).

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A grant as the evaluator sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrantView {
    /// The grant id.
    pub grant_id: String,
    /// The optional grant name.
    pub name: Option<String>,
    /// ARN of the key the grant is on.
    pub key_arn: String,
    /// The principal allowed to use the grant.
    pub grantee_principal: String,
    /// The principal allowed to retire the grant.
    pub retiring_principal: Option<String>,
    /// Operations without `kms:` (`Decrypt`, `CreateGrant`, …).
    pub operations: Vec<String>,
    /// Encryption-context constraints.
    pub constraints: Option<GrantConstraints>,
}

/// The encryption-context constraints of a grant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrantConstraints {
    /// Every pair must be in the request's context, with an exactly equal (case-sensitive) value.
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
    /// The request's context must be exactly this map.
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
}

/// Everything KMS knows about one request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The caller: an account root, user, role, assumed-role session or service principal.
    pub principal_arn: &'a str,
    /// The caller's account.
    pub principal_account: &'a str,
    /// The action, `kms:Decrypt`.
    pub action: &'a str,
    /// The key ARN (for `sts:AssumeRole` the role's ARN; for `kms:CreateKey`, `*`).
    pub key_arn: &'a str,
    /// The key's (or role's) account.
    pub key_account: &'a str,
    /// The request's encryption context (for CreateGrant: the requested constraint).
    pub encryption_context: &'a BTreeMap<String, String>,
    /// True when an AWS service (EC2) makes CreateGrant on the principal's behalf.
    pub grant_is_for_aws_resource: bool,
    /// `ec2.us-east-1.amazonaws.com` when the call comes through EC2.
    pub via_service: Option<&'a str>,
    /// For CreateGrant: the operations requested (`kms:GrantOperations`).
    pub grant_operations: &'a [String],
    /// For AssumeRole: the `ExternalId` the caller passed (`sts:ExternalId`).
    pub external_id: Option<&'a str>,
}

/// An empty encryption context, for requests that carry none.
static NO_CONTEXT: BTreeMap<String, String> = BTreeMap::new();

impl<'a> Request<'a> {
    /// A request without KMS specifics: no encryption context, not through a service, no grant.
    pub fn new(
        principal_arn: &'a str,
        principal_account: &'a str,
        action: &'a str,
        resource_arn: &'a str,
        resource_account: &'a str,
    ) -> Self {
        Request {
            principal_arn,
            principal_account,
            action,
            key_arn: resource_arn,
            key_account: resource_account,
            encryption_context: &NO_CONTEXT,
            grant_is_for_aws_resource: false,
            via_service: None,
            grant_operations: &[],
            external_id: None,
        }
    }
}

/// The inputs besides the request.
#[derive(Clone, Copy, Debug)]
pub struct Policies<'a> {
    /// The key policy document.
    pub key_policy: &'a Value,
    /// The caller's identity policies, by name.
    pub identity_policies: &'a [(String, Value)],
    /// The grants on the key.
    pub grants: &'a [GrantView],
    /// True for AWS managed keys (`alias/aws/ebs`).
    pub key_is_aws_managed: bool,
}

/// The outcome of [`evaluate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether KMS allows the request.
    pub allowed: bool,
    /// What allowed it, or the AccessDeniedException message.
    pub reason: String,
    /// The evaluation: the request, one line per policy statement or grant, the conclusion.
    pub steps: Vec<String>,
}

/// Which kind of policy document is validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// A key policy: every statement names a Principal.
    Key,
    /// An IAM identity policy: no Principal; Action and Resource required.
    Identity,
    /// An IAM role's trust policy: every statement names a Principal and `sts:` actions; no
    /// Resource (the role is the resource).
    Trust,
}

/// KMS's lockout-check message.
pub const LOCKOUT_MESSAGE: &str =
    "The new key policy will not allow you to update the key policy in the future.";
const VENDOR: &str = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
const INVALID_PRINCIPAL: &str = "Policy contains a statement with one or more invalid principals.";

// ---------------------------------------------------------------------------------------------
// Standard policies
// ---------------------------------------------------------------------------------------------

fn root_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:root")
}

/// The default key policy KMS attaches to a key created without one: account root delegation.
pub fn default_key_policy(account: &str) -> Value {
    json!({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": root_arn(account)}, "Action": "kms:*", "Resource": "*"}]})
}

/// The console's default view: root delegation, key administrators, key users (use, and
/// CreateGrant/ListGrants/RevokeGrant with `kms:GrantIsForAWSResource`). Empty lists omit
/// their statements, as the console does.
pub fn console_default_policy(account: &str, admins: &[String], users: &[String]) -> Value {
    let mut statements = default_key_policy(account)["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !admins.is_empty() {
        statements.push(
            json!({"Sid": "Allow access for Key Administrators", "Effect": "Allow",
            "Principal": {"AWS": admins},
            "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"],
            "Resource": "*"}),
        );
    }
    if !users.is_empty() {
        statements.push(json!({"Sid": "Allow use of the key", "Effect": "Allow",
            "Principal": {"AWS": users},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey"],
            "Resource": "*"}));
        statements.push(json!({"Sid": "Allow attachment of persistent resources",
            "Effect": "Allow", "Principal": {"AWS": users},
            "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}));
    }
    json!({"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": statements})
}

/// The policy of the AWS managed key `alias/aws/ebs`: the account's principals through EC2
/// (`kms:ViaService`, `kms:CallerAccount`), and key metadata for the account.
pub fn aws_managed_ebs_policy(account: &str, region: &str) -> Value {
    json!({"Version": "2012-10-17", "Id": "auto-ebs-2", "Statement": [
        {"Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
         "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:CreateGrant", "kms:DescribeKey"],
         "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": account,
             "kms:ViaService": format!("ec2.{region}.amazonaws.com")}}},
        {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
         "Principal": {"AWS": root_arn(account)},
         "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*"}]})
}

// ---------------------------------------------------------------------------------------------
// Matching helpers
// ---------------------------------------------------------------------------------------------

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

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `ec2.amazonaws.com` → `ec2`; `None` when `s` is not a service principal.
fn service_name(s: &str) -> Option<&str> {
    let s = s.strip_suffix(".cn").unwrap_or(s);
    s.strip_suffix(".amazonaws.com")
        .filter(|_| !s.starts_with("arn:"))
}

fn is_service(s: &str) -> bool {
    service_name(s).is_some()
}

/// `arn:aws:sts::ACCT:assumed-role/NAME/SESSION` → (ACCT, NAME).
fn session_role(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:sts::")?;
    let (account, rest) = rest.split_once(":assumed-role/")?;
    let (name, _session) = rest.rsplit_once('/')?;
    Some((account, name))
}

/// A principal named in a policy or grant covers the caller: the same ARN; a role and a session
/// of it (sessions do not show the role's path); `ec2.amazonaws.com` and the regional
/// `ec2.us-east-1.amazonaws.com`.
fn same_principal(named: &str, caller: &str) -> bool {
    if named == caller {
        return true;
    }
    if let (Some(n), Some(c)) = (service_name(named), service_name(caller)) {
        return !n.contains('.') && c.split('.').next() == Some(n);
    }
    let role = named
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.split_once(":role/"));
    match (role, session_role(caller)) {
        (Some((account, path_name)), Some((caller_account, name))) => {
            account == caller_account && path_name.rsplit('/').next() == Some(name)
        }
        _ => false,
    }
}

fn is_root(req: &Request) -> bool {
    req.principal_arn == root_arn(req.principal_account)
}

fn one_or_many(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// Condition values: a string, boolean or number, or a non-empty list of them.
fn scalar_list(v: &Value) -> Option<Vec<String>> {
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

fn show(list: &[String]) -> String {
    format!("[{}]", list.join(", "))
}

fn show_context(ctx: &BTreeMap<String, String>) -> String {
    // Serializing a map of strings cannot fail; the fallback is never used.
    serde_json::to_string(ctx).unwrap_or_default()
}

fn text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/// A principal as a policy names it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Named {
    Anyone,
    Account(String),
    Arn(String),
    Other(String),
}

/// How a key policy statement covers the caller, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    /// The caller's account (`arn:aws:iam::ACCT:root` or `ACCT`): delegates to IAM.
    Account,
    /// `"*"`.
    Anyone,
    /// The caller's own ARN (or its role), or its service principal.
    Named,
}

/// A statement as the evaluator reads it; `(true, …)` pairs are the `Not…` forms.
struct Stmt<'v> {
    label: String,
    deny: bool,
    /// `None` when the statement has neither Principal nor NotPrincipal.
    principal: Option<(bool, Option<Vec<Named>>)>,
    action: Option<(bool, Vec<String>)>,
    resource: Option<(bool, Vec<String>)>,
    condition: Option<&'v Value>,
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => vec![],
    }
}

fn parse_principals(v: &Value) -> Option<Vec<Named>> {
    let m = match v {
        Value::String(s) if s == "*" => return Some(vec![Named::Anyone]),
        Value::Object(m) => m,
        _ => return None,
    };
    let mut out = Vec::new();
    for (kind, values) in m {
        for s in one_or_many(values)? {
            let root = s
                .strip_prefix("arn:aws:iam::")
                .and_then(|r| r.strip_suffix(":root"));
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

fn show_named(list: &[Named]) -> String {
    let name = |n: &Named| match n {
        Named::Anyone => "*".to_string(),
        Named::Account(a) => root_arn(a),
        Named::Arn(s) | Named::Other(s) => s.clone(),
    };
    show(&list.iter().map(name).collect::<Vec<_>>())
}

fn parse_stmt(index: usize, v: &Value) -> Result<Stmt<'_>, String> {
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

fn principal_via(list: &[Named], req: &Request) -> Option<Via> {
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
fn check_body(s: &Stmt, req: &Request, resource_optional: bool) -> Result<(), String> {
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
fn check_key_statement(s: &Stmt, req: &Request, kind: ResourcePolicy) -> Result<Via, String> {
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

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Equals,
    EqualsIgnoreCase,
    Like,
    Bool,
    Null,
    /// Numeric, Date, IpAddress, Binary: no key of a simulated request has such values.
    Unmodelled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SetOp {
    Single,
    ForAllValues,
    ForAnyValue,
}

#[derive(Clone, Copy, Debug)]
struct Operator {
    set: SetOp,
    kind: Kind,
    negated: bool,
    if_exists: bool,
}

fn parse_operator(op: &str) -> Option<Operator> {
    let (set, rest) = match op.split_once(':') {
        Some(("ForAllValues", r)) => (SetOp::ForAllValues, r),
        Some(("ForAnyValue", r)) => (SetOp::ForAnyValue, r),
        Some(_) => return None,
        None => (SetOp::Single, op),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let (kind, negated) = match base {
        "StringEquals" => (Kind::Equals, false),
        "StringNotEquals" => (Kind::Equals, true),
        "StringEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, true),
        "StringLike" | "ArnEquals" | "ArnLike" => (Kind::Like, false),
        "StringNotLike" | "ArnNotEquals" | "ArnNotLike" => (Kind::Like, true),
        "Bool" => (Kind::Bool, false),
        "Null" if !if_exists && set == SetOp::Single => (Kind::Null, false),
        "NumericNotEquals" | "DateNotEquals" | "NotIpAddress" => (Kind::Unmodelled, true),
        "NumericEquals"
        | "NumericLessThan"
        | "NumericLessThanEquals"
        | "NumericGreaterThan"
        | "NumericGreaterThanEquals"
        | "DateEquals"
        | "DateLessThan"
        | "DateLessThanEquals"
        | "DateGreaterThan"
        | "DateGreaterThanEquals"
        | "IpAddress"
        | "BinaryEquals" => (Kind::Unmodelled, false),
        _ => return None,
    };
    Some(Operator {
        set,
        kind,
        negated,
        if_exists,
    })
}

/// The request's values for a condition key (names are case-insensitive); `None` when absent.
fn context_values(key: &str, req: &Request) -> Option<Vec<String>> {
    let lower = key.to_ascii_lowercase();
    let one = |s: &str| Some(vec![s.to_string()]);
    let ctx = req.encryption_context;
    if let Some(name) = lower.strip_prefix("kms:encryptioncontext:") {
        // The context key is part of the condition key name, so it is matched without case too.
        let exact = key.get(lower.len() - name.len()..).and_then(|k| ctx.get(k));
        let mut loose = ctx.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name));
        return exact
            .or_else(|| loose.next().map(|(_, v)| v))
            .and_then(|v| one(v));
    }
    let action = req.action.to_ascii_lowercase();
    let grant_call = ["kms:creategrant", "kms:listgrants", "kms:revokegrant"].contains(&&*action);
    match lower.as_str() {
        "kms:calleraccount" | "aws:principalaccount" => one(req.principal_account),
        "kms:viaservice" => req.via_service.and_then(one),
        "kms:grantisforawsresource" if grant_call || req.grant_is_for_aws_resource => {
            one(text(req.grant_is_for_aws_resource))
        }
        "kms:grantoperations" if action == "kms:creategrant" => Some(req.grant_operations.to_vec()),
        "kms:encryptioncontextkeys" => Some(ctx.keys().cloned().collect()),
        "aws:principalarn" => match session_role(req.principal_arn) {
            Some((account, role)) => one(&format!("arn:aws:iam::{account}:role/{role}")),
            None => one(req.principal_arn),
        },
        "aws:principalisawsservice" => one(text(is_service(req.principal_arn))),
        "aws:viaawsservice" => one(text(req.via_service.is_some())),
        "sts:externalid" => req.external_id.and_then(one),
        _ => None,
    }
}

fn value_matches(kind: Kind, want: &str, have: &str) -> bool {
    match kind {
        Kind::Equals => want == have,
        Kind::EqualsIgnoreCase | Kind::Bool => want.eq_ignore_ascii_case(have),
        Kind::Like => wildcard_match(want, have, false),
        Kind::Null | Kind::Unmodelled => false,
    }
}

fn condition_holds(op: Operator, want: &[String], have: Option<&[String]>) -> bool {
    let present = have.filter(|h| !h.is_empty());
    if op.kind == Kind::Null {
        return want
            .iter()
            .any(|w| w.eq_ignore_ascii_case("true") == present.is_none());
    }
    let Some(values) = present else {
        let negated_single = op.set == SetOp::Single && op.negated;
        return op.if_exists || op.set == SetOp::ForAllValues || negated_single;
    };
    let test = |v: &String| want.iter().any(|w| value_matches(op.kind, w, v)) != op.negated;
    match op.set {
        SetOp::ForAllValues => values.iter().all(test),
        SetOp::Single | SetOp::ForAnyValue => values.iter().any(test),
    }
}

/// Every operator and every key must hold (AND); the values of one key are alternatives (OR).
fn check_conditions(cond: &Value, req: &Request) -> Result<(), String> {
    let Some(ops) = cond.as_object() else {
        return Err("its Condition element is malformed".into());
    };
    for (name, block) in ops {
        let Some(op) = parse_operator(name) else {
            return Err(format!("condition operator {name} is not known"));
        };
        let Some(keys) = block.as_object() else {
            return Err(format!("condition {name} is malformed"));
        };
        for (key, want) in keys {
            let Some(want) = scalar_list(want) else {
                return Err(format!("condition {name} {key} has malformed values"));
            };
            let have = context_values(key, req);
            if !condition_holds(op, &want, have.as_deref()) {
                let had = have.map_or("no such key".into(), |h| show(&h));
                let note = if op.kind == Kind::Unmodelled {
                    " (operator not modelled)"
                } else {
                    ""
                };
                let want = show(&want);
                return Err(format!(
                    "condition {name} {key} {want} fails: the request has {had}{note}"
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------

fn check_grant(g: &GrantView, req: &Request) -> Result<(), String> {
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

fn denial(req: &Request, why: &str) -> String {
    let (who, action, key) = (req.principal_arn, req.action, req.key_arn);
    format!("User: {who} is not authorized to perform: {action} on resource: {key} {why}")
}

/// What AWS managed keys let their account's service-linked roles do without extra authorization.
const MANAGED_KEY_USE: &[&str] = &[
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
    "kms:CreateGrant",
];

/// What one policy document contributes: the first Deny that applies, and each Allow that applies.
#[derive(Default)]
struct Scan {
    deny: Option<String>,
    allow: Vec<(Via, String)>,
}

/// Scans one policy document, one step per statement.
/// `resource`: the document is that resource-based policy; `None` for an identity policy.
fn scan(
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
enum ResourcePolicy {
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

fn decide(req: &Request, p: &Policies, kind: ResourcePolicy) -> Decision {
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
    let slr = format!("arn:aws:iam::{key_acct}:role/aws-service-role/");
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

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

fn syntax(detail: &str) -> String {
    format!("Syntax errors in policy. ({detail})")
}

fn valid_aws_principal(s: &str) -> bool {
    let parts =
        |n: &str, min: usize| n.split('/').count() >= min && n.split('/').all(|x| !x.is_empty());
    let arn = |prefix: &str| s.strip_prefix(prefix).and_then(|r| r.split_once(':'));
    let ok = match (arn("arn:aws:iam::"), arn("arn:aws:sts::")) {
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

fn validate_principal(v: &Value) -> Result<(), String> {
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

fn validate_action(a: &str) -> Result<(), String> {
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

fn validate_condition(c: &Value) -> Result<(), String> {
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
fn element_list(
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

fn validate_statement(
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
