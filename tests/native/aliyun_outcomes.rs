//! Seed 002's four create-disk cases (`outcomes_aliyun`), each cell run in a fresh Alibaba Cloud
//! session: the new disk's key is the one the seed names, by default and with a key selected.

use ebs_kms_playground::model::provider::Cloud;
use ebs_kms_playground::outcomes_aliyun::{case_commands, cases};
use ebs_kms_playground::session::Session;
use serde_json::Value;

/// Runs a cell; returns (the new disk's key, the key the seed says, the service key, the snapshot's key).
fn run(index: usize, selected: bool) -> (String, String, Session) {
    let mut s = Session::new_in(Cloud::Alibaba, 1);
    let lines = case_commands(index, selected);
    assert!(!lines.is_empty(), "row {index}");
    let mut last = None;
    for l in &lines {
        let e = s
            .run(l)
            .cloned()
            .unwrap_or_else(|| panic!("row {index}: no result for {l}"));
        assert!(
            e.result.error.is_none(),
            "row {index} selected={selected}: {l}\n{}",
            e.result.text
        );
        last = Some(e);
    }
    let got = match last.and_then(|e| e.result.output) {
        Some(Value::String(k)) => k,
        other => panic!("row {index}: the last line prints the key, got {other:?}"),
    };
    let want = s.shell().var("WANT").unwrap_or_default().to_string();
    (got, want, s)
}

#[test]
fn each_case_gives_the_key_the_seed_names() {
    assert_eq!(cases().len(), 4);
    for case in cases() {
        for selected in [false, true] {
            let (got, want, s) = run(case.index, selected);
            assert!(got.starts_with("key-"), "row {}: {got}", case.index);
            assert_eq!(
                got, want,
                "row {} ({}), selected={selected}",
                case.index, case.case
            );
            if selected {
                assert_eq!(
                    Some(got.as_str()),
                    s.shell().var("CHOSEN"),
                    "row {}",
                    case.index
                );
            }
        }
    }
}

#[test]
fn the_defaults_differ_as_the_seed_says() {
    // Row 1 keeps the snapshot's CMK; row 2 (the same snapshot, shared) gets the partner's service key.
    let (own, _, s1) = run(1, false);
    assert_eq!(Some(own.as_str()), s1.shell().var("SNAPKEY"));
    let (shared, _, s2) = run(2, false);
    assert_ne!(Some(shared.as_str()), s2.shell().var("SNAPKEY"));
    // Row 3 uses the account's default key; row 4 the service key.
    let (default_key, _, s3) = run(3, false);
    assert_eq!(Some(default_key.as_str()), s3.shell().var("DEFAULTKEY"));
    let (service, _, _) = run(4, false);
    assert_ne!(service, default_key);
    assert!(case_commands(5, false).is_empty());
}
