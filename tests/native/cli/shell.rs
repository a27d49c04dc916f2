//! The shell: variables, substitution, profiles, errors, expected failures, history, completion.
use super::*;

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
        "aws ec2 attach-volume --cli-input-json '{}' # expect-error ParamValidation",
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
    // botocore requires nothing of CreateVolume (AvailabilityZone or AvailabilityZoneId will do).
    assert!(!h.contains("Required:"), "{h}");
    let h = sh.help("aws ec2 attach-volume ").unwrap();
    assert!(
        h.contains("Required: --volume-id --instance-id --device."),
        "{h}"
    );
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
