//! Condition blocks: operators (String*, Arn*, Bool, Null, ForAnyValue/ForAllValues, IfExists)
//! and the context keys a simulated request carries.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Equals,
    EqualsIgnoreCase,
    Like,
    Bool,
    Null,
    /// Numeric, Date, IpAddress, Binary: no key of a simulated request has such values.
    Unmodelled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SetOp {
    Single,
    ForAllValues,
    ForAnyValue,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Operator {
    pub(super) set: SetOp,
    pub(super) kind: Kind,
    pub(super) negated: bool,
    pub(super) if_exists: bool,
}

pub(super) fn parse_operator(op: &str) -> Option<Operator> {
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
pub(super) fn context_values(key: &str, req: &Request) -> Option<Vec<String>> {
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
    // A request to a service other than KMS carries that service's own condition keys
    // (`s3:x-amz-server-side-encryption`, Alibaba ECS's `ecs:IsDiskEncrypted`, …) in the
    // request's context map; a KMS action never reads them.
    let vendor = lower.split_once(':').map(|(v, _)| v).unwrap_or("");
    let own_key = !matches!(vendor, "kms" | "aws" | "acs" | "")
        && action
            .strip_prefix(vendor)
            .is_some_and(|r| r.starts_with(':'));
    if own_key {
        let mut found = ctx.iter().filter(|(k, _)| k.eq_ignore_ascii_case(&lower));
        if let Some((_, v)) = found.next() {
            return one(v);
        }
        if vendor == "s3" {
            return None;
        }
    }
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
            Some((account, role)) => one(&PROVIDER.iam_arn(account, &format!("role/{role}"))),
            None => one(req.principal_arn),
        },
        "aws:principalisawsservice" => one(text(is_service(req.principal_arn))),
        "aws:viaawsservice" => one(text(req.via_service.is_some())),
        "sts:externalid" => req.external_id.and_then(one),
        _ => None,
    }
}

pub(super) fn value_matches(kind: Kind, want: &str, have: &str) -> bool {
    match kind {
        Kind::Equals => want == have,
        Kind::EqualsIgnoreCase | Kind::Bool => want.eq_ignore_ascii_case(have),
        Kind::Like => wildcard_match(want, have, false),
        Kind::Null | Kind::Unmodelled => false,
    }
}

pub(super) fn condition_holds(op: Operator, want: &[String], have: Option<&[String]>) -> bool {
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
pub(super) fn check_conditions(cond: &Value, req: &Request) -> Result<(), String> {
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
