//! RDS storage encryption on the envelope model: each documented rule (aws-behaviour.md §13,
//! the RDS User Guide) as a row of a table, with RDS's KMS calls and contexts checked call by call.

use crate::common::*;
use ebs_kms_playground::model::trace::{Call, KeyLocation, Participant};
use serde_json::{json, Value};

const PG: &str = "postgres";

/// An instance request, optionally encrypted under `key` (None: the default key).
fn db(id: &str, encrypted: bool, key: Option<&str>) -> Value {
    let mut p = json!({"DBInstanceIdentifier": id, "Engine": PG, "DBInstanceClass": "db.t3.micro",
        "AllocatedStorage": 20, "MasterUsername": "admin", "MasterUserPassword": "secret123"});
    if encrypted {
        p["StorageEncrypted"] = json!(true);
    }
    if let Some(k) = key {
        p["KmsKeyId"] = json!(k);
    }
    p
}

fn create(s: &mut S, id: &str, encrypted: bool, key: Option<&str>) -> Value {
    let v = s.ok("rds", "CreateDBInstance", db(id, encrypted, key));
    s.advance(300);
    v["DBInstance"].clone()
}

fn instance(s: &mut S, id: &str) -> Value {
    s.ok(
        "rds",
        "DescribeDBInstances",
        json!({"DBInstanceIdentifier": id}),
    )["DBInstances"][0]
        .clone()
}

fn snapshot(s: &mut S, id: &str) -> Value {
    s.ok(
        "rds",
        "DescribeDBSnapshots",
        json!({"DBSnapshotIdentifier": id}),
    )["DBSnapshots"][0]
        .clone()
}

fn snap(s: &mut S, inst: &str, id: &str) {
    s.ok(
        "rds",
        "CreateDBSnapshot",
        json!({"DBInstanceIdentifier": inst, "DBSnapshotIdentifier": id}),
    );
    s.advance(60);
}

/// The KMS calls of the last command: (from, operation, principal, context).
fn kms_calls(s: &S) -> Vec<(Participant, String, String, Value)> {
    last_command(s)
        .into_iter()
        .filter(|c| c.to == Participant::Kms && !c.is_event)
        .map(|c| {
            let ctx = c.encryption_context.clone().unwrap_or(Value::Null);
            (c.from, c.operation.clone(), c.principal.clone(), ctx)
        })
        .collect()
}

fn last_command(s: &S) -> Vec<Call> {
    let calls = s.sim.trace().calls();
    let last = calls.last().map_or(0, |c| c.command);
    calls
        .iter()
        .filter(|c| c.command == last)
        .cloned()
        .collect()
}

/// Who makes a call, as the table says it: the user through RDS, or RDS through its grant.
#[derive(Clone, Copy, Debug, PartialEq)]
enum By {
    User,
    Rds,
}

/// One expected KMS call: who, operation, the context keys it carries.
type Expect = (By, &'static str, &'static [&'static str]);

const USER_ROOT: &str = "arn:aws:iam::111122223333:root";
const RDS_SVC: &str = "rds.us-east-1.amazonaws.com";
const FULL: &[&str] = &["aws:ebs:id", "aws:rds:db-id"];
const DB_ONLY: &[&str] = &["aws:rds:db-id"];

fn check_calls(s: &S, rule: &str, want: &[Expect]) {
    let got = kms_calls(s);
    let shown: Vec<String> = got
        .iter()
        .map(|(f, o, p, _)| format!("{} {o} as {p}", f.name()))
        .collect();
    assert_eq!(got.len(), want.len(), "{rule}: KMS calls {shown:?}");
    for (i, ((from, op, principal, ctx), (by, wop, keys))) in got.iter().zip(want).enumerate() {
        assert_eq!(*from, Participant::Rds, "{rule}: call {i} comes from RDS");
        assert_eq!(op, wop, "{rule}: call {i} ({shown:?})");
        let want_principal = match by {
            By::User => USER_ROOT,
            By::Rds => RDS_SVC,
        };
        assert_eq!(principal, want_principal, "{rule}: principal of {op}");
        let have: Vec<&str> = ctx
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(have, keys.to_vec(), "{rule}: context keys of {op}");
    }
}

/// A rule: its citation, the setup and the command under test, the expected KMS calls.
struct Rule {
    name: &'static str,
    doc: &'static str,
    run: fn(&mut S) -> Result<Value, ebs_kms_playground::model::AwsError>,
    calls: &'static [Expect],
    error: Option<&'static str>,
    after: fn(&mut S, &Value),
}

fn nothing(_: &mut S, _: &Value) {}

const CREATE_ENCRYPTED: &[Expect] = &[
    (By::User, "DescribeKey", &[]),
    (By::User, "CreateGrant", DB_ONLY),
    (By::Rds, "GenerateDataKeyWithoutPlaintext", FULL),
    (By::Rds, "Decrypt", FULL),
];
const REENCRYPT: &[Expect] = &[
    (By::User, "DescribeKey", &[]),
    (By::User, "CreateGrant", DB_ONLY),
    (By::Rds, "GenerateDataKeyWithoutPlaintext", FULL),
    (By::User, "Decrypt", FULL),
    (By::Rds, "Decrypt", FULL),
];
const ENCRYPT_COPY: &[Expect] = &[
    (By::User, "DescribeKey", &[]),
    (By::User, "CreateGrant", DB_ONLY),
    (By::Rds, "GenerateDataKeyWithoutPlaintext", FULL),
    (By::Rds, "Decrypt", FULL),
    (By::Rds, "RetireGrant", &[]),
];
const REENCRYPT_COPY: &[Expect] = &[
    (By::User, "DescribeKey", &[]),
    (By::User, "CreateGrant", DB_ONLY),
    (By::Rds, "GenerateDataKeyWithoutPlaintext", FULL),
    (By::User, "Decrypt", FULL),
    (By::Rds, "Decrypt", FULL),
    (By::Rds, "RetireGrant", &[]),
];

fn rules() -> Vec<Rule> {
    vec![
        Rule {
            name: "encrypted at creation under the default key alias/aws/rds",
            doc: "CreateDBInstance KmsKeyId: if StorageEncrypted is enabled and you do not specify KmsKeyId, RDS uses your default KMS key (botocore rds model); the RDS AWS managed key aws/rds is the default (RDS User Guide, AWS KMS key management).",
            run: |s| s.call("rds", "CreateDBInstance", db("a", true, None)),
            calls: CREATE_ENCRYPTED,
            error: None,
            after: |s, v| {
                let key = v["DBInstance"]["KmsKeyId"].as_str().unwrap().to_string();
                let aliases = s.ok("kms", "ListAliases", json!({}));
                let rds = aliases["Aliases"].as_array().unwrap().iter().find(|a| a["AliasName"] == "alias/aws/rds").expect("alias/aws/rds created on first use").clone();
                assert!(key.ends_with(rds["TargetKeyId"].as_str().unwrap()));
                assert_eq!(v["DBInstance"]["StorageEncrypted"], true);
            },
        },
        Rule {
            name: "unencrypted by default: no KMS call",
            doc: "CreateDBInstance StorageEncrypted: by default, it isn't encrypted (botocore rds model).",
            run: |s| s.call("rds", "CreateDBInstance", db("plain", false, None)),
            calls: &[],
            error: None,
            after: |_, v| assert_eq!(v["DBInstance"]["StorageEncrypted"], false),
        },
        Rule {
            name: "a key without --storage-encrypted is refused",
            doc: "KmsKeyId is the key 'for an encrypted DB instance' (botocore rds model); the playground asks for StorageEncrypted (exact RDS code unsettled).",
            run: |s| {
                let k = s.key(None);
                s.call("rds", "CreateDBInstance", db("x", false, Some(&k)))
            },
            calls: &[],
            error: Some("InvalidParameterCombination"),
            after: nothing,
        },
        Rule {
            name: "encryption cannot be turned on in place: ModifyDBInstance has no such member",
            doc: "You can only enable encryption for an Amazon RDS DB instance when you create it, not after the DB instance is created (RDS User Guide, Limitations of Amazon RDS encrypted DB instances).",
            run: |s| {
                create(s, "legacy", false, None);
                s.call("rds", "ModifyDBInstance", json!({"DBInstanceIdentifier": "legacy", "StorageEncrypted": true}))
            },
            calls: &[],
            error: Some("UnknownParameter"),
            after: |s, _| assert_eq!(instance(s, "legacy")["StorageEncrypted"], false),
        },
        Rule {
            name: "a snapshot uses the instance's key and makes no KMS call",
            doc: "Snapshots of an encrypted DB instance are encrypted with the same KMS key (seed 003; RDS User Guide, Encrypting Amazon RDS resources).",
            run: |s| {
                let k = s.key(None);
                create(s, "a", true, Some(&k));
                s.call("rds", "CreateDBSnapshot", json!({"DBInstanceIdentifier": "a", "DBSnapshotIdentifier": "a-1"}))
            },
            calls: &[],
            error: None,
            after: |s, v| {
                assert_eq!(v["DBSnapshot"]["KmsKeyId"], instance(s, "a")["KmsKeyId"]);
                assert_eq!(v["DBSnapshot"]["Encrypted"], true);
            },
        },
        Rule {
            name: "automated backups use the instance's key",
            doc: "RDS encryption encrypts storage volumes, automated backups and snapshots (seed 003, RDS Encryption Scope).",
            run: |s| {
                let k = s.key(None);
                create(s, "a", true, Some(&k));
                s.call("rds", "DescribeDBSnapshots", json!({"SnapshotType": "automated"}))
            },
            calls: &[],
            error: None,
            after: |s, v| {
                let list = v["DBSnapshots"].as_array().unwrap();
                assert_eq!(list.len(), 1, "one automated backup");
                assert_eq!(list[0]["KmsKeyId"], instance(s, "a")["KmsKeyId"]);
                assert!(list[0]["DBSnapshotIdentifier"].as_str().unwrap().starts_with("rds:a-"));
            },
        },
        Rule {
            name: "copy with --kms-key-id encrypts an unencrypted snapshot",
            doc: "If you specify KmsKeyId when you copy an unencrypted snapshot, the copy is encrypted (botocore rds model, CopyDBSnapshot).",
            run: |s| {
                create(s, "legacy", false, None);
                snap(s, "legacy", "plain");
                let k = s.key(None);
                s.call("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": "plain", "TargetDBSnapshotIdentifier": "enc", "KmsKeyId": k}))
            },
            calls: ENCRYPT_COPY,
            error: None,
            after: |_, v| assert_eq!(v["DBSnapshot"]["Encrypted"], true),
        },
        Rule {
            name: "copy with another key re-encrypts",
            doc: "If you copy an encrypted DB snapshot from your account, you can specify KmsKeyId to encrypt the copy with a new KMS key (botocore rds model, CopyDBSnapshot).",
            run: |s| {
                let a = s.key(None);
                create(s, "a", true, Some(&a));
                snap(s, "a", "s1");
                let b = s.key(Some("alias/b"));
                s.call("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": "s1", "TargetDBSnapshotIdentifier": "s2", "KmsKeyId": b}))
            },
            calls: REENCRYPT_COPY,
            error: None,
            after: |s, v| assert_ne!(v["DBSnapshot"]["KmsKeyId"], snapshot(s, "s1")["KmsKeyId"]),
        },
        Rule {
            name: "copy without a key keeps the source's key",
            doc: "If you don't specify KmsKeyId, the copy of the DB snapshot is encrypted with the same KMS key as the source DB snapshot (botocore rds model, CopyDBSnapshot).",
            run: |s| {
                let a = s.key(None);
                create(s, "a", true, Some(&a));
                snap(s, "a", "s1");
                s.call("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": "s1", "TargetDBSnapshotIdentifier": "s2"}))
            },
            calls: &[],
            error: None,
            after: |s, v| assert_eq!(v["DBSnapshot"]["KmsKeyId"], snapshot(s, "s1")["KmsKeyId"]),
        },
        Rule {
            name: "cross-region copy of an encrypted snapshot needs a key of the destination region",
            doc: "If you copy an encrypted snapshot to a different Region, you must specify a KMS key identifier for the destination Region; KMS keys are specific to the Region they are created in (botocore rds model, CopyDBSnapshot).",
            run: |s| {
                let a = s.key(None);
                create(s, "a", true, Some(&a));
                snap(s, "a", "s1");
                s.region("us-west-2");
                s.call("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": "arn:aws:rds:us-east-1:111122223333:snapshot:s1", "TargetDBSnapshotIdentifier": "west", "SourceRegion": "us-east-1"}))
            },
            calls: &[],
            error: Some("InvalidParameterCombination"),
            after: nothing,
        },
        Rule {
            name: "a source-region key is refused in the destination region",
            doc: "You can't use KMS keys from one Region in another Region (botocore rds model, CopyDBSnapshot).",
            run: |s| {
                let a = s.key(None);
                create(s, "a", true, Some(&a));
                snap(s, "a", "s1");
                s.region("us-west-2");
                s.call("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": "arn:aws:rds:us-east-1:111122223333:snapshot:s1", "TargetDBSnapshotIdentifier": "west", "SourceRegion": "us-east-1", "KmsKeyId": a}))
            },
            calls: &[(By::User, "DescribeKey", &[])],
            error: Some("KMSKeyNotAccessibleFault"),
            after: nothing,
        },
        Rule {
            name: "restore uses the snapshot's key, with a new grant and context",
            doc: "You can't restore an unencrypted snapshot to an encrypted instance; a restored instance is encrypted with the snapshot's key (RDS User Guide, Limitations of Amazon RDS encrypted DB instances).",
            run: |s| {
                let a = s.key(None);
                create(s, "a", true, Some(&a));
                snap(s, "a", "s1");
                s.call("rds", "RestoreDBInstanceFromDBSnapshot", json!({"DBInstanceIdentifier": "b", "DBSnapshotIdentifier": "s1"}))
            },
            calls: REENCRYPT,
            error: None,
            after: |s, v| {
                let a = instance(s, "a");
                assert_eq!(v["DBInstance"]["KmsKeyId"], a["KmsKeyId"]);
                assert_ne!(v["DBInstance"]["DbiResourceId"], a["DbiResourceId"]);
            },
        },
        Rule {
            name: "a snapshot under the AWS managed key cannot be shared",
            doc: "You can't share a snapshot that has been encrypted using the default AWS KMS key of the account that shared it (RDS User Guide, Sharing a DB snapshot).",
            run: |s| {
                create(s, "a", true, None);
                snap(s, "a", "s1");
                s.call("rds", "ModifyDBSnapshotAttribute", json!({"DBSnapshotIdentifier": "s1", "AttributeName": "restore", "ValuesToAdd": ["444455556666"]}))
            },
            calls: &[],
            error: Some("InvalidParameterValue"),
            after: nothing,
        },
        Rule {
            name: "an encrypted snapshot cannot be public",
            doc: "If the manual DB snapshot is encrypted, it can be shared only with a list of account IDs; you can't use all (RDS API Reference, ModifyDBSnapshotAttribute).",
            run: |s| {
                let k = s.key(None);
                create(s, "a", true, Some(&k));
                snap(s, "a", "s1");
                s.call("rds", "ModifyDBSnapshotAttribute", json!({"DBSnapshotIdentifier": "s1", "AttributeName": "restore", "ValuesToAdd": ["all"]}))
            },
            calls: &[],
            error: Some("InvalidParameterValue"),
            after: nothing,
        },
        Rule {
            name: "a snapshot under a customer managed key can be shared",
            doc: "To share an encrypted snapshot, encrypt it with a customer managed key and share the key (RDS User Guide, Sharing a DB snapshot).",
            run: |s| {
                let k = s.key(None);
                create(s, "a", true, Some(&k));
                snap(s, "a", "s1");
                s.call("rds", "ModifyDBSnapshotAttribute", json!({"DBSnapshotIdentifier": "s1", "AttributeName": "restore", "ValuesToAdd": ["444455556666"]}))
            },
            calls: &[],
            error: None,
            after: |_, v| assert_eq!(v["DBSnapshotAttributesResult"]["DBSnapshotAttributes"][0]["AttributeValues"], json!(["444455556666"])),
        },
        Rule {
            name: "a disabled key breaks a restore",
            doc: "RDS returns KMSKeyNotAccessibleFault when the key does not exist, is not enabled or cannot be accessed (botocore rds model, RestoreDBInstanceFromDBSnapshot errors).",
            run: |s| {
                let k = s.key(None);
                create(s, "a", true, Some(&k));
                snap(s, "a", "s1");
                s.ok("kms", "DisableKey", json!({"KeyId": k}));
                s.call("rds", "RestoreDBInstanceFromDBSnapshot", json!({"DBInstanceIdentifier": "b", "DBSnapshotIdentifier": "s1"}))
            },
            calls: &[(By::User, "DescribeKey", &[]), (By::User, "CreateGrant", DB_ONLY)],
            error: Some("KMSKeyNotAccessibleFault"),
            after: |s, _| {
                let e = s.err("rds", "DescribeDBInstances", json!({"DBInstanceIdentifier": "b"}));
                assert_eq!(e.code, "DBInstanceNotFound");
            },
        },
        Rule {
            name: "a disabled key makes a start fail: inaccessible-encryption-credentials-recoverable",
            doc: "If the DB instance can't access the AWS KMS key, it enters the inaccessible-encryption-credentials-recoverable state; after seven days, inaccessible-encryption-credentials (AWS re:Post knowledge center rds-aurora-inaccessible-state).",
            run: |s| {
                let k = s.key(Some("alias/db"));
                create(s, "a", true, Some(&k));
                s.ok("rds", "StopDBInstance", json!({"DBInstanceIdentifier": "a"}));
                s.advance(120);
                s.ok("kms", "DisableKey", json!({"KeyId": k}));
                s.ok("rds", "StartDBInstance", json!({"DBInstanceIdentifier": "a"}));
                s.call("play", "AdvanceTime", json!({"Seconds": 120}))
            },
            calls: &[(By::Rds, "Decrypt", FULL)],
            error: None,
            after: |s, _| {
                assert_eq!(instance(s, "a")["DBInstanceStatus"], "inaccessible-encryption-credentials-recoverable");
                s.ok("kms", "EnableKey", json!({"KeyId": "alias/db"}));
                s.ok("rds", "StartDBInstance", json!({"DBInstanceIdentifier": "a"}));
                s.advance(120);
                assert_eq!(instance(s, "a")["DBInstanceStatus"], "available", "recovered once the key is enabled");
                s.ok("rds", "StopDBInstance", json!({"DBInstanceIdentifier": "a"}));
                s.advance(120);
                s.ok("kms", "DisableKey", json!({"KeyId": "alias/db"}));
                s.ok("rds", "StartDBInstance", json!({"DBInstanceIdentifier": "a"}));
                s.advance(8 * 86_400);
                assert_eq!(instance(s, "a")["DBInstanceStatus"], "inaccessible-encryption-credentials", "terminal after seven days");
            },
        },
    ]
}

#[test]
fn documented_rules_with_their_kms_calls() {
    for rule in rules() {
        assert!(!rule.doc.is_empty());
        let mut s = S::new();
        let out = (rule.run)(&mut s);
        match (&out, rule.error) {
            (Ok(_), None) => {}
            (Err(e), Some(code)) => assert_eq!(e.code, code, "{}: {}", rule.name, e.message),
            (Ok(v), Some(code)) => panic!("{}: expected {code}, got {v}", rule.name),
            (Err(e), None) => panic!("{}: failed: {e}", rule.name),
        }
        check_calls(&s, rule.name, rule.calls);
        (rule.after)(&mut s, out.as_ref().unwrap_or(&Value::Null));
    }
}

#[test]
fn seed_path_snapshot_copy_restore_keeps_the_data_and_encrypts_it() {
    let mut s = S::new();
    create(&mut s, "legacy", false, None);
    let legacy = s
        .sim
        .db_instances()
        .find(|i| i.id == "legacy")
        .unwrap()
        .arn
        .clone();
    let plain = s.sim.db_on_disk(&legacy).unwrap();
    assert!(
        String::from_utf8_lossy(&plain).contains("balance=1200.00"),
        "unencrypted storage is readable on disk"
    );
    snap(&mut s, "legacy", "legacy-snap");
    let k = s.key(Some("alias/prod-finance-rds"));
    s.ok("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": "legacy-snap", "TargetDBSnapshotIdentifier": "legacy-enc", "KmsKeyId": "alias/prod-finance-rds"}));
    s.advance(60);
    s.ok(
        "rds",
        "RestoreDBInstanceFromDBSnapshot",
        json!({"DBInstanceIdentifier": "secure", "DBSnapshotIdentifier": "legacy-enc"}),
    );
    s.advance(300);
    let v = instance(&mut s, "secure");
    assert_eq!(v["StorageEncrypted"], true);
    assert_eq!(v["KmsKeyId"], json!(k));
    assert_eq!(v["DBInstanceStatus"], "available");
    let secure = s
        .sim
        .db_instances()
        .find(|i| i.id == "secure")
        .unwrap()
        .arn
        .clone();
    let disk = s.sim.db_on_disk(&secure).unwrap();
    assert_ne!(disk, plain, "ciphertext on disk");
    assert!(!String::from_utf8_lossy(&disk).contains("balance"));
    assert_eq!(
        s.sim.db_reads(&secure).unwrap(),
        plain,
        "the engine reads the same data through the host's data key"
    );
    // The data key lives on the database host: the last Decrypt hands it over, LoadDataKey keeps it.
    let load = s
        .sim
        .trace()
        .calls()
        .iter()
        .rev()
        .find(|c| c.operation == "LoadDataKey")
        .unwrap();
    assert_eq!(load.from, Participant::Rds);
    assert_eq!(load.key_location, Some(KeyLocation::HostMemory));
    assert!(s
        .sim
        .db_instances()
        .find(|i| i.id == "secure")
        .unwrap()
        .key_in_host());
    // Every RDS KMS call says that its order is an approximation, and CloudTrail shows RDS.
    for c in s
        .sim
        .trace()
        .calls()
        .iter()
        .filter(|c| c.from == Participant::Rds && c.to == Participant::Kms)
    {
        assert!(
            c.approximation.is_some(),
            "{} without approximation note",
            c.operation
        );
        assert_eq!(
            c.cloudtrail()["userIdentity"]["invokedBy"],
            "rds.amazonaws.com"
        );
    }
    let create = s
        .sim
        .trace()
        .calls()
        .iter()
        .find(|c| c.operation == "RestoreDBInstanceFromDBSnapshot")
        .unwrap();
    assert_eq!(create.cloudtrail()["eventSource"], "rds.amazonaws.com");
    // The export never carries the plaintext data key.
    let export = serde_json::to_string(&s.sim.export_state()).unwrap();
    let trace = serde_json::to_string(&s.sim.export_trace()).unwrap();
    assert!(!s.sim.reveals_host_key(&export) && !s.sim.reveals_host_key(&trace));
}

#[test]
fn rds_grant_is_constrained_to_the_instance_and_retired_on_delete() {
    let mut s = S::new();
    let k = s.key(None);
    let v = create(&mut s, "a", true, Some(&k));
    let grants = s.ok("kms", "ListGrants", json!({"KeyId": k}));
    let g = &grants["Grants"][0];
    assert_eq!(g["GranteePrincipal"], RDS_SVC);
    assert_eq!(
        g["Constraints"]["EncryptionContextSubset"]["aws:rds:db-id"],
        v["DbiResourceId"]
    );
    s.ok(
        "rds",
        "DeleteDBInstance",
        json!({"DBInstanceIdentifier": "a", "SkipFinalSnapshot": true}),
    );
    s.advance(120);
    assert_eq!(
        s.ok("kms", "ListGrants", json!({"KeyId": k}))["Grants"],
        json!([])
    );
    assert_eq!(
        s.err(
            "rds",
            "DescribeDBInstances",
            json!({"DBInstanceIdentifier": "a"})
        )
        .code,
        "DBInstanceNotFound"
    );
}

#[test]
fn refusals_and_errors_as_rds_spells_them() {
    let mut s = S::new();
    create(&mut s, "a", false, None);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "CreateDBInstance",
            db("a", false, None),
            "DBInstanceAlreadyExists",
        ),
        (
            "CreateDBInstance",
            db("1bad", false, None),
            "InvalidParameterValue",
        ),
        (
            "CreateDBInstance",
            json!({"DBInstanceIdentifier": "c", "Engine": "oracle-xe", "DBInstanceClass": "db.t3.micro", "MasterUsername": "u", "MasterUserPassword": "secret123"}),
            "InvalidParameterValue",
        ),
        (
            "CreateDBInstance",
            json!({"DBInstanceIdentifier": "c", "Engine": PG, "DBInstanceClass": "db.t3.micro", "MasterUsername": "u", "MasterUserPassword": "short"}),
            "InvalidParameterValue",
        ),
        (
            "CreateDBInstance",
            db("c", true, Some("alias/nope")),
            "KMSKeyNotAccessibleFault",
        ),
        (
            "DescribeDBInstances",
            json!({"DBInstanceIdentifier": "zz"}),
            "DBInstanceNotFound",
        ),
        (
            "DeleteDBInstance",
            json!({"DBInstanceIdentifier": "a"}),
            "InvalidParameterCombination",
        ),
        (
            "CreateDBSnapshot",
            json!({"DBInstanceIdentifier": "zz", "DBSnapshotIdentifier": "s"}),
            "DBInstanceNotFound",
        ),
        (
            "CopyDBSnapshot",
            json!({"SourceDBSnapshotIdentifier": "zz", "TargetDBSnapshotIdentifier": "t"}),
            "DBSnapshotNotFound",
        ),
        (
            "ModifyDBSnapshotAttribute",
            json!({"DBSnapshotIdentifier": "zz", "AttributeName": "restore"}),
            "DBSnapshotNotFound",
        ),
        (
            "RestoreDBInstanceFromDBSnapshot",
            json!({"DBInstanceIdentifier": "r"}),
            "InvalidParameterCombination",
        ),
        (
            "ModifyDBInstance",
            json!({"DBInstanceIdentifier": "a", "KmsKeyId": "alias/aws/rds"}),
            "UnknownParameter",
        ),
    ];
    for (op, p, code) in cases {
        let e = s.err("rds", op, p.clone());
        assert_eq!(e.code, code, "{op} {p}: {}", e.message);
    }
}

#[test]
fn other_account_restores_a_shared_snapshot_copy_under_its_own_key() {
    let mut s = S::new();
    let policy = cross_account_policy("111122223333", "444455556666");
    let k = s.key(None);
    s.ok(
        "kms",
        "PutKeyPolicy",
        json!({"KeyId": k, "PolicyName": "default", "Policy": policy.to_string()}),
    );
    create(&mut s, "a", true, Some(&k));
    snap(&mut s, "a", "s1");
    s.ok("rds", "ModifyDBSnapshotAttribute", json!({"DBSnapshotIdentifier": "s1", "AttributeName": "restore", "ValuesToAdd": ["444455556666"]}));
    s.as_b();
    let shared = s.ok(
        "rds",
        "DescribeDBSnapshots",
        json!({"SnapshotType": "shared"}),
    );
    assert_eq!(shared["DBSnapshots"][0]["SnapshotType"], "shared");
    let arn = "arn:aws:rds:us-east-1:111122223333:snapshot:s1";
    let e = s.err(
        "rds",
        "CopyDBSnapshot",
        json!({"SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": "mine"}),
    );
    assert_eq!(
        e.code, "InvalidParameterCombination",
        "a shared encrypted snapshot needs KmsKeyId"
    );
    let own = s.key(None);
    let v = s.ok("rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": arn, "TargetDBSnapshotIdentifier": "mine", "KmsKeyId": own}));
    assert_eq!(v["DBSnapshot"]["KmsKeyId"], json!(own));
}

#[test]
fn cli_lines_parse_against_the_table_and_waiters_poll_rds() {
    use ebs_kms_playground::session::Session;
    let mut session = Session::new(7);
    let lines = [
        "aws rds create-db-instance --db-instance-identifier app --engine mysql --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password secret123 --storage-encrypted",
        "aws rds wait db-instance-available --db-instance-identifier app",
        "aws rds create-db-snapshot --db-instance-identifier app --db-snapshot-identifier app-1",
        "aws rds wait db-snapshot-available --db-snapshot-identifier app-1",
        "aws rds delete-db-instance --db-instance-identifier app --skip-final-snapshot",
    ];
    for l in lines {
        let r = session.run(l).expect("a result");
        assert!(r.result.error.is_none(), "{l}: {:?}", r.result.error);
    }
    let r =
        session.run("aws rds modify-db-instance --db-instance-identifier app --storage-encrypted");
    assert!(
        r.is_some_and(|e| e.result.error.is_some()),
        "there is no in-place encryption option"
    );
    let r = session.run("aws rds wait volume-available --volume-ids vol-1");
    assert!(
        r.is_some_and(|e| e.result.error.is_some()),
        "EC2's waiters are not RDS's"
    );
}
