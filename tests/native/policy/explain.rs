//! Denial messages, the steps that explain a decision, and grant matching.
use super::*;

#[test]
fn every_denial_is_an_access_denied_message_naming_principal_action_and_key() {
    for c in table().into_iter().filter(|c| !c.allowed) {
        let d = c.run();
        let head = format!(
            "User: {} is not authorized to perform: {} on resource: {} ",
            c.principal, c.action, c.key
        );
        assert!(d.reason.starts_with(&head), "{}: {}", c.name, d.reason);
        let tail = &d.reason[head.len()..];
        let known = [
            format!(
                "because no identity-based policy allows the {} action",
                c.action
            ),
            format!(
                "because no resource-based policy allows the {} action",
                c.action
            ),
            DENY_KEY.to_string(),
            DENY_IAM.to_string(),
        ];
        assert!(
            known.iter().any(|k| k == tail),
            "{}: unexpected tail {tail:?}",
            c.name
        );
    }
}

#[test]
fn exact_denial_message() {
    let d = case("", default_key_policy(A)).by(ALICE).run();
    assert_eq!(
        d.reason,
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the kms:Decrypt action"
    );
}

#[test]
fn steps_explain_every_statement_and_grant() {
    let c = case(
        "",
        console_default_policy(A, &[SEC.to_string()], &[APP.to_string()]),
    )
    .by(SEC)
    .iam("Unrelated", iam_allow(json!("ec2:RunInstances"), "*"))
    .grant(attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None));
    let d = c.run();
    assert!(!d.allowed);
    // Request line, 4 key policy statements, 1 identity statement, 1 grant, the delegation note, the decision.
    assert_eq!(d.steps.len(), 9, "{:#?}", d.steps);
    assert!(d.steps[0].starts_with("Request: "));
    assert!(
        d.steps[1].contains("\"Enable IAM User Permissions\" (Allow): applies"),
        "{}",
        d.steps[1]
    );
    assert!(d.steps[2].contains("\"Allow access for Key Administrators\" (Allow): does not apply; action kms:Decrypt is not in"), "{}", d.steps[2]);
    assert!(d.steps[3].contains("principal arn:aws:iam::111122223333:role/SecurityAdmin is not covered by [arn:aws:iam::111122223333:role/AppRole]"), "{}", d.steps[3]);
    assert!(
        d.steps[4].contains(
            "\"Allow attachment of persistent resources\" (Allow): does not apply; principal"
        ),
        "{}",
        d.steps[4]
    );
    assert!(
        d.steps[5].contains("Identity policy \"Unrelated\"")
            && d.steps[5].contains("does not apply"),
        "{}",
        d.steps[5]
    );
    assert!(
        d.steps[6].contains("Grant grant-attach") && d.steps[6].contains("its grantee is"),
        "{}",
        d.steps[6]
    );
    assert!(
        d.steps[8].starts_with("Decision: DENIED. User: "),
        "{}",
        d.steps[8]
    );
}

#[test]
fn steps_explain_a_failed_condition() {
    let d = case("", console_default_policy(A, &[], &[APP.to_string()]))
        .by(APP)
        .does("kms:CreateGrant")
        .ops(&["Decrypt"])
        .run();
    let line = d
        .steps
        .iter()
        .find(|s| s.contains("\"Allow attachment of persistent resources\""))
        .expect("a step for the statement");
    assert!(
        line.ends_with("does not apply; condition Bool kms:GrantIsForAWSResource [true] fails: the request has [false]."),
        "{line}"
    );
    let d = case("", console_default_policy(A, &[], &[APP.to_string()]))
        .by(APP)
        .run();
    assert!(
        d.steps
            .iter()
            .any(|s| s.contains("\"Allow use of the key\" (Allow): applies; it names the caller.")),
        "{:#?}",
        d.steps
    );
}

#[test]
fn steps_explain_a_grant_context_mismatch() {
    let d = case("", default_key_policy(A))
        .by(INFRA)
        .grant(attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None))
        .ctx("aws:ebs:id", "vol-2")
        .run();
    let line = d
        .steps
        .iter()
        .find(|s| s.starts_with("Grant grant-attach"))
        .expect("a grant step");
    assert!(
        line.contains("EncryptionContextSubset {\"aws:ebs:id\":\"vol-1\"} is not satisfied"),
        "{line}"
    );
    assert!(line.contains("has aws:ebs:id = vol-2, not vol-1"), "{line}");
}

#[test]
fn grant_allows_checks_grantee_operation_and_constraints() {
    let vol1 = context(&[("aws:ebs:id", "vol-1")]);
    let vol2 = context(&[("aws:ebs:id", "vol-2")]);
    let g = attach_grant(INFRA, Some(&[("aws:ebs:id", "vol-1")]), None);
    assert!(grant_allows(&g, &request(INFRA, "kms:Decrypt", &vol1)));
    assert!(!grant_allows(&g, &request(INFRA, "kms:Decrypt", &vol2)));
    assert!(!grant_allows(&g, &request(ALICE, "kms:Decrypt", &vol1)));
    assert!(!grant_allows(&g, &request(INFRA, "kms:Encrypt", &vol1)));
    let unconstrained = GrantView {
        constraints: None,
        ..g.clone()
    };
    assert!(grant_allows(
        &unconstrained,
        &request(INFRA, "kms:Decrypt", &vol2)
    ));
    let ops = vec!["Decrypt".to_string()];
    let create = Request {
        action: "kms:CreateGrant",
        grant_operations: &ops,
        external_id: None,
        ..request(SLR_A, "", &vol1)
    };
    let parent = GrantView {
        grantee_principal: SLR_A.into(),
        operations: vec!["CreateGrant".into(), "Decrypt".into()],
        ..unconstrained
    };
    assert!(grant_allows(&parent, &create));
    let too_much = vec!["Decrypt".to_string(), "Encrypt".to_string()];
    assert!(!grant_allows(
        &parent,
        &Request {
            grant_operations: &too_much,
            external_id: None,
            ..create
        }
    ));
}
