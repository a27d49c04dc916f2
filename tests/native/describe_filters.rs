//! `--filters` on describe-volumes, describe-snapshots, describe-images and describe-instances,
//! typed in the console: each row of the table is a command and the ids (or count) it must print.

use ebs_kms_playground::session::Session;

/// Runs a line that must succeed and returns what it printed, trimmed.
fn out(s: &mut Session, line: &str) -> String {
    let e = s.run(line).cloned().expect("a command line");
    assert!(e.result.error.is_none(), "{line}\n{}", e.result.text);
    e.result.text.trim().to_string()
}

/// A session with an unencrypted volume (attached to a running instance), an encrypted one,
/// and a snapshot of each; `$PLAIN`, `$SECRET`, `$INST`, `$SNAP_PLAIN`, `$SNAP_SECRET`.
fn fleet() -> Session {
    let mut s = Session::new(3);
    for line in [
        "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
        "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)",
        "PLAIN=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)",
        "SECRET=$(aws ec2 create-volume --availability-zone us-east-1a --size 4 --encrypted --query VolumeId --output text)",
        "play advance --seconds 30",
        "aws ec2 attach-volume --volume-id $PLAIN --instance-id $INST --device /dev/sdf",
        "SNAP_PLAIN=$(aws ec2 create-snapshot --volume-id $PLAIN --query SnapshotId --output text)",
        "SNAP_SECRET=$(aws ec2 create-snapshot --volume-id $SECRET --query SnapshotId --output text)",
        "play advance --seconds 30",
    ] {
        out(&mut s, line);
    }
    s
}

#[test]
fn filters_select_what_their_names_say() {
    let mut s = fleet();
    let var = |s: &mut Session, v: &str| out(s, &format!("echo ${v}"));
    let (plain, secret, inst) = (
        var(&mut s, "PLAIN"),
        var(&mut s, "SECRET"),
        var(&mut s, "INST"),
    );
    let (snap_plain, snap_secret) = (var(&mut s, "SNAP_PLAIN"), var(&mut s, "SNAP_SECRET"));
    let root = out(
        &mut s,
        "aws ec2 describe-instances --query 'Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId' --output text",
    );
    let vols = "--query 'sort(Volumes[].VolumeId)' --output text";
    let table: Vec<(String, String)> = vec![
        (
            format!("aws ec2 describe-volumes --filters Name=encrypted,Values=true {vols}"),
            secret.clone(),
        ),
        (
            format!("aws ec2 describe-volumes --filters Name=encrypted,Values=false Name=size,Values=8 {vols}"),
            {
                let mut v = [plain.clone(), root.clone()];
                v.sort();
                v.join("\t")
            },
        ),
        (
            format!("aws ec2 describe-volumes --filters Name=attachment.instance-id,Values={inst} Name=attachment.device,Values=/dev/sdf {vols}"),
            plain.clone(),
        ),
        (
            format!("aws ec2 describe-volumes --filters Name=status,Values=available {vols}"),
            secret.clone(),
        ),
        (
            format!("aws ec2 describe-volumes --filters Name=volume-id,Values=vol-nothing* {vols}"),
            String::new(),
        ),
        (
            "aws ec2 describe-snapshots --owner-ids self --filters Name=encrypted,Values=true --query 'Snapshots[].SnapshotId' --output text".into(),
            snap_secret.clone(),
        ),
        (
            format!("aws ec2 describe-snapshots --owner-ids self --filters Name=volume-id,Values={plain} --query 'Snapshots[].SnapshotId' --output text"),
            snap_plain.clone(),
        ),
        (
            "aws ec2 describe-images --owners amazon --filters Name=is-public,Values=true Name=block-device-mapping.encrypted,Values=false --query 'length(Images)'".into(),
            "1".into(),
        ),
        (
            "aws ec2 describe-images --owners amazon --filters 'Name=name,Values=no-such-*' --query 'length(Images)'".into(),
            "0".into(),
        ),
        (
            format!("aws ec2 describe-instances --filters Name=instance-state-name,Values=running,pending Name=block-device-mapping.volume-id,Values={plain} --query 'Reservations[].Instances[].InstanceId' --output text"),
            inst.clone(),
        ),
        (
            "aws ec2 describe-instances --filters Name=instance-type,Values=m5.* --query 'length(Reservations)'".into(),
            "0".into(),
        ),
    ];
    for (line, want) in table {
        assert_eq!(out(&mut s, &line), want, "{line}");
    }
}

#[test]
fn unknown_filters_are_refused_with_the_supported_names() {
    let mut s = Session::new(3);
    for line in [
        "aws ec2 describe-volumes --filters Name=colour,Values=red",
        "aws ec2 describe-snapshots --filters Name=owner-alias,Values=amazon",
        "aws ec2 describe-images --filters Name=size,Values=8",
        "aws ec2 describe-instances --filters Name=encrypted,Values=true",
    ] {
        let e = s.run(line).cloned().expect("a command line");
        let err = e.result.error.expect("refused");
        assert_eq!(err.code, "InvalidParameterValue", "{line}");
        assert!(
            err.message.contains("is invalid (the playground supports"),
            "{line}: {}",
            err.message
        );
    }
}
