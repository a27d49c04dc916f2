//! Seed 003's S3/EBS/RDS comparison table (`views::compare`): every cell's lines run from a fresh
//! session, its proof calls come in order, and the trace shows exactly the cell's claim (who
//! calls KMS, how often, the encryption context, the AWS managed key, where the plaintext data
//! key is, how the key changes).

use ebs_kms_playground::model::trace::{Call, KeyLocation, Participant};
use ebs_kms_playground::session::Session;
use ebs_kms_playground::views::compare::{cell, rows, verdict, Cell, SERVICES};
use serde_json::Value;

/// Runs a cell in a fresh session; panics unless its verdict is clean.
fn run(row: &str, col: usize) -> Session {
    let c = cell(row, col).unwrap_or_else(|| panic!("no cell {row}/{col}"));
    run_cell(&c, &format!("{row}/{}", SERVICES[col]))
}

fn run_cell(c: &Cell, name: &str) -> Session {
    let mut s = Session::new(1);
    for l in &c.commands {
        s.run(l);
    }
    let v = verdict(&s, 0, c);
    assert_eq!(v.problem, None, "{name}");
    let proof = v.proof.unwrap_or_else(|| panic!("{name}: no proof call"));
    assert_eq!(
        s.calls()[proof].summary().split(" (failed").next(),
        c.shows.last().copied(),
        "{name}: the proof is the last expected call"
    );
    s
}

fn kms<'a>(s: &'a Session, from: Participant, op: &str) -> Vec<&'a Call> {
    s.calls()
        .iter()
        .filter(|c| c.from == from && c.to == Participant::Kms && c.operation == op)
        .collect()
}

fn ctx(c: &Call, key: &str) -> String {
    c.encryption_context
        .as_ref()
        .and_then(|e| e.get(key))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn var(s: &Session, name: &str) -> String {
    s.shell().var(name).unwrap_or_default().to_string()
}

const ROOT: &str = "arn:aws:iam::111122223333:root";

#[test]
fn the_table_has_the_chapters_rows_and_every_cell_shows_its_claim() {
    let ids: Vec<&str> = rows().iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        [
            "who-calls",
            "how-often",
            "context",
            "default-key",
            "plaintext-key",
            "change-key"
        ]
    );
    for r in rows() {
        for (i, c) in r.cells.iter().enumerate() {
            assert!(!c.claim.is_empty() && !c.commands.is_empty() && !c.shows.is_empty());
            run_cell(c, &format!("{}/{}", r.id, SERVICES[i]));
        }
    }
    assert!(cell("who-calls", 3).is_none() && cell("nope", 0).is_none());
}

#[test]
fn who_calls_kms() {
    let s = run("who-calls", 0);
    let gdk = kms(&s, Participant::S3, "GenerateDataKey");
    assert_eq!(gdk.len(), 1);
    assert_eq!(gdk[0].principal, ROOT, "on the caller's behalf");
    assert_eq!(gdk[0].invoked_by.as_deref(), Some("s3.amazonaws.com"));

    let s = run("who-calls", 1);
    let gdk = kms(&s, Participant::Ec2, "GenerateDataKeyWithoutPlaintext");
    assert_eq!(gdk[0].principal, ROOT);
    assert!(gdk[0]
        .invoked_by
        .as_deref()
        .is_some_and(|b| b.starts_with("ec2")));
    let grant = kms(&s, Participant::Ec2, "CreateGrant");
    assert_eq!(grant.len(), 1, "one grant, at attach");
    let attach = s
        .entries()
        .last()
        .map(|e| e.calls.clone())
        .unwrap_or_default();
    assert!(attach.contains(&grant[0].seq), "made by the attach line");

    let s = run("who-calls", 2);
    let describe = kms(&s, Participant::Rds, "DescribeKey");
    assert_eq!(describe[0].principal, ROOT);
    let gdk = kms(&s, Participant::Rds, "GenerateDataKeyWithoutPlaintext");
    assert!(gdk[0].principal.starts_with("rds."), "{}", gdk[0].principal);
}

#[test]
fn how_often() {
    // Two PUTs without a Bucket Key: two data keys; three with it: one.
    let s = run("how-often", 0);
    let gdk = kms(&s, Participant::S3, "GenerateDataKey");
    let arns: Vec<String> = gdk.iter().map(|c| ctx(c, "aws:s3:arn")).collect();
    assert_eq!(
        arns,
        [
            "arn:aws:s3:::compare-demo/a.txt",
            "arn:aws:s3:::compare-demo/b.txt",
            "arn:aws:s3:::compare-demo",
        ]
    );
    let puts = s
        .calls()
        .iter()
        .filter(|c| c.operation == "PutObject")
        .count();
    assert_eq!((puts, gdk.len()), (5, 3));
    // And one Decrypt for the one GET, bound to that object.
    let decrypts = kms(&s, Participant::S3, "Decrypt");
    assert_eq!(decrypts.len(), 1);
    assert_eq!(
        ctx(decrypts[0], "aws:s3:arn"),
        "arn:aws:s3:::compare-demo/a.txt"
    );

    // Writing and reading through the instance makes no KMS call.
    let s = run("how-often", 1);
    let n = s.entries().len();
    for e in &s.entries()[n - 2..] {
        let to_kms = s.calls()[e.calls.clone()]
            .iter()
            .filter(|c| c.to == Participant::Kms)
            .count();
        assert_eq!(to_kms, 0, "{}", e.result.line);
    }
    assert!(s.entries()[n - 1].result.text.contains("analytics 2026"));

    // The wait (the instance running) makes no KMS call; starting again decrypts again.
    let s = run("how-often", 2);
    let decrypts = kms(&s, Participant::Rds, "Decrypt");
    assert_eq!(decrypts.len(), 2, "at creation and at start");
    assert_eq!(
        kms(&s, Participant::Rds, "GenerateDataKeyWithoutPlaintext").len(),
        1
    );
}

#[test]
fn encryption_context() {
    let s = run("context", 0);
    let gdk = kms(&s, Participant::S3, "GenerateDataKey");
    let arns: Vec<String> = gdk.iter().map(|c| ctx(c, "aws:s3:arn")).collect();
    assert_eq!(
        arns,
        [
            "arn:aws:s3:::compare-demo/report.txt",
            "arn:aws:s3:::compare-demo"
        ],
        "the object, then the bucket for a Bucket Key"
    );

    let s = run("context", 1);
    let gdk = kms(&s, Participant::Ec2, "GenerateDataKeyWithoutPlaintext");
    assert_eq!(ctx(gdk[0], "aws:ebs:id"), var(&s, "VOL"));

    let s = run("context", 2);
    let gdk = kms(&s, Participant::Rds, "GenerateDataKeyWithoutPlaintext");
    let db_id = s
        .sim()
        .db_instances()
        .next()
        .map(|d| {
            d.to_json("")["DbiResourceId"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default();
    assert!(db_id.starts_with("db-"), "{db_id}");
    assert_eq!(ctx(gdk[0], "aws:rds:db-id"), db_id);
    assert!(ctx(gdk[0], "aws:ebs:id").starts_with("vol-"));
}

#[test]
fn the_default_keys_are_the_services_aws_managed_keys() {
    for (col, alias) in [
        (0, "alias/aws/s3"),
        (1, "alias/aws/ebs"),
        (2, "alias/aws/rds"),
    ] {
        let s = run("default-key", col);
        let managed: Vec<String> = s
            .sim()
            .keys()
            .filter(|k| k.aws_managed)
            .flat_map(|k| s.sim().aliases_of(&k.key_id))
            .collect();
        assert_eq!(managed, [alias], "column {col}");
        let key = s.sim().keys().find(|k| k.aws_managed).unwrap();
        assert!(
            s.calls().iter().any(
                |c| c.operation.starts_with("GenerateDataKey") && c.key_arns.contains(&key.arn)
            ),
            "{alias} made the data key"
        );
        assert!(
            s.sim().keys().all(|k| k.aws_managed),
            "no customer managed key"
        );
    }
}

#[test]
fn where_the_plaintext_data_key_lives() {
    let s = run("plaintext-key", 0);
    let gdk = kms(&s, Participant::S3, "GenerateDataKey");
    assert_eq!(gdk[0].key_location, Some(KeyLocation::S3PerRequest));

    let s = run("plaintext-key", 1);
    let at = |op: &str| {
        s.calls()
            .iter()
            .find(|c| c.operation == op)
            .and_then(|c| c.key_location)
    };
    assert_eq!(at("LoadDataKey"), Some(KeyLocation::HostMemory));
    assert_eq!(at("DiscardDataKey"), Some(KeyLocation::Discarded));
    assert!(
        s.sim().volumes_with_key_in_host().is_empty(),
        "detached: gone"
    );

    let s = run("plaintext-key", 2);
    let load = s
        .calls()
        .iter()
        .find(|c| c.from == Participant::Rds && c.to == Participant::Host)
        .expect("RDS loads the key on its host");
    assert_eq!(load.operation, "LoadDataKey");
    assert!(s.sim().db_instances().all(|d| d.key_in_host()));
}

#[test]
fn changing_the_key() {
    let s = run("change-key", 0);
    let (old, new) = (var(&s, "KEY"), var(&s, "NEW"));
    let copy_decrypt = kms(&s, Participant::S3, "Decrypt");
    assert_eq!(
        copy_decrypt[0].key_arns,
        std::slice::from_ref(&old),
        "decrypted under the old key"
    );
    let last_gdk = kms(&s, Participant::S3, "GenerateDataKey").pop().unwrap();
    assert_eq!(
        last_gdk.key_arns,
        std::slice::from_ref(&new),
        "encrypted under the new key"
    );
    let mut s = s;
    let head = s
        .run("aws s3api head-object --bucket compare-demo --key report.txt --query SSEKMSKeyId --output text")
        .map(|e| e.result.text.clone());
    assert_eq!(head.as_deref(), Some(new.as_str()), "same object, new key");

    let s = run("change-key", 1);
    let key_of = |id: &str| {
        s.sim()
            .volumes()
            .find(|v| v.id == id)
            .and_then(|v| v.encryption.as_ref().map(|e| e.kms_key_arn.clone()))
    };
    assert_eq!(
        key_of(&var(&s, "VOL")),
        Some(var(&s, "KEY")),
        "the old volume keeps its key"
    );
    assert_eq!(key_of(&var(&s, "NEWVOL")), Some(var(&s, "NEW")));

    let s = run("change-key", 2);
    let keys: Vec<(String, Option<String>)> = s
        .sim()
        .db_instances()
        .map(|d| {
            (
                d.to_json("")["DBInstanceIdentifier"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                d.kms_key_arn().map(str::to_string),
            )
        })
        .collect();
    assert!(
        keys.contains(&("compare-db".into(), Some(var(&s, "KEY")))),
        "{keys:?}"
    );
    assert!(
        keys.contains(&("compare-db-new".into(), Some(var(&s, "NEW")))),
        "{keys:?}"
    );
}

/// The check can fail: a line that fails, and a proof that does not happen, are reported.
#[test]
fn a_wrong_cell_is_caught() {
    let mut c = cell("context", 1).unwrap();
    c.shows = &["EC2 → KMS: CreateGrant"];
    let mut s = Session::new(1);
    for l in &c.commands {
        s.run(l);
    }
    assert!(verdict(&s, 0, &c).problem.is_some(), "no grant at creation");
    let mut c = cell("context", 1).unwrap();
    c.commands
        .push("aws ec2 attach-volume --volume-id vol-0 --instance-id i-0 --device /dev/sdf".into());
    let mut s = Session::new(1);
    for l in &c.commands {
        s.run(l);
    }
    let v = verdict(&s, 0, &c);
    assert!(v.problem.is_some_and(|p| p.contains("failed")) && v.proof.is_none());
}
