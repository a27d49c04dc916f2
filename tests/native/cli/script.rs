//! Scripts and share links, and `to_cli`: the CLI command for a UI action and its round trip.
use super::*;

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
                // A paged operation's limit and token are the CLI's own paging options'
                // business (the CLI even shadows IAM's --max-items with its own).
                if cmd
                    .paging
                    .is_some_and(|pg| p.name == pg.limit_key || p.name == pg.input_token)
                {
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
            count("play"),
            count("s3api")
        ),
        (28, 33, 11, 2, 3, 7, 18)
    );
}
