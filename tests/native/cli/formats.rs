//! Output (`--query`, json, text, table) and the waiters.
use super::*;

// ---------------------------------------------------------------------------------------------
// Output: --query, json, text, table.

#[test]
fn json_output_is_indented_like_the_cli_and_keeps_the_backend_order() {
    let v =
        json!({"VolumeId": "vol-1", "Size": 8, "Attachments": [], "Tags": {}, "Encrypted": true});
    assert_eq!(
        output::format(&v, OutputFormat::Json, "CreateVolume"),
        "{\n    \"VolumeId\": \"vol-1\",\n    \"Size\": 8,\n    \"Attachments\": [],\n    \"Tags\": {},\n    \"Encrypted\": true\n}"
    );
    assert_eq!(
        output::format(&json!({}), OutputFormat::Json, "CreateAlias"),
        ""
    );
    assert_eq!(
        output::format(&json!("vol-1"), OutputFormat::Json, "X"),
        "\"vol-1\""
    );
    assert_eq!(
        output::format(&Value::Null, OutputFormat::Json, "X"),
        "null"
    );
}

#[test]
fn text_output_follows_the_cli_rules() {
    let v = describe_volumes();
    assert_eq!(
        output::format(&v, OutputFormat::Text, "DescribeVolumes"),
        "VOLUMES\tTrue\t8\tin-use\tvol-1\nATTACHMENTS\t/dev/sdf\ti-1\tattached\nVOLUMES\tFalse\t16\tavailable\tvol-2"
    );
    let cases: Vec<(Value, &str)> = vec![
        (json!("vol-1"), "vol-1"),
        (Value::Null, "None"),
        (json!(["vol-1", "vol-2"]), "vol-1\tvol-2"),
        (json!([["vol-1", 8], ["vol-2", 16]]), "vol-1\t8\nvol-2\t16"),
        (
            json!({"KeyId": "k", "Operations": ["Decrypt", "Encrypt"]}),
            "k\nOPERATIONS\tDecrypt\nOPERATIONS\tEncrypt",
        ),
        (
            json!({"State": {"Code": 16, "Name": "running"}}),
            "STATE\t16\trunning",
        ),
    ];
    for (v, want) in cases {
        assert_eq!(output::format(&v, OutputFormat::Text, "X"), want, "{v}");
    }
}

#[test]
fn table_output_draws_boxes() {
    let t = output::format(&describe_volumes(), OutputFormat::Table, "DescribeVolumes");
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].chars().all(|c| c == '-'), "{t}");
    assert!(
        lines[1].starts_with('|') && lines[1].contains("DescribeVolumes"),
        "{t}"
    );
    let width = lines[0].chars().count();
    assert!(
        lines.iter().all(|l| l.chars().count() == width),
        "all lines the same width:\n{t}"
    );
    assert!(t.contains("||") && t.contains("Volumes"), "{t}");
    assert!(t.contains("Attachments"), "{t}");
    assert!(
        t.contains("  vol-1") && t.contains("  vol-2") && t.contains("  /dev/sdf"),
        "{t}"
    );
    let single = output::format(
        &json!({"KmsKeyId": "alias/aws/ebs"}),
        OutputFormat::Table,
        "GetEbsDefaultKmsKeyId",
    );
    assert!(
        single.contains("|  KmsKeyId") && single.contains("alias/aws/ebs"),
        "{single}"
    );
    assert!(output::format(&json!("vol-1"), OutputFormat::Table, "X").contains("vol-1"));
}

#[test]
fn query_selects_and_keeps_key_order() {
    let v = describe_volumes();
    let q = |e: &str| output::apply_query(&v, e).unwrap();
    assert_eq!(q("Volumes[0].VolumeId"), json!("vol-1"));
    assert_eq!(q("Volumes[?State=='available'].VolumeId"), json!(["vol-2"]));
    assert_eq!(
        q("Volumes[?State==`available`].VolumeId | [0]"),
        json!("vol-2")
    );
    assert_eq!(q("length(Volumes)"), json!(2));
    // The backend's key order survives, not the alphabetical one.
    let first = q("Volumes[0]");
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["VolumeId", "Size", "State", "Encrypted", "Attachments"]
    );
    // Multi-select hashes keep the order written.
    let sel = q("Volumes[].{ID:VolumeId,Az:State,Big:Size}");
    let keys: Vec<&String> = sel[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["ID", "Az", "Big"]);
    assert_eq!(
        output::format(&q("Volumes[].[VolumeId,Size]"), OutputFormat::Text, "X"),
        "vol-1\t8\nvol-2\t16"
    );
    let e = output::apply_query(&v, "Volumes[").unwrap_err();
    assert!(
        e.message.starts_with("Bad value for --query Volumes[: "),
        "{}",
        e.message
    );
    assert_eq!(e.code, "InvalidQuery");
    let e = output::apply_query(&v, "foo(Volumes)").unwrap_err();
    assert!(e.message.contains("foo"), "{}", e.message);
    let deep = format!("{}a{}", "(".repeat(1000), ")".repeat(1000));
    assert!(output::apply_query(&v, &deep)
        .unwrap_err()
        .message
        .contains("nested too deeply"));
}

#[test]
fn query_and_output_through_the_shell() {
    let mut sh = Shell::new();
    let mut b = canned();
    let r = sh.run_line(
        &mut b,
        "aws ec2 describe-volumes --query 'Volumes[].VolumeId' --output text",
    );
    assert_eq!(r.text, "vol-1\tvol-2");
    assert_eq!(r.output, Some(json!(["vol-1", "vol-2"])));
    let r = sh.run_line(
        &mut b,
        "aws ec2 describe-volumes --query 'Volumes[?State==`in-use`] | length(@)'",
    );
    assert_eq!(r.text, "1");
    let r = sh.run_line(
        &mut b,
        "aws ec2 describe-volumes --query 'Volumes[0].Nope' --output text",
    );
    assert_eq!(r.text, "None");
    let r = sh.run_line(
        &mut b,
        "aws ec2 describe-volumes --query 'Volumes[' --output text",
    );
    assert!(
        r.text.starts_with("Bad value for --query Volumes["),
        "{}",
        r.text
    );
    assert_eq!(r.error.unwrap().code, "InvalidQuery");
    let r = sh.run_line(
        &mut b,
        "aws ec2 describe-volumes --output table --query 'Volumes[].VolumeId'",
    );
    assert!(
        r.text.contains("DescribeVolumes") && r.text.contains("vol-2"),
        "{}",
        r.text
    );
    // An empty result prints nothing.
    assert_eq!(
        sh.run_line(
            &mut b,
            "aws kms create-alias --alias-name alias/x --target-key-id k"
        )
        .text,
        ""
    );
}

// ---------------------------------------------------------------------------------------------
// Waiters.

/// A backend whose DescribeVolumes answers from a list of states (the last one repeats),
/// `"gone"` meaning InvalidVolume.NotFound.
fn volume_states(states: &'static [&'static str]) -> Fake {
    let mut i = 0;
    fake(move |_, op, params| match op {
        "AdvanceTime" => Ok(json!({"Now": 0})),
        "DescribeVolumes" => {
            let s = states
                .get(i)
                .or(states.last())
                .copied()
                .unwrap_or("creating");
            i += 1;
            let id = params["VolumeIds"][0]
                .as_str()
                .unwrap_or("vol-1")
                .to_string();
            if s == "gone" {
                Err(AwsError::new(
                    "InvalidVolume.NotFound",
                    format!("The volume '{id}' does not exist."),
                ))
            } else {
                Ok(json!({"Volumes": [volume(&id, s)]}))
            }
        }
        other => Err(AwsError::new("Unexpected", other.to_string())),
    })
}

fn ops(b: &Fake) -> Vec<&str> {
    b.calls.iter().map(|c| c.2.as_str()).collect()
}

#[test]
fn waiter_polls_and_advances_time_until_success() {
    let mut sh = Shell::new();
    let mut b = volume_states(&["creating", "creating", "available"]);
    let r = sh.run_line(&mut b, "aws ec2 wait volume-available --volume-ids vol-1");
    assert!(r.error.is_none(), "{}", r.text);
    assert_eq!(r.text, "");
    assert_eq!(
        ops(&b),
        [
            "DescribeVolumes",
            "AdvanceTime",
            "DescribeVolumes",
            "AdvanceTime",
            "DescribeVolumes"
        ]
    );
    assert_eq!(b.calls[0].3, json!({"VolumeIds": ["vol-1"]}));
    assert_eq!(b.calls[1].1, "play");
    assert_eq!(b.calls[1].3, json!({"Seconds": 15}));
}

#[test]
fn waiter_failures_use_the_cli_messages() {
    let cases: Vec<(&'static [&'static str], &str, &str, usize)> = vec![
        (&["creating"], "volume-available", "Waiter VolumeAvailable failed: Max attempts exceeded", 40),
        (
            &["creating", "deleted"],
            "volume-available",
            "Waiter VolumeAvailable failed: Waiter encountered a terminal failure state: For expression \"Volumes[].State\" we matched expected path: \"deleted\" at least once",
            2,
        ),
        (
            &["creating", "gone"],
            "volume-available",
            "Waiter VolumeAvailable failed: An error occurred (InvalidVolume.NotFound): The volume 'vol-9' does not exist.",
            2,
        ),
        (
            &["available"],
            "volume-in-use",
            "Waiter VolumeInUse failed: Max attempts exceeded",
            40,
        ),
    ];
    for (states, waiter, want, describes) in cases {
        let mut sh = Shell::new();
        let mut b = volume_states(states);
        let r = sh.run_line(&mut b, &format!("aws ec2 wait {waiter} --volume-ids vol-9"));
        assert_eq!(r.text, want);
        let e = r.error.unwrap();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("WaiterError", want));
        let n = ops(&b).iter().filter(|o| **o == "DescribeVolumes").count();
        assert_eq!(n, describes, "{waiter} {states:?}");
        assert_eq!(
            ops(&b).iter().filter(|o| **o == "AdvanceTime").count(),
            describes - 1
        );
    }
    // volume-deleted succeeds when the volume is gone.
    let mut b = volume_states(&["deleting", "gone"]);
    assert!(Shell::new()
        .run_line(&mut b, "aws ec2 wait volume-deleted --volume-ids vol-1")
        .error
        .is_none());
}

#[test]
fn instance_and_snapshot_waiters() {
    fn instances(states: &'static [&'static str]) -> Fake {
        let mut i = 0;
        fake(move |_, op, _| match op {
            "AdvanceTime" => Ok(json!({})),
            "DescribeInstances" => {
                let s = states
                    .get(i)
                    .or(states.last())
                    .copied()
                    .unwrap_or("pending");
                i += 1;
                if s == "gone" {
                    return Err(AwsError::new(
                        "InvalidInstanceID.NotFound",
                        "The instance ID 'i-1' does not exist",
                    ));
                }
                Ok(
                    json!({"Reservations": [{"ReservationId": "r-1", "Instances": [{"InstanceId": "i-1", "State": {"Code": 0, "Name": s}}]}]}),
                )
            }
            "DescribeSnapshots" => {
                let s = states
                    .get(i)
                    .or(states.last())
                    .copied()
                    .unwrap_or("pending");
                i += 1;
                Ok(json!({"Snapshots": [{"SnapshotId": "snap-1", "State": s}]}))
            }
            "DescribeImages" => {
                let s = states
                    .get(i)
                    .or(states.last())
                    .copied()
                    .unwrap_or("pending");
                i += 1;
                Ok(json!({"Images": [{"ImageId": "ami-1", "State": s}]}))
            }
            _ => Ok(json!({})),
        })
    }
    let run = |states: &'static [&'static str], line: &str| {
        Shell::new().run_line(&mut instances(states), line)
    };
    assert!(run(
        &["gone", "pending", "running"],
        "aws ec2 wait instance-running --instance-ids i-1"
    )
    .error
    .is_none());
    assert_eq!(
        run(&["pending", "terminated"], "aws ec2 wait instance-running --instance-ids i-1").text,
        "Waiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression \"Reservations[].Instances[].State.Name\" we matched expected path: \"terminated\" at least once"
    );
    assert_eq!(
        run(&["gone"], "aws ec2 wait instance-running --instance-ids i-1").text,
        "Waiter InstanceRunning failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: InvalidInstanceID.NotFound"
    );
    assert!(run(
        &["stopping", "stopped"],
        "aws ec2 wait instance-stopped --instance-ids i-1"
    )
    .error
    .is_none());
    assert!(run(
        &["shutting-down", "terminated"],
        "aws ec2 wait instance-terminated --instance-ids i-1"
    )
    .error
    .is_none());
    assert!(run(
        &["pending", "completed"],
        "aws ec2 wait snapshot-completed --snapshot-ids snap-1"
    )
    .error
    .is_none());
    assert_eq!(
        run(&["pending", "error"], "aws ec2 wait snapshot-completed --snapshot-ids snap-1").text,
        "Waiter SnapshotCompleted failed: Waiter encountered a terminal failure state: For expression \"Snapshots[].State\" we matched expected path: \"error\" at least once"
    );
    assert!(run(
        &["pending", "available"],
        "aws ec2 wait image-available --image-ids ami-1"
    )
    .error
    .is_none());
    assert!(run(
        &["pending"],
        "aws ec2 wait instance-exists --instance-ids i-1"
    )
    .error
    .is_none());
}
