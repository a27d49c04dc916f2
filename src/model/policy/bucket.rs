//! S3 authorization: a bucket policy and the caller's identity policies evaluated together as
//! S3 does for a request in the bucket owner's account (either may allow; an explicit Deny in
//! either wins), and across accounts both sides must allow.
//!
//! The request's S3 condition keys (`s3:x-amz-server-side-encryption`,
//! `s3:x-amz-server-side-encryption-aws-kms-key-id`) travel in [`Request::encryption_context`],
//! which conditions read for `s3:` actions only.

use super::*;

/// Evaluates an `s3:` action on a bucket or object ARN (`req.key_arn`, owned by
/// `req.key_account`) against the bucket policy (if any) and the caller's identity policies.
pub fn evaluate_bucket(
    req: &Request,
    bucket_policy: Option<&Value>,
    identity: &[(String, Value)],
) -> Decision {
    let (who, action, resource) = (req.principal_arn, req.action, req.key_arn);
    let same_account = req.principal_account == req.key_account;
    let mut steps = vec![format!(
        "Request: {who} calls {action} on {resource} (caller account {}, bucket owner {}).",
        req.principal_account, req.key_account
    )];
    let bucket = match bucket_policy {
        Some(doc) => scan(
            doc,
            req,
            "Bucket policy",
            Some(ResourcePolicy::Key),
            &mut steps,
        ),
        None => {
            steps.push("Bucket policy: the bucket has none.".into());
            Scan::default()
        }
    };
    let (mut id_deny, mut id_allow) = (None, None);
    if identity.is_empty() {
        steps.push(format!("Identity policies: none attached to {who}."));
    }
    for (name, doc) in identity {
        let head = format!("Identity policy \"{name}\"");
        let found = scan(doc, req, &head, None, &mut steps);
        if found.deny.is_some() {
            id_deny.get_or_insert(name.clone());
        }
        if !found.allow.is_empty() {
            id_allow.get_or_insert(name.clone());
        }
    }
    let finish = |mut steps: Vec<String>, allowed: bool, reason: String| {
        let verdict = if allowed { "ALLOWED" } else { "DENIED" };
        steps.push(format!("Decision: {verdict}. {reason}"));
        Decision {
            allowed,
            reason,
            steps,
        }
    };
    if let Some(sid) = bucket.deny {
        steps.push(format!(
            "Explicit Deny in bucket policy statement {sid} wins."
        ));
        let why = denial(req, "with an explicit deny in a resource-based policy");
        return finish(steps, false, why);
    }
    if let Some(name) = id_deny {
        steps.push(format!("Explicit Deny in identity policy \"{name}\" wins."));
        let why = denial(req, "with an explicit deny in an identity-based policy");
        return finish(steps, false, why);
    }
    let root = is_root(req);
    let by_bucket = bucket.allow.first().map(|(_, s)| s.clone());
    let by_identity = if root && same_account {
        Some("(the account's root user)".to_string())
    } else {
        id_allow.map(|n| format!("\"{n}\""))
    };
    let allowed = match (same_account, &by_bucket, &by_identity) {
        (true, Some(s), _) => Some(format!("Allowed by bucket policy statement {s}")),
        (true, None, Some(i)) => Some(format!("Allowed by identity policy {i}")),
        (false, Some(s), Some(i)) => Some(format!(
            "Allowed by bucket policy statement {s} and identity policy {i}"
        )),
        (false, Some(s), None) if root => Some(format!(
            "Allowed by bucket policy statement {s} (the caller account's root user)"
        )),
        _ => None,
    };
    match allowed {
        Some(why) => finish(steps, true, why),
        None => {
            let missing = if same_account || by_bucket.is_some() {
                "identity"
            } else {
                "resource"
            };
            let why = format!("because no {missing}-based policy allows the {action} action");
            finish(steps, false, denial(req, &why))
        }
    }
}
