//! STS through the console: `sts:AssumeRole` decided by the role's trust policy and the caller's
//! identity policies (same account and across accounts), role profiles whose later KMS calls
//! are evaluated as the session, GetCallerIdentity, and the refusals AWS gives.

use ebs_kms_playground::model::trace::Participant;
use ebs_kms_playground::session::Session;

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const ROLE_HERE: &str = "arn:aws:iam::111122223333:role/app";
const ROLE_PARTNER: &str = "arn:aws:iam::444455556666:role/auditor";

/// Runs a line and returns (error code or "", printed text).
fn run(s: &mut Session, line: &str) -> (String, String) {
    let e = s.run(line).cloned().expect("a command line");
    let code = e.result.error.map(|e| e.code).unwrap_or_default();
    (code, e.result.text)
}

/// Runs a line that must succeed.
fn ok(s: &mut Session, line: &str) -> String {
    let (code, text) = run(s, line);
    assert_eq!(code, "", "{line}\n{text}");
    text
}

fn trust(principal: &str, effect: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

fn allow_assume(role: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{role}"}}]}}"#
    )
}

/// A session with user alice (profile `alice`) in 111122223333.
fn with_alice() -> Session {
    let mut s = Session::new(7);
    ok(&mut s, "aws iam create-user --user-name alice");
    ok(
        &mut s,
        &format!("play profile add alice --account-id 111122223333 --principal {ALICE}"),
    );
    s
}

/// One AssumeRole case: where the role lives, what its trust policy says, and alice's identity policy.
struct Case {
    name: &'static str,
    role: &'static str,
    trust: String,
    alice_policy: Option<String>,
    allowed: bool,
    /// A phrase the decision's explanation must contain.
    why: &'static str,
}

#[test]
fn assume_role_follows_trust_and_identity_policies() {
    let cases = [
        Case {
            name: "same account, trust names the user",
            role: ROLE_HERE,
            trust: trust(ALICE, "Allow"),
            alice_policy: None,
            allowed: true,
            why: "Allowed by trust policy statement",
        },
        Case {
            name: "same account, trust names the account, no identity policy",
            role: ROLE_HERE,
            trust: trust("arn:aws:iam::111122223333:root", "Allow"),
            alice_policy: None,
            allowed: false,
            why: "because no identity-based policy allows the sts:AssumeRole action",
        },
        Case {
            name: "same account, trust names the account, identity policy allows",
            role: ROLE_HERE,
            trust: trust("arn:aws:iam::111122223333:root", "Allow"),
            alice_policy: Some(allow_assume(ROLE_HERE)),
            allowed: true,
            why: "and identity policy",
        },
        Case {
            name: "same account, identity policy allows but trust does not name her",
            role: ROLE_HERE,
            trust: trust("arn:aws:iam::444455556666:root", "Allow"),
            alice_policy: Some(allow_assume(ROLE_HERE)),
            allowed: false,
            why: "because no resource-based policy allows",
        },
        Case {
            name: "across accounts, trust names the user, no identity policy",
            role: ROLE_PARTNER,
            trust: trust(ALICE, "Allow"),
            alice_policy: None,
            allowed: false,
            why: "because no identity-based policy allows",
        },
        Case {
            name: "across accounts, trust names the account, identity policy allows",
            role: ROLE_PARTNER,
            trust: trust("arn:aws:iam::111122223333:root", "Allow"),
            alice_policy: Some(allow_assume(ROLE_PARTNER)),
            allowed: true,
            why: "and identity policy",
        },
        Case {
            name: "explicit Deny in the trust policy wins",
            role: ROLE_HERE,
            trust: format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"sts:AssumeRole"}},{{"Sid":"NoAlice","Effect":"Deny","Principal":{{"AWS":"{ALICE}"}},"Action":"sts:AssumeRole"}}]}}"#
            ),
            alice_policy: Some(allow_assume(ROLE_HERE)),
            allowed: false,
            why: "with an explicit deny in a resource-based policy",
        },
    ];
    for c in &cases {
        let mut s = with_alice();
        let (account, role_name) = match c.role {
            ROLE_HERE => ("default", "app"),
            _ => ("partner", "auditor"),
        };
        ok(
            &mut s,
            &format!(
                "aws iam create-role --profile {account} --role-name {role_name} --assume-role-policy-document '{}'",
                c.trust
            ),
        );
        if let Some(p) = &c.alice_policy {
            ok(
                &mut s,
                &format!("aws iam put-user-policy --user-name alice --policy-name assume --policy-document '{p}'"),
            );
        }
        let (code, text) = run(
            &mut s,
            &format!(
                "play profile add r --role-arn {} --source-profile alice",
                c.role
            ),
        );
        let call = s.calls().last().expect("the AssumeRole call").clone();
        assert_eq!(
            (call.from, call.to, call.operation.as_str()),
            (Participant::User, Participant::Sts, "AssumeRole"),
            "{}",
            c.name
        );
        let auth = call.auth.expect("an authorization decision");
        assert_eq!(auth.allowed, c.allowed, "{}: {:#?}", c.name, auth.steps);
        assert!(
            auth.steps.iter().any(|l| l.contains(c.why)) || auth.reason.contains(c.why),
            "{}: no {:?} in {:#?}",
            c.name,
            c.why,
            auth.steps
        );
        if c.allowed {
            assert_eq!(code, "", "{}: {text}", c.name);
            let who = ok(
                &mut s,
                "aws sts get-caller-identity --profile r --query Arn --output text",
            );
            assert_eq!(
                who.trim(),
                format!(
                    "arn:aws:sts::{}:assumed-role/{role_name}/playground-r",
                    &c.role[13..25]
                ),
                "{}",
                c.name
            );
        } else {
            assert_eq!(code, "AccessDenied", "{}: {text}", c.name);
            assert!(
                text.contains(&format!(
                    "{ALICE} is not authorized to perform: sts:AssumeRole on resource: {}",
                    c.role
                )),
                "{}: {text}",
                c.name
            );
            assert!(
                s.shell().profile("r").is_none(),
                "{}: no profile on denial",
                c.name
            );
        }
    }
}

#[test]
fn root_users_and_missing_or_service_roles_are_refused() {
    let mut s = with_alice();
    ok(
        &mut s,
        &format!(
            "aws iam create-role --role-name app --assume-role-policy-document '{}'",
            trust(ALICE, "Allow")
        ),
    );
    let (code, text) = run(
        &mut s,
        &format!("play profile add r --role-arn {ROLE_HERE}"),
    );
    assert_eq!(code, "AccessDenied");
    assert!(
        text.contains("Roles may not be assumed by root accounts."),
        "{text}"
    );
    // A missing role is refused in the same words as an untrusting one.
    let (code, text) = run(
        &mut s,
        "play profile add r --role-arn arn:aws:iam::111122223333:role/nobody --source-profile alice",
    );
    assert_eq!(code, "AccessDenied");
    assert!(
        text.ends_with("on resource: arn:aws:iam::111122223333:role/nobody"),
        "{text}"
    );
    // Service-linked roles trust their service only.
    let slr = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    let (code, _) = run(
        &mut s,
        &format!("play profile add r --role-arn {slr} --source-profile alice"),
    );
    assert_eq!(code, "AccessDenied");
}

#[test]
fn assume_role_validates_its_parameters() {
    let mut s = with_alice();
    for (line, code) in [
        (format!("aws sts assume-role --profile alice --role-arn {ROLE_HERE} --role-session-name x"), "ValidationError"),
        (format!("aws sts assume-role --profile alice --role-arn {ROLE_HERE} --role-session-name ok --duration-seconds 60"), "ValidationError"),
        (format!("aws sts assume-role --profile alice --role-arn {ROLE_HERE} --role-session-name 'a b'"), "ValidationError"),
    ] {
        let (got, text) = run(&mut s, &line);
        assert_eq!(got, code, "{line}: {text}");
    }
    let (got, text) = run(
        &mut s,
        &format!("aws sts assume-role --profile alice --role-arn {ROLE_HERE}"),
    );
    assert!(
        !got.is_empty() && text.contains("--role-session-name"),
        "{got}: {text}"
    );
    let (code, text) = run(
        &mut s,
        &format!("play profile add r --account-id 111122223333 --role-arn {ROLE_HERE}"),
    );
    assert!(
        !code.is_empty() && text.contains("leave out --account-id"),
        "{text}"
    );
}

#[test]
fn a_role_session_is_authorized_as_the_role_in_kms() {
    let mut s = with_alice();
    ok(
        &mut s,
        &format!(
            "aws iam create-role --role-name app --assume-role-policy-document '{}'",
            trust(ALICE, "Allow")
        ),
    );
    let key = ok(
        &mut s,
        "aws kms create-key --query KeyMetadata.KeyId --output text",
    );
    let key = key.trim();
    ok(
        &mut s,
        &format!("play profile add app --role-arn {ROLE_HERE} --source-profile alice"),
    );
    // The default key policy delegates to IAM; the role has no identity policy yet.
    let (code, _) = run(
        &mut s,
        &format!("aws kms describe-key --profile app --key-id {key}"),
    );
    assert_eq!(code, "AccessDeniedException");
    let denied = s.calls().last().expect("call").clone();
    assert!(
        denied
            .principal
            .ends_with(":assumed-role/app/playground-app"),
        "{}",
        denied.principal
    );
    ok(
        &mut s,
        r#"aws iam put-role-policy --role-name app --policy-name read --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*"}]}'"#,
    );
    ok(
        &mut s,
        &format!("aws kms describe-key --profile app --key-id {key}"),
    );
    // CreateKey has no key policy to consult: the session's (the role's) IAM policies decide.
    let (code, text) = run(&mut s, "aws kms create-key --profile app");
    assert_eq!(code, "AccessDeniedException", "{text}");
    assert!(text.contains("kms:CreateKey on resource: *"), "{text}");
    ok(
        &mut s,
        r#"aws iam put-role-policy --role-name app --policy-name create --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:CreateKey","Resource":"*"}]}'"#,
    );
    ok(&mut s, "aws kms create-key --profile app");
}

#[test]
fn get_caller_identity_names_root_user_and_session() {
    let mut s = with_alice();
    let root = ok(
        &mut s,
        "aws sts get-caller-identity --output text --query '[Account, Arn, UserId]'",
    );
    assert_eq!(
        root.split_whitespace().collect::<Vec<_>>(),
        [
            "111122223333",
            "arn:aws:iam::111122223333:root",
            "111122223333"
        ]
    );
    let user = ok(
        &mut s,
        "aws sts get-caller-identity --profile alice --query UserId --output text",
    );
    assert!(user.trim().starts_with("AIDA"), "{user}");
    ok(
        &mut s,
        &format!(
            "aws iam create-role --role-name app --assume-role-policy-document '{}'",
            trust(ALICE, "Allow")
        ),
    );
    ok(&mut s, &format!("play profile add app --role-arn {ROLE_HERE} --source-profile alice --role-session-name audit"));
    let session = ok(
        &mut s,
        "aws sts get-caller-identity --profile app --query UserId --output text",
    );
    let session = session.trim();
    assert!(
        session.starts_with("AROA") && session.ends_with(":audit"),
        "{session}"
    );
    let call = s.calls().last().expect("call").clone();
    assert_eq!(
        (call.to, call.operation.as_str()),
        (Participant::Sts, "GetCallerIdentity")
    );
    assert_eq!(call.cloudtrail()["eventSource"], "sts.amazonaws.com");
}

/// The confused-deputy guard: a trust policy that requires `sts:ExternalId` lets the caller in
/// only with the right external id.
#[test]
fn external_id_condition_is_checked() {
    let mut s = with_alice();
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{ALICE}"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"tenant-42"}}}}}}]}}"#
    );
    ok(
        &mut s,
        &format!("aws iam create-role --role-name app --assume-role-policy-document '{trust}'"),
    );
    let assume = |extra: &str| {
        format!("aws sts assume-role --profile alice --role-arn {ROLE_HERE} --role-session-name s1{extra}")
    };
    for (extra, allowed) in [
        ("", false),
        (" --external-id tenant-7", false),
        (" --external-id tenant-42", true),
    ] {
        let (code, text) = run(&mut s, &assume(extra));
        assert_eq!(code.is_empty(), allowed, "{extra:?}: {text}");
        let auth = s
            .calls()
            .last()
            .and_then(|c| c.auth.clone())
            .expect("a decision");
        if !allowed {
            assert!(
                auth.steps.iter().any(|l| l.contains("sts:ExternalId")),
                "{extra:?}: {:#?}",
                auth.steps
            );
        }
    }
}

/// A role with a path: its sessions get its policies (the session ARN has no path), and the
/// session's profile is listed as acting as it.
#[test]
fn sessions_of_a_role_with_a_path_act_as_that_role() {
    let mut s = with_alice();
    ok(
        &mut s,
        &format!(
            "aws iam create-role --role-name ops --path /teams/ --assume-role-policy-document '{}'",
            trust(ALICE, "Allow")
        ),
    );
    let role = "arn:aws:iam::111122223333:role/teams/ops";
    ok(
        &mut s,
        r#"aws iam put-role-policy --role-name ops --policy-name create --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:CreateKey","Resource":"*"}]}'"#,
    );
    ok(
        &mut s,
        &format!("play profile add ops --role-arn {role} --source-profile alice"),
    );
    let session = s.shell().profile("ops").expect("profile").principal.clone();
    assert_eq!(
        session,
        "arn:aws:sts::111122223333:assumed-role/ops/playground-ops"
    );
    assert_eq!(
        s.sim().acting_as(&session).map(|p| p.arn.as_str()),
        Some(role)
    );
    assert_eq!(s.profiles_acting_as(role), ["ops"]);
    assert_eq!(s.profiles_acting_as(ALICE), ["alice"]);
    ok(&mut s, "aws kms create-key --profile ops");
}
