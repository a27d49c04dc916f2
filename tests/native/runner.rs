//! Tests of the `ebs-kms` runner binary, run as a separate process: the JSON report, the text
//! transcript, the Mermaid trace, exit statuses, usage errors, standard input and the example
//! scripts in `examples/scripts/` (documentation builds: tests/runner_docs.rs).

use ebs_kms_playground::cli::script::HEADER;
use ebs_kms_playground::cli::Script;
use ebs_kms_playground::model::trace::Participant;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary did.
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `ebs-kms` with arguments, feeding `stdin` to it.
pub(crate) fn ebs_kms(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ebs-kms"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ebs-kms binary starts");
    if let Some(mut input) = child.stdin.take() {
        // The runner may refuse the script before reading all of it: ignore a closed pipe.
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().expect("ebs-kms finishes");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs a script given as text on standard input.
pub(crate) fn run_script(extra: &[&str], script: &str) -> Run {
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    args.push("-");
    ebs_kms(&args, script.as_bytes())
}

pub(crate) fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", r.stdout))
}

pub(crate) fn script(body: &str) -> String {
    format!("{HEADER}\n# seed: 42\n{body}")
}

const ENCRYPTED_VOLUME: &str = "\
KEY=$(aws kms create-key --description demo --query KeyMetadata.KeyId --output text)

aws ec2 create-volume --availability-zone us-east-1a \\
  --size 8 --encrypted --kms-key-id $KEY
# a comment line
aws ec2 create-volume --availability-zone us-east-1a --size 8 --kms-key-id $KEY  # expect-error InvalidParameterDependency
";

#[test]
fn json_report_has_steps_lines_and_calls() {
    let r = run_script(&["--output", "json"], &script(ENCRYPTED_VOLUME));
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert_eq!(r.stderr, "");
    let doc = json_of(&r);
    assert_eq!(doc["seed"], 42);
    let steps = doc["steps"].as_array().expect("steps is a list");
    assert_eq!(steps.len(), 3, "{steps:#?}");

    // Line numbers are those of the file: blank, comment and continuation lines count.
    let lines: Vec<u64> = steps.iter().filter_map(|s| s["line"].as_u64()).collect();
    assert_eq!(lines, [3, 5, 8]);

    let key = &steps[0];
    assert_eq!(
        key["command"],
        "aws kms create-key --description demo --query KeyMetadata.KeyId --output text"
    );
    assert_eq!(key["profile"], "default");
    assert_eq!(key["region"], "us-east-1");
    assert!(key["output"].is_string(), "{key}");
    assert_eq!(key["error"], Value::Null);
    let key_id = key["output"].as_str().unwrap_or_default().to_string();

    let vol = &steps[1];
    assert_eq!(vol["error"], Value::Null);
    assert_eq!(vol["expectedFailure"], false);
    assert_eq!(vol["unexpected"], false);
    assert_eq!(vol["output"]["Encrypted"], true);
    assert!(vol["command"]
        .as_str()
        .is_some_and(|c| c.ends_with(&format!("--kms-key-id {key_id}"))));
    let calls = vol["calls"].as_array().expect("calls is a list");
    assert_eq!(calls[0]["from"], "User");
    assert_eq!(calls[0]["to"], "EC2");
    assert_eq!(calls[0]["operation"], "CreateVolume");
    let gdk = calls
        .iter()
        .find(|c| c["operation"] == "GenerateDataKeyWithoutPlaintext")
        .expect("EC2 asks KMS for a data key");
    assert_eq!(gdk["from"], "EC2");
    assert_eq!(gdk["to"], "KMS");
    assert_eq!(gdk["error"], Value::Null);
    // Service-to-service calls are spelled as CloudTrail records them.
    assert!(gdk["request"]["keyId"]
        .as_str()
        .is_some_and(|k| k.ends_with(&key_id)));
    assert_eq!(
        gdk["request"]["encryptionContext"]["aws:ebs:id"],
        vol["output"]["VolumeId"]
    );
    assert!(gdk["response"]["ciphertextBlob"].is_string(), "{gdk}");

    let refused = &steps[2];
    assert_eq!(refused["output"], Value::Null);
    assert_eq!(refused["error"]["code"], "InvalidParameterDependency");
    assert!(refused["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(refused["expectedFailure"], true);
    assert_eq!(refused["unexpected"], false);
}

#[test]
fn every_call_has_the_documented_fields_and_participant_names() {
    let names: Vec<&str> = Participant::ALL.iter().map(|p| p.name()).collect();
    let r = run_script(&["--output", "json"], &script(ENCRYPTED_VOLUME));
    let doc = json_of(&r);
    let mut seqs = Vec::new();
    for step in doc["steps"].as_array().into_iter().flatten() {
        for key in [
            "line",
            "command",
            "profile",
            "region",
            "output",
            "error",
            "expectedFailure",
            "calls",
        ] {
            assert!(step.get(key).is_some(), "step without {key}: {step}");
        }
        for call in step["calls"].as_array().into_iter().flatten() {
            for key in ["from", "to", "operation", "request", "response", "error"] {
                assert!(call.get(key).is_some(), "call without {key}: {call}");
            }
            for end in ["from", "to"] {
                let name = call[end].as_str().unwrap_or_default();
                assert!(
                    names.contains(&name),
                    "{end} = {name:?} is not a participant"
                );
            }
            seqs.push(call["seq"].as_u64().unwrap_or(u64::MAX));
        }
    }
    // Every call of the trace belongs to exactly one step, in order.
    let expected: Vec<u64> = (0..seqs.len() as u64).collect();
    assert_eq!(seqs, expected);
}

#[test]
fn exit_status_follows_expect_error_marks() {
    let vol =
        "aws ec2 create-volume --availability-zone us-east-1a --size 8 --kms-key-id alias/aws/ebs";
    // (line after the header and seed, exit status, what stderr must mention)
    let cases: &[(String, i32, &[&str])] = &[
        ("aws kms list-keys".into(), 0, &[]),
        (
            vol.into(),
            1,
            &["line 3", "InvalidParameterDependency", "Encrypted"],
        ),
        (
            format!("{vol}  # expect-error InvalidParameterDependency"),
            0,
            &[],
        ),
        (format!("{vol}  # expect-error"), 0, &[]),
        (
            format!("{vol}  # expect-error AccessDeniedException"),
            1,
            &[
                "line 3",
                "InvalidParameterDependency",
                "expect-error AccessDeniedException",
            ],
        ),
        (
            "aws kms list-keys  # expect-error".into(),
            1,
            &["line 3", "succeeded"],
        ),
        ("aws kms no-such-command".into(), 1, &["line 3", "CliError"]),
        (
            "aws kms no-such-command  # expect-error CliError".into(),
            0,
            &[],
        ),
        (
            "aws kms describe-key --key-id alias/missing".into(),
            1,
            &["NotFoundException"],
        ),
    ];
    for (line, code, mentions) in cases {
        for format in ["text", "json"] {
            let r = run_script(&["--output", format], &script(&format!("{line}\n")));
            assert_eq!(r.code, Some(*code), "{line} ({format}): {}", r.stderr);
            if *code == 0 {
                assert_eq!(r.stderr, "", "{line}");
            }
            for m in *mentions {
                assert!(
                    r.stderr.contains(m),
                    "{line}: stderr lacks {m:?}:\n{}",
                    r.stderr
                );
            }
            if format == "json" {
                let doc = json_of(&r);
                assert_eq!(doc["steps"][0]["unexpected"], *code == 1, "{line}");
            }
        }
    }
}

#[test]
fn unexpected_failures_are_all_listed_and_later_lines_still_run() {
    let body = "\
aws ec2 create-volume --availability-zone us-east-1a --size 8 --kms-key-id alias/aws/ebs
aws kms list-keys  # expect-error
aws kms create-key --query KeyMetadata.KeyState --output text
";
    let r = run_script(&[], &script(body));
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("2 lines"), "{}", r.stderr);
    assert!(r.stderr.contains("line 3:"), "{}", r.stderr);
    assert!(r.stderr.contains("line 4:"), "{}", r.stderr);
    assert!(!r.stderr.contains("line 5:"), "{}", r.stderr);
    assert!(r.stdout.ends_with("Enabled\n"), "{}", r.stdout);
}

#[test]
fn text_output_echoes_each_command_then_its_output() {
    let r = run_script(&[], &script(ENCRYPTED_VOLUME));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = &r.stdout;
    assert!(
        out.starts_with(
            "$ KEY=$(aws kms create-key --description demo --query KeyMetadata.KeyId --output text)\n$ aws ec2 create-volume"
        ),
        "{out}"
    );
    // A continuation is echoed as written.
    assert!(
        out.contains("us-east-1a \\\n  --size 8 --encrypted --kms-key-id $KEY\n{\n"),
        "{out}"
    );
    assert!(out.contains("\"Encrypted\": true"), "{out}");
    assert!(out.contains(
        "An error occurred (InvalidParameterDependency) when calling the CreateVolume operation"
    ));
    // Comment lines are not echoed.
    assert!(!out.contains("a comment line"), "{out}");
    assert_eq!(out.matches("\n$ ").count() + 1, 3, "{out}");
}

#[test]
fn mermaid_trace_replaces_the_output() {
    let r = run_script(&["--trace", "mermaid"], &script(ENCRYPTED_VOLUME));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("sequenceDiagram\n"), "{}", r.stdout);
    assert!(r.stdout.contains("participant KMS"));
    assert!(r
        .stdout
        .contains("EC2->>KMS: GenerateDataKeyWithoutPlaintext"));
    assert!(r.stdout.contains("--xUser: InvalidParameterDependency"));
    assert!(!r.stdout.contains("$ "), "no console echo in the diagram");

    let inline = run_script(&["--trace=mermaid"], &script(ENCRYPTED_VOLUME));
    assert_eq!(inline.stdout, r.stdout);

    let failing = run_script(
        &["--trace", "mermaid"],
        &script("aws kms describe-key --key-id alias/missing\n"),
    );
    assert_eq!(failing.code, Some(1), "unexpected failures still count");
    assert!(failing.stdout.starts_with("sequenceDiagram\n"));
}

#[test]
fn a_file_and_standard_input_give_the_same_report() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("runner-stdin-vs-file.sh");
    std::fs::write(&path, script(ENCRYPTED_VOLUME)).expect("temp script written");
    let file = path.to_str().expect("temp path is UTF-8");
    for extra in [&["--output", "json"][..], &[], &["--trace", "mermaid"]] {
        let mut args = vec!["run"];
        args.extend_from_slice(extra);
        args.push(file);
        let from_file = ebs_kms(&args, b"");
        let from_stdin = run_script(extra, &script(ENCRYPTED_VOLUME));
        assert_eq!(from_file.code, Some(0), "{}", from_file.stderr);
        assert_eq!(from_file.stdout, from_stdin.stdout, "{extra:?}");
    }
    // `--` ends the options; the file name then may start with a dash.
    let dashed = dir.join("-dashed.sh");
    std::fs::write(&dashed, script("aws kms list-keys\n")).expect("temp script written");
    let r = ebs_kms(
        &[
            "run",
            "--output",
            "json",
            "--",
            dashed.to_str().unwrap_or(""),
        ],
        b"",
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn runs_are_deterministic_and_seed_overrides_the_script() {
    let body = "aws kms create-key --query KeyMetadata.KeyId --output text\n";
    let a = run_script(&["--output", "json"], &script(body));
    let b = run_script(&["--output", "json"], &script(body));
    assert_eq!(a.stdout, b.stdout, "same script, same seed, same bytes");

    let five = format!("{HEADER}\n# seed: 5\n{body}");
    let by_header = run_script(&["--output", "json"], &five);
    let by_flag = run_script(&["--output", "json", "--seed", "5"], &script(body));
    let by_inline_flag = run_script(&["--seed=5", "--output=json"], &script(body));
    assert_eq!(by_header.stdout, by_flag.stdout);
    assert_eq!(by_header.stdout, by_inline_flag.stdout);
    assert_eq!(json_of(&by_flag)["seed"], 5);
    assert_ne!(
        json_of(&a)["steps"][0]["output"],
        json_of(&by_flag)["steps"][0]["output"],
        "another seed gives another key id"
    );
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "no command given"),
        (&["frob"], "unknown command `frob`"),
        (&["--output", "json"], "options go after `run`"),
        (&["run"], "needs a script"),
        (&["run", "--bogus", "-"], "unknown option `--bogus`"),
        (&["run", "--output", "yaml", "-"], "`text` or `json`"),
        (&["run", "--output"], "`--output` needs a value"),
        (
            &["run", "--trace", "png", "-"],
            "`--trace` must be `mermaid` or `svg`",
        ),
        (&["run", "--services-only", "-"], "goes with `--trace"),
        (&["run", "--title", "T", "-"], "go with `--trace svg`"),
        (
            &["run", "--trace", "svg", "--theme", "sepia", "-"],
            "`--theme` must be",
        ),
        (&["svg", "only-one"], "not 1 argument"),
        (
            &["svg", "--output", "json", "a", "b"],
            "unknown option `--output`",
        ),
        (&["svg", "/no/such/dir", "/tmp/x"], "cannot read the folder"),
        (
            &["run", "--seed", "abc", "-"],
            "`--seed` must be a whole number",
        ),
        (
            &["run", "--seed", "-1", "-"],
            "`--seed` must be a whole number",
        ),
        (&["run", "--seed", "1", "--seed", "2", "-"], "given twice"),
        (&["run", "a.sh", "b.sh"], "more than one script"),
        (
            &["run", "--output", "json", "--trace", "mermaid", "-"],
            "cannot be combined",
        ),
        (&["run", "/no/such/dir/script.sh"], "cannot read the script"),
        (&["run", "/"], "cannot read the script"),
    ];
    for (args, message) in cases {
        let r = ebs_kms(args, b"");
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("ebs-kms: error: "),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
}

#[test]
fn scripts_that_do_not_parse_exit_2_with_a_clear_message() {
    let cases: &[(Vec<u8>, &[&str])] = &[
        (
            b"# seed: many\naws kms list-keys\n".to_vec(),
            &["Line 1", "`many`"],
        ),
        (
            format!("{HEADER}\naws kms list-keys\n").into_bytes(),
            &["Line 2", "# seed: <number>"],
        ),
        (
            format!("{HEADER}\n").into_bytes(),
            &["no `# seed: <number>` line"],
        ),
        (
            format!("{HEADER}\n# seed: many\n").into_bytes(),
            &["Line 2", "`many`"],
        ),
        (
            script("aws kms create-key --description 'open\n").into_bytes(),
            &["Line 3", "never closed"],
        ),
        (
            "# ebs-kms-playground script v9\n# seed: 1\n"
                .as_bytes()
                .to_vec(),
            &["newer version (v9)"],
        ),
        (
            [HEADER.as_bytes(), b"\n# seed: 1\n\xff\xfe\n"].concat(),
            &["not UTF-8"],
        ),
        (
            [HEADER.as_bytes(), b"\n# seed: 1\n", &vec![b'#'; 300 * 1024]].concat(),
            &["too large"],
        ),
    ];
    for (input, mentions) in cases {
        let r = ebs_kms(&["run", "-"], input);
        let shown = String::from_utf8_lossy(input.get(..80).unwrap_or(input));
        assert_eq!(r.code, Some(2), "{shown:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("ebs-kms: error: standard input: "),
            "{shown:?}: {}",
            r.stderr
        );
        for m in *mentions {
            assert!(
                r.stderr.contains(m),
                "{shown:?}: stderr lacks {m:?}:\n{}",
                r.stderr
            );
        }
        assert_eq!(r.stdout, "");
    }
}

#[test]
fn hostile_lines_are_reported_not_crashed_on() {
    let lines = [
        "aws",
        "play",
        "''",
        "$UNSET",
        "X=$(aws kms create-key --query 'KeyMetadata.[' --output text)",
        "X=$(echo $(echo $(echo $(echo $(echo deep)))))",
        "aws ec2 create-volume --size 99999999999999999999999 --availability-zone us-east-1a",
        "aws kms encrypt --key-id alias/none --plaintext \u{0}\u{1f}é",
        "aws ec2 run-instances --image-id ami-0 --block-device-mappings '[[[[{}]]]]'",
        "aws ec2 describe-volumes --query 'Volumes[?Size > `\"x\"`]'",
        "aws ec2 wait volume-available --volume-ids vol-0",
        "a | b > c && d",
    ];
    let long = format!("aws kms create-key --description {}", "x".repeat(100_000));
    for line in lines.iter().copied().chain([long.as_str()]) {
        for extra in [&["--output", "json"][..], &[], &["--trace", "mermaid"]] {
            let r = run_script(extra, &script(&format!("{line}\n")));
            assert!(
                matches!(r.code, Some(0 | 1)),
                "{line:.80} {extra:?}: status {:?}, stderr {}",
                r.code,
                r.stderr
            );
            if extra.first() == Some(&"--output") {
                json_of(&r);
            }
        }
    }
}

#[test]
fn help_and_version() {
    for args in [&["--help"][..], &["-h"], &["help"], &["run", "--help"]] {
        let r = ebs_kms(args, b"");
        assert_eq!(r.code, Some(0), "{args:?}");
        assert!(r.stdout.contains("Usage:"), "{args:?}");
        assert!(r.stdout.contains("--output text"));
        assert!(r.stdout.contains("--trace mermaid"));
        assert!(r.stdout.contains("--seed N"));
        assert!(r.stdout.contains("expect-error"));
        assert_eq!(r.stderr, "");
    }
    for args in [&["--version"][..], &["-V"]] {
        let r = ebs_kms(args, b"");
        assert_eq!(r.code, Some(0));
        assert_eq!(r.stdout, format!("ebs-kms {}\n", env!("CARGO_PKG_VERSION")));
    }
}

fn example_scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/scripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    files.sort();
    files
}

#[test]
fn example_scripts_all_run_as_declared() {
    let files = example_scripts();
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("example is readable");
        let parsed = Script::parse(&text);
        assert!(parsed.is_ok(), "{}: {parsed:?}", path.display());
        let file = path.to_str().expect("UTF-8 path");
        for extra in [
            &[][..],
            &["--output", "json"],
            &["--trace", "mermaid"],
            &["--trace", "svg"],
        ] {
            let mut args = vec!["run"];
            args.extend_from_slice(extra);
            args.push(file);
            let r = ebs_kms(&args, b"");
            assert_eq!(r.code, Some(0), "{file} {extra:?}:\n{}", r.stderr);
            assert_eq!(r.stderr, "", "{file}");
        }
    }
}

#[test]
fn example_scripts_show_what_they_promise() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripts");
    let run = |name: &str| {
        let path = dir.join(name);
        let r = ebs_kms(
            &["run", "--output", "json", path.to_str().unwrap_or("")],
            b"",
        );
        assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
        json_of(&r)
    };
    let all_calls = |doc: &Value| -> Vec<(String, String, String, Option<String>)> {
        doc["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["calls"].as_array().cloned().unwrap_or_default())
            .map(|c| {
                (
                    c["from"].as_str().unwrap_or_default().to_string(),
                    c["to"].as_str().unwrap_or_default().to_string(),
                    c["operation"].as_str().unwrap_or_default().to_string(),
                    c["error"]["code"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    let has =
        |calls: &[(String, String, String, Option<String>)], from, to, op, err: Option<&str>| {
            calls
                .iter()
                .any(|c| c.0 == from && c.1 == to && c.2 == op && c.3.as_deref() == err)
        };
    let expected_codes = |doc: &Value| -> Vec<String> {
        doc["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["expectedFailure"] == true)
            .filter_map(|s| s["error"]["code"].as_str().map(str::to_string))
            .collect()
    };

    let doc = run("encrypted-volume-from-snapshot.sh");
    let calls = all_calls(&doc);
    assert!(has(
        &calls,
        "EC2",
        "KMS",
        "GenerateDataKeyWithoutPlaintext",
        None
    ));
    assert!(has(&calls, "EC2", "KMS", "Decrypt", None), "{calls:?}");
    assert_eq!(expected_codes(&doc), ["InvalidParameterDependency"]);

    let doc = run("key-disable-and-attach.sh");
    let calls = all_calls(&doc);
    assert!(
        calls
            .iter()
            .any(|c| c.1 == "KMS" && c.3.as_deref() == Some("DisabledException")),
        "{calls:?}"
    );
    assert!(expected_codes(&doc).contains(&"CustomerKeyHasBeenRevoked".to_string()));

    let doc = run("share-snapshot-cross-account.sh");
    let steps = doc["steps"].as_array().cloned().unwrap_or_default();
    assert!(steps.iter().any(|s| s["profile"] == "partner"));
    assert!(expected_codes(&doc).contains(&"AccessDeniedException".to_string()));
    let calls = all_calls(&doc);
    assert!(has(
        &calls,
        "EC2",
        "KMS",
        "CreateGrant",
        Some("AccessDeniedException")
    ));
    assert!(has(&calls, "EC2", "KMS", "CreateGrant", None));
}
