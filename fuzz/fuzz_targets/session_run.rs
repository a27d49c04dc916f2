//! Fuzz target: generated command sequences through `Session::run`, the path every console line
//! and form takes. Lines are built from a grammar over the real command table
//! (`cli::schema::commands()`: command, its options, values of each option's type drawn from
//! pools of plausible ids, aliases, zones and the ids earlier lines printed), with raw text
//! mixed in. For every input: no panic; replaying the lines in a fresh session and replaying the
//! saved script give the same state, trace and results; no plaintext data key that was ever in
//! host memory appears in the exported state or trace; entries and their call ranges agree.
#![no_main]

use arbitrary::Arbitrary;
use ebs_kms_playground::cli::schema::{self, Command, Member, Ty};
use ebs_kms_playground::cli::script::HEADER;
use ebs_kms_playground::cli::Script;
use ebs_kms_playground::session::Session;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;

/// Lines per input: enough for create → attach → snapshot → copy chains, small enough to stay fast.
const MAX_LINES: usize = 8;
/// Options per command.
const MAX_ARGS: usize = 6;

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u8,
    lines: Vec<Line>,
}

#[derive(Arbitrary, Debug)]
enum Line {
    /// `aws …` or `play …` from the command table.
    Command(Cmd),
    /// `V=$(aws … --query Q --output text)`: the console's way of keeping an id.
    Assign { var: u8, query: u8, cmd: Cmd },
    /// Shell built-ins and profile changes.
    Shell(ShellLine),
    /// A line as typed (anything at all).
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Cmd {
    command: u16,
    /// Options of the command: (which parameter, its value).
    args: Vec<(u8, Val)>,
    /// Send the required parameters even when `args` does not pick them.
    required: bool,
    globals: Vec<Global>,
    /// Append `# expect-error`.
    expect_error: bool,
}

#[derive(Arbitrary, Debug)]
enum Val {
    /// A plausible value for the parameter (by its name and type).
    Plausible(u8),
    /// An id printed by an earlier line.
    Seen(u8),
    /// A shell variable set by an earlier `V=$(…)` line.
    Var(u8),
    Int(i32),
    Text(String),
    /// A structure or list written as JSON instead of shorthand.
    Json(u8),
}

#[derive(Arbitrary, Debug)]
enum Global {
    Query(u8),
    Output(u8),
    Region(u8),
    Profile(u8),
    DryRun,
}

#[derive(Arbitrary, Debug)]
enum ShellLine {
    ExportProfile(u8),
    ExportRegion(u8),
    Echo(u8),
    ProfileAdd { name: u8, account: u8, region: u8 },
    RoleProfile { name: u8, role: u8, source: u8 },
    ProfileList,
    Comment(String),
    Wait { waiter: u8, id: u8 },
    Advance(u32),
}

const VARS: &[&str] = &["KEY", "VOL", "SNAP", "AMI", "INST", "X"];
const QUERIES: &[&str] = &[
    "KeyMetadata.KeyId",
    "KeyMetadata.Arn",
    "VolumeId",
    "SnapshotId",
    "ImageId",
    "Instances[0].InstanceId",
    "GrantId",
    "Images[0].ImageId",
    "Volumes[0].VolumeId",
    "Snapshots[0].SnapshotId",
    "Keys[0].KeyId",
    "Arn",
    "[",
    "length(@)",
];
const OUTPUTS: &[&str] = &["json", "text", "table", "yaml"];
const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-1", "ap-south-1", "mars-1"];
const ZONES: &[&str] = &["us-east-1a", "us-east-1b", "us-east-1c", "us-west-2a", "eu-west-1a", "us-east-1z"];
const PROFILES: &[&str] = &["default", "partner", "admin", "app", "nobody"];
const ACCOUNTS: &[&str] = &["111122223333", "444455556666", "123456789012", "all"];
const DEVICES: &[&str] = &["/dev/sdf", "/dev/sdg", "/dev/xvda", "/dev/sdz", "sdf"];
const ALIASES: &[&str] = &["alias/aws/ebs", "alias/ebs", "alias/finance", "alias/aws/x", "alias/"];
const AMIS: &[&str] = &["ami-07d492b273e077b0a", "ami-1"];
const ARNS: &[&str] = &[
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::111122223333:role/AppRole",
    "arn:aws:iam::444455556666:role/Auditor",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
];
const POLICIES: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:CreateGrant","kms:DescribeKey"],"Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
    r#"{"Statement":[]}"#,
    "not json",
];
const INTS: &[i64] = &[0, 1, 7, 8, 30, 64, 100, 365, 16384, -1, 3600, 86400];

fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[i as usize % pool.len()]
}

/// Quotes a word for the console's lexer (single quotes, `'\''` for a quote).
fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// What the session has printed so far that looks like an id, in the order it appeared.
#[derive(Default)]
struct Seen {
    ids: Vec<String>,
    set: BTreeSet<String>,
}

impl Seen {
    fn harvest(&mut self, text: &str) {
        for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || "-:/_.".contains(c))) {
            let id = ["vol-", "snap-", "ami-", "i-", "arn:", "alias/", "lt-"]
                .iter()
                .any(|p| w.starts_with(p))
                || (w.len() == 36 && w.matches('-').count() == 4)
                || (w.len() == 64 && w.chars().all(|c| c.is_ascii_hexdigit()));
            if id && w.len() < 200 && self.set.insert(w.to_string()) {
                self.ids.push(w.to_string());
            }
        }
    }

    /// An id printed earlier that starts with one of `prefixes` (any id if none fits).
    fn get(&self, prefixes: &[&str], i: u8) -> Option<&str> {
        let fit: Vec<&str> = self
            .ids
            .iter()
            .map(String::as_str)
            .filter(|s| prefixes.is_empty() || prefixes.iter().any(|p| s.starts_with(p)))
            .collect();
        let from = if fit.is_empty() {
            self.ids.iter().map(String::as_str).collect()
        } else {
            fit
        };
        (!from.is_empty()).then(|| from[i as usize % from.len()])
    }
}

/// Id prefixes that fit a parameter, by its name.
fn prefixes_of(name: &str) -> &'static [&'static str] {
    if name.contains("Volume") {
        &["vol-"]
    } else if name.contains("Snapshot") {
        &["snap-"]
    } else if name.contains("Image") || name == "Owners" {
        &["ami-"]
    } else if name.contains("Instance") {
        &["i-"]
    } else if name.contains("Key") || name.contains("Target") {
        &["arn:aws:kms", "alias/", ""]
    } else if name.contains("Arn") || name.contains("Principal") {
        &["arn:"]
    } else if name.contains("Grant") {
        &[""]
    } else {
        &[]
    }
}

/// A plausible string for a parameter: chosen by the parameter's name, else from its choices.
fn plausible_str(name: &str, choices: &[&str], seen: &Seen, i: u8) -> String {
    if !choices.is_empty() && i % 3 != 0 {
        return pick(choices, i / 3).to_string();
    }
    if i % 4 == 1 {
        if let Some(s) = seen.get(prefixes_of(name), i / 4) {
            return s.to_string();
        }
    }
    let n = name;
    let v = if n.contains("Zone") {
        pick(ZONES, i)
    } else if n.contains("Region") {
        pick(REGIONS, i)
    } else if n == "Device" || n == "DeviceName" {
        pick(DEVICES, i)
    } else if n.contains("Alias") {
        pick(ALIASES, i)
    } else if n.contains("Image") {
        pick(AMIS, i)
    } else if n.contains("Policy") || n == "PolicyDocument" {
        pick(POLICIES, i)
    } else if n.contains("Arn") || n.contains("Principal") {
        pick(ARNS, i)
    } else if n.contains("Account") || n.contains("UserId") || n == "Owners" {
        pick(ACCOUNTS, i)
    } else if n.contains("Key") {
        pick(&["alias/aws/ebs", "alias/ebs", "1234abcd-12ab-34cd-56ef-1234567890ab", ARNS[6]], i)
    } else if n == "Profile" || n.contains("Source") {
        pick(PROFILES, i)
    } else {
        pick(&["x", "demo", "", "t3.micro", "gp3", "quarterly numbers", "Decrypt", "a=b"], i)
    };
    v.to_string()
}

/// A value of a structure member, in shorthand (`Name=value`).
fn member_shorthand(members: &[Member], seen: &Seen, i: u8) -> String {
    members
        .iter()
        .enumerate()
        .filter(|(k, m)| m.required || (i as usize + k) % 2 == 0)
        .map(|(k, m)| {
            let j = i.wrapping_add(k as u8 * 7);
            let v = match m.ty {
                Ty::Int => INTS[j as usize % INTS.len()].to_string(),
                Ty::Bool => (j % 2 == 0).to_string(),
                Ty::Struct(inner) => format!("{{{}}}", member_shorthand(inner, seen, j / 2)),
                Ty::StrList => format!("[{}]", plausible_str(m.name, &[], seen, j)),
                _ => plausible_str(m.name, &[], seen, j),
            };
            format!("{}={}", m.name, v)
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn member_json(members: &[Member], seen: &Seen, i: u8) -> serde_json::Value {
    let mut o = serde_json::Map::new();
    for (k, m) in members.iter().enumerate() {
        let j = i.wrapping_add(k as u8 * 5);
        let v = match m.ty {
            Ty::Int => serde_json::json!(INTS[j as usize % INTS.len()]),
            Ty::Bool => serde_json::json!(j % 2 == 0),
            Ty::Struct(inner) => member_json(inner, seen, j / 2),
            Ty::StructList(inner) => serde_json::json!([member_json(inner, seen, j / 2)]),
            Ty::StrList => serde_json::json!([plausible_str(m.name, &[], seen, j)]),
            _ => serde_json::json!(plausible_str(m.name, &[], seen, j)),
        };
        o.insert(m.name.to_string(), v);
    }
    serde_json::Value::Object(o)
}

/// The words after `--option` for a parameter of type `ty`.
fn value_words(name: &str, ty: Ty, choices: &[&str], v: &Val, seen: &Seen) -> Vec<String> {
    match (v, ty) {
        (Val::Var(i), _) => vec![format!("${}", pick(VARS, *i))],
        (Val::Int(n), _) => vec![n.to_string()],
        (Val::Text(s), _) => vec![quote(s)],
        (Val::Seen(i), _) => vec![seen
            .get(prefixes_of(name), *i)
            .map(str::to_string)
            .unwrap_or_else(|| plausible_str(name, choices, seen, *i))],
        (Val::Json(i), Ty::Struct(m)) => vec![quote(&member_json(m, seen, *i).to_string())],
        (Val::Json(i), Ty::StructList(m)) => {
            vec![quote(&serde_json::json!([member_json(m, seen, *i)]).to_string())]
        }
        (Val::Json(i), Ty::Map) => vec![quote(&format!(r#"{{"aws:ebs:id":"{}"}}"#, pick(&["vol-1", "x"], *i)))],
        (Val::Json(i) | Val::Plausible(i), Ty::Int) => vec![INTS[*i as usize % INTS.len()].to_string()],
        (Val::Json(i) | Val::Plausible(i), Ty::Str) => vec![quote(&plausible_str(name, choices, seen, *i))],
        (Val::Json(i) | Val::Plausible(i), Ty::StrList) => (0..=(*i % 3))
            .map(|k| quote(&plausible_str(name, choices, seen, i.wrapping_add(k * 11))))
            .collect(),
        (Val::Plausible(i), Ty::Map) => {
            vec![pick(&["aws:ebs:id=vol-1", "a=b,c=d", "Department=Finance", "="], *i).to_string()]
        }
        (Val::Plausible(i), Ty::Struct(m)) => vec![quote(&member_shorthand(m, seen, *i))],
        (Val::Plausible(i), Ty::StructList(m)) => (0..=(*i % 2))
            .map(|k| quote(&member_shorthand(m, seen, i.wrapping_add(k * 13))))
            .collect(),
        (_, Ty::Bool) => vec![],
    }
}

fn command_line(c: &Cmd, seen: &Seen) -> String {
    let all: Vec<&'static Command> = schema::commands().collect();
    let cmd = all[c.command as usize % all.len()];
    let mut words = vec![cmd.prefix()];
    let mut used = BTreeSet::new();
    let mut args: Vec<(usize, Option<&Val>)> = c
        .args
        .iter()
        .take(MAX_ARGS)
        .filter(|_| !cmd.params.is_empty())
        .map(|(p, v)| (*p as usize % cmd.params.len(), Some(v)))
        .collect();
    if c.required {
        for (k, p) in cmd.params.iter().enumerate() {
            if p.required && !args.iter().any(|(a, _)| *a == k) {
                args.push((k, None));
            }
        }
    }
    let fallback = Val::Plausible(c.command as u8);
    for (k, v) in args {
        let p = &cmd.params[k];
        used.insert(k);
        let v = v.unwrap_or(&fallback);
        let option = ebs_kms_playground::cli::schema::cli_name(p.name);
        match (p.ty, v) {
            (Ty::Bool, Val::Int(n)) if n % 2 == 0 => words.push(format!("--no-{option}")),
            (Ty::Bool, _) => words.push(format!("--{option}")),
            _ => {
                words.push(format!("--{option}"));
                words.extend(value_words(p.name, p.ty, p.choices, v, seen));
            }
        }
    }
    for g in c.globals.iter().take(3) {
        match g {
            Global::Query(i) => words.push(format!("--query {}", quote(pick(QUERIES, *i)))),
            Global::Output(i) => words.push(format!("--output {}", pick(OUTPUTS, *i))),
            Global::Region(i) => words.push(format!("--region {}", pick(REGIONS, *i))),
            Global::Profile(i) => words.push(format!("--profile {}", pick(PROFILES, *i))),
            Global::DryRun => words.push("--dry-run".into()),
        }
    }
    if !cmd.extras.is_empty() && c.command % 3 == 0 {
        let e = &cmd.extras[c.command as usize / 3 % cmd.extras.len()];
        words.push(format!("{} {}", e.option, pick(&["1", "2", "1:2", "5", "0"], c.command as u8)));
    }
    if c.expect_error {
        words.push("# expect-error".into());
    }
    words.join(" ")
}

fn shell_line(s: &ShellLine, seen: &Seen) -> String {
    match s {
        ShellLine::ExportProfile(i) => format!("export AWS_PROFILE={}", pick(PROFILES, *i)),
        ShellLine::ExportRegion(i) => format!("export AWS_REGION={}", pick(REGIONS, *i)),
        ShellLine::Echo(i) => format!("echo ${}", pick(VARS, *i)),
        ShellLine::ProfileAdd { name, account, region } => format!(
            "play profile add {} --account-id {} --region {}",
            pick(PROFILES, *name),
            pick(ACCOUNTS, *account),
            pick(REGIONS, *region)
        ),
        ShellLine::RoleProfile { name, role, source } => format!(
            "play profile add {} --role-arn {} --source-profile {}",
            pick(PROFILES, *name),
            pick(ARNS, *role),
            pick(PROFILES, *source)
        ),
        ShellLine::ProfileList => "play profile list".into(),
        ShellLine::Comment(c) => format!("# {}", c.replace(['\n', '\r'], " ")),
        ShellLine::Wait { waiter, id } => {
            let (w, opt, pre) = [
                ("volume-available", "--volume-ids", "vol-"),
                ("volume-in-use", "--volume-ids", "vol-"),
                ("snapshot-completed", "--snapshot-ids", "snap-"),
                ("instance-running", "--instance-ids", "i-"),
                ("instance-stopped", "--instance-ids", "i-"),
                ("image-available", "--image-ids", "ami-"),
            ][*waiter as usize % 6];
            let id = seen.get(&[pre], *id).unwrap_or("vol-0").to_string();
            format!("aws ec2 wait {w} {opt} {id}")
        }
        ShellLine::Advance(n) => format!("play advance --seconds {}", n % 4_000_000),
    }
}

/// Whether an export now carries a plaintext data key the hosts hold (the model audits its
/// own exports: the keys never leave it).
fn leaks_a_host_key(s: &Session) -> bool {
    if s.sim().volumes_with_key_in_host().is_empty() {
        return false;
    }
    let (state, trace) = exports(s);
    s.sim().reveals_host_key(&state.to_string()) || s.sim().reveals_host_key(&trace.to_string())
}

/// What a session exports (state and trace), compared as values: serializing costs more than
/// the commands do, so text is made only when there is a key to search for.
fn exports(s: &Session) -> (serde_json::Value, serde_json::Value) {
    (s.sim().export_state(), s.sim().export_trace())
}

/// Whether the script reader would join this line with the one after it.
fn swallows_next_line(line: &str) -> bool {
    let text = format!("{HEADER}\n# seed: 0\n{line}\n# next\n");
    !matches!(Script::parse(&text), Ok(s) if s.lines.len() == 2 && s.lines[0] == line)
}

fuzz_target!(|input: Input| {
    let seed = u64::from(input.seed % 4);
    let mut session = Session::new(seed);
    let mut seen = Seen::default();
    let mut lines = Vec::new();
    for l in input.lines.iter().take(MAX_LINES) {
        let line = match l {
            Line::Command(c) => command_line(c, &seen),
            Line::Assign { var, query, cmd } => format!(
                "{}=$({} --query {} --output text)",
                pick(VARS, *var),
                command_line(cmd, &seen),
                quote(pick(QUERIES, *query))
            ),
            Line::Shell(s) => shell_line(s, &seen),
            // One logical line: the console never hands `run` a newline outside a continuation.
            Line::Raw(r) => r.replace(['\n', '\r'], " "),
        };
        let before = session.calls().len();
        if let Some(e) = session.run(&line) {
            seen.harvest(&e.result.text);
            assert_eq!(e.calls.start, before, "an entry's calls start where the trace was");
        }
        assert!(session.calls().len() >= before, "the trace is append-only");
        assert!(!leaks_a_host_key(&session), "a plaintext data key in an export after {line:?}");
        lines.push(line);
    }

    // Entries: increasing line numbers, contiguous call ranges inside the trace.
    let calls = session.calls().len();
    let mut last_end = 0;
    for w in session.entries().windows(2) {
        assert!(w[0].line < w[1].line, "entry line numbers increase");
    }
    for e in session.entries() {
        assert!(e.calls.start >= last_end && e.calls.end <= calls, "call ranges in order");
        last_end = e.calls.end;
        for seq in e.calls.clone() {
            assert_eq!(session.entry_of_call(seq).map(|x| x.line), Some(e.line));
        }
    }

    let (state, trace) = exports(&session);

    // Determinism: the saved script (what a reload or a share link replays) rebuilds the same
    // session: same state, trace and results, and the same script text. A script that does not
    // parse back is replayed line by line in a fresh session instead.
    let text = session.script().to_text();
    // Known bug (reported; tests/native/regression.rs, ignored until fixed): a line left open
    // (ending in `\\`, or with an unterminated quote) is saved as is, so the script joins it
    // with the next line. Such inputs take the line-by-line path until the fix lands; then
    // delete this condition.
    let known_open_line_bug = lines.iter().any(|l| swallows_next_line(l));
    let parsed = if known_open_line_bug { Err(()) } else { Script::parse(&text).map_err(|_| ()) };
    let again = match parsed {
        Ok(script) => {
            let replayed = Session::replay(&script);
            assert_eq!(replayed.script().to_text(), text, "the script text round-trips");
            replayed
        }
        Err(_) => {
            let mut fresh = Session::new(seed);
            for l in &lines {
                fresh.run(l);
            }
            fresh
        }
    };
    assert_eq!(again.calls(), session.calls(), "same lines, same trace");
    assert_eq!(again.entries(), session.entries(), "same lines, same results");
    assert!(exports(&again) == (state.clone(), trace.clone()), "same lines, same exports");

});
