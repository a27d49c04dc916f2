//! `src/outcomes.rs` against the simulation: every row of seed 000's encryption outcomes table,
//! in both columns, set up and run by `row_commands`, recognised by `matched_row`, and giving
//! the result the row's wording states (read from the volume, not from the module's mapping).

use ebs_kms_playground::model::trace::Participant;
use ebs_kms_playground::model::ACCOUNT_A;
use ebs_kms_playground::outcomes::{self, matched_row, row_commands, rows};
use ebs_kms_playground::session::Session;
use serde_json::Value;

/// What a cell of the table says, parsed from its wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Said {
    Unencrypted,
    SameKey,
    DefaultKey,
    SpecifiedKey,
    NotApplicable,
}

fn said(cell: &str) -> Said {
    if cell == "N/A" {
        Said::NotApplicable
    } else if cell == "Unencrypted" {
        Said::Unencrypted
    } else if cell.starts_with("Encrypted by same key") {
        Said::SameKey
    } else if cell.starts_with("Encrypted by default customer managed key") {
        Said::DefaultKey
    } else if cell.starts_with("Encrypted by a specified customer managed key") {
        Said::SpecifiedKey
    } else {
        panic!("unknown wording {cell:?}")
    }
}

/// Runs `lines`; every line must do what it declares (succeed, or fail as `# expect-error` says).
fn run_lines(s: &mut Session, lines: &[String]) {
    for l in lines {
        if let Some(e) = s.run(l).cloned() {
            assert!(
                !e.result.unexpected(),
                "{l}\n-> {:?}: {}",
                e.result.error,
                e.result.text
            );
        }
    }
}

/// The ARN a command prints (`--output text`).
fn text(s: &mut Session, line: &str) -> String {
    let e = s.run(line).cloned().expect("an entry");
    assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
    e.result.text.trim().to_string()
}

/// The ARN of the default account's default EBS key right now.
fn default_key(s: &mut Session) -> String {
    let id = text(
        s,
        "aws ec2 get-ebs-default-kms-key-id --query KmsKeyId --output text",
    );
    text(
        s,
        &format!("aws kms describe-key --key-id {id} --query KeyMetadata.Arn --output text"),
    )
}

/// What the last CreateVolume of the session produced, classified against the keys around it.
fn observed(s: &mut Session, index: usize, custom: bool) -> Said {
    let last = s
        .calls()
        .iter()
        .rev()
        .find(|c| {
            c.from == Participant::User && c.to == Participant::Ec2 && c.operation == "CreateVolume"
        })
        .cloned()
        .expect("a CreateVolume");
    if let Some(e) = &last.error {
        assert_eq!(e.code, "InvalidParameterDependency", "row {index}");
        assert_eq!(
            e.message,
            "The parameter KmsKeyId requires the parameter Encrypted to be set."
        );
        return Said::NotApplicable;
    }
    let id = last.response["VolumeId"]
        .as_str()
        .expect("VolumeId")
        .to_string();
    let default = default_key(s);
    // The volume really becomes available: the key was usable, not checked and refused later.
    text(s, "play advance --seconds 10");
    let d = s
        .run(&format!("aws ec2 describe-volumes --volume-ids {id}"))
        .cloned()
        .expect("an entry");
    let v = d.result.output.as_ref().map(|o| o["Volumes"][0].clone());
    let v = v.unwrap_or_else(|| panic!("row {index}: {}", d.result.text));
    assert_eq!(v["State"], "available", "row {index} custom={custom}: {v}");
    let prefix = format!("R{index:02}{}", if custom { 'C' } else { 'D' });
    let var = |s: &Session, n: &str| s.shell().var(&format!("{prefix}_{n}")).map(str::to_string);
    let snap_key = var(s, "SNAP").and_then(|snap| {
        s.sim()
            .snapshots()
            .find(|x| x.id == snap)
            .and_then(|x| x.encryption.as_ref().map(|e| e.kms_key_arn.clone()))
    });
    let specified = var(s, "KEY");
    match v["KmsKeyId"].as_str() {
        None => {
            assert_eq!(v["Encrypted"], Value::Bool(false));
            Said::Unencrypted
        }
        Some(k) if Some(k) == snap_key.as_deref() => Said::SameKey,
        Some(k) if Some(k) == specified.as_deref() => Said::SpecifiedKey,
        Some(k) if k == default => Said::DefaultKey,
        Some(k) => panic!("row {index} custom={custom}: unexpected key {k}"),
    }
}

fn check_row(s: &mut Session, index: usize, custom: bool) {
    let row = &rows()[index - 1];
    let cell = if custom {
        row.custom_result
    } else {
        row.default_result
    };
    run_lines(s, &row_commands(index, custom));
    assert_eq!(
        matched_row(s),
        Some((index, custom)),
        "row {index} custom={custom}"
    );
    let got = observed(s, index, custom);
    assert_eq!(
        got,
        said(cell),
        "row {index} ({} / {} / {}) {} column: the table says {cell:?}",
        row.encrypted_param,
        row.by_default,
        row.source,
        if custom { "Custom" } else { "Default" }
    );
    // Looking at the result made no CreateVolume: the match still holds.
    assert_eq!(matched_row(s), Some((index, custom)));
}

#[test]
fn every_row_in_both_columns_from_a_fresh_session() {
    for index in 1..=20 {
        for custom in [false, true] {
            let mut s = Session::new(1);
            check_row(&mut s, index, custom);
        }
    }
}

/// The rows also work one after another in one session whose state was changed first: a
/// customer managed default key, encryption by default on in both accounts.
#[test]
fn every_row_in_both_columns_in_one_long_session() {
    let mut s = Session::new(5);
    run_lines(
        &mut s,
        &[
            "CMK=$(aws kms create-key --description 'ebs default' --query KeyMetadata.Arn --output text)".into(),
            "aws ec2 modify-ebs-default-kms-key-id --kms-key-id $CMK".into(),
            "aws ec2 enable-ebs-encryption-by-default".into(),
            "aws ec2 enable-ebs-encryption-by-default --profile partner".into(),
        ],
    );
    let cmk = s.shell().var("CMK").unwrap().to_string();
    for index in (1..=20).rev() {
        for custom in [true, false] {
            check_row(&mut s, index, custom);
        }
    }
    assert_eq!(
        default_key(&mut s),
        cmk,
        "the rows leave the default key alone"
    );
}

#[test]
fn the_table_in_the_seed_wording() {
    let r = rows();
    assert_eq!(r.len(), 20);
    for (i, row) in r.iter().enumerate() {
        assert_eq!(row.index, i + 1);
        let group = i / 5;
        assert_eq!(
            row.encrypted_param,
            group == 1 || group == 3,
            "row {}",
            i + 1
        );
        assert_eq!(row.by_default, group >= 2, "row {}", i + 1);
    }
    let sources: Vec<&str> = r.iter().take(5).map(|x| x.source).collect();
    assert_eq!(
        sources,
        [
            "New (empty) volume",
            "Unencrypted snapshot that you own",
            "Encrypted snapshot that you own",
            "Unencrypted snapshot that is shared with you",
            "Encrypted snapshot that is shared with you"
        ]
    );
    assert_eq!(r[5].source, "New volume");
    assert_eq!(r[15].source, "New volume");
    assert_eq!(r[10].source, "New (empty) volume");
    assert_eq!(
        r[4].default_result,
        "Encrypted by default customer managed key*"
    );
    assert_eq!(
        r[5].custom_result,
        "Encrypted by a specified customer managed key**"
    );
    assert_eq!(
        r[15].custom_result,
        "Encrypted by a specified customer managed key"
    );
    assert_eq!(r[0].custom_result, "N/A");
    assert_eq!(r[0].default_result, "Unencrypted");
    assert_eq!(r[2].default_result, "Encrypted by same key");
    for row in &r {
        for (key, v) in [
            ("index", row.index),
            (
                "row_index",
                outcomes::row_index(
                    row.encrypted_param,
                    row.by_default,
                    outcomes::SourceKind::ALL[(row.index - 1) % 5],
                ),
            ),
        ] {
            assert_eq!(v, row.index, "{key}");
        }
    }
    assert!(row_commands(0, false).is_empty());
    assert!(row_commands(21, true).is_empty());
    assert_eq!(outcomes::row_key(0), None);
    assert_eq!(outcomes::row_key(21), None);
}

#[test]
fn no_create_volume_no_row() {
    let mut s = Session::new(1);
    assert_eq!(matched_row(&s), None);
    s.run("aws ec2 enable-ebs-encryption-by-default");
    s.run("aws kms create-key");
    assert_eq!(matched_row(&s), None);
}

/// Encryption by default is replayed per account and region, and only up to the CreateVolume.
#[test]
fn by_default_is_per_account_and_region_and_in_time() {
    let mut s = Session::new(1);
    s.run("aws ec2 enable-ebs-encryption-by-default --profile partner");
    s.run("aws ec2 enable-ebs-encryption-by-default --region us-west-2");
    s.run("aws ec2 create-volume --availability-zone us-east-1a --size 1");
    assert_eq!(matched_row(&s), Some((1, false)));
    s.run("aws ec2 enable-ebs-encryption-by-default");
    assert_eq!(
        matched_row(&s),
        Some((1, false)),
        "a later change does not count"
    );
    s.run("aws ec2 create-volume --availability-zone us-east-1a --size 1");
    assert_eq!(matched_row(&s), Some((11, false)));
    s.run("aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted");
    assert_eq!(matched_row(&s), Some((16, false)));
    s.run("aws ec2 create-volume --availability-zone us-west-2a --size 1 --region us-west-2");
    assert_eq!(matched_row(&s), Some((11, false)));
    s.run("aws ec2 disable-ebs-encryption-by-default --region us-west-2");
    s.run("aws ec2 create-volume --availability-zone us-west-2a --size 1 --region us-west-2 --encrypted --kms-key-id alias/aws/ebs");
    assert_eq!(matched_row(&s), Some((6, true)));
    // The partner's own volume is matched with the partner's setting.
    s.run("aws ec2 create-volume --availability-zone us-east-1a --size 1 --profile partner");
    assert_eq!(matched_row(&s), Some((11, false)));
}

/// Launches create volumes too, but they are not CreateVolume requests: the match stays.
#[test]
fn launches_do_not_change_the_match() {
    let mut s = Session::new(1);
    s.run("aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted");
    s.run(
        "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
    );
    s.run("aws ec2 run-instances --image-id $AMI --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true}");
    assert_eq!(matched_row(&s), Some((6, false)));
}

/// A source snapshot deleted after the CreateVolume is still recognised from the trace.
#[test]
fn deleted_source_snapshot_is_read_from_the_trace() {
    let mut s = Session::new(1);
    run_lines(&mut s, &row_commands(10, true));
    let snap = s.shell().var("R10C_SNAP").unwrap().to_string();
    let e = s
        .run(&format!(
            "aws ec2 delete-snapshot --snapshot-id {snap} --profile partner"
        ))
        .cloned()
        .unwrap();
    assert!(e.result.error.is_none(), "{}", e.result.text);
    assert!(s.sim().snapshots().all(|x| x.id != snap));
    assert_eq!(matched_row(&s), Some((10, true)));
    // A snapshot id never seen anywhere gives no row.
    s.run(
        "aws ec2 create-volume --availability-zone us-east-1a --snapshot-id snap-0123456789abcdef0",
    );
    assert_eq!(matched_row(&s), None);
}

/// The shared rows really use the partner account, and "you own" rows the default one.
#[test]
fn sources_have_the_owner_the_row_names() {
    for (index, owner) in [
        (2, ACCOUNT_A),
        (3, ACCOUNT_A),
        (4, "444455556666"),
        (5, "444455556666"),
    ] {
        let mut s = Session::new(1);
        run_lines(&mut s, &row_commands(index, false));
        let snap = s
            .shell()
            .var(&format!("R{index:02}D_SNAP"))
            .unwrap()
            .to_string();
        let found = s.sim().snapshots().find(|x| x.id == snap).unwrap();
        assert_eq!(found.account, owner, "row {index}");
        assert_eq!(found.encryption.is_some(), index % 2 == 1, "row {index}");
    }
}
