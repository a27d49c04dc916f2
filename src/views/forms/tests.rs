//! Tests of the form logic: specs derived from the command table, starting values,
//! suggestions from the session, and the lines forms build, parsed back by the shell.

use super::*;
use crate::cli::schema::commands;
use crate::cli::{Backend, Caller, Shell};
use crate::json;
use crate::model::AwsError;
use serde_json::Value;

/// A session with a key and alias, a volume, a running instance and a snapshot.
fn world() -> Session {
    let mut s = Session::new(9);
    let lines = [
        "KEY=$(aws kms create-key --description data --query KeyMetadata.KeyId --output text)",
        "aws kms create-alias --alias-name alias/data --target-key-id $KEY",
        "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 4 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
        "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
        "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)",
        "aws ec2 wait volume-available --volume-ids $VOL",
        "SNAP=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)",
        "aws rds create-db-instance --db-instance-identifier app-db --engine postgres --db-instance-class db.t3.micro --master-username admin --master-user-password change-me-123",
        "aws rds wait db-instance-available --db-instance-identifier app-db",
        "aws rds create-db-snapshot --db-instance-identifier app-db --db-snapshot-identifier app-db-snap",
    ];
    for l in lines {
        let e = s.run(l).and_then(|e| e.result.error.clone());
        assert_eq!(e, None, "{l}");
    }
    s
}

fn var(s: &Session, name: &str) -> String {
    s.shell().var(name).unwrap_or_default().to_string()
}

#[test]
fn every_command_gets_one_field_per_parameter_extra_and_dry_run() {
    let s = Session::new(1);
    let env = env_of(&s);
    for cmd in commands() {
        let specs = specs_of(cmd, &env);
        let mut want: Vec<(String, bool, String)> = cmd
            .cli_params()
            .map(|p| {
                (
                    p.name.to_string(),
                    p.required,
                    format!("--{}", schema::cli_name(p.name)),
                )
            })
            .collect();
        want.extend(
            cmd.extras
                .iter()
                .map(|e| (e.option.to_string(), false, e.option.to_string())),
        );
        if cmd.takes_dry_run() {
            want.push(("DryRun".into(), false, "--dry-run".into()));
        }
        let got: Vec<(String, bool, String)> = specs
            .iter()
            .map(|sp| (sp.label.to_string(), sp.required, sp.option.clone()))
            .collect();
        assert_eq!(got, want, "{}", cmd.operation);
        for (sp, p) in specs.iter().zip(cmd.cli_params()) {
            assert_eq!(sp.help, p.help);
            let input = match p.ty {
                Ty::Bool => Input::Check,
                Ty::Int => Input::Number,
                _ => sp.input,
            };
            assert_eq!(sp.input, input, "{}.{}", cmd.operation, p.name);
            if matches!(sp.input, Input::Select | Input::Checks) {
                assert!(!sp.choices.is_empty(), "{}.{}", cmd.operation, p.name);
            }
        }
    }
}

#[test]
fn zone_fields_offer_the_regions_zones() {
    let mut s = Session::new(1);
    s.run("aws configure set region eu-west-1");
    let env = env_of(&s);
    let cmd = schema::find_operation("ec2", "CreateVolume").expect("CreateVolume");
    let zone = specs_of(cmd, &env)
        .into_iter()
        .find(|sp| sp.label == "AvailabilityZone")
        .expect("a zone field");
    assert_eq!(zone.input, Input::Select);
    assert_eq!(zone.choices, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
}

/// Every form, filled with its starting values, is either accepted by the console's parser or
/// refused with a message about one of its fields that is required and still empty.
#[test]
fn starting_values_parse_or_point_at_an_empty_required_field() {
    let s = world();
    let mut accepted = 0;
    for cmd in commands() {
        let (specs, values) = form_of(cmd, &s, &[]);
        let line = build_line(cmd, &specs, &values);
        match s.shell().parse_command(&line) {
            Ok(_) => accepted += 1,
            Err(e) => {
                let about = specs
                    .iter()
                    .zip(&values)
                    .find(|(sp, _)| mentions(&e.message, sp));
                let (sp, v) = about.unwrap_or_else(|| panic!("{line}: {}", e.message));
                assert!(
                    sp.required && v.is_empty(),
                    "{line}: {} ({})",
                    e.message,
                    sp.label
                );
            }
        }
    }
    // Most forms are ready to run as they open (66 of 74 when this was written).
    assert!(
        accepted * 100 >= commands().count() * 85,
        "{accepted} of {}",
        commands().count()
    );
}

#[test]
fn starting_values_name_the_sessions_resources() {
    let s = world();
    let value = |service: &str, op: &str, label: &str| -> String {
        let cmd = schema::find_operation(service, op).expect("command");
        let (specs, values) = form_of(cmd, &s, &[]);
        specs
            .iter()
            .zip(values)
            .find(|(sp, _)| sp.label == label)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("{op} has no {label}"))
    };
    let cases = [
        (
            "ec2",
            "CreateSnapshot",
            "VolumeId",
            var(&s, "SNAP").replace("snap", "vol"),
        ),
        ("ec2", "AttachVolume", "InstanceId", var(&s, "INST")),
        ("ec2", "CopySnapshot", "SourceSnapshotId", var(&s, "SNAP")),
        ("kms", "DisableKey", "KeyId", var(&s, "KEY")),
        (
            "ec2",
            "CreateVolume",
            "AvailabilityZone",
            "us-east-1a".into(),
        ),
        ("ec2", "CreateVolume", "Size", "8".into()),
        ("ec2", "CreateVolume", "KmsKeyId", String::new()),
    ];
    for (service, op, label, want) in cases {
        let got = value(service, op, label);
        if label == "VolumeId" {
            assert_eq!(got, var(&s, "VOL"), "{op}.{label}");
        } else {
            assert_eq!(got, want, "{op}.{label}");
        }
    }
    // A preset wins over the default.
    let cmd = schema::find_operation("ec2", "CreateVolume").expect("command");
    let (specs, values) = form_of(cmd, &s, &[("Size", "20".into())]);
    let size = specs
        .iter()
        .position(|sp| sp.label == "Size")
        .expect("Size");
    assert_eq!(values[size], "20");
    // The key policy sample is the default key policy of the caller's account.
    assert!(value("kms", "PutKeyPolicy", "Policy").contains("arn:aws:iam::111122223333:root"));
}

#[test]
fn suggestions_come_from_the_session() {
    let s = world();
    let env = env_of(&s);
    let values = |kind: Suggest| -> Vec<String> {
        suggestions(&s, kind, &env)
            .into_iter()
            .map(|(v, _)| v)
            .collect()
    };
    let keys = values(Suggest::Key);
    assert!(keys.contains(&var(&s, "KEY")));
    assert!(keys.contains(&"alias/data".to_string()));
    assert!(
        keys.contains(&"alias/aws/ebs".to_string()),
        "usable before it exists"
    );
    assert!(
        keys.contains(&"$KEY".to_string()),
        "the variable holding it"
    );
    assert_eq!(values(Suggest::Alias), ["alias/aws/ebs", "alias/data"]);
    let vols = suggestions(&s, Suggest::Volume, &env);
    let vol = vols
        .iter()
        .find(|(v, _)| *v == var(&s, "VOL"))
        .expect("the volume");
    assert!(vol.1.starts_with("4 GiB, encrypted"), "{}", vol.1);
    assert!(values(Suggest::Volume).contains(&"$VOL".to_string()));
    assert!(values(Suggest::Instance).contains(&var(&s, "INST")));
    assert!(values(Suggest::Snapshot).contains(&var(&s, "SNAP")));
    assert!(values(Suggest::Image).contains(&var(&s, "AMI")));
    assert!(values(Suggest::Principal).contains(&"arn:aws:iam::444455556666:root".to_string()));
    assert_eq!(values(Suggest::Account), ["111122223333", "444455556666"]);
    assert!(values(Suggest::None).is_empty());
    // The partner account sees none of the default account's volumes, keys or snapshots.
    let partner = Env {
        account: "444455556666".into(),
        ..env_of(&s)
    };
    let mine = [
        var(&s, "VOL"),
        var(&s, "SNAP"),
        var(&s, "INST"),
        var(&s, "KEY"),
    ];
    for kind in [
        Suggest::Volume,
        Suggest::Snapshot,
        Suggest::Instance,
        Suggest::Key,
    ] {
        let theirs = suggestions(&s, kind, &partner);
        assert!(
            theirs.iter().all(|(v, _)| !mine.contains(v)),
            "{kind:?}: {theirs:?}"
        );
    }
}

#[test]
fn members_map_to_suggestion_kinds() {
    let cases = [
        ("VolumeIds", Suggest::Volume),
        ("SourceSnapshotId", Suggest::Snapshot),
        ("ImageId", Suggest::Image),
        ("InstanceIds", Suggest::Instance),
        ("DestinationKeyId", Suggest::Key),
        ("AliasName", Suggest::Alias),
        ("RetiringPrincipal", Suggest::Principal),
        ("RoleArn", Suggest::Role),
        ("OwnerIds", Suggest::Account),
        ("Size", Suggest::None),
    ];
    for (member, want) in cases {
        assert_eq!(suggest_of(member), want, "{member}");
    }
}

/// Records the calls a line makes.
#[derive(Default)]
struct Recorder(Vec<(String, Value)>);

impl Backend for Recorder {
    fn execute(
        &mut self,
        _caller: &Caller,
        _service: &str,
        operation: &str,
        params: Value,
    ) -> Result<Value, AwsError> {
        self.0.push((operation.into(), params));
        Ok(json!({}))
    }
}

/// A form filled with `values` (by label) makes a line the shell turns into exactly `params`.
#[test]
fn form_lines_round_trip_to_the_parameters_typed() {
    type Case = (&'static str, &'static [(&'static str, &'static str)], Value);
    let cases: Vec<Case> = vec![
        (
            "CreateVolume",
            &[("AvailabilityZone", "us-east-1b"), ("Size", "8"), ("Encrypted", "true"), ("KmsKeyId", "$KEY")],
            json!({"AvailabilityZone": "us-east-1b", "Size": 8, "Encrypted": true, "KmsKeyId": "k-123"}),
        ),
        (
            "RegisterImage",
            &[("Name", "web"), ("BlockDeviceMappings", "DeviceName=/dev/xvda,Ebs={SnapshotId=snap-1}\nDeviceName=/dev/sdf,Ebs={VolumeSize=4}")],
            json!({"Name": "web", "BlockDeviceMappings": [
                {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-1"}},
                {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 4}}]}),
        ),
        (
            "DescribeVolumes",
            &[("VolumeIds", "vol-1, vol-2 ${VOL}")],
            json!({"VolumeIds": ["vol-1", "vol-2", "vol-9"]}),
        ),
        (
            "CreateKey",
            &[("Description", "it's \"mine\" $HOME"), ("KeySpec", "SYMMETRIC_DEFAULT")],
            json!({"Description": "it's \"mine\" $HOME", "KeySpec": "SYMMETRIC_DEFAULT"}),
        ),
        (
            "CreateGrant",
            &[("KeyId", "k-1"), ("GranteePrincipal", "arn:aws:iam::1:root"), ("Operations", "Decrypt CreateGrant")],
            json!({"KeyId": "k-1", "GranteePrincipal": "arn:aws:iam::1:root", "Operations": ["Decrypt", "CreateGrant"]}),
        ),
        (
            "Encrypt",
            &[("KeyId", "k-1"), ("Plaintext", "--odd"), ("EncryptionContext", "purpose=test\nteam=data")],
            json!({"KeyId": "k-1", "Plaintext": "--odd", "EncryptionContext": {"purpose": "test", "team": "data"}}),
        ),
        (
            "PutKeyPolicy",
            &[("KeyId", "k-1"), ("Policy", "{\"Version\": \"2012-10-17\"}")],
            json!({"KeyId": "k-1", "Policy": "{\"Version\": \"2012-10-17\"}"}),
        ),
    ];
    for (op, filled, want) in cases {
        let cmd = commands().find(|c| c.operation == op).expect("the command");
        let env = env_of(&Session::new(1));
        let specs = specs_of(cmd, &env);
        let values: Vec<String> = specs
            .iter()
            .map(|sp| {
                filled
                    .iter()
                    .find(|(l, _)| *l == sp.label)
                    .map_or(String::new(), |(_, v)| v.to_string())
            })
            .collect();
        let line = build_line(cmd, &specs, &values);
        let mut shell = Shell::new();
        shell.set_var("KEY", "k-123");
        shell.set_var("VOL", "vol-9");
        let mut rec = Recorder::default();
        let r = shell.run_line(&mut rec, &line);
        assert_eq!(r.error, None, "{line}");
        assert_eq!(rec.0, [(op.to_string(), want)], "{line}");
    }
}

#[test]
fn words_keep_variables_and_quote_the_rest() {
    let cases = [
        ("$KEY", "\"$KEY\""),
        ("${KEY}", "\"${KEY}\""),
        ("$1x", "'$1x'"),
        ("plain", "plain"),
        ("two words", "'two words'"),
        ("it's", "'it'\\''s'"),
    ];
    for (v, want) in cases {
        assert_eq!(word(v), want, "{v}");
    }
}

#[test]
fn parser_messages_are_matched_to_their_field() {
    let s = Session::new(1);
    let env = env_of(&s);
    let cmd = schema::find_operation("ec2", "CreateVolume").expect("command");
    let specs = specs_of(cmd, &env);
    let spec = |label: &str| specs.iter().find(|sp| sp.label == label).expect("spec");
    let cases = [
        (
            "the following arguments are required: --availability-zone",
            "AvailabilityZone",
            true,
        ),
        ("Invalid type for parameter Size, value: x", "Size", true),
        ("Unknown options: --kms-key-id-x", "KmsKeyId", false),
        (
            "Missing required parameter in input: \"AvailabilityZone\"",
            "AvailabilityZone",
            true,
        ),
        (
            "argument --size: expected one argument",
            "SnapshotId",
            false,
        ),
    ];
    for (msg, label, want) in cases {
        assert_eq!(mentions(msg, spec(label)), want, "{msg} / {label}");
    }
}

#[test]
fn operations_are_grouped_and_searchable() {
    for cmd in commands() {
        let g = group_of(cmd);
        assert!(GROUPS.iter().any(|(x, _)| *x == g), "{}", cmd.operation);
        assert!(matches_query(cmd, ""), "an empty search matches everything");
    }
    let hits = |q: &str| -> Vec<&str> {
        commands()
            .filter(|c| matches_query(c, q))
            .map(|c| c.operation)
            .collect()
    };
    assert!(hits("create volume").contains(&"CreateVolume"));
    assert!(hits("grant").iter().all(|op| op.contains("Grant")
        || commands().any(|c| c.operation == *op && c.help.to_lowercase().contains("grant"))));
    assert!(hits("zzzz nothing").is_empty());
    for &(_, _, service, op, preset) in QUICK {
        let cmd = schema::find_operation(service, op).expect("a quick action's command");
        assert!(preset.iter().all(|(k, _)| cmd.param(k).is_some()), "{op}");
    }
}

#[test]
fn outcomes_say_what_happened_and_cut_long_output() {
    let mut s = Session::new(1);
    let ok = s.run("aws kms create-key").cloned().expect("entry");
    let o = Outcome::of(&ok, "CreateKey");
    assert!(
        o.ok && o.title.starts_with("CreateKey succeeded ("),
        "{}",
        o.title
    );
    let bad = s
        .run("aws kms describe-key --key-id nope")
        .cloned()
        .expect("entry");
    let o = Outcome::of(&bad, "DescribeKey");
    assert!(!o.ok);
    assert_eq!(o.title, "DescribeKey failed: NotFoundException");
    let mut long = ok.clone();
    long.result.text = "x".repeat(MAX_RESULT_CHARS + 10);
    let o = Outcome::of(&long, "CreateKey");
    assert!(o.text.ends_with("… (see the console)"));
    assert_eq!(
        o.text.chars().filter(|c| *c == 'x').count(),
        MAX_RESULT_CHARS
    );
}
