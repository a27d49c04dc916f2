//! Property tests: an explicit Deny or a removed Allow never turns a denial into an allow,
//! every statement gets a step, and nothing panics.
use super::*;

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const PRINCIPALS: &[&str] = &[
    ROOT_A,
    ALICE,
    APP,
    APP_SESSION,
    SLR_A,
    INFRA,
    BOB_B,
    ROOT_B,
    EC2_SERVICE,
];
const KEY_B: &str = "arn:aws:kms:us-east-1:444455556666:key/5555aaaa-5555-aaaa-5555-aaaa5555aaaa";

fn principal_values() -> Vec<Value> {
    vec![
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": ROOT_A}),
        json!({"AWS": A}),
        json!({"AWS": ROOT_B}),
        json!({"AWS": ALICE}),
        json!({"AWS": APP}),
        json!({"AWS": [APP, SLR_A]}),
        json!({"AWS": BOB_B}),
        json!({"Service": "ec2.amazonaws.com"}),
    ]
}

fn action_values() -> Vec<Value> {
    vec![
        json!("kms:*"),
        json!("kms:Decrypt"),
        json!("kms:Encrypt"),
        json!("kms:ReEncrypt*"),
        json!("kms:GenerateDataKey*"),
        json!("kms:CreateGrant"),
        json!("kms:PutKeyPolicy"),
        json!("kms:Describe*"),
        json!(["kms:Decrypt", "kms:CreateGrant"]),
    ]
}

fn condition_values() -> Vec<Option<Value>> {
    vec![
        None,
        Some(json!({"Bool": {"kms:GrantIsForAWSResource": true}})),
        Some(json!({"StringEquals": {"kms:ViaService": EC2_EAST}})),
        Some(json!({"StringEquals": {"kms:CallerAccount": A}})),
        Some(json!({"StringLike": {"kms:EncryptionContext:aws:ebs:id": "vol-*"}})),
        Some(json!({"StringNotEquals": {"kms:CallerAccount": B}})),
        Some(json!({"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "Encrypt"]}})),
        Some(json!({"StringEqualsIfExists": {"kms:ViaService": EC2_EAST}})),
    ]
}

const RESOURCES: &[&str] = &[
    "*",
    KEY_A,
    KEY_A2,
    "arn:aws:kms:*:111122223333:key/*",
    KEY_B,
];

/// (deny, principal, action, NotAction, resource, condition) as indices into the vocabularies.
type StmtSpec = (bool, usize, usize, bool, usize, usize);

fn stmt_spec() -> impl Strategy<Value = StmtSpec> {
    (
        prop::bool::weighted(0.25),
        0..10usize,
        0..9usize,
        prop::bool::weighted(0.1),
        0..5usize,
        0..8usize,
    )
}

fn build_stmt((is_deny, p, a, not, r, c): StmtSpec, key_policy: bool) -> Value {
    let mut s = json!({"Effect": if is_deny { "Deny" } else { "Allow" }});
    if key_policy {
        s["Principal"] = principal_values()[p].clone();
    }
    s[if not { "NotAction" } else { "Action" }] = action_values()[a].clone();
    s["Resource"] = json!(RESOURCES[r]);
    if let Some(cv) = &condition_values()[c] {
        s["Condition"] = cv.clone();
    }
    s
}

#[derive(Clone, Debug)]
struct World {
    key_stmts: Vec<StmtSpec>,
    identity: Vec<Vec<StmtSpec>>,
    grants: Vec<(usize, Vec<usize>, usize)>,
    principal: usize,
    action: usize,
    key_b: bool,
    context: usize,
    for_aws: bool,
    via: bool,
    grant_ops: usize,
    managed: bool,
}

const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:DescribeKey",
];
const GRANT_OPS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "CreateGrant",
    "GenerateDataKeyWithoutPlaintext",
];

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(stmt_spec(), 0..5),
        prop::collection::vec(prop::collection::vec(stmt_spec(), 0..3), 0..3),
        prop::collection::vec(
            (0..9usize, prop::collection::vec(0..4usize, 1..3), 0..3usize),
            0..3,
        ),
        (0..9usize, 0..7usize, any::<bool>(), 0..3usize),
        (
            any::<bool>(),
            any::<bool>(),
            0..3usize,
            prop::bool::weighted(0.2),
        ),
    )
        .prop_map(
            |(
                key_stmts,
                identity,
                grants,
                (principal, action, key_b, context),
                (for_aws, via, grant_ops, managed),
            )| World {
                key_stmts,
                identity,
                grants,
                principal,
                action,
                key_b,
                context,
                for_aws,
                via,
                grant_ops,
                managed,
            },
        )
}

impl World {
    fn decide(&self) -> Decision {
        let key_policy = policy(
            self.key_stmts
                .iter()
                .map(|s| build_stmt(*s, true))
                .collect(),
        );
        let identity: Vec<(String, Value)> = self
            .identity
            .iter()
            .enumerate()
            .map(|(i, stmts)| {
                (
                    format!("P{i}"),
                    policy(stmts.iter().map(|s| build_stmt(*s, false)).collect()),
                )
            })
            .collect();
        let key = if self.key_b { KEY_B } else { KEY_A };
        let grants: Vec<GrantView> = self
            .grants
            .iter()
            .enumerate()
            .map(|(i, (grantee, ops, constraint))| GrantView {
                grant_id: format!("g{i}"),
                name: None,
                key_arn: key.into(),
                grantee_principal: PRINCIPALS[*grantee].into(),
                retiring_principal: None,
                operations: ops.iter().map(|o| GRANT_OPS[*o].to_string()).collect(),
                constraints: match constraint {
                    0 => None,
                    1 => Some(GrantConstraints {
                        encryption_context_subset: Some(context(&[("aws:ebs:id", "vol-1")])),
                        encryption_context_equals: None,
                    }),
                    _ => Some(GrantConstraints {
                        encryption_context_subset: None,
                        encryption_context_equals: Some(context(&[("aws:ebs:id", "vol-1")])),
                    }),
                },
            })
            .collect();
        let ctx = match self.context {
            0 => context(&[]),
            1 => context(&[("aws:ebs:id", "vol-1")]),
            _ => context(&[("aws:ebs:id", "vol-2"), ("purpose", "boot")]),
        };
        let grant_ops: Vec<String> = match self.grant_ops {
            0 => vec![],
            1 => vec!["Decrypt".into()],
            _ => vec!["Decrypt".into(), "CreateGrant".into()],
        };
        let principal = PRINCIPALS[self.principal];
        let req = Request {
            principal_arn: principal,
            principal_account: account_of(principal),
            action: ACTIONS[self.action],
            key_arn: key,
            key_account: account_of(key),
            encryption_context: &ctx,
            grant_is_for_aws_resource: self.for_aws,
            via_service: if self.via { Some(EC2_EAST) } else { None },
            grant_operations: &grant_ops,
            external_id: None,
        };
        let p = Policies {
            key_policy: &key_policy,
            identity_policies: &identity,
            grants: &grants,
            key_is_aws_managed: self.managed,
        };
        evaluate(&req, &p)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn adding_an_explicit_deny_never_turns_a_denial_into_an_allow(
        w in world(),
        extra in stmt_spec(),
        into_identity in any::<bool>(),
        at in 0..8usize,
    ) {
        let before = w.decide();
        let mut w2 = w.clone();
        let extra = (true, extra.1, extra.2, extra.3, extra.4, extra.5);
        if into_identity {
            if w2.identity.is_empty() {
                w2.identity.push(vec![]);
            }
            let n = w2.identity.len();
            let list = &mut w2.identity[at % n];
            let pos = at % (list.len() + 1);
            list.insert(pos, extra);
        } else {
            let pos = at % (w2.key_stmts.len() + 1);
            w2.key_stmts.insert(pos, extra);
        }
        let after = w2.decide();
        if !before.allowed {
            prop_assert!(!after.allowed, "before: {}\nafter: {}\n{:#?}", before.reason, after.reason, after.steps);
        }
    }

    #[test]
    fn removing_an_allow_never_turns_a_denial_into_an_allow(w in world(), pick in 0..32usize) {
        let before = w.decide();
        // Every Allow: key policy statements, identity statements, and grants.
        let mut spots = Vec::new();
        for (i, s) in w.key_stmts.iter().enumerate() {
            if !s.0 { spots.push((0, i, 0)); }
        }
        for (p, list) in w.identity.iter().enumerate() {
            for (i, s) in list.iter().enumerate() {
                if !s.0 { spots.push((1, p, i)); }
            }
        }
        for i in 0..w.grants.len() {
            spots.push((2, i, 0));
        }
        prop_assume!(!spots.is_empty());
        let (kind, a, b) = spots[pick % spots.len()];
        let mut w2 = w.clone();
        match kind {
            0 => { w2.key_stmts.remove(a); }
            1 => { w2.identity[a].remove(b); }
            _ => { w2.grants.remove(a); }
        }
        let after = w2.decide();
        if !before.allowed {
            prop_assert!(!after.allowed, "before: {}\nafter: {}\n{:#?}", before.reason, after.reason, after.steps);
        }
    }

    #[test]
    fn every_statement_and_grant_gets_a_step(w in world()) {
        let d = w.decide();
        let statements = w.key_stmts.len().max(1) + w.identity.iter().map(|l| l.len().max(1)).sum::<usize>().max(1);
        prop_assert!(d.steps.len() >= statements + w.grants.len() + 2);
        prop_assert!(d.steps.last().is_some_and(|s| s.starts_with("Decision: ") && s.ends_with(&d.reason)));
    }

    #[test]
    fn validation_never_panics(doc in ".{0,200}") {
        let _ = validate_policy(&doc);
        let _ = validate_key_policy(&doc, ROOT_A, A);
    }

    #[test]
    fn evaluation_never_panics_on_arbitrary_documents(doc in arbitrary_json()) {
        let ctx = BTreeMap::new();
        let req = request(ALICE, "kms:Decrypt", &ctx);
        let identity = vec![("P".to_string(), doc.clone())];
        let d = evaluate(&req, &Policies { key_policy: &doc, identity_policies: &identity, grants: &[], key_is_aws_managed: false });
        prop_assert!(!d.steps.is_empty());
        let _ = validate_policy(&doc.to_string());
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "Statement",
        "Effect",
        "Allow",
        "Deny",
        "Principal",
        "AWS",
        "*",
        "Action",
        "NotAction",
        "kms:*",
        "kms:Decrypt",
        "Resource",
        "Condition",
        "StringEquals",
        "Bool",
        "kms:ViaService",
        "ForAllValues:StringLike",
        ROOT_A,
        ALICE,
        "true",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        words.clone().prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((words.clone(), inner), 0..4).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}
