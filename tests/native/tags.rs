//! Tags typed in the console: `--tag-specifications` on every create that takes them (each
//! spec's ResourceType decides which resource gets the tags, API_TagSpecification), create-tags,
//! delete-tags and describe-tags (API_CreateTags, API_DeleteTags, API_DescribeTags), the tag
//! filters of the describes (`tag:<key>`, `tag-key`, `tag-value`), and KMS key tags
//! (API_CreateKey `Tags`, API_TagResource, API_UntagResource, API_ListResourceTags).
//! Each table row is a command and what it must print, or the error code it must fail with.

use ebs_kms_playground::session::Session;

/// Runs a line that must succeed and returns what it printed, trimmed.
fn out(s: &mut Session, line: &str) -> String {
    let e = s.run(line).cloned().expect("a command line");
    assert!(e.result.error.is_none(), "{line}\n{}", e.result.text);
    e.result.text.trim().to_string()
}

/// Runs a line that must fail and returns the error code.
fn code(s: &mut Session, line: &str) -> String {
    let e = s.run(line).cloned().expect("a command line");
    e.result
        .error
        .map(|e| e.code)
        .unwrap_or_else(|| panic!("{line} succeeded:\n{}", e.result.text))
}

/// `$VOL` (tagged at creation), `$SNAP` (tagged at creation), `$AMI` (registered, tagged),
/// `$INST` (launched with instance and volume tags), `$ROOT` (its root volume).
fn tagged() -> Session {
    let mut s = Session::new(5);
    for line in [
        "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --tag-specifications 'ResourceType=volume,Tags=[{Key=Name,Value=data},{Key=team,Value=finance}]' --query VolumeId --output text)",
        "play advance --seconds 10",
        "SNAP=$(aws ec2 create-snapshot --volume-id $VOL --tag-specifications 'ResourceType=snapshot,Tags=[{Key=Name,Value=nightly}]' --query SnapshotId --output text)",
        "play advance --seconds 10",
        "AMI=$(aws ec2 register-image --name tagged --root-device-name /dev/xvda --block-device-mappings DeviceName=/dev/xvda,Ebs={SnapshotId=$SNAP} --tag-specifications 'ResourceType=image,Tags=[{Key=stage,Value=test}]' --query ImageId --output text)",
        "INST=$(aws ec2 run-instances --image-id $AMI --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=web}]' 'ResourceType=volume,Tags=[{Key=Name,Value=web-root}]' --query 'Instances[0].InstanceId' --output text)",
        "ROOT=$(aws ec2 describe-instances --instance-ids $INST --query 'Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId' --output text)",
    ] {
        out(&mut s, line);
    }
    s
}

#[test]
fn tag_specifications_tag_the_resource_of_their_type() {
    let mut s = tagged();
    let table = [
        ("aws ec2 describe-volumes --volume-ids $VOL --query 'Volumes[0].Tags[?Key==`team`].Value' --output text", "finance"),
        ("aws ec2 describe-snapshots --snapshot-ids $SNAP --query 'Snapshots[0].Tags[0].Value' --output text", "nightly"),
        ("aws ec2 describe-images --image-ids $AMI --query 'Images[0].Tags[0].Value' --output text", "test"),
        ("aws ec2 describe-instances --instance-ids $INST --query 'Reservations[0].Instances[0].Tags[0].Value' --output text", "web"),
        ("aws ec2 describe-volumes --volume-ids $ROOT --query 'Volumes[0].Tags[0].Value' --output text", "web-root"),
        // A resource without tags has no Tags member (EC2 leaves it out).
        ("aws ec2 describe-images --owners amazon --query 'Images[0].Tags' --output json", "null"),
    ];
    for (line, want) in table {
        assert_eq!(out(&mut s, line), want, "{line}");
    }
}

#[test]
fn tag_specifications_are_checked_before_anything_is_created() {
    let mut s = tagged();
    let before = out(&mut s, "aws ec2 describe-volumes --query 'length(Volumes)'");
    let table = [
        // A type the operation does not create.
        ("aws ec2 create-volume --availability-zone us-east-1a --size 1 --tag-specifications 'ResourceType=instance,Tags=[{Key=a,Value=b}]'", "InvalidParameterValue"),
        ("aws ec2 register-image --name x-snap --block-device-mappings DeviceName=/dev/xvda,Ebs={SnapshotId=$SNAP} --tag-specifications 'ResourceType=snapshot,Tags=[{Key=a,Value=b}]'", "InvalidParameterValue"),
        // The same type twice, a reserved key, a key too long.
        ("aws ec2 create-volume --availability-zone us-east-1a --size 1 --tag-specifications 'ResourceType=volume,Tags=[{Key=a,Value=b}]' 'ResourceType=volume,Tags=[{Key=c,Value=d}]'", "InvalidParameterValue"),
        ("aws ec2 create-volume --availability-zone us-east-1a --size 1 --tag-specifications 'ResourceType=volume,Tags=[{Key=aws:owner,Value=b}]'", "InvalidParameterValue"),
        (&*format!("aws ec2 create-volume --availability-zone us-east-1a --size 1 --tag-specifications 'ResourceType=volume,Tags=[{{Key={},Value=b}}]'", "k".repeat(129)), "InvalidParameterValue"),
    ];
    for (line, want) in table {
        assert_eq!(code(&mut s, line), want, "{line}");
    }
    assert_eq!(
        out(&mut s, "aws ec2 describe-volumes --query 'length(Volumes)'"),
        before
    );
}

#[test]
fn tag_filters_select_by_key_and_value() {
    let mut s = tagged();
    let vol = out(&mut s, "echo $VOL");
    let root = out(&mut s, "echo $ROOT");
    let ids = |s: &mut Session, filters: &str| {
        out(s, &format!("aws ec2 describe-volumes --filters {filters} --query 'Volumes[].VolumeId' --output text"))
    };
    let table = [
        ("Name=tag:Name,Values=data", vol.clone()),
        ("Name=tag:Name,Values=web-*", root.clone()),
        ("Name=tag:team,Values=finance", vol.clone()),
        ("Name=tag:Team,Values=finance", String::new()),
        ("Name=tag-key,Values=team", vol.clone()),
        ("Name=tag-value,Values=web-root", root.clone()),
        (
            "Name=tag:Name,Values=data Name=tag-key,Values=missing",
            String::new(),
        ),
    ];
    for (filters, want) in table {
        assert_eq!(ids(&mut s, filters), want, "{filters}");
    }
    let table = [
        ("aws ec2 describe-instances --filters Name=tag:Name,Values=web --query 'length(Reservations)'", "1"),
        ("aws ec2 describe-instances --filters Name=tag:Name,Values=db --query 'length(Reservations)'", "0"),
        ("aws ec2 describe-snapshots --owner-ids self --filters Name=tag-value,Values=nightly --query 'length(Snapshots)'", "1"),
        ("aws ec2 describe-images --owners self --filters Name=tag:stage,Values=test --query 'length(Images)'", "1"),
    ];
    for (line, want) in table {
        assert_eq!(out(&mut s, line), want, "{line}");
    }
}

#[test]
fn create_delete_and_describe_tags() {
    let mut s = tagged();
    let table: [(&str, Result<&str, &str>); 12] = [
        ("aws ec2 create-tags --resources $VOL $AMI --tags Key=owner,Value=ana Key=team,Value=ops", Ok("")),
        ("aws ec2 describe-tags --filters Name=resource-id,Values=$VOL Name=key,Values=team --query 'Tags[0].Value' --output text", Ok("ops")),
        ("aws ec2 describe-tags --filters Name=resource-type,Values=image --query 'Tags[].Key' --output text", Ok("owner\tstage\tteam")),
        ("aws ec2 describe-tags --filters Name=tag:owner,Values=ana --query 'length(Tags)'", Ok("2")),
        // Key alone deletes whatever the value; Key with a value deletes only that value.
        ("aws ec2 delete-tags --resources $VOL --tags Key=owner", Ok("")),
        ("aws ec2 delete-tags --resources $VOL --tags Key=team,Value=finance", Ok("")),
        ("aws ec2 describe-tags --filters Name=resource-id,Values=$VOL --query 'Tags[].Key' --output text", Ok("Name\tteam")),
        // No --tags deletes every tag.
        ("aws ec2 delete-tags --resources $AMI", Ok("")),
        ("aws ec2 describe-tags --filters Name=resource-id,Values=$AMI --query 'length(Tags)'", Ok("0")),
        // A missing resource changes nothing, a malformed id is refused.
        ("aws ec2 create-tags --resources $VOL vol-0000000000000000f --tags Key=x,Value=y", Err("InvalidVolume.NotFound")),
        ("aws ec2 create-tags --resources banana --tags Key=x,Value=y", Err("InvalidID")),
        ("aws ec2 describe-tags --filters Name=key,Values=x --query 'length(Tags)'", Ok("0")),
    ];
    for (line, want) in table {
        match want {
            Ok(text) => assert_eq!(out(&mut s, line), text, "{line}"),
            Err(c) => assert_eq!(code(&mut s, line), c, "{line}"),
        }
    }
}

#[test]
fn a_resource_holds_at_most_fifty_tags() {
    let mut s = tagged();
    let many: Vec<String> = (0..49).map(|i| format!("Key=k{i},Value=v")).collect();
    // $VOL has 2 tags: 48 more make 50, 49 more make 51.
    out(
        &mut s,
        &format!(
            "aws ec2 create-tags --resources $VOL --tags {}",
            many[..48].join(" ")
        ),
    );
    assert_eq!(
        code(
            &mut s,
            "aws ec2 create-tags --resources $VOL --tags Key=one-more,Value=v"
        ),
        "TagLimitExceeded"
    );
    // Overwriting an existing key is no new tag.
    out(
        &mut s,
        "aws ec2 create-tags --resources $VOL --tags Key=k0,Value=w",
    );
}

#[test]
fn kms_keys_carry_tags() {
    let mut s = Session::new(5);
    let table: [(&str, Result<&str, &str>); 7] = [
        ("KEY=$(aws kms create-key --tags TagKey=project,TagValue=alpha --query KeyMetadata.KeyId --output text)", Ok("")),
        ("aws kms list-resource-tags --key-id $KEY --query 'Tags[0].TagValue' --output text", Ok("alpha")),
        ("aws kms tag-resource --key-id $KEY --tags TagKey=project,TagValue=beta TagKey=cost,TagValue=42", Ok("")),
        ("aws kms list-resource-tags --key-id $KEY --query 'Tags[].[TagKey,TagValue]' --output text", Ok("cost\t42\nproject\tbeta")),
        ("aws kms untag-resource --key-id $KEY --tag-keys project", Ok("")),
        ("aws kms list-resource-tags --key-id $KEY --query 'Tags[].TagKey' --output text", Ok("cost")),
        ("aws kms tag-resource --key-id $KEY --tags TagKey=aws:x,TagValue=y", Err("TagException")),
    ];
    for (line, want) in table {
        match want {
            Ok(text) => assert_eq!(out(&mut s, line), text, "{line}"),
            Err(c) => assert_eq!(code(&mut s, line), c, "{line}"),
        }
    }
}
