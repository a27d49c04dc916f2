//! The `aliyun` CLI: real command lines as Alibaba's documentation and seed 002 write them,
//! read into the API request the Alibaba Cloud table describes, and run in an Alibaba Cloud
//! session with the CLI's output and error text.

use ebs_kms_playground::cli::args::Invocation;
use ebs_kms_playground::cli::Shell;
use ebs_kms_playground::model::provider::Cloud;
use ebs_kms_playground::session::Session;
use serde_json::{json, Value};

fn request(line: &str) -> (&'static str, &'static str, Value) {
    let shell = Shell::new_in(Cloud::Alibaba);
    match shell.parse_command(line).map(|p| p.invocation) {
        Ok(Invocation::Api {
            command, params, ..
        }) => (command.cli_service, command.operation, params),
        other => panic!("{line}: {other:?}"),
    }
}

#[test]
fn documented_lines_read_as_their_requests() {
    let cases: &[(&str, &str, &str, Value)] = &[
        (
            "aliyun ecs DescribeInstances --RegionId cn-hangzhou",
            "ecs", "DescribeInstances",
            json!({"RegionId": "cn-hangzhou"}),
        ),
        (
            "aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true --KMSKeyId key-hzz62f1cb66fa42qo****",
            "ecs", "CreateDisk",
            json!({"RegionId": "cn-hangzhou", "ZoneId": "cn-hangzhou-i", "DiskCategory": "cloud_essd", "Size": 40, "Encrypted": true, "KMSKeyId": "key-hzz62f1cb66fa42qo****"}),
        ),
        (
            "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --SystemDisk.KMSKeyId key-1 --DataDisk.1.Size 100 --DataDisk.1.Category cloud_essd --DataDisk.1.Encrypted true --Amount 1",
            "ecs", "RunInstances",
            json!({"RegionId": "cn-hangzhou", "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large",
                   "SystemDisk": {"Category": "cloud_essd", "Encrypted": true, "KMSKeyId": "key-1"},
                   "DataDisk": [{"Size": 100, "Category": "cloud_essd", "Encrypted": true}], "Amount": 1}),
        ),
        (
            "aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskIds '[\"d-bp1\", \"d-bp2\"]'",
            "ecs", "DescribeDisks",
            json!({"RegionId": "cn-hangzhou", "DiskIds": "[\"d-bp1\", \"d-bp2\"]"}),
        ),
        (
            "aliyun ecs CopySnapshot --RegionId cn-hangzhou --SnapshotId s-bp1 --DestinationRegionId cn-shanghai --Encrypted true --KMSKeyId key-sh1",
            "ecs", "CopySnapshot",
            json!({"RegionId": "cn-hangzhou", "SnapshotId": "s-bp1", "DestinationRegionId": "cn-shanghai", "Encrypted": true, "KMSKeyId": "key-sh1"}),
        ),
        (
            "aliyun ecs ModifyImageSharePermission --RegionId cn-hangzhou --ImageId m-bp1 --AddAccount.1 9876543210987654",
            "ecs", "ModifyImageSharePermission",
            json!({"RegionId": "cn-hangzhou", "ImageId": "m-bp1", "AddAccount": ["9876543210987654"]}),
        ),
        (
            "aliyun kms CreateKey --KeySpec Aliyun_AES_256 --KeyUsage ENCRYPT/DECRYPT --Description 'disk key'",
            "kms", "CreateKey",
            json!({"KeySpec": "Aliyun_AES_256", "KeyUsage": "ENCRYPT/DECRYPT", "Description": "disk key"}),
        ),
        (
            "aliyun kms ScheduleKeyDeletion --KeyId key-1 --PendingWindowInDays 7",
            "kms", "ScheduleKeyDeletion",
            json!({"KeyId": "key-1", "PendingWindowInDays": 7}),
        ),
        (
            "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunKMSReadOnlyAccess --UserName alice",
            "ram", "AttachPolicyToUser",
            json!({"PolicyType": "System", "PolicyName": "AliyunKMSReadOnlyAccess", "UserName": "alice"}),
        ),
        (
            "aliyun ecs EnableDiskEncryptionByDefault --RegionId cn-hangzhou",
            "ecs", "EnableDiskEncryptionByDefault",
            json!({"RegionId": "cn-hangzhou"}),
        ),
    ];
    for (line, product, op, want) in cases {
        let (p, o, got) = request(line);
        assert_eq!((p, o), (*product, *op), "{line}");
        assert_eq!(&got, want, "{line}");
    }
}

#[test]
fn a_session_prints_what_aliyun_prints() {
    let mut s = Session::new_in(Cloud::Alibaba, 3);
    let e = s
        .run("aliyun kms CreateKey --Description demo")
        .cloned()
        .expect("entry");
    assert!(e.result.error.is_none(), "{}", e.result.text);
    // Tab-indented JSON with the request id.
    assert!(
        e.result.text.starts_with("{\n\t\"KeyMetadata\": {\n\t\t"),
        "{}",
        e.result.text
    );
    assert!(
        e.result.text.contains("\n\t\"RequestId\": \""),
        "{}",
        e.result.text
    );
    // --cli-query prints JSON (a string keeps its quotes), and $( ) takes the string.
    let e = s
        .run("aliyun kms ListKeys --cli-query 'Keys.Key[0].KeyId'")
        .cloned()
        .expect("entry");
    assert!(e.result.text.starts_with("\"key-"), "{}", e.result.text);
    s.run("KEY=$(aliyun kms ListKeys --cli-query 'Keys.Key[0].KeyId')");
    assert!(s.shell().var("KEY").is_some_and(|k| k.starts_with("key-")));
    // Errors: SDK.ServerError, the code, the request id, the message.
    let e = s
        .run("aliyun kms DisableKey --KeyId key-nope")
        .cloned()
        .expect("entry");
    let t = &e.result.text;
    assert!(
        t.starts_with("ERROR: SDK.ServerError\nErrorCode: Forbidden.KeyNotFound\n"),
        "{t}"
    );
    assert!(
        t.contains("\nRequestId: ") && t.contains("\nMessage: "),
        "{t}"
    );
    // An AWS line in an Alibaba Cloud world is refused with a pointer to the aliyun CLI.
    let e = s.run("aws ec2 describe-volumes").cloned().expect("entry");
    assert!(
        e.result.text.contains("use the aliyun CLI"),
        "{}",
        e.result.text
    );
    // And the AWS world refuses aliyun lines.
    let mut aws = Session::new(1);
    let e = aws.run("aliyun ecs DescribeDisks").cloned().expect("entry");
    assert!(
        e.result.text.contains("this world is AWS"),
        "{}",
        e.result.text
    );
}

#[test]
fn a_session_replays_from_its_script_with_its_cloud() {
    let mut s = Session::new_in(Cloud::Alibaba, 5);
    s.run("aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true");
    s.run("aliyun ecs DescribeDisks");
    let text = s.script().to_text();
    assert!(text.contains("\n# cloud: alibaba\n"), "{text}");
    let back = ebs_kms_playground::cli::Script::parse(&text).expect("parses");
    assert_eq!(back.cloud(), Cloud::Alibaba);
    let r = Session::replay(&back);
    assert_eq!(r.cloud(), Cloud::Alibaba);
    assert_eq!(r.calls(), s.calls());
    assert_eq!(r.script(), s.script());
    // A share link carries it too.
    let link = s.script().to_link_fragment();
    let from_link = ebs_kms_playground::cli::Script::from_link_fragment(&link).expect("link");
    assert_eq!(Session::replay(&from_link).calls(), s.calls());
}

#[test]
fn a_docs_page_plain_aliyun_script_runs_in_an_alibaba_cloud_world() {
    use ebs_kms_playground::embed::plain::parse_script;
    let plain = "# Encrypt a disk with the service key\naliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true\n";
    let p = parse_script(plain).expect("a plain script");
    assert_eq!(p.script.cloud(), Cloud::Alibaba);
    let s = Session::replay(&p.script);
    assert_eq!(s.cloud(), Cloud::Alibaba);
    assert!(s.entries().iter().all(|e| e.result.error.is_none()));
    assert!(s
        .calls()
        .iter()
        .any(|c| c.summary() == "ECS → KMS: GenerateDataKey"));
    // An AWS plain script stays an AWS one.
    let aws = parse_script("aws kms create-key\n").expect("a plain script");
    assert_eq!(aws.script.cloud(), Cloud::Aws);
}
