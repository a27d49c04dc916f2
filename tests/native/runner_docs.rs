//! Tests of the `ebs-kms` runner for documentation builds, run as a separate process: plain
//! scripts without the header, `--trace svg` (the app's export, byte for byte),
//! `--services-only`, `ebs-kms svg DIR OUTDIR`, and the sample docs site's scripts.

use ebs_kms_playground::diagram::{export_svg, ExportOptions};
use ebs_kms_playground::embed::plain::parse_script;
use ebs_kms_playground::session::Session;
use std::path::Path;

use super::runner::{ebs_kms, json_of, run_script, script};

/// A script as a tutorial prints it: no header, a seed comment, continuations, comments.
const TUTORIAL: &str = "\
#!/usr/bin/env bash
# Encrypt a new volume under your own key.
#
# seed: 42
KEY=$(aws kms create-key --description demo \\
    --query KeyMetadata.KeyId --output text)
# the volume
aws ec2 create-volume --availability-zone us-east-1a \\
    --size 8 --encrypted --kms-key-id $KEY
";

#[test]
fn plain_scripts_run_without_the_header() {
    let r = run_script(&["--output", "json"], TUTORIAL);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let doc = json_of(&r);
    assert_eq!(doc["seed"], 42, "the seed comes from the leading comments");
    let lines: Vec<u64> = doc["steps"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["line"].as_u64()).collect())
        .unwrap_or_default();
    assert_eq!(lines, [5, 8], "line numbers are the file's");
    assert_eq!(doc["steps"][1]["output"]["Encrypted"], true);

    // The same commands with the header give the same report.
    let headed = run_script(&["--output", "json"], &script(TUTORIAL));
    assert_eq!(
        json_of(&headed)["steps"][1]["output"],
        doc["steps"][1]["output"]
    );

    // Without a seed line the seed is 1; --seed still overrides.
    let bare = run_script(
        &["--output", "json"],
        "aws kms create-key --query KeyMetadata.KeyId --output text\n",
    );
    assert_eq!(json_of(&bare)["seed"], 1);
    let seeded = run_script(&["--output", "json", "--seed", "5"], TUTORIAL);
    assert_eq!(json_of(&seeded)["seed"], 5);
    // An empty file is an empty script.
    let empty = run_script(&[], "");
    assert_eq!((empty.code, empty.stdout.as_str()), (Some(0), ""));
}

#[test]
fn svg_trace_is_the_apps_export() {
    let r = run_script(&["--trace", "svg"], TUTORIAL);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let parsed = parse_script(TUTORIAL).expect("parses");
    let session = Session::replay(&parsed.script);
    let want = export_svg(
        session.calls(),
        &ExportOptions {
            title: Some("Encrypt a new volume under your own key.".into()),
            ..ExportOptions::default()
        },
    );
    assert_eq!(
        r.stdout, want,
        "the runner writes the library's export byte for byte"
    );
    assert!(r
        .stdout
        .contains("<title id=\"seq-title\">Encrypt a new volume under your own key.</title>"));
    assert!(r.stdout.contains("prefers-color-scheme: dark"));

    let titled = run_script(
        &["--trace", "svg", "--title", "A & B", "--theme", "dark"],
        TUTORIAL,
    );
    assert!(titled
        .stdout
        .contains("<title id=\"seq-title\">A &amp; B</title>"));
    assert!(!titled.stdout.contains("prefers-color-scheme"));

    let only = run_script(&["--trace", "svg", "--services-only"], TUTORIAL);
    assert_eq!(only.code, Some(0));
    let arrows = |s: &str| s.matches("<g class=\"msg ").count();
    assert!(arrows(&only.stdout) > 0 && arrows(&only.stdout) < arrows(&r.stdout));
    assert!(!only.stdout.contains(">User</text>"));

    let mermaid = run_script(&["--trace", "mermaid", "--services-only"], TUTORIAL);
    assert!(mermaid
        .stdout
        .contains("EC2->>KMS: GenerateDataKeyWithoutPlaintext"));
    assert!(
        !mermaid.stdout.contains("participant User"),
        "{}",
        mermaid.stdout
    );
    assert!(!mermaid.stdout.contains("User->>"));
}

#[test]
fn svg_command_turns_a_folder_of_scripts_into_svgs() {
    let out = std::env::temp_dir().join(format!("ebs-kms-svg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/docs-site/scripts");
    let out_s = out.to_str().expect("UTF-8 temp dir");
    let r = ebs_kms(&["svg", dir.to_str().expect("UTF-8"), out_s], b"");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("OUTDIR was created")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "volume-from-encrypted-snapshot.svg",
            "volume-from-unencrypted-snapshot.svg"
        ]
    );
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    for n in &names {
        let svg = std::fs::read_to_string(out.join(n)).expect("readable");
        let script = dir.join(n.replace(".svg", ".sh"));
        let single = ebs_kms(
            &["run", "--trace", "svg", script.to_str().expect("UTF-8")],
            b"",
        );
        assert_eq!(svg, single.stdout, "{n}: the same SVG as `run --trace svg`");
        assert!(
            svg.contains("<title id=\"seq-title\">Encrypted volume from an"),
            "{n}"
        );
    }
    // A failing script still gets its SVG, and the status says so.
    let bad = out.join("in");
    std::fs::create_dir_all(&bad).expect("mkdir");
    std::fs::write(
        bad.join("fails.sh"),
        "aws kms describe-key --key-id alias/none\n",
    )
    .expect("write");
    std::fs::write(
        bad.join("broken.sh"),
        "aws kms create-key --description 'open\n",
    )
    .expect("write");
    let r = ebs_kms(&["svg", bad.to_str().expect("UTF-8"), out_s], b"");
    assert_eq!(
        r.code,
        Some(2),
        "the worst status: a script that does not parse"
    );
    assert!(
        r.stderr.contains("broken.sh") && r.stderr.contains("never closed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("fails.sh") && r.stderr.contains("NotFoundException"),
        "{}",
        r.stderr
    );
    assert!(out.join("fails.svg").is_file());
    assert!(!out.join("broken.svg").exists());
    let empty = out.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let r = ebs_kms(&["svg", empty.to_str().expect("UTF-8"), out_s], b"");
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no `.sh` scripts"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn docs_site_scripts_replay_the_guided_scenarios() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/docs-site/scripts");
    for id in [
        "volume-from-encrypted-snapshot",
        "volume-from-unencrypted-snapshot",
    ] {
        let text =
            std::fs::read_to_string(dir.join(format!("{id}.sh"))).expect("the docs script exists");
        let docs = Session::replay(&parse_script(&text).expect("parses").script);
        let scenario = ebs_kms_playground::scenarios::by_id(id).expect("the scenario exists");
        let mut s = Session::new(1);
        for step in &scenario.steps {
            s.run(&step.command);
        }
        let summary = |s: &Session| s.calls().iter().map(|c| c.summary()).collect::<Vec<_>>();
        assert_eq!(summary(&docs), summary(&s), "{id}");
    }
}
