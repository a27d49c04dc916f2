//! The standard policies, policy validation, the lockout check and wildcards.
use super::*;

// ---------------------------------------------------------------------------------------------
// Standard policies
// ---------------------------------------------------------------------------------------------

#[test]
fn standard_policies_are_valid_key_policies() {
    let users = [APP.to_string()];
    let admins = [SEC.to_string()];
    for (name, p) in [
        ("default", default_key_policy(A)),
        ("console", console_default_policy(A, &admins, &users)),
        (
            "console without admins or users",
            console_default_policy(A, &[], &[]),
        ),
        ("aws/ebs", aws_managed_ebs_policy(A, "us-east-1")),
    ] {
        assert!(
            validate_key_policy_syntax(&p.to_string()).is_ok(),
            "{name}: {:?}",
            validate_key_policy_syntax(&p.to_string())
        );
    }
    assert!(validate_key_policy(&default_key_policy(A).to_string(), ROOT_A, A).is_ok());
    let sids = |p: &Value| -> Vec<String> {
        p["Statement"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["Sid"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        sids(&console_default_policy(A, &admins, &users)),
        [
            "Enable IAM User Permissions",
            "Allow access for Key Administrators",
            "Allow use of the key",
            "Allow attachment of persistent resources"
        ]
    );
    assert_eq!(
        sids(&console_default_policy(A, &[], &[])),
        ["Enable IAM User Permissions"]
    );
    let ebs = aws_managed_ebs_policy(A, "eu-west-1");
    assert_eq!(
        ebs["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"],
        "ec2.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        ebs["Statement"][0]["Condition"]["StringEquals"]["kms:CallerAccount"],
        A
    );
    assert_eq!(
        default_key_policy(B)["Statement"][0]["Principal"]["AWS"],
        ROOT_B
    );
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

#[test]
fn validation_table() {
    let big = format!(
        "{{\"Statement\": [{{\"Sid\": \"{}\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}}]}}",
        "x".repeat(33_000)
    );
    let big_identity = format!(
        "{{\"Statement\": [{{\"Sid\": \"{}\", \"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}}]}}",
        "x".repeat(11_000)
    );
    let key = |s: Value| policy(vec![s]).to_string();
    let root = json!({"AWS": ROOT_A});
    let ok_stmt = json!({"Effect": "Allow", "Principal": root, "Action": "kms:*", "Resource": "*"});
    let with_field = |k: &str, v: Value| {
        let mut s = ok_stmt.clone();
        s[k] = v;
        key(s)
    };
    let without = |k: &str| {
        let mut s = ok_stmt.clone();
        s.as_object_mut().map(|m| m.remove(k));
        key(s)
    };
    // (name, kind, document, None when valid or Some(expected message prefix))
    let cases: Vec<(&str, PolicyKind, String, Option<&str>)> = vec![
        ("default key policy", PolicyKind::Key, default_key_policy(A).to_string(), None),
        ("not JSON", PolicyKind::Key, "{\"Statement\": [".into(), Some("Syntax errors in policy.")),
        ("a JSON array", PolicyKind::Key, "[]".into(), Some("Syntax errors in policy.")),
        ("no Statement", PolicyKind::Key, "{\"Version\": \"2012-10-17\"}".into(), Some("Missing required field Statement")),
        ("empty Statement list", PolicyKind::Key, "{\"Statement\": []}".into(), Some("Syntax errors in policy.")),
        ("Statement as a single object", PolicyKind::Key, json!({"Statement": ok_stmt}).to_string(), None),
        ("unknown policy element", PolicyKind::Key, json!({"Statement": [ok_stmt], "Extra": 1}).to_string(), Some("Syntax errors in policy.")),
        ("bad Version", PolicyKind::Key, json!({"Version": "2020-01-01", "Statement": [ok_stmt]}).to_string(), Some("Syntax errors in policy.")),
        ("no principal", PolicyKind::Key, without("Principal"), Some("Policy contains a statement with no principal.")),
        ("short account id", PolicyKind::Key, with_field("Principal", json!({"AWS": "arn:aws:iam::1234:root"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("group as principal", PolicyKind::Key, with_field("Principal", json!({"AWS": "arn:aws:iam::111122223333:group/admins"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("wildcard in principal ARN", PolicyKind::Key, with_field("Principal", json!({"AWS": "arn:aws:iam::111122223333:role/*"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("friendly name as principal", PolicyKind::Key, with_field("Principal", json!({"AWS": "alice"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("bad service principal", PolicyKind::Key, with_field("Principal", json!({"Service": "ec2"})), Some("Policy contains a statement with one or more invalid principals.")),
        ("service principal", PolicyKind::Key, with_field("Principal", json!({"Service": "ec2.amazonaws.com"})), None),
        ("assumed-role session principal", PolicyKind::Key, with_field("Principal", json!({"AWS": INFRA})), None),
        ("service-linked role principal", PolicyKind::Key, with_field("Principal", json!({"AWS": [SLR_A, SPOT_A]})), None),
        ("bare account id principal", PolicyKind::Key, with_field("Principal", json!({"AWS": A})), None),
        ("lower-case effect", PolicyKind::Key, with_field("Effect", json!("allow")), Some("Invalid effect: allow")),
        ("no effect", PolicyKind::Key, without("Effect"), Some("Missing required field Effect")),
        ("unknown condition operator", PolicyKind::Key, with_field("Condition", json!({"StringEqual": {"kms:ViaService": EC2_EAST}})), Some("Invalid Condition type : StringEqual")),
        ("condition key without vendor", PolicyKind::Key, with_field("Condition", json!({"StringEquals": {"ViaService": EC2_EAST}})), Some("Actions/Conditions must be prefaced by a vendor")),
        ("condition with object value", PolicyKind::Key, with_field("Condition", json!({"StringEquals": {"kms:ViaService": {"a": 1}}})), Some("Syntax errors in policy.")),
        ("set operators and IfExists", PolicyKind::Key, with_field("Condition", json!({"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}, "StringEqualsIfExists": {"kms:ViaService": EC2_EAST}, "Bool": {"kms:GrantIsForAWSResource": true}})), None),
        ("action without vendor", PolicyKind::Key, with_field("Action", json!("Decrypt")), Some("Actions/Conditions must be prefaced by a vendor")),
        ("Action and NotAction", PolicyKind::Key, with_field("NotAction", json!("kms:Decrypt")), Some("Syntax errors in policy.")),
        ("key policy statement without Resource is accepted (no effect)", PolicyKind::Key, without("Resource"), None),
        ("key policy statement without Action is accepted (no effect)", PolicyKind::Key, without("Action"), None),
        ("Resource not an ARN", PolicyKind::Key, with_field("Resource", json!("key/1234")), Some("Resource key/1234 must be in ARN format or \"*\".")),
        ("unknown statement element", PolicyKind::Key, with_field("Actions", json!("kms:*")), Some("Syntax errors in policy.")),
        ("duplicate Sid", PolicyKind::Key, policy(vec![json!({"Sid": "S", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}), json!({"Sid": "S", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"})]).to_string(), Some("Statement IDs (SID) in a single policy must be unique.")),
        ("character outside Latin-1", PolicyKind::Key, with_field("Sid", json!("key → users")), Some("Policy contains the character")),
        ("over 32768 bytes", PolicyKind::Key, big, Some("1 validation error detected")),
        ("seed 000 least privilege", PolicyKind::Identity, seed000_least_privilege().to_string(), None),
        ("seed 004 IAM policy", PolicyKind::Identity, seed004_iam().1.to_string(), None),
        ("identity policy with a principal", PolicyKind::Identity, key(ok_stmt.clone()), Some("Policy document should not specify a principal.")),
        ("identity policy without Resource", PolicyKind::Identity, policy(vec![json!({"Effect": "Allow", "Action": "kms:*"})]).to_string(), Some("Policy statement must contain resources.")),
        ("identity policy without Action", PolicyKind::Identity, policy(vec![json!({"Effect": "Allow", "Resource": "*"})]).to_string(), Some("Policy statement must contain actions.")),
        ("identity Sid with spaces", PolicyKind::Identity, policy(vec![json!({"Sid": "Use the key", "Effect": "Allow", "Action": "kms:*", "Resource": "*"})]).to_string(), Some("Statement IDs (SID) must be alpha-numeric.")),
        ("identity policy over 10240 characters", PolicyKind::Identity, big_identity, Some("Cannot exceed quota for PolicySize: 10240")),
    ];
    let mut failures = Vec::new();
    for (name, kind, doc, expected) in &cases {
        let got = validate_document(doc, *kind);
        let ok = match (expected, &got) {
            (None, Ok(v)) => v == &serde_json::from_str::<Value>(doc).unwrap_or(Value::Null),
            (Some(msg), Err(e)) => e.starts_with(msg),
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn validate_policy_tells_key_and_identity_policies_apart() {
    assert!(validate_policy(&default_key_policy(A).to_string()).is_ok());
    assert!(validate_policy(&seed000_least_privilege().to_string()).is_ok());
    let no_resource = policy(vec![json!({"Effect": "Allow", "Action": "kms:*"})]).to_string();
    assert_eq!(
        validate_policy(&no_resource),
        Err("Policy statement must contain resources.".to_string())
    );
    let mixed = policy(vec![
        allow("A", aws(ROOT_A), json!("kms:*")),
        json!({"Effect": "Allow", "Action": "kms:*", "Resource": "*"}),
    ]);
    assert_eq!(
        validate_policy(&mixed.to_string()),
        Err("Policy contains a statement with no principal.".to_string())
    );
    assert_eq!(
        validate_identity_policy(&default_key_policy(A).to_string()),
        Err("Policy document should not specify a principal.".to_string())
    );
}

#[test]
fn lockout_check_table() {
    let only_app = policy(vec![allow("Allow use of the key", aws(APP), use_actions())]);
    let admins_only = policy(vec![allow(
        "Admins",
        aws(SEC),
        json!(["kms:Put*", "kms:Describe*"]),
    )]);
    let deny_put = with(
        default_key_policy(A),
        vec![deny("Frozen", json!("*"), json!("kms:PutKeyPolicy"))],
    );
    let specific_resource = policy(vec![
        json!({"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": ROOT_A}, "Action": "kms:*", "Resource": KEY_A}),
    ]);
    let via_only = policy(vec![cond(
        allow("Via", aws(ROOT_A), json!("kms:*")),
        json!({"StringEquals": {"kms:ViaService": EC2_EAST}}),
    )]);
    let cases: Vec<(&str, Value, &str, &str, bool)> = vec![
        (
            "default policy, root caller",
            default_key_policy(A),
            ROOT_A,
            A,
            true,
        ),
        (
            "default policy, IAM user of the account (delegation)",
            default_key_policy(A),
            ALICE,
            A,
            true,
        ),
        (
            "policy naming only the application role",
            only_app.clone(),
            ROOT_A,
            A,
            false,
        ),
        (
            "policy naming only the application role, role caller",
            only_app,
            APP,
            A,
            false,
        ),
        (
            "key administrators with kms:Put*",
            admins_only.clone(),
            SEC,
            A,
            true,
        ),
        (
            "key administrators, another caller",
            admins_only,
            ALICE,
            A,
            false,
        ),
        ("a Deny on PutKeyPolicy", deny_put, ROOT_A, A, false),
        (
            "another account's default policy",
            default_key_policy(B),
            ROOT_A,
            A,
            false,
        ),
        (
            "Resource naming a key ARN still counts",
            specific_resource,
            ROOT_A,
            A,
            true,
        ),
        (
            "a condition the caller cannot meet",
            via_only,
            ROOT_A,
            A,
            false,
        ),
    ];
    for (name, p, caller, account, ok) in cases {
        let got = validate_key_policy(&p.to_string(), caller, account);
        match (ok, &got) {
            (true, Ok(_)) => {}
            (false, Err(e)) => assert_eq!(e, LOCKOUT_MESSAGE, "{name}"),
            _ => panic!(
                "{name}: expected {}, got {got:?}",
                if ok { "accepted" } else { "lockout" }
            ),
        }
    }
    // Syntax errors come before the lockout check.
    assert_eq!(
        validate_key_policy("{", ROOT_A, A).map_err(|e| e.starts_with("Syntax errors in policy.")),
        Err(true)
    );
}

#[test]
fn wildcards() {
    let cases = [
        ("kms:*", "kms:Decrypt", true, true),
        ("kms:ReEncrypt*", "kms:ReEncryptTo", true, true),
        ("kms:ReEncrypt*", "kms:Decrypt", true, false),
        ("kms:GenerateDataKey*", "kms:GenerateDataKey", true, true),
        ("KMS:DECRYPT", "kms:Decrypt", true, true),
        ("KMS:DECRYPT", "kms:Decrypt", false, false),
        ("vol-?", "vol-1", false, true),
        ("vol-?", "vol-", false, false),
        ("*-*-*", "a-b-c", false, true),
        ("a*b*c", "aXbYbZc", false, true),
        ("a*b*c", "aXbYbZ", false, false),
        ("", "", false, true),
        ("*", "", false, true),
    ];
    for (pattern, text, ignore_case, expected) in cases {
        assert_eq!(
            wildcard_match(pattern, text, ignore_case),
            expected,
            "{pattern} vs {text}"
        );
    }
}
