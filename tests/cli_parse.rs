//! Tests of the AWS CLI front end (`src/cli/`) against a fake backend: real AWS CLI command
//! lines (seeds and AWS documentation examples) and malformed ones, variables and `$( … )`,
//! `--query` and output formats, waiters, scripts and share links, `to_cli` round trips, and
//! property tests that nothing typed or decoded can panic.

use ebs_kms_playground::cli::args::Invocation;
use ebs_kms_playground::cli::schema::{self, Member, Ty};
use ebs_kms_playground::cli::{
    lexer, output, parse_command, parse_line, to_cli, to_cli_as, Backend, Caller, OutputFormat,
    Script, ScriptError, Shell,
};
use ebs_kms_playground::model::error::AwsError;
use proptest::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// A fake backend: records every call and answers with a closure.

type Responder = Box<dyn FnMut(&str, &str, &Value) -> Result<Value, AwsError>>;

struct Fake {
    calls: Vec<(Caller, String, String, Value)>,
    respond: Responder,
}

impl Backend for Fake {
    fn execute(
        &mut self,
        caller: &Caller,
        service: &str,
        operation: &str,
        params: Value,
    ) -> Result<Value, AwsError> {
        let r = (self.respond)(service, operation, &params);
        self.calls.push((
            caller.clone(),
            service.to_string(),
            operation.to_string(),
            params,
        ));
        r
    }
}

fn fake(f: impl FnMut(&str, &str, &Value) -> Result<Value, AwsError> + 'static) -> Fake {
    Fake {
        calls: Vec::new(),
        respond: Box::new(f),
    }
}

fn volume(id: &str, state: &str) -> Value {
    json!({
        "VolumeId": id,
        "Size": 8,
        "AvailabilityZone": "us-east-1a",
        "State": state,
        "CreateTime": "2026-01-01T00:00:00.000Z",
        "Encrypted": true,
        "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "VolumeType": "gp3",
        "Attachments": []
    })
}

/// Answers CreateVolume with a volume and everything else with `{}`.
fn canned() -> Fake {
    fake(|_, op, _| match op {
        "CreateVolume" => Ok(volume("vol-0123456789abcdef0", "creating")),
        "DescribeVolumes" => {
            Ok(json!({"Volumes": [volume("vol-1", "available"), volume("vol-2", "in-use")]}))
        }
        "CreateKey" => Ok(
            json!({"KeyMetadata": {"KeyId": "k-1", "Arn": "arn:aws:kms:us-east-1:111122223333:key/k-1"}}),
        ),
        _ => Ok(json!({})),
    })
}

fn api(line: &str) -> (String, String, Value) {
    match parse_command(line) {
        Ok(p) => match p.invocation {
            Invocation::Api {
                command, params, ..
            } => (
                command.service.to_string(),
                command.operation.to_string(),
                params,
            ),
            other => panic!("{line}: not an API call: {other:?}"),
        },
        Err(e) => panic!("{line}: {}", e.message),
    }
}

fn err(line: &str) -> String {
    match parse_command(line) {
        Ok(p) => panic!("{line}: expected an error, got {:?}", p.invocation),
        Err(e) => e.message,
    }
}

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
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings Ebs={Encrypted=true}",
            "Parameter validation failed:\nMissing required parameter in BlockDeviceMappings[0]: \"DeviceName\"",
        ),
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings DeviceName=/dev/sdf,Ebz={Encrypted=true}",
            "Parameter validation failed:\nUnknown parameter in BlockDeviceMappings[0]: \"Ebz\", must be one of: DeviceName, Ebs",
        ),
        (
            "aws ec2 run-instances --image-id ami-1 --block-device-mappings '[{\"DeviceName\":\"/dev/sdf\",\"Ebs\":{\"VolumeSize\":\"8\",\"Encrypted\":\"true\"}}]'",
            "Parameter validation failed:\nInvalid type for parameter BlockDeviceMappings[0].Ebs.VolumeSize, value: 8, type: <class 'str'>, valid types: <class 'int'>\nInvalid type for parameter BlockDeviceMappings[0].Ebs.Encrypted, value: true, type: <class 'str'>, valid types: <class 'bool'>",
        ),
        ("aws ec2 create-volume --cli-input-json '{\"Size\":8}'", "Parameter validation failed:\nMissing required parameter in input: \"AvailabilityZone\""),
        (
            "aws ec2 create-volume --cli-input-json '{\"AvailabilityZone\":\"us-east-1a\",\"Sise\":8}'",
            "Parameter validation failed:\nUnknown parameter in input: \"Sise\", must be one of: AvailabilityZone, Size, SnapshotId, VolumeType, Encrypted, KmsKeyId, Iops, Throughput, TagSpecifications",
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
        ("aws s3 ls", "aws: error: argument command: Invalid choice, valid choices are:\n\nautoscaling | configure | ec2 | iam | kms | rds | sts", "play help"),
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

// ---------------------------------------------------------------------------------------------
// The shell: variables, substitution, profiles, errors, expected failures, history.

#[test]
fn variables_and_command_substitution() {
    let mut sh = Shell::new();
    let mut b = canned();
    let r = sh.run_line(&mut b, "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)");
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(
        r.assigned,
        vec![("VOL".to_string(), "vol-0123456789abcdef0".to_string())]
    );
    assert_eq!(r.command, "aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text");
    assert_eq!(r.output, Some(json!("vol-0123456789abcdef0")));
    assert_eq!(r.text, "");
    assert_eq!(sh.var("VOL"), Some("vol-0123456789abcdef0"));
    let r = sh.run_line(
        &mut b,
        "aws ec2 attach-volume --volume-id $VOL --instance-id i-1 --device /dev/sdf",
    );
    assert_eq!(r.command, "aws ec2 attach-volume --volume-id vol-0123456789abcdef0 --instance-id i-1 --device /dev/sdf");
    let (_, _, op, params) = b.calls.last().unwrap();
    assert_eq!(op, "AttachVolume");
    assert_eq!(params["VolumeId"], "vol-0123456789abcdef0");
    // Field splitting of unquoted expansions, not of quoted ones.
    sh.run_line(&mut b, "VOLS=\"vol-1 vol-2\"");
    sh.run_line(&mut b, "aws ec2 describe-volumes --volume-ids $VOLS");
    assert_eq!(
        b.calls.last().unwrap().3,
        json!({"VolumeIds": ["vol-1", "vol-2"]})
    );
    sh.run_line(&mut b, "aws ec2 describe-volumes --volume-ids \"$VOLS\"");
    assert_eq!(
        b.calls.last().unwrap().3,
        json!({"VolumeIds": ["vol-1 vol-2"]})
    );
    // A list captured as text splits into several ids.
    let r = sh.run_line(
        &mut b,
        "IDS=$(aws ec2 describe-volumes --query 'Volumes[].VolumeId' --output text)",
    );
    assert_eq!(r.assigned[0].1, "vol-1\tvol-2");
    sh.run_line(&mut b, "aws ec2 describe-volumes --volume-ids $IDS");
    assert_eq!(
        b.calls.last().unwrap().3,
        json!({"VolumeIds": ["vol-1", "vol-2"]})
    );
    // echo shows values.
    assert_eq!(
        sh.run_line(&mut b, "echo volume: ${VOL}").text,
        "volume: vol-0123456789abcdef0"
    );
    // Substitution inside a command line.
    sh.run_line(&mut b, "aws ec2 create-snapshot --volume-id $(aws ec2 create-volume --availability-zone us-east-1a --query VolumeId --output text)");
    assert_eq!(
        b.calls.last().unwrap().3,
        json!({"VolumeId": "vol-0123456789abcdef0"})
    );
}

#[test]
fn failing_substitution_reports_the_inner_error() {
    let mut sh = Shell::new();
    let mut b = fake(|_, _, _| {
        Err(AwsError::new(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set.",
        ))
    });
    let r = sh.run_line(&mut b, "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --kms-key-id alias/x --query VolumeId --output text)");
    assert_eq!(
        r.text,
        "An error occurred (InvalidParameterDependency) when calling the CreateVolume operation: The parameter KmsKeyId requires the parameter Encrypted to be set."
    );
    assert_eq!(r.error.unwrap().code, "InvalidParameterDependency");
    assert_eq!(sh.var("VOL"), None);
}

#[test]
fn aws_errors_print_exactly_as_the_cli() {
    let mut sh = Shell::new();
    let mut b = fake(|_, _, _| {
        Err(AwsError::new(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set.",
        ))
    });
    let r = sh.run_line(
        &mut b,
        "aws ec2 create-volume --size 8 --availability-zone us-east-1a --kms-key-id alias/finance",
    );
    assert_eq!(
        r.text,
        "An error occurred (InvalidParameterDependency) when calling the CreateVolume operation: The parameter KmsKeyId requires the parameter Encrypted to be set."
    );
    assert!(r.unexpected());
    assert_eq!(r.api, Some(("ec2".to_string(), "CreateVolume".to_string())));
    let r = sh.run_line(&mut b, "aws ec2 create-volume --size 8 --availability-zone us-east-1a --kms-key-id alias/finance # expect-error InvalidParameterDependency");
    assert!(r.expected_failure && !r.unexpected());
    let r = sh.run_line(&mut b, "aws ec2 create-volume --size 8 --availability-zone us-east-1a --kms-key-id alias/finance # expect-error AccessDeniedException");
    assert!(r.unexpected());
    let r = sh.run_line(&mut b, "aws ec2 create-volume --size 8 --availability-zone us-east-1a --kms-key-id alias/finance # expect-error");
    assert!(!r.unexpected());
    let mut ok = canned();
    let r = sh.run_line(&mut ok, "aws kms list-keys # expect-error");
    assert!(r.unexpected(), "success where an error was expected");
    let r = sh.run_line(&mut ok, "aws kms list-keys --bogus # expect-error CliError");
    assert!(!r.unexpected());
    assert_eq!(r.text, "Unknown options: --bogus");
    let r = sh.run_line(
        &mut ok,
        "aws ec2 create-volume --cli-input-json '{}' # expect-error ParamValidation",
    );
    assert!(!r.unexpected(), "{}", r.text);
}

#[test]
fn profiles_regions_and_callers() {
    let mut sh = Shell::new();
    let mut b = canned();
    sh.run_line(&mut b, "aws kms list-keys");
    sh.run_line(&mut b, "aws kms list-keys --profile partner");
    sh.run_line(
        &mut b,
        "aws kms list-keys --profile partner --region us-west-2",
    );
    let accounts: Vec<(&str, &str, &str)> = b
        .calls
        .iter()
        .map(|(c, _, _, _)| (c.account.as_str(), c.region.as_str(), c.principal.as_str()))
        .collect();
    assert_eq!(
        accounts,
        vec![
            (
                "111122223333",
                "us-east-1",
                "arn:aws:iam::111122223333:root"
            ),
            (
                "444455556666",
                "us-east-1",
                "arn:aws:iam::444455556666:root"
            ),
            (
                "444455556666",
                "us-west-2",
                "arn:aws:iam::444455556666:root"
            ),
        ]
    );
    // aws configure set region, then AWS_PROFILE.
    assert!(sh
        .run_line(
            &mut b,
            "aws configure set region us-west-2 --profile partner"
        )
        .error
        .is_none());
    assert_eq!(sh.profile("partner").unwrap().region, "us-west-2");
    sh.run_line(&mut b, "export AWS_PROFILE=partner");
    let r = sh.run_line(&mut b, "aws kms list-keys");
    assert_eq!(
        (r.profile.as_str(), r.region.as_str()),
        ("partner", "us-west-2")
    );
    assert_eq!(b.calls.last().unwrap().0.account, "444455556666");
    assert_eq!(
        sh.run_line(&mut b, "aws configure get region").text,
        "us-west-2"
    );
    sh.run_line(&mut b, "export AWS_PROFILE=default");
    // A new profile.
    let r = sh.run_line(&mut b, "play profile add auditor --account-id 777788889999 --region us-west-2 --principal arn:aws:iam::777788889999:user/alice");
    assert!(r.error.is_none(), "{}", r.text);
    sh.run_line(&mut b, "aws kms list-keys --profile auditor");
    let c = &b.calls.last().unwrap().0;
    assert_eq!(
        (c.account.as_str(), c.region.as_str(), c.principal.as_str()),
        (
            "777788889999",
            "us-west-2",
            "arn:aws:iam::777788889999:user/alice"
        )
    );
    // GetCallerIdentity is an STS call made as the profile's principal.
    let r = sh.run_line(&mut b, "aws sts get-caller-identity --profile auditor");
    assert!(r.error.is_none(), "{}", r.text);
    let (c, service, op, _) = b.calls.last().unwrap();
    assert_eq!(
        (service.as_str(), op.as_str(), c.account.as_str()),
        ("sts", "GetCallerIdentity", "777788889999")
    );
    assert!(sh
        .run_line(&mut b, "play profile list")
        .text
        .contains("auditor      777788889999"));
    assert_eq!(
        sh.run_line(&mut b, "aws configure list-profiles").text,
        "default\npartner\nauditor"
    );
    // Unknown profile.
    let n = b.calls.len();
    let r = sh.run_line(&mut b, "aws kms list-keys --profile nobody");
    assert_eq!(r.text, "The config profile (nobody) could not be found");
    assert_eq!(r.error.unwrap().code, "ProfileNotFound");
    assert_eq!(b.calls.len(), n);
    // The default output format of a profile.
    sh.run_line(&mut b, "aws configure set output text");
    assert_eq!(
        sh.run_line(&mut b, "aws kms create-key --query KeyMetadata.KeyId")
            .text,
        "k-1"
    );
}

#[test]
fn history_navigation() {
    let mut sh = Shell::new();
    let mut b = canned();
    assert_eq!(sh.history_prev(), None);
    for l in [
        "aws kms list-keys",
        "aws kms list-keys",
        "",
        "echo hi",
        "aws ec2 describe-volumes",
    ] {
        sh.run_line(&mut b, l);
    }
    assert_eq!(
        sh.history(),
        &["aws kms list-keys", "echo hi", "aws ec2 describe-volumes"]
    );
    assert_eq!(sh.history_next(), None);
    assert_eq!(sh.history_prev(), Some("aws ec2 describe-volumes"));
    assert_eq!(sh.history_prev(), Some("echo hi"));
    assert_eq!(sh.history_prev(), Some("aws kms list-keys"));
    assert_eq!(sh.history_prev(), Some("aws kms list-keys"));
    assert_eq!(sh.history_next(), Some("echo hi"));
    assert_eq!(sh.history_next(), Some("aws ec2 describe-volumes"));
    assert_eq!(sh.history_next(), Some(""));
    assert_eq!(sh.history_next(), None);
}

#[test]
fn completion_and_help_lines() {
    let mut sh = Shell::new();
    sh.set_var("VOL", "vol-1");
    sh.set_var("VPC", "x");
    let has = |input: &str, want: &[&str]| {
        let got = sh.complete(input);
        for w in want {
            assert!(got.iter().any(|g| g == w), "{input:?}: {w} not in {got:?}");
        }
        got
    };
    has("", &["aws", "play"]);
    has(
        "aws ",
        &["ec2", "kms", "iam", "autoscaling", "sts", "configure"],
    );
    assert_eq!(has("aws e", &["ec2"]), vec!["ec2"]);
    has("aws ec2 create-vo", &["create-volume"]);
    has(
        "aws ec2 ",
        &["wait", "describe-volumes", "modify-ebs-default-kms-key-id"],
    );
    has(
        "aws kms gen",
        &["generate-data-key", "generate-data-key-without-plaintext"],
    );
    has("aws autoscaling ", &["create-auto-scaling-group"]);
    has("aws sts ", &["assume-role", "get-caller-identity"]);
    has(
        "play profile add app ",
        &["--role-arn", "--source-profile", "--principal"],
    );
    has(
        "play profile add app --role-arn arn:aws:iam::1:role/r --source-profile ",
        &["default", "partner"],
    );
    let opts = has(
        "aws ec2 create-volume ",
        &[
            "--availability-zone",
            "--encrypted",
            "--no-encrypted",
            "--kms-key-id",
            "--dry-run",
        ],
    );
    assert_eq!(opts[0], "--availability-zone", "required options first");
    let opts = has(
        "aws ec2 create-volume --size 8 --",
        &["--encrypted", "--region", "--query"],
    );
    assert!(
        !opts.contains(&"--size".to_string()),
        "used options are not offered again"
    );
    has(
        "aws ec2 create-volume --volume-type ",
        &["gp3", "gp2", "io2"],
    );
    has(
        "aws kms create-grant --operations ",
        &["Decrypt", "RetireGrant"],
    );
    assert_eq!(
        has("aws kms list-keys --profile p", &["partner"]),
        vec!["partner"]
    );
    has("aws kms list-keys --output ", &["json", "text", "table"]);
    has(
        "aws ec2 wait ",
        &[
            "volume-available",
            "snapshot-completed",
            "instance-running",
            "image-available",
        ],
    );
    has("play ", &["write", "read", "sector", "advance", "profile"]);
    has(
        "play write --",
        &["--instance-id", "--device", "--text", "--sector"],
    );
    has("play advance --", &["--days", "--minutes"]);
    assert_eq!(has("echo $V", &["$VOL", "$VPC"]).len(), 2);
    assert_eq!(
        sh.complete_line("aws ec2 create-vo"),
        vec!["aws ec2 create-volume ".to_string()]
    );

    let h = sh.help("aws ec2 create-volume --size 8 ").unwrap();
    assert!(
        h.starts_with("aws ec2 create-volume (CreateVolume): Creates an EBS volume"),
        "{h}"
    );
    assert!(h.contains("Required: --availability-zone."), "{h}");
    assert_eq!(
        sh.help("aws ec2 create-volume --size").unwrap(),
        "--size (integer): Size in GiB (default: the snapshot's size)."
    );
    assert!(sh
        .help("aws ec2 create-volume --no-encrypted")
        .unwrap()
        .starts_with("--encrypted (boolean)"));
    assert!(sh
        .help("aws kms create-grant --key-id ")
        .unwrap()
        .contains("(required)"));
    assert!(sh
        .help("aws ec2 wait volume-available")
        .unwrap()
        .contains("describe-volumes"));
    assert!(sh.help("aws kms").unwrap().starts_with("aws kms: "));
    assert!(sh
        .help("play write")
        .unwrap()
        .starts_with("play write (WriteData)"));
    assert_eq!(sh.help("ls -l"), None);
}

// ---------------------------------------------------------------------------------------------
// Output: --query, json, text, table.

fn describe_volumes() -> Value {
    json!({"Volumes": [
        {"VolumeId": "vol-1", "Size": 8, "State": "in-use", "Encrypted": true,
         "Attachments": [{"InstanceId": "i-1", "Device": "/dev/sdf", "State": "attached"}]},
        {"VolumeId": "vol-2", "Size": 16, "State": "available", "Encrypted": false, "Attachments": []}
    ]})
}

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

// ---------------------------------------------------------------------------------------------
// Scripts and share links.

const SCRIPT: &str = "# ebs-kms-playground script v1\n# seed: 42\n# make a key and an encrypted volume\nKEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)\naws ec2 create-volume \\\n  --availability-zone us-east-1a \\\n  --size 8 --encrypted --kms-key-id $KEY\n\naws ec2 create-volume --availability-zone us-east-1a --kms-key-id $KEY  # expect-error InvalidParameterDependency\naws kms put-key-policy --key-id $KEY --policy '{\n  \"Version\": \"2012-10-17\"\n}'\n";

#[test]
fn script_parse_text_and_numbering() {
    let s = Script::parse(SCRIPT).unwrap();
    assert_eq!(s.seed, 42);
    assert_eq!(s.to_text(), SCRIPT);
    let cmds = s.commands();
    let numbers: Vec<usize> = cmds.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, [4, 5, 9, 10]);
    assert!(cmds[1].1.starts_with("aws ec2 create-volume \\\n"));
    // Every command line parses.
    for (_, c) in &cmds {
        parse_line(c).unwrap();
    }
    // Windows line endings and a BOM are accepted.
    let crlf = format!("\u{feff}{}", SCRIPT.replace('\n', "\r\n"));
    let s2 = Script::parse(&crlf).unwrap();
    assert_eq!(s2.seed, 42);
    assert_eq!(s2.commands().len(), 4);
    let mut s3 = Script::new(7);
    s3.push("aws kms list-keys");
    assert_eq!(
        s3.to_text(),
        "# ebs-kms-playground script v1\n# seed: 7\naws kms list-keys\n"
    );
    assert_eq!(Script::parse(&s3.to_text()).unwrap(), s3);
}

#[test]
fn script_replays_through_the_shell() {
    let s = Script::parse(SCRIPT).unwrap();
    let mut sh = Shell::new();
    let mut b = fake(|_, op, p| match op {
        "CreateKey" => Ok(json!({"KeyMetadata": {"KeyId": "key-1"}})),
        "CreateVolume" if p.get("Encrypted").is_none() => Err(AwsError::new(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set.",
        )),
        _ => Ok(json!({})),
    });
    let results: Vec<_> = s
        .commands()
        .iter()
        .map(|(_, l)| sh.run_line(&mut b, l))
        .collect();
    assert!(results.iter().all(|r| !r.unexpected()), "{results:#?}");
    assert_eq!(results[1].command, "aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id key-1");
    assert!(results[2].expected_failure);
    assert_eq!(
        b.calls[3].3["Policy"],
        "{\n  \"Version\": \"2012-10-17\"\n}"
    );
}

#[test]
fn script_errors_are_clear() {
    let cases: Vec<(String, ScriptError, &str)> = vec![
        ("aws kms list-keys\n".into(), ScriptError::NotAScript, "This is not an ebs-kms-playground script: its first line must be `# ebs-kms-playground script v1`."),
        ("# ebs-kms-playground script v2\n# seed: 1\n".into(), ScriptError::TooNew { version: 2 }, "This script was written by a newer version (v2); this playground reads v1."),
        ("# ebs-kms-playground script v17\n".into(), ScriptError::TooNew { version: 17 }, "This script was written by a newer version (v17); this playground reads v1."),
        ("# ebs-kms-playground script v1\naws kms list-keys\n".into(), ScriptError::MissingSeed { line: Some(2) }, "Line 2: a command comes before the `# seed: <number>` line; the seed must come first."),
        ("# ebs-kms-playground script v1\n# hello\n".into(), ScriptError::MissingSeed { line: None }, "The script has no `# seed: <number>` line."),
        ("# ebs-kms-playground script v1\n# seed: -3\n".into(), ScriptError::BadSeed { line: 2, text: "-3".into() }, "Line 2: the seed must be a whole number from 0 to 18446744073709551615, not `-3`."),
        ("# ebs-kms-playground script v1\n# seed: 1\naws kms create-key --description 'oops\naws kms list-keys\n".into(), ScriptError::Unterminated { line: 3 }, "Line 3: a quote opened here is never closed."),
        (format!("# ebs-kms-playground script v1\n# seed: 1\n{}", "#\n".repeat(5000)), ScriptError::TooManyLines { lines: 5002 }, "The script has too many lines (5002; the limit is 5000)."),
        (format!("# ebs-kms-playground script v1\n# seed: 1\n# {}\n", "x".repeat(300 * 1024)), ScriptError::TooLarge { bytes: 307_244 }, "The script is too large (307244 bytes; the limit is 256 KiB)."),
    ];
    for (text, want, msg) in cases {
        let e = Script::parse(&text).unwrap_err();
        assert_eq!(e, want);
        assert_eq!(e.to_string(), msg);
    }
    // A `#` inside a word or quotes is not a comment; an apostrophe in a comment opens nothing.
    let s = Script::parse("# ebs-kms-playground script v1\n# seed: 1\n# don't worry\naws ec2 create-volume --description 'a # b' --availability-zone us-east-1a\n").unwrap();
    assert_eq!(s.commands().len(), 1);
}

/// Found by `cargo fuzz run script_decode`: a script ending in a lone backslash, or with
/// several carriage returns before a newline, read back differently after `to_text`.
#[test]
fn regression_trailing_backslash_round_trips() {
    for text in [
        "# ebs-kms-playground script v1\n# seed: 7\naws kms list-keys \\",
        "# ebs-kms-playground script v1\n# seed: 7\naws kms list-keys \\\n",
        "# ebs-kms-playground script v1\n# seed: 7\naws kms list-keys \\\r\n",
        // Second finding: carriage returns piled up before a newline.
        "# ebs-kms-playground script v1\n# seed: 7\n# note\r\r\r\naws kms list-keys\r\r\n",
        "# ebs-kms-playground script v1\n# seed: 7\naws kms list-keys \\\r\r\n# c \\\r\n",
    ] {
        let s = Script::parse(text).unwrap();
        assert_eq!(Script::parse(&s.to_text()).unwrap(), s, "{text:?}");
        assert_eq!(
            Script::from_link_fragment(&s.to_link_fragment()).unwrap(),
            s
        );
        for (_, line) in s.commands() {
            assert!(parse_command(line).is_ok(), "{line:?}");
        }
    }
}

#[test]
fn share_link_round_trip() {
    let s = Script::parse(SCRIPT).unwrap();
    let link = s.to_link_fragment();
    assert!(link.starts_with("v1."));
    assert!(
        link.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
        "{link}"
    );
    assert_eq!(Script::from_link_fragment(&link).unwrap(), s);
    assert_eq!(Script::from_link_fragment(&format!("#{link}")).unwrap(), s);
    assert!(link.len() < SCRIPT.len(), "compressed");
}

#[test]
fn hostile_links_are_refused_cleanly() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let pack = |bytes: &[u8]| {
        format!(
            "v1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
        )
    };
    let good = Script::parse(SCRIPT).unwrap().to_link_fragment();
    let bomb = pack(&vec![b'#'; 2 * 1024 * 1024]);
    assert!(bomb.len() < 10_000, "a small link that inflates to 2 MiB");
    let cases: Vec<(String, ScriptError)> = vec![
        (String::new(), ScriptError::LinkFormat),
        ("garbage".into(), ScriptError::LinkFormat),
        ("v1".into(), ScriptError::LinkFormat),
        ("x1.abc".into(), ScriptError::LinkFormat),
        ("v0.abc".into(), ScriptError::LinkFormat),
        ("v2.abc".into(), ScriptError::TooNew { version: 2 }),
        ("v1.@@@@".into(), ScriptError::LinkEncoding),
        ("v1.a".into(), ScriptError::LinkEncoding),
        ("v1.AAAA".into(), ScriptError::LinkCorrupt),
        // Cut short at a valid base64 length: the deflate stream ends too early.
        (
            good.get(..3 + (good.len() - 3) / 8 * 4)
                .unwrap()
                .to_string(),
            ScriptError::LinkCorrupt,
        ),
        (
            format!("v1.{}", "A".repeat(500 * 1024)),
            ScriptError::LinkTooLong {
                chars: 500 * 1024 + 3,
            },
        ),
        (bomb, ScriptError::LinkTooLargeDecompressed),
        (pack(&[0xff, 0xfe, 0x00]), ScriptError::NotUtf8),
        (pack(b"hello"), ScriptError::NotAScript),
        (
            pack(b"# ebs-kms-playground script v3\n"),
            ScriptError::TooNew { version: 3 },
        ),
    ];
    for (link, want) in cases {
        assert_eq!(
            Script::from_link_fragment(&link),
            Err(want),
            "{}",
            link.get(..40.min(link.len())).unwrap_or("")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// to_cli: the CLI command for a UI action, and its round trip through the parser.

#[test]
fn to_cli_examples() {
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "ec2", "CreateVolume",
            json!({"AvailabilityZone": "us-east-1a", "Size": 8, "Encrypted": true, "KmsKeyId": "alias/finance"}),
            "aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id alias/finance",
        ),
        ("ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "Encrypted": false}), "aws ec2 create-volume --availability-zone us-east-1a --no-encrypted"),
        ("ec2", "DescribeVolumes", json!({"VolumeIds": ["vol-1", "vol-2"]}), "aws ec2 describe-volumes --volume-ids vol-1 vol-2"),
        ("ec2", "EnableEbsEncryptionByDefault", json!({}), "aws ec2 enable-ebs-encryption-by-default"),
        ("ec2", "EnableEbsEncryptionByDefault", Value::Null, "aws ec2 enable-ebs-encryption-by-default"),
        ("kms", "CreateKey", json!({"Description": "Tom's key"}), "aws kms create-key --description 'Tom'\\''s key'"),
        (
            "kms", "GenerateDataKeyWithoutPlaintext",
            json!({"KeyId": "alias/aws/ebs", "NumberOfBytes": 64, "EncryptionContext": {"aws:ebs:id": "vol-1"}}),
            "aws kms generate-data-key-without-plaintext --key-id alias/aws/ebs --number-of-bytes 64 --encryption-context aws:ebs:id=vol-1",
        ),
        (
            "ec2", "RunInstances",
            json!({"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1, "BlockDeviceMappings": [{"DeviceName": "/dev/sdf", "Ebs": {"Encrypted": true}}]}),
            "aws ec2 run-instances --count 1 --image-id ami-1 --block-device-mappings '[{\"DeviceName\":\"/dev/sdf\",\"Ebs\":{\"Encrypted\":true}}]'",
        ),
        ("play", "AdvanceTime", json!({"Seconds": 3600}), "play advance --seconds 3600"),
        ("play", "WriteData", json!({"InstanceId": "i-1", "Device": "/dev/sdf", "Text": "hello world"}), "play write --instance-id i-1 --device /dev/sdf --text 'hello world'"),
        ("ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "Extra": 1}), "aws ec2 create-volume --availability-zone us-east-1a --cli-input-json '{\"Extra\":1}'"),
        ("ec2", "CreateVolume", json!({"AvailabilityZone": "us-east-1a", "DryRun": true}), "aws ec2 create-volume --availability-zone us-east-1a --dry-run"),
    ];
    for (service, op, params, want) in cases {
        assert_eq!(to_cli(service, op, &params), want);
    }
    assert_eq!(
        to_cli_as(
            "kms",
            "ListKeys",
            &json!({}),
            Some("partner"),
            Some("us-west-2")
        ),
        "aws kms list-keys --profile partner --region us-west-2"
    );
}

/// A sample value of a type: strings exercise quoting.
fn sample(ty: Ty, n: usize) -> Value {
    match ty {
        Ty::Str => json!(
            [
                "plain",
                "with space",
                "it's \"quoted\" $HOME `x` #1 {a,b}",
                "--dashes",
                "",
                "ünïcode",
                "line\nbreak"
            ][n % 7]
        ),
        Ty::Int => json!(n as i64 * 7 - 3),
        Ty::Bool => json!(n % 2 == 0),
        Ty::StrList => json!(["a", "b c", "#d"]),
        Ty::Map => {
            if n % 2 == 0 {
                json!({"aws:ebs:id": "vol-1"})
            } else {
                json!({"k": "v, w", "x y": "=z"})
            }
        }
        Ty::Struct(members) => sample_struct(members, n),
        Ty::StructList(members) => {
            json!([sample_struct(members, n), sample_struct(members, n + 1)])
        }
    }
}

fn sample_struct(members: &[Member], n: usize) -> Value {
    let mut m = serde_json::Map::new();
    for (i, mem) in members.iter().enumerate() {
        m.insert(mem.name.to_string(), sample(mem.ty, n + i));
    }
    Value::Object(m)
}

#[test]
fn to_cli_round_trips_every_operation_in_the_schema() {
    let mut count = 0;
    for cmd in schema::commands() {
        for variant in 0..3 {
            let mut params = serde_json::Map::new();
            for (i, p) in cmd.params.iter().enumerate() {
                if variant == 2 && !p.required {
                    continue;
                }
                let mut v = sample(p.ty, i + variant);
                if p.ty == Ty::Int && cmd.operation == "RunInstances" {
                    v = json!(2 + variant);
                }
                params.insert(p.name.to_string(), v);
            }
            if cmd.operation == "RunInstances" && variant == 2 {
                params.insert("MinCount".into(), json!(1));
                params.insert("MaxCount".into(), json!(1));
            }
            if cmd.operation == "AdvanceTime" && variant == 2 {
                params.insert("Seconds".into(), json!(60));
            }
            let params = Value::Object(params);
            let line = to_cli(cmd.service.as_str(), cmd.operation, &params);
            let (service, operation, parsed) = api(&line);
            assert_eq!(
                (service.as_str(), operation.as_str()),
                (cmd.service.as_str(), cmd.operation),
                "{line}"
            );
            assert_eq!(parsed, params, "{line}");
            count += 1;
        }
    }
    assert_eq!(count, schema::commands().count() * 3);
    assert!(schema::commands().count() >= 60);
}

#[test]
fn schema_names_follow_the_cli_naming_rule() {
    let cases = [
        ("KmsKeyId", "kms-key-id"),
        ("VolumeIds", "volume-ids"),
        ("AWSServiceName", "aws-service-name"),
        (
            "GenerateDataKeyWithoutPlaintext",
            "generate-data-key-without-plaintext",
        ),
        ("ModifyEbsDefaultKmsKeyId", "modify-ebs-default-kms-key-id"),
        (
            "EnableEbsEncryptionByDefault",
            "enable-ebs-encryption-by-default",
        ),
        ("CreateAutoScalingGroup", "create-auto-scaling-group"),
        ("PendingWindowInDays", "pending-window-in-days"),
        ("ReEncrypt", "re-encrypt"),
        ("DescribeInstances", "describe-instances"),
        ("PolicyARNs", "policy-arns"),
        ("Iops", "iops"),
    ];
    for (api_name, cli) in cases {
        assert_eq!(schema::cli_name(api_name), cli);
    }
    let mut seen = std::collections::HashSet::new();
    for c in schema::commands() {
        if c.cli_service != "play" {
            assert_eq!(schema::cli_name(c.operation), c.name, "{}", c.operation);
        }
        assert!(seen.insert((c.cli_service, c.name)), "duplicate {}", c.name);
        assert!(
            !c.help.is_empty() && c.params.iter().all(|p| !p.help.is_empty()),
            "{}",
            c.name
        );
    }
    // Every operation of OPS.md, by service.
    let count = |s: &str| schema::commands_of(s).count();
    assert_eq!(
        (
            count("kms"),
            count("ec2"),
            count("iam"),
            count("sts"),
            count("autoscaling"),
            count("play")
        ),
        (25, 30, 11, 2, 2, 4)
    );
}

// ---------------------------------------------------------------------------------------------
// Nothing panics.

fn shellish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("aws ".to_string()),
            Just("ec2 ".to_string()),
            Just("kms ".to_string()),
            Just("play ".to_string()),
            Just("create-volume ".to_string()),
            Just("create-grant ".to_string()),
            Just("run-instances ".to_string()),
            Just("wait ".to_string()),
            Just("volume-available ".to_string()),
            Just("--size ".to_string()),
            Just("--encrypted ".to_string()),
            Just("--query ".to_string()),
            Just("--output ".to_string()),
            Just("--block-device-mappings ".to_string()),
            Just("--constraints ".to_string()),
            Just("--cli-input-json ".to_string()),
            Just("--profile ".to_string()),
            Just("partner ".to_string()),
            Just("text ".to_string()),
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("$".to_string()),
            Just("$(".to_string()),
            Just(")".to_string()),
            Just("${".to_string()),
            Just("}".to_string()),
            Just("{".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("=".to_string()),
            Just(",".to_string()),
            Just("#".to_string()),
            Just("VOL=".to_string()),
            Just("$VOL".to_string()),
            Just("`".to_string()),
            Just("|".to_string()),
            Just(" ".to_string()),
            "[a-zA-Z0-9:/._-]{0,8}",
            any::<char>().prop_map(|c| c.to_string()),
        ],
        0..24,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn parse_line_never_panics(s in any::<String>()) {
        let _ = parse_line(&s);
    }

    #[test]
    fn shellish_lines_never_panic(s in shellish()) {
        let _ = parse_line(&s);
        let _ = parse_command(&s);
        let mut sh = Shell::new();
        sh.set_var("VOL", "vol-1");
        let mut b = canned();
        let r = sh.run_line(&mut b, &s);
        // Errors always come with the text shown for them.
        if r.error.is_some() {
            prop_assert!(!r.text.is_empty());
        }
        let _ = sh.complete(&s);
        let _ = sh.help(&s);
    }

    #[test]
    fn link_and_script_decoding_never_panic(s in any::<String>(), t in shellish()) {
        let _ = Script::from_link_fragment(&s);
        let _ = Script::from_link_fragment(&format!("v1.{s}"));
        let _ = Script::parse(&s);
        for body in [s, t] {
            // Whatever parses reads back the same from its text and from its link.
            if let Ok(script) = Script::parse(&format!("# ebs-kms-playground script v1\n# seed: 1\n{body}")) {
                prop_assert_eq!(Script::parse(&script.to_text()), Ok(script.clone()));
                prop_assert_eq!(Script::from_link_fragment(&script.to_link_fragment()), Ok(script));
            }
        }
    }

    #[test]
    fn random_bytes_as_links_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        use base64::Engine;
        let link = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        let _ = Script::from_link_fragment(&link);
    }

    #[test]
    fn shorthand_and_query_never_panic(s in shellish()) {
        let _ = ebs_kms_playground::cli::shorthand::parse(&s);
        let _ = output::apply_query(&describe_volumes(), &s);
    }

    #[test]
    fn to_cli_round_trips_any_strings(desc in any::<String>(), az in "[ -~]{1,20}", ids in prop::collection::vec("[ -~]{1,12}", 1..4)) {
        let params = json!({"AvailabilityZone": az, "Description": desc});
        // CreateVolume has no Description: it travels in --cli-input-json.
        let line = to_cli("ec2", "CreateVolume", &params);
        match parse_command(&line) {
            Ok(p) => match p.invocation {
                Invocation::Api { .. } => prop_assert!(false, "Description is not a CreateVolume member: {}", line),
                _ => prop_assert!(false, "{}", line),
            },
            Err(e) => prop_assert!(e.message.contains("Unknown parameter in input: \"Description\""), "{}", e.message),
        }
        let params = json!({"VolumeId": az, "Description": desc});
        let line = to_cli("ec2", "CreateSnapshot", &params);
        let (_, _, parsed) = api(&line);
        prop_assert_eq!(parsed, params);
        let params = json!({"VolumeIds": ids});
        let (_, _, parsed) = api(&to_cli("ec2", "DescribeVolumes", &params));
        prop_assert_eq!(parsed, params);
    }

    #[test]
    fn script_link_round_trip(seed in any::<u64>(), lines in prop::collection::vec("[a-z $=#'\"-]{0,30}", 0..10)) {
        let mut s = Script::new(seed);
        for l in &lines {
            s.push(l);
        }
        // Only scripts whose quotes close are valid; others must be refused, not mangled.
        match Script::parse(&s.to_text()) {
            Ok(parsed) => {
                let back = Script::from_link_fragment(&parsed.to_link_fragment());
                prop_assert_eq!(back, Ok(parsed));
            }
            Err(e) => prop_assert!(matches!(e, ScriptError::Unterminated { .. }), "{e}"),
        }
    }
}
