//! Conformance with the real AWS CLI, from botocore's service models
//! (`tests/fixtures/botocore.json`, written by `scripts/conformance/botocore_fixture.py`, which
//! records the botocore version): every option the console offers against the operation's input
//! shape (name, type, required), every response the model gives (as the CLI prints it) against
//! the output shape (member names and JSON types, nested), and the AWS CLI's own example
//! commands (`tests/fixtures/awscli_examples.txt`) through the parser.
//!
//! Differences the playground makes on purpose are in [`ALLOWED`], each with its reason; any
//! other difference fails, and so does an allow-list entry that no longer matches anything.

use ebs_kms_playground::cli::output::cli_timestamps;
use ebs_kms_playground::cli::schema::{self, Member, Param, Service, Ty};
use ebs_kms_playground::cli::Shell;
use ebs_kms_playground::scenarios;
use ebs_kms_playground::session::Session;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const FIXTURE: &str = include_str!("../fixtures/botocore.json");
const EXAMPLES: &str = include_str!("../fixtures/awscli_examples.txt");

/// Differences kept on purpose: (the difference as this test words it, why).
const ALLOWED: &[(&str, &str)] = &[
    (
        "s3api:GetObject input Outfile: botocore has no such member",
        "The AWS CLI's own positional outfile argument (awscli customizations/streamingoutputarg.py), not an API member.",
    ),
    (
        "s3api:GetObject input Outfile: required here, optional in botocore",
        "As above: the CLI requires its outfile positional.",
    ),
    (
        "ec2:RunInstances input MinCount: botocore requires it; the console does not",
        "The AWS CLI replaces MinCount/MaxCount with its own --count N or --count MIN:MAX (awscli customizations/ec2/runinstances.py); the console does the same.",
    ),
    (
        "ec2:RunInstances input MaxCount: botocore requires it; the console does not",
        "As above: --count sets both.",
    ),
];

/// Operations whose success no session can show, with the reason.
const NEVER_SUCCEED: &[(&str, &str)] = &[(
    "iam:CreateServiceLinkedRole",
    "The playground creates each account's service-linked roles (Auto Scaling, Spot) up front, so the call always answers that the name is taken, as IAM does for an existing role.",
)];

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("tests/fixtures/botocore.json is JSON")
}

fn cli_services() -> [&'static str; 7] {
    ["ec2", "kms", "iam", "sts", "autoscaling", "s3api", "rds"]
}

/// Whether a table type can carry a botocore shape.
fn input_type_diffs(path: &str, ty: Ty, shape: &Value, out: &mut Vec<String>) {
    let t = shape["t"].as_str().unwrap_or("");
    let ok = match ty {
        Ty::Str => matches!(t, "string" | "blob"),
        Ty::Int => matches!(t, "integer" | "long"),
        Ty::Bool => t == "boolean",
        Ty::StrList => t == "list" && shape["e"]["t"] == "string",
        Ty::Map => t == "map" && shape["v"]["t"] == "string",
        Ty::Struct(ms) => {
            if t == "structure" {
                member_diffs(path, ms, shape, out);
            }
            t == "structure"
        }
        Ty::StructList(ms) => {
            let e = &shape["e"];
            if t == "list" && e["t"] == "structure" {
                member_diffs(path, ms, e, out);
            }
            t == "list" && e["t"] == "structure"
        }
    };
    if !ok {
        out.push(format!(
            "{path}: the console takes {ty:?}, botocore has {t}"
        ));
    }
}

fn member_diffs(path: &str, members: &[Member], shape: &Value, out: &mut Vec<String>) {
    let required: BTreeSet<&str> = shape["r"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for m in members {
        let p = format!("{path}.{}", m.name);
        match shape["m"].get(m.name) {
            None => out.push(format!("{p}: botocore has no such member")),
            Some(s) => input_type_diffs(&p, m.ty, s, out),
        }
        if m.required != required.contains(m.name) {
            out.push(format!(
                "{p}: required here {}, in botocore {}",
                m.required,
                required.contains(m.name)
            ));
        }
    }
}

/// The input differences of one operation.
fn input_diffs(key: &str, params: &[Param], shape: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let required: BTreeSet<&str> = shape["r"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for p in params {
        let path = format!("{key} input {}", p.name);
        match shape["m"].get(p.name) {
            None => out.push(format!("{path}: botocore has no such member")),
            Some(s) => input_type_diffs(&path, p.ty, s, &mut out),
        }
        let theirs = required.contains(p.name);
        if p.required && !theirs {
            out.push(format!("{path}: required here, optional in botocore"));
        }
    }
    for r in &required {
        if !params.iter().any(|p| p.name == *r) {
            out.push(format!(
                "{key} input {r}: botocore requires it; the console does not"
            ));
        }
    }
    out
}

/// The output differences of one response (after the CLI's timestamp formatting).
fn output_diffs(path: &str, v: &Value, shape: &Value, out: &mut Vec<String>) {
    let t = shape["t"].as_str().unwrap_or("");
    let ok = match v {
        Value::String(_) => matches!(t, "string" | "timestamp" | "blob"),
        Value::Number(n) => match t {
            "integer" | "long" => n.is_i64() || n.is_u64(),
            "double" | "float" => true,
            _ => false,
        },
        Value::Bool(_) => t == "boolean",
        // IAM's policy documents: botocore decodes them for the CLI (handlers.py,
        // json_decode_policies), so the CLI prints an object where the shape says string.
        Value::Object(_) if t == "string" && path.ends_with("PolicyDocument") => true,
        Value::Null => true,
        Value::Array(items) => {
            if t == "list" {
                for (i, x) in items.iter().enumerate().take(3) {
                    output_diffs(&format!("{path}[{i}]"), x, &shape["e"], out);
                }
            }
            t == "list"
        }
        Value::Object(m) => match t {
            "structure" => {
                for (k, x) in m {
                    match shape["m"].get(k) {
                        Some(s) => output_diffs(&format!("{path}.{k}"), x, s, out),
                        // A shape the fixture cut off (deeper than its depth limit) has no
                        // members to compare with.
                        None if shape.get("m").is_none() => {}
                        None => out.push(format!("{path}.{k}: botocore has no such member")),
                    }
                }
                true
            }
            "map" => {
                for (k, x) in m {
                    output_diffs(&format!("{path}.{k}"), x, &shape["v"], out);
                }
                true
            }
            _ => false,
        },
    };
    if !ok {
        out.push(format!("{path}: the model gives {v}, botocore has {t}"));
    }
}

/// Every scenario's commands and every example script, run in fresh sessions: the successful
/// top-level responses per operation (`cli:Operation`).
fn responses() -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut sessions: Vec<Session> = Vec::new();
    for sc in scenarios::all() {
        let mut s = Session::new(1);
        for step in &sc.steps {
            s.run(&step.command);
        }
        sessions.push(s);
    }
    for script in std::fs::read_dir("examples/scripts").expect("examples/scripts") {
        let path = script.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("script");
        let mut s = Session::new(1);
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            s.run(line);
        }
        sessions.push(s);
    }
    sessions.push(exercise());
    for s in &sessions {
        for c in s.calls() {
            if c.parent.is_some() || c.error.is_some() || c.from.name() != "User" {
                continue;
            }
            let Some(cmd) = schema::commands()
                .find(|o| o.operation == c.operation && o.service.participant() == c.to)
            else {
                continue;
            };
            let mut v = c.response.clone();
            cli_timestamps(cmd.service, &mut v);
            out.entry(format!("{}:{}", cmd.cli_service, cmd.operation))
                .or_default()
                .push(v);
        }
    }
    out
}

/// A session that makes each operation no scenario reaches succeed once.
fn exercise() -> Session {
    let mut s = Session::new(3);
    for line in [
        "KEY=$(aws kms create-key --description conformance --tags TagKey=team,TagValue=crypto --query KeyMetadata.KeyId --output text)",
        "aws kms create-alias --alias-name alias/conformance --target-key-id $KEY",
        "aws kms tag-resource --key-id $KEY --tags TagKey=project,TagValue=finance",
        "aws kms list-resource-tags --key-id $KEY",
        "aws kms untag-resource --key-id $KEY --tag-keys project",
        "aws kms list-keys",
        "aws kms list-aliases",
        "aws kms enable-key-rotation --key-id $KEY",
        "aws kms get-key-rotation-status --key-id $KEY",
        "aws kms rotate-key-on-demand --key-id $KEY",
        "aws kms disable-key-rotation --key-id $KEY",
        "aws kms get-key-policy --key-id $KEY --policy-name default",
        "aws kms generate-data-key --key-id $KEY --key-spec AES_256",
        "aws kms generate-data-key-without-plaintext --key-id $KEY --number-of-bytes 64",
        "BLOB=$(aws kms encrypt --key-id $KEY --plaintext aGVsbG8= --query CiphertextBlob --output text)",
        "aws kms decrypt --ciphertext-blob $BLOB",
        "aws kms re-encrypt --ciphertext-blob $BLOB --destination-key-id $KEY",
        "GRANT=$(aws kms create-grant --key-id $KEY --grantee-principal arn:aws:iam::111122223333:root --operations Decrypt --query GrantId --output text)",
        "aws kms list-grants --key-id $KEY",
        "aws kms revoke-grant --key-id $KEY --grant-id $GRANT",
        "TOKEN=$(aws kms create-grant --key-id $KEY --grantee-principal arn:aws:iam::111122223333:root --operations Decrypt RetireGrant --query GrantToken --output text)",
        "aws kms retire-grant --grant-token $TOKEN",
        "aws kms disable-key --key-id $KEY",
        "aws kms enable-key --key-id $KEY",
        "aws kms schedule-key-deletion --key-id $KEY --pending-window-in-days 7",
        "aws kms cancel-key-deletion --key-id $KEY",
        "aws kms describe-key --key-id $KEY",
        "aws kms delete-alias --alias-name alias/conformance",
        "aws ec2 enable-ebs-encryption-by-default",
        "aws ec2 get-ebs-encryption-by-default",
        "aws ec2 get-ebs-default-kms-key-id",
        "aws ec2 disable-ebs-encryption-by-default",
        "aws ec2 reset-ebs-default-kms-key-id",
        "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 8 --query VolumeId --output text)",
        "aws ec2 wait volume-available --volume-ids $VOL",
        "aws ec2 create-tags --resources $VOL --tags Key=team,Value=finance Key=Name,Value=data",
        "aws ec2 describe-tags --filters Name=resource-id,Values=$VOL",
        "aws ec2 describe-volumes --filters Name=tag:team,Values=finance",
        "aws ec2 delete-tags --resources $VOL --tags Key=team",
        "SNAP=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)",
        "aws ec2 wait snapshot-completed --snapshot-ids $SNAP",
        "aws ec2 describe-snapshot-attribute --snapshot-id $SNAP --attribute createVolumePermission",
        "aws ec2 modify-snapshot-attribute --snapshot-id $SNAP --attribute createVolumePermission --operation-type add --user-ids 444455556666",
        "AMI=$(aws ec2 register-image --name conformance --root-device-name /dev/xvda --block-device-mappings DeviceName=/dev/xvda,Ebs={SnapshotId=$SNAP} --query ImageId --output text)",
        "aws ec2 describe-images --image-ids $AMI",
        "aws ec2 modify-image-attribute --image-id $AMI --launch-permission Add=[{UserId=444455556666}]",
        "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --tag-specifications ResourceType=instance,Tags=[{Key=Name,Value=web}] ResourceType=volume,Tags=[{Key=Name,Value=root}] --query Instances[0].InstanceId --output text)",
        "aws ec2 wait instance-running --instance-ids $INST",
        "aws ec2 describe-instances --instance-ids $INST",
        "aws ec2 reboot-instances --instance-ids $INST",
        "aws ec2 stop-instances --instance-ids $INST",
        "aws ec2 wait instance-stopped --instance-ids $INST",
        "aws ec2 start-instances --instance-ids $INST",
        "aws ec2 create-launch-template --launch-template-name conformance --launch-template-data '{\"ImageId\":\"$AMI\",\"InstanceType\":\"t3.micro\"}'",
        "aws ec2 terminate-instances --instance-ids $INST",
        "aws ec2 deregister-image --image-id $AMI",
        "aws ec2 delete-snapshot --snapshot-id $SNAP",
        "aws ec2 delete-volume --volume-id $VOL",
        "aws iam create-user --user-name conformance",
        "aws iam put-user-policy --user-name conformance --policy-name p --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}'",
        "aws iam attach-user-policy --user-name conformance --policy-arn arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser",
        "aws iam create-role --role-name conformance --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}'",
        "aws iam get-role --role-name conformance",
        "aws iam update-assume-role-policy --role-name conformance --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"sts:AssumeRole\"}]}'",
        "aws iam attach-role-policy --role-name conformance --policy-arn arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser",
        "aws ec2 create-launch-template --launch-template-name asg --launch-template-data '{\"ImageId\":\"ami-0abcdef1234567890\",\"InstanceType\":\"t3.micro\"}'",
        "aws autoscaling create-auto-scaling-group --auto-scaling-group-name conformance --launch-template LaunchTemplateName=asg --min-size 1 --max-size 1 --desired-capacity 1 --availability-zones us-east-1a",
        "aws autoscaling describe-scaling-activities --auto-scaling-group-name conformance",
        "aws iam list-roles",
        "aws iam list-users",
        "aws sts get-caller-identity",
        "aws s3api create-bucket --bucket conf-bucket",
        "aws s3api list-buckets",
        "aws s3api get-bucket-location --bucket conf-bucket",
        "aws s3api put-bucket-encryption --bucket conf-bucket --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"},\"BucketKeyEnabled\":true}]}'",
        "aws s3api get-bucket-encryption --bucket conf-bucket",
        "aws s3api put-bucket-policy --bucket conf-bucket --policy '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::conf-bucket/*\"}]}'",
        "aws s3api get-bucket-policy --bucket conf-bucket",
        "aws s3api delete-bucket-policy --bucket conf-bucket",
        "aws s3api put-public-access-block --bucket conf-bucket --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        "aws s3api get-public-access-block --bucket conf-bucket",
        "play file put --name f --text hello",
        "aws s3api put-object --bucket conf-bucket --key a --body f",
        "aws s3api get-object --bucket conf-bucket --key a --range bytes=1-3 part",
        "aws s3api copy-object --bucket conf-bucket --copy-source conf-bucket/a --key b",
        "aws s3api list-objects-v2 --bucket conf-bucket",
        "aws s3api delete-object --bucket conf-bucket --key b",
        "aws s3api delete-object --bucket conf-bucket --key a",
        "aws s3api delete-bucket-encryption --bucket conf-bucket",
        "aws s3api delete-bucket --bucket conf-bucket",
        "aws rds create-db-instance --db-instance-identifier conf-db --db-instance-class db.t3.micro --engine postgres --allocated-storage 20 --master-username admin --master-user-password secret123 --storage-encrypted",
        "aws rds wait db-instance-available --db-instance-identifier conf-db",
        "aws rds modify-db-instance --db-instance-identifier conf-db --allocated-storage 30 --apply-immediately",
        "aws rds wait db-instance-available --db-instance-identifier conf-db",
        "aws rds create-db-snapshot --db-instance-identifier conf-db --db-snapshot-identifier conf-snap",
        "aws rds wait db-snapshot-available --db-snapshot-identifier conf-snap",
        "aws rds describe-db-snapshot-attributes --db-snapshot-identifier conf-snap",
        "aws rds wait db-instance-available --db-instance-identifier conf-db",
        "aws rds stop-db-instance --db-instance-identifier conf-db",
        "play advance --minutes 10",
        "aws rds start-db-instance --db-instance-identifier conf-db",
        "aws rds delete-db-snapshot --db-snapshot-identifier conf-snap",
        "aws rds delete-db-instance --db-instance-identifier conf-db --skip-final-snapshot",
    ] {
        s.run(line);
    }
    s
}

#[test]
fn the_console_and_the_model_conform_to_botocore() {
    let fx = fixture();
    let ops = fx["ops"].as_object().expect("ops");
    let seen = responses();
    let mut diffs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut checked = 0;
    let mut unexercised = Vec::new();
    for cmd in schema::commands() {
        if !cli_services().contains(&cmd.cli_service) {
            continue;
        }
        let key = format!("{}:{}", cmd.cli_service, cmd.operation);
        checked += 1;
        let Some(model) = ops.get(&key) else {
            diffs
                .entry(key.clone())
                .or_default()
                .push(format!("{key}: not in botocore"));
            continue;
        };
        let offered: Vec<Param> = cmd.cli_params().copied().collect();
        let mut d = input_diffs(&key, &offered, &model["input"]);
        match seen.get(&key) {
            Some(vs) => {
                for v in vs.iter().take(4) {
                    output_diffs(&format!("{key} output"), v, &model["output"], &mut d);
                }
            }
            None => unexercised.push(key.clone()),
        }
        d.sort();
        d.dedup();
        diffs.insert(key, d);
    }
    let allowed: BTreeSet<&str> = ALLOWED.iter().map(|(d, _)| *d).collect();
    let mut used = BTreeSet::new();
    let mut failures = Vec::new();
    let mut conformant = 0;
    let mut through_allow_list = 0;
    for ds in diffs.values() {
        let open: Vec<&String> = ds
            .iter()
            .filter(|d| !allowed.contains(d.as_str()))
            .collect();
        for d in ds.iter().filter(|d| allowed.contains(d.as_str())) {
            used.insert(d.as_str());
        }
        if open.is_empty() {
            conformant += 1;
            if !ds.is_empty() {
                through_allow_list += 1;
            }
        }
        failures.extend(open.into_iter().cloned());
    }
    println!(
        "{checked} operations, {conformant} conformant ({through_allow_list} through the allow-list); botocore {}; {} operations not exercised: {unexercised:?}",
        fx["botocore"].as_str().unwrap_or("?"),
        unexercised.len()
    );
    assert!(
        failures.is_empty(),
        "{} differences from botocore:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let stale: Vec<&&str> = allowed.iter().filter(|a| !used.contains(**a)).collect();
    assert!(
        stale.is_empty(),
        "allow-list entries that match nothing: {stale:?}"
    );
    unexercised.retain(|k| !NEVER_SUCCEED.iter().any(|(n, _)| n == k));
    assert!(
        unexercised.is_empty(),
        "operations never answered successfully: {unexercised:?}"
    );
}

#[test]
fn the_timestamp_members_are_botocores() {
    let fx = fixture();
    for (key, model) in fx["ops"].as_object().expect("ops") {
        let service = match key.split(':').next() {
            Some("kms") => Service::Kms,
            Some("ec2") => Service::Ec2,
            Some("iam") => Service::Iam,
            Some("sts") => Service::Sts,
            Some("autoscaling") => Service::AutoScaling,
            _ => continue,
        };
        let mut names = BTreeSet::new();
        timestamps(&model["output"], &mut names);
        for n in names {
            assert!(
                service.timestamp_members().contains(&n.as_str()),
                "{key}: {n} is a timestamp in botocore"
            );
        }
    }
}

fn timestamps(shape: &Value, out: &mut BTreeSet<String>) {
    if let Some(m) = shape["m"].as_object() {
        for (k, v) in m {
            if v["t"] == "timestamp" {
                out.insert(k.clone());
            }
            timestamps(v, out);
        }
    }
    timestamps_in(&shape["e"], out);
    timestamps_in(&shape["v"], out);
}

fn timestamps_in(shape: &Value, out: &mut BTreeSet<String>) {
    if shape.is_object() {
        timestamps(shape, out);
    }
}

/// Examples that are broken in the AWS CLI's documentation itself, with the reason.
const BROKEN_EXAMPLES: &[(&str, &str)] = &[(
    "aws rds copy-db-snapshot --source-db-snapshot-identifier rds:database-mysql-2019-06-06-08-38",
    "copy-db-snapshot.rst lacks the backslash before --target-db-snapshot-identifier, so a shell runs the first line alone, and the real CLI refuses it too.",
)];

/// The parts of an example line the playground cannot run: files it does not have.
fn runnable(line: &str) -> Option<String> {
    if BROKEN_EXAMPLES.iter().any(|(l, _)| *l == line) {
        return None;
    }
    if line.contains("file://") || line.contains("fileb://") {
        return None;
    }
    Some(line.to_string())
}

#[test]
fn the_aws_cli_examples_parse() {
    let shell = Shell::new();
    let mut parsed = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    for line in EXAMPLES.lines().filter(|l| l.starts_with("aws ")) {
        let Some(line) = runnable(line) else {
            skipped += 1;
            continue;
        };
        match shell.parse_command(&line) {
            Ok(_) => parsed += 1,
            Err(e) => failures.push(format!("{line}\n    → {}", e.message)),
        }
    }
    println!(
        "{parsed} example commands parse; {skipped} skipped (they read files with file:// or fileb://, which the page has none of, or are broken in the documentation itself); {} refused",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs lines in one fresh session; returns each line's printed text and error code.
fn run_lines(lines: &[&str]) -> (Session, Vec<(String, Option<String>)>) {
    let mut s = Session::new(5);
    let mut out = Vec::new();
    for l in lines {
        let r = s.run(l).map(|e| e.result.clone());
        out.push(match r {
            Some(r) => (r.text, r.error.map(|e| e.code)),
            None => (String::new(), None),
        });
    }
    (s, out)
}

#[test]
fn the_cli_paginates_as_botocore_does() {
    let (s, out) = run_lines(&[
        "aws kms create-key",
        "aws kms create-key",
        "aws kms create-key",
        "aws kms list-keys --max-items 2 --query '[length(Keys), NextToken != null]' --output text",
        "T=$(aws kms list-keys --max-items 2 --query NextToken --output text)",
        "aws kms list-keys --starting-token $T --query '[length(Keys), NextToken]' --output json",
        "aws kms list-keys --limit 1 --query '[length(Keys), Truncated, NextMarker != null]' --output text",
        "aws kms list-keys --page-size 1 --query 'length(Keys)'",
        "aws ec2 describe-volumes --max-results 3",
        "aws kms list-keys --starting-token bogus",
        "aws kms list-keys --marker bogus",
    ]);
    // --max-items: the CLI stops after two keys and prints its own NextToken.
    assert_eq!(out[3].0, "2\tTrue");
    // --starting-token: the rest, and no token once nothing is left.
    assert_eq!(out[5].0, "[\n    1,\n    null\n]");
    // A raw --limit turns the CLI's pagination off: KMS's own Truncated and NextMarker show.
    assert_eq!(out[6].0, "1\tTrue\tTrue");
    // --page-size: the CLI follows NextMarker until the end (three ListKeys calls).
    assert_eq!(out[7].0, "3");
    let list_keys = s
        .calls()
        .iter()
        .filter(|c| c.operation == "ListKeys")
        .count();
    assert!(list_keys >= 3 + 3, "{list_keys} ListKeys calls");
    // EC2 checks its own limit (MaxResults is 5 to 1000).
    assert_eq!(out[8].1.as_deref(), Some("InvalidParameterValue"));
    assert_eq!(out[9].0, "Bad starting token: bogus");
    assert_eq!(out[10].1.as_deref(), Some("InvalidMarkerException"));
}

#[test]
fn run_instances_takes_count_not_min_and_max_count() {
    // awscli customizations/ec2/addcount.py deletes --min-count and --max-count.
    let (_, out) = run_lines(&[
        "aws ec2 run-instances --image-id ami-1 --min-count 1 --max-count 1",
        "aws ec2 run-instances --image-id ami-1 --count 0:x",
    ]);
    assert_eq!(out[0].0, "Unknown options: --min-count, 1, --max-count, 1");
    assert!(out[1].0.contains("--count"), "{}", out[1].0);
}

#[test]
fn timestamps_print_as_the_aws_cli_v2_prints_them() {
    let (_, out) = run_lines(&[
        "aws kms create-key --query KeyMetadata.CreationDate --output text",
        "aws ec2 create-volume --availability-zone us-east-1a --size 1 --query CreateTime --output text",
        "aws iam create-user --user-name t --query User.CreateDate --output text",
        "aws kms describe-key --key-id alias/aws/ebs --query KeyMetadata.CreationDate",
    ]);
    assert_eq!(out[0].0, "2026-01-05T09:00:00+00:00");
    assert_eq!(out[1].0, "2026-01-05T09:00:00+00:00");
    assert!(
        out[2].0.ends_with("+00:00") || out[2].0 == "None",
        "{}",
        out[2].0
    );
}

#[test]
fn a_zone_can_be_given_by_its_id() {
    let (_, out) = run_lines(&[
        "aws ec2 create-volume --availability-zone-id use1-az2 --size 1 --query AvailabilityZone --output text",
        "aws ec2 create-volume --availability-zone-id use1-az9 --size 1",
        "aws ec2 create-volume --availability-zone us-east-1a --availability-zone-id use1-az1 --size 1",
        "aws ec2 create-volume --size 1",
    ]);
    assert_eq!(out[0].0, "us-east-1b");
    assert_eq!(out[1].1.as_deref(), Some("InvalidParameterValue"));
    assert_eq!(out[2].1.as_deref(), Some("InvalidParameterCombination"));
    assert_eq!(out[3].1.as_deref(), Some("MissingParameter"));
}

#[test]
fn long_options_may_be_abbreviated_when_unambiguous() {
    // argparse's allow_abbrev, which the AWS CLI keeps: `--tag-key` for `--tag-keys`.
    let shell = Shell::new();
    let p = shell
        .parse_command("aws ec2 describe-volumes --volume-id vol-1")
        .expect("an unambiguous prefix");
    assert!(format!("{:?}", p.invocation).contains("VolumeIds"));
    let e = shell
        .parse_command("aws ec2 create-volume --s 1")
        .expect_err("--s could be --size or --snapshot-id");
    assert!(
        e.message
            .starts_with("aws: error: ambiguous option: --s could match"),
        "{}",
        e.message
    );
}
