//! Real command lines → (service, operation, params), malformed lines → the message printed, and the lexer.
use super::*;

// ---------------------------------------------------------------------------------------------
// Real command lines → (service, operation, params).

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn real_command_lines_parse_to_the_expected_calls() {
    let seed_grant_ops = json!([
        "Encrypt",
        "Decrypt",
        "ReEncryptFrom",
        "ReEncryptTo",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "DescribeKey",
        "CreateGrant"
    ]);
    let seed_grant = json!({
        "KeyId": "arn:aws:kms:us-west-2:444455556666:key/1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d",
        "GranteePrincipal": "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        "Operations": seed_grant_ops,
    });
    let cases: Vec<(&str, &str, &str, Value)> = vec![
        // Seed 004, as printed in the guide (multi-line).
        (
            "aws kms create-grant \\\n    --region us-west-2 \\\n    --key-id arn:aws:kms:us-west-2:444455556666:key/1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d \\\n    --grantee-principal arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling \\\n    --operations \"Encrypt\" \"Decrypt\" \"ReEncryptFrom\" \"ReEncryptTo\" \"GenerateDataKey\" \"GenerateDataKeyWithoutPlaintext\" \"DescribeKey\" \"CreateGrant\"",
            "kms", "CreateGrant", seed_grant.clone(),
        ),
        // Seed 004 as the seed text has it: the continuations flattened into `\ `.
        (
            "aws kms create-grant \\ --region us-west-2 \\ --key-id arn:aws:kms:us-west-2:444455556666:key/1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d \\ --grantee-principal arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling \\ --operations \"Encrypt\" \"Decrypt\" \"ReEncryptFrom\" \"ReEncryptTo\" \"GenerateDataKey\" \"GenerateDataKeyWithoutPlaintext\" \"DescribeKey\" \"CreateGrant\"",
            "kms", "CreateGrant", seed_grant,
        ),
        // AWS CLI reference, create-volume example 3 (encrypted, customer managed key).
        (
            "aws ec2 create-volume --volume-type gp2 --size 80 --availability-zone us-east-1a --encrypted --kms-key-id arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "ec2", "CreateVolume",
            json!({"VolumeType": "gp2", "Size": 80, "AvailabilityZone": "us-east-1a", "Encrypted": true, "KmsKeyId": KEY_ARN}),
        ),
        (
            "aws ec2 create-volume --size 8 --availability-zone us-east-1a --encrypted --kms-key-id alias/finance",
            "ec2", "CreateVolume",
            json!({"Size": 8, "AvailabilityZone": "us-east-1a", "Encrypted": true, "KmsKeyId": "alias/finance"}),
        ),
        (
            "aws ec2 create-volume --availability-zone=us-east-1a --size=8 --no-encrypted",
            "ec2", "CreateVolume",
            json!({"AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": false}),
        ),
        // copy-snapshot example.
        (
            "aws ec2 copy-snapshot --region us-east-1 --source-region us-west-2 --source-snapshot-id snap-066877671789bd71b --description \"This is my copied snapshot.\" --encrypted --kms-key-id alias/my-key",
            "ec2", "CopySnapshot",
            json!({"SourceRegion": "us-west-2", "SourceSnapshotId": "snap-066877671789bd71b", "Description": "This is my copied snapshot.", "Encrypted": true, "KmsKeyId": "alias/my-key"}),
        ),
        // modify-snapshot-attribute example.
        (
            "aws ec2 modify-snapshot-attribute --snapshot-id snap-1234567890abcdef0 --attribute createVolumePermission --operation-type add --user-ids 123456789012",
            "ec2", "ModifySnapshotAttribute",
            json!({"SnapshotId": "snap-1234567890abcdef0", "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": ["123456789012"]}),
        ),
        (
            "aws ec2 modify-snapshot-attribute --snapshot-id snap-1 --create-volume-permission \"Add=[{UserId=444455556666}]\"",
            "ec2", "ModifySnapshotAttribute",
            json!({"SnapshotId": "snap-1", "CreateVolumePermission": {"Add": [{"UserId": "444455556666"}]}}),
        ),
        (
            "aws ec2 modify-snapshot-attribute --snapshot-id snap-1 --attribute createVolumePermission --operation-type remove --group-names all",
            "ec2", "ModifySnapshotAttribute",
            json!({"SnapshotId": "snap-1", "Attribute": "createVolumePermission", "OperationType": "remove", "GroupNames": ["all"]}),
        ),
        // run-instances with JSON block device mappings (the CLI adds MinCount/MaxCount = 1).
        (
            "aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro --block-device-mappings '[{\"DeviceName\":\"/dev/sdf\",\"Ebs\":{\"SnapshotId\":\"snap-0123\",\"Encrypted\":true,\"KmsKeyId\":\"alias/finance\"}}]'",
            "ec2", "RunInstances",
            json!({"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro",
                   "BlockDeviceMappings": [{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snap-0123", "Encrypted": true, "KmsKeyId": "alias/finance"}}],
                   "MinCount": 1, "MaxCount": 1}),
        ),
        // ... and with shorthand, two mappings, typed members.
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings DeviceName=/dev/sdf,Ebs={SnapshotId=snap-1,Encrypted=true} DeviceName=/dev/sdg,Ebs={VolumeSize=100,DeleteOnTermination=false} --count 2:3",
            "ec2", "RunInstances",
            json!({"ImageId": "ami-1",
                   "BlockDeviceMappings": [
                       {"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snap-1", "Encrypted": true}},
                       {"DeviceName": "/dev/sdg", "Ebs": {"VolumeSize": 100, "DeleteOnTermination": false}}],
                   "MinCount": 2, "MaxCount": 3}),
        ),
        (
            "aws ec2 run-instances --launch-template LaunchTemplateName=encrypted-lt,Version=1 --placement AvailabilityZone=us-east-1b --count 1",
            "ec2", "RunInstances",
            json!({"LaunchTemplate": {"LaunchTemplateName": "encrypted-lt", "Version": "1"}, "Placement": {"AvailabilityZone": "us-east-1b"}, "MinCount": 1, "MaxCount": 1}),
        ),
        (
            "aws kms schedule-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --pending-window-in-days 7",
            "kms", "ScheduleKeyDeletion",
            json!({"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "PendingWindowInDays": 7}),
        ),
        ("aws ec2 enable-ebs-encryption-by-default", "ec2", "EnableEbsEncryptionByDefault", json!({})),
        ("aws ec2 get-ebs-default-kms-key-id", "ec2", "GetEbsDefaultKmsKeyId", json!({})),
        (
            "aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/finance",
            "ec2", "ModifyEbsDefaultKmsKeyId", json!({"KmsKeyId": "alias/finance"}),
        ),
        (
            "aws kms generate-data-key-without-plaintext --key-id alias/aws/ebs --number-of-bytes 64 --encryption-context aws:ebs:id=vol-123",
            "kms", "GenerateDataKeyWithoutPlaintext",
            json!({"KeyId": "alias/aws/ebs", "NumberOfBytes": 64, "EncryptionContext": {"aws:ebs:id": "vol-123"}}),
        ),
        (
            "aws kms create-grant --key-id alias/finance --grantee-principal arn:aws:iam::111122223333:role/app --operations Decrypt RetireGrant --constraints EncryptionContextSubset={aws:ebs:id=vol-1}",
            "kms", "CreateGrant",
            json!({"KeyId": "alias/finance", "GranteePrincipal": "arn:aws:iam::111122223333:role/app", "Operations": ["Decrypt", "RetireGrant"],
                   "Constraints": {"EncryptionContextSubset": {"aws:ebs:id": "vol-1"}}}),
        ),
        (
            "aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --constraints '{\"EncryptionContextEquals\":{\"aws:ebs:id\":\"vol-1\"}}' --retiring-principal ec2.us-east-1.amazonaws.com --name attach",
            "kms", "CreateGrant",
            json!({"KeyId": "k", "GranteePrincipal": "p", "Operations": ["Decrypt"], "Constraints": {"EncryptionContextEquals": {"aws:ebs:id": "vol-1"}},
                   "RetiringPrincipal": "ec2.us-east-1.amazonaws.com", "Name": "attach"}),
        ),
        (
            "aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --constraints 'EncryptionContextEquals={purpose=\"a, b\",team=x}'",
            "kms", "CreateGrant",
            json!({"KeyId": "k", "GranteePrincipal": "p", "Operations": ["Decrypt"], "Constraints": {"EncryptionContextEquals": {"purpose": "a, b", "team": "x"}}}),
        ),
        (
            "aws kms decrypt --ciphertext-blob AQICAHhB --encryption-context aws:ebs:id=vol-1,note='a\\,b' --key-id alias/finance",
            "kms", "Decrypt",
            json!({"CiphertextBlob": "AQICAHhB", "EncryptionContext": {"aws:ebs:id": "vol-1", "note": "a,b"}, "KeyId": "alias/finance"}),
        ),
        (
            "aws kms re-encrypt --ciphertext-blob AQID --destination-key-id alias/b --destination-encryption-context '{\"aws:ebs:id\":\"vol-1\"}'",
            "kms", "ReEncrypt",
            json!({"CiphertextBlob": "AQID", "DestinationKeyId": "alias/b", "DestinationEncryptionContext": {"aws:ebs:id": "vol-1"}}),
        ),
        ("aws ec2 describe-volumes --volume-ids vol-1 vol-2", "ec2", "DescribeVolumes", json!({"VolumeIds": ["vol-1", "vol-2"]})),
        ("aws ec2 describe-volumes --volume-ids '[\"vol-1\"]'", "ec2", "DescribeVolumes", json!({"VolumeIds": ["vol-1"]})),
        ("aws ec2 describe-snapshots --owner-ids self", "ec2", "DescribeSnapshots", json!({"OwnerIds": ["self"]})),
        (
            "aws kms create-key --description \"finance key\" --key-spec SYMMETRIC_DEFAULT --key-usage ENCRYPT_DECRYPT",
            "kms", "CreateKey", json!({"Description": "finance key", "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}),
        ),
        (
            "aws kms create-alias --alias-name alias/finance --target-key-id 1234abcd-12ab-34cd-56ef-1234567890ab",
            "kms", "CreateAlias", json!({"AliasName": "alias/finance", "TargetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
        ),
        (
            "aws kms enable-key-rotation --key-id k --rotation-period-in-days 180",
            "kms", "EnableKeyRotation", json!({"KeyId": "k", "RotationPeriodInDays": 180}),
        ),
        (
            "aws ec2 attach-volume --volume-id vol-1234567890abcdef0 --instance-id i-01474ef662b89480 --device /dev/sdf",
            "ec2", "AttachVolume", json!({"VolumeId": "vol-1234567890abcdef0", "InstanceId": "i-01474ef662b89480", "Device": "/dev/sdf"}),
        ),
        ("aws ec2 detach-volume --volume-id vol-1 --force", "ec2", "DetachVolume", json!({"VolumeId": "vol-1", "Force": true})),
        (
            "aws ec2 create-snapshot --volume-id vol-1234567890abcdef0 --description 'This is my root volume snapshot'",
            "ec2", "CreateSnapshot", json!({"VolumeId": "vol-1234567890abcdef0", "Description": "This is my root volume snapshot"}),
        ),
        (
            "aws ec2 register-image --name my-image --root-device-name /dev/xvda --block-device-mappings DeviceName=/dev/xvda,Ebs={SnapshotId=snap-0db2cf683925d191f}",
            "ec2", "RegisterImage",
            json!({"Name": "my-image", "RootDeviceName": "/dev/xvda", "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-0db2cf683925d191f"}}]}),
        ),
        (
            "aws ec2 copy-image --source-image-id ami-5731123e --source-region us-east-1 --region us-west-2 --name \"My server\" --encrypted --kms-key-id alias/west",
            "ec2", "CopyImage",
            json!({"SourceImageId": "ami-5731123e", "SourceRegion": "us-east-1", "Name": "My server", "Encrypted": true, "KmsKeyId": "alias/west"}),
        ),
        (
            "aws ec2 create-launch-template --launch-template-name TemplateForEncryption --launch-template-data '{\"ImageId\":\"ami-0abcdef1234567890\",\"InstanceType\":\"t3.micro\",\"BlockDeviceMappings\":[{\"DeviceName\":\"/dev/xvda\",\"Ebs\":{\"Encrypted\":true,\"KmsKeyId\":\"alias/finance\"}}]}'",
            "ec2", "CreateLaunchTemplate",
            json!({"LaunchTemplateName": "TemplateForEncryption", "LaunchTemplateData": {"ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro",
                   "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true, "KmsKeyId": "alias/finance"}}]}}),
        ),
        // Auto Scaling guide: `Version='$Latest'` is quoted in the middle of the word.
        (
            "aws autoscaling create-auto-scaling-group --auto-scaling-group-name my-asg --launch-template LaunchTemplateName=my-template-for-auto-scaling,Version='$Latest' --min-size 1 --max-size 5 --availability-zones us-east-1a us-east-1b",
            "autoscaling", "CreateAutoScalingGroup",
            json!({"AutoScalingGroupName": "my-asg", "LaunchTemplate": {"LaunchTemplateName": "my-template-for-auto-scaling", "Version": "$Latest"},
                   "MinSize": 1, "MaxSize": 5, "AvailabilityZones": ["us-east-1a", "us-east-1b"]}),
        ),
        (
            "aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com",
            "iam", "CreateServiceLinkedRole", json!({"AWSServiceName": "autoscaling.amazonaws.com"}),
        ),
        (
            "aws iam put-role-policy --role-name app --policy-name kms --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:CreateGrant\",\"Resource\":\"*\"}]}'",
            "iam", "PutRolePolicy",
            json!({"RoleName": "app", "PolicyName": "kms", "PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:CreateGrant\",\"Resource\":\"*\"}]}"}),
        ),
        // --cli-input-json merges with options; options win.
        (
            "aws ec2 create-volume --cli-input-json '{\"AvailabilityZone\":\"us-east-1a\",\"Size\":8}' --size 16",
            "ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "Size": 16}),
        ),
        // The playground's own commands.
        (
            "play write --instance-id i-1 --device /dev/sdf --text \"hello world\" --sector 2",
            "play", "WriteData", json!({"InstanceId": "i-1", "Device": "/dev/sdf", "Text": "hello world", "Sector": 2}),
        ),
        ("play read --instance-id i-1 --device /dev/sdf", "play", "ReadData", json!({"InstanceId": "i-1", "Device": "/dev/sdf"})),
        ("play sector --volume-id vol-1 --sector 0", "play", "ShowSector", json!({"VolumeId": "vol-1", "Sector": 0})),
        ("play advance --days 7", "play", "AdvanceTime", json!({"Seconds": 604800})),
        ("play advance --minutes 2 --seconds 5", "play", "AdvanceTime", json!({"Seconds": 125})),
        // Comments and global options anywhere.
        (
            "aws --region us-west-2 ec2 describe-volumes --output text --no-cli-pager --debug  # list them",
            "ec2", "DescribeVolumes", json!({}),
        ),
    ];
    for (line, service, operation, params) in cases {
        let (s, o, p) = api(line);
        assert_eq!((s.as_str(), o.as_str()), (service, operation), "{line}");
        assert_eq!(p, params, "{line}");
        // Key order follows the command line (the backend sees what was typed, in order).
        let got: Vec<&String> = p
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let want: Vec<&String> = params
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(got, want, "key order of {line}");
    }
}

#[test]
fn global_options_are_found_anywhere() {
    let p = parse_command("aws ec2 --profile partner describe-volumes --region us-west-2 --output table --query 'Volumes[].VolumeId'").unwrap();
    assert_eq!(p.globals.profile.as_deref(), Some("partner"));
    assert_eq!(p.globals.region.as_deref(), Some("us-west-2"));
    assert_eq!(p.globals.output, Some(OutputFormat::Table));
    assert_eq!(p.globals.query.as_deref(), Some("Volumes[].VolumeId"));
    let p = parse_command("aws kms create-grant --region us-west-2 --key-id k --grantee-principal p --operations Decrypt").unwrap();
    assert_eq!(p.globals.region.as_deref(), Some("us-west-2"));
}

#[test]
fn dry_run_is_parsed_and_answered_without_calling_the_backend() {
    match parse_command("aws ec2 create-volume --availability-zone us-east-1a --size 8 --dry-run")
        .unwrap()
        .invocation
    {
        Invocation::Api {
            dry_run, params, ..
        } => {
            assert!(dry_run);
            assert_eq!(params, json!({"AvailabilityZone": "us-east-1a", "Size": 8}));
        }
        other => panic!("{other:?}"),
    }
    // The model answers DryRun (one place for the console, forms and --cli-input-json alike),
    // and the refused request is drawn.
    let mut sh = Shell::new();
    let mut sim = ebs_kms_playground::model::Sim::new(1);
    let r = sh.run_line(
        &mut sim,
        "aws ec2 create-volume --availability-zone us-east-1a --size 8 --dry-run",
    );
    assert_eq!(
        r.text,
        "An error occurred (DryRunOperation) when calling the CreateVolume operation: Request would have succeeded, but DryRun flag is set."
    );
    assert_eq!(
        r.error.as_ref().map(|e| e.code.as_str()),
        Some("DryRunOperation")
    );
    assert_eq!(sim.trace().len(), 1);
    assert!(sim.volumes().next().is_none(), "nothing was created");
    // KMS has no --dry-run.
    assert_eq!(
        err("aws kms list-keys --dry-run"),
        "Unknown options: --dry-run"
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed command lines → the message printed.

#[test]
fn malformed_command_lines_give_the_cli_message() {
    let exact: Vec<(&str, &str)> = vec![
        ("aws ec2 attach-volume --instance-id i-1 --device /dev/sdf", "aws: error: the following arguments are required: --volume-id"),
        ("aws ec2 attach-volume --device /dev/sdf", "aws: error: the following arguments are required: --volume-id, --instance-id"),
        ("aws ec2 describe-volumes --foo", "Unknown options: --foo"),
        ("aws ec2 describe-volumes --foo bar --baz", "Unknown options: --foo, bar, --baz"),
        ("aws ec2 describe-volumes extra", "Unknown options: extra"),
        ("aws", "aws: error: the following arguments are required: command"),
        ("aws ec2", "aws: error: the following arguments are required: operation"),
        ("aws ec2 create-volume --availability-zone", "aws: error: argument --availability-zone: expected one argument"),
        ("aws ec2 create-volume --availability-zone us-east-1a --size --encrypted", "aws: error: argument --size: expected one argument"),
        ("aws ec2 describe-volumes --volume-ids", "aws: error: argument --volume-ids: expected at least one argument"),
        ("aws ec2 describe-volumes --region", "aws: error: argument --region: expected one argument"),
        ("aws ec2 create-volume --availability-zone us-east-1a --encrypted=yes", "aws: error: argument --encrypted: ignored explicit argument 'yes'"),
        ("aws ec2 create-volume --availability-zone us-east-1a --size eight", "Error parsing parameter '--size': expected an integer, received: 'eight'"),
        ("aws kms schedule-key-deletion --key-id k --pending-window-in-days 7.5", "Error parsing parameter '--pending-window-in-days': expected an integer, received: '7.5'"),
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings DeviceName=/dev/sdf,Ebs={Encrypted=yes}",
            "Parameter validation failed:\nInvalid type for parameter BlockDeviceMappings[0].Ebs.Encrypted, value: yes, type: <class 'str'>, valid types: <class 'bool'>",
        ),
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings DeviceName=/dev/sdf,Ebz={Encrypted=true}",
            "Parameter validation failed:\nUnknown parameter in BlockDeviceMappings[0]: \"Ebz\", must be one of: DeviceName, Ebs, NoDevice, VirtualName",
        ),
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings '[{\"DeviceName\":\"/dev/sdf\",\"Ebs\":{\"VolumeSize\":\"8\",\"Encrypted\":\"true\"}}]'",
            "Parameter validation failed:\nInvalid type for parameter BlockDeviceMappings[0].Ebs.VolumeSize, value: 8, type: <class 'str'>, valid types: <class 'int'>\nInvalid type for parameter BlockDeviceMappings[0].Ebs.Encrypted, value: true, type: <class 'str'>, valid types: <class 'bool'>",
        ),
        ("aws ec2 attach-volume --cli-input-json '{\"VolumeId\":\"vol-1\",\"Device\":\"/dev/sdf\"}'", "Parameter validation failed:\nMissing required parameter in input: \"InstanceId\""),
        (
            "aws ec2 create-volume --cli-input-json '{\"AvailabilityZone\":\"us-east-1a\",\"Sise\":8}'",
            "Parameter validation failed:\nUnknown parameter in input: \"Sise\", must be one of: AvailabilityZone, AvailabilityZoneId, Size, SnapshotId, VolumeType, Encrypted, KmsKeyId, Iops, Throughput, TagSpecifications",
        ),
        (
            "aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --encryption-context a=b",
            "Unknown options: --encryption-context, a=b",
        ),
        (
            "aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --constraints EncryptionContextSubset",
            "Error parsing parameter '--constraints': Expected: '=', received: 'EOF' for input:\nEncryptionContextSubset\n                       ^",
        ),
        ("aws ec2 create-volume --availability-zone 'us-east-1a", "Unterminated quote: a single quote (') is never closed."),
        ("aws ec2 create-volume --availability-zone \"us-east-1a", "Unterminated quote: a double quote (\") is never closed."),
        ("aws ec2 describe-volumes --output yaml", "--output yaml is not available in the playground: use json, text or table."),
        ("ls -l", "ls: command not found. The console runs `aws …` commands and the playground's own `play …` commands (see `play help`)."),
        ("play advance", "play advance: the following arguments are required: --seconds (or --minutes, --hours, --days)"),
        ("aws ec2 run-instances --image-id ami-1 --count 0:x", "Error parsing parameter '--count': expected N or MIN:MAX, received: '0:x'"),
        ("aws ec2 describe-volumes --volume-ids $VOL", "$VOL is not set: set it first, for example VOL=$(aws … --query … --output text)"),
        ("X=1 aws ec2 describe-volumes", "`NAME=value command` (a variable set for one command) is not supported: put the assignment on its own line, then run the command."),
        ("echo $((1 + 2))", "Arithmetic expansion $(( … )) is not supported in the playground console."),
        ("aws ec2 describe-volumes ${VOL:-x}", "${VOL:-x}: bad substitution (the playground supports ${NAME} only)"),
        ("play profile add auditor --account-id 12345", "play profile add: the account id must be 12 digits, got '12345'."),
    ];
    for (line, want) in exact {
        assert_eq!(err(line), want, "{line}");
    }
    let prefixed: Vec<(&str, &str, &str)> = vec![
        ("aws ec2 create-volum --size 8", "aws: error: argument operation: Invalid choice, valid choices are:", "  * create-volume"),
        ("aws kms generate-data-key-without-plaintxt --key-id k", "aws: error: argument operation: Invalid choice", "  * generate-data-key-without-plaintext"),
        ("aws dynamodb list-tables", "aws: error: argument command: Invalid choice, valid choices are:\n\nautoscaling | configure | ec2 | iam | kms | rds | s3 | s3api | sts", "play help"),
        ("aws s3 sync . s3://b", "The playground models `aws s3 cp", "aws s3api"),
        ("aws ec22 describe-volumes", "aws: error: argument command: Invalid choice", "  * ec2"),
        ("aws ec2 wait volume-availble --volume-ids vol-1", "aws: error: argument subcommand: Invalid choice, valid choices are:", "volume-available"),
        ("aws ec2 describe-volumes --output xml", "aws: error: argument --output: Invalid choice, valid choices are:", "json | text | table"),
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings '[{\"DeviceName\":\"/dev/sdf\",}]'",
            "Error parsing parameter '--block-device-mappings': Invalid JSON: ",
            "JSON received: [{\"DeviceName\":\"/dev/sdf\",}]",
        ),
        ("aws kms put-key-policy --key-id k --policy file://policy.json", "Error parsing parameter '--policy': the playground has no files", "paste"),
        ("aws ec2 describe-volumes | grep vol", "Pipes (|) are not supported", "one command per line"),
        ("aws ec2 describe-volumes > out.json", "Redirections (< and >) are not supported", ""),
        ("aws ec2 describe-volumes; aws kms list-keys", "Several commands on one line (;) are not supported", ""),
        ("aws ec2 describe-volumes --query \"Volumes[?State==`available`]\"", "Backticks (`) are command substitution", "single quotes"),
        ("play fly", "play: unknown command 'fly'.", "write, read, sector, advance"),
        ("aws ec2 create-volume --availability-zone us-east-1a\naws kms list-keys", "One command per line", ""),
        ("V=$(aws ec2 describe-volumes", "Unterminated command substitution", ""),
    ];
    for (line, start, contains) in prefixed {
        let e = err(line);
        assert!(e.starts_with(start), "{line}\n got: {e}");
        assert!(e.contains(contains), "{line}\n got: {e}");
    }
}

#[test]
fn unknown_operation_lists_close_matches_only() {
    let e = err("aws ec2 create-volum");
    let choices = e.lines().nth(2).unwrap_or("");
    assert!(choices.starts_with("create-volume"), "{e}");
    assert!(choices.split(" | ").count() <= 8, "{e}");
    assert!(e.contains("aws ec2 help"), "{e}");
    // Nothing resembles `zzz`: no "maybe you meant".
    assert!(!err("aws ec2 zzzzzzzz").contains("maybe you meant"));
}

#[test]
fn help_and_skeleton() {
    let p = parse_command("aws ec2 create-volume help").unwrap();
    let Invocation::Help(text) = p.invocation else {
        panic!()
    };
    assert!(text.starts_with("aws ec2 create-volume: Creates an EBS volume"));
    assert!(text.contains("--encrypted | --no-encrypted"));
    assert!(text.contains("--availability-zone <value>"));
    let p = parse_command("aws ec2 attach-volume help").unwrap();
    let Invocation::Help(text) = p.invocation else {
        panic!()
    };
    assert!(text.contains("(required)"));
    let p = parse_command("aws ec2 attach-volume --generate-cli-skeleton").unwrap();
    let Invocation::Help(text) = p.invocation else {
        panic!()
    };
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v,
        json!({"VolumeId": "", "InstanceId": "", "Device": "", "DryRun": true})
    );
    for line in [
        "aws help",
        "aws kms help",
        "aws ec2 wait help",
        "play help",
        "play",
    ] {
        assert!(
            matches!(parse_command(line).unwrap().invocation, Invocation::Help(_)),
            "{line}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The lexer.

#[test]
fn lexer_words_quotes_escapes_and_comments() {
    let words = |line: &str| -> Vec<String> {
        let p = parse_line(line).unwrap();
        match p.kind {
            lexer::LineKind::Command(w) => lexer::expand(
                &w,
                &|n| if n == "V" { Some("a b".into()) } else { None },
                &mut |_, _| Ok("sub out".into()),
            )
            .unwrap(),
            other => panic!("{other:?}"),
        }
    };
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("aws  ec2\tx", vec!["aws", "ec2", "x"]),
        ("a 'b c' \"d e\" f\\ g", vec!["a", "b c", "d e", "f g"]),
        ("a 'it'\\''s'", vec!["a", "it's"]),
        (
            "a \"say \\\"hi\\\" \\$V \\\\\"",
            vec!["a", "say \"hi\" $V \\"],
        ),
        ("a \"\\n stays\"", vec!["a", "\\n stays"]),
        ("a '' \"\"", vec!["a", "", ""]),
        ("a # comment 'unclosed", vec!["a"]),
        ("a b#c", vec!["a", "b#c"]),
        ("a \\\nb", vec!["a", "b"]),
        ("a x\\\ny", vec!["a", "xy"]),
        ("a $V", vec!["a", "a", "b"]),
        ("a \"$V\"", vec!["a", "a b"]),
        ("a ${V}x", vec!["a", "a", "bx"]),
        ("a pre$V", vec!["a", "prea", "b"]),
        ("a '$V'", vec!["a", "$V"]),
        ("a $ $1 5$", vec!["a", "$", "$1", "5$"]),
        ("a $(aws x)", vec!["a", "sub", "out"]),
        ("a \"$(aws x)\"", vec!["a", "sub out"]),
        ("a 'multi\nline'", vec!["a", "multi\nline"]),
        ("a {x} [y] *", vec!["a", "{x}", "[y]", "*"]),
    ];
    for (line, want) in cases {
        assert_eq!(words(line), want, "{line:?}");
    }
}

#[test]
fn lexer_assignments_and_comments() {
    let p = parse_line("export AWS_PROFILE=partner B=\"x y\"  # expect-error").unwrap();
    assert_eq!(p.comment.as_deref(), Some("expect-error"));
    let lexer::LineKind::Assign { export, vars } = p.kind else {
        panic!()
    };
    assert!(export);
    assert_eq!(vars.len(), 2);
    assert_eq!(vars[0].0, "AWS_PROFILE");
    assert_eq!(vars[1].1.as_literal().as_deref(), Some("x y"));
    let p =
        parse_line("VOL=$(aws ec2 create-volume --size 8 --query VolumeId --output text)").unwrap();
    let lexer::LineKind::Assign { vars, .. } = p.kind else {
        panic!()
    };
    assert!(
        matches!(&vars[0].1.parts[0], lexer::Part::Subst { source, .. } if source == "aws ec2 create-volume --size 8 --query VolumeId --output text")
    );
    assert_eq!(
        parse_line("   # only a comment").unwrap().kind,
        lexer::LineKind::Empty
    );
    assert_eq!(parse_line("").unwrap().kind, lexer::LineKind::Empty);
    // `a=b` after the command is an argument, not an assignment.
    assert!(matches!(
        parse_line("aws x a=b").unwrap().kind,
        lexer::LineKind::Command(_)
    ));
    // Nested substitutions are bounded.
    let deep = format!("A={}aws{}", "$(aws x ".repeat(10), ")".repeat(10));
    assert!(parse_line(&deep)
        .unwrap_err()
        .message
        .contains("nested too deeply"));
    let huge = "a".repeat(lexer::MAX_LINE_BYTES + 1);
    assert!(parse_line(&huge).unwrap_err().message.contains("too long"));
}
