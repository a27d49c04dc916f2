//! The `ebs-kms` native runner: reads a playground script (a file or standard input), runs it
//! through the same [`Session`] as the browser console, and prints the console text, a JSON
//! report of every step and the service calls it caused, or the trace as a Mermaid diagram.
//!
//! Exit status: 0 when every line did what it declared, 1 when a line failed unexpectedly (or
//! succeeded although marked `# expect-error`), 2 for usage errors and unreadable scripts.
//! Arguments are parsed by hand; no input makes this program panic.

use ebs_kms_playground::cli::script::{HEADER, MAX_SCRIPT_BYTES};
use ebs_kms_playground::cli::{Script, ScriptError};
use ebs_kms_playground::diagram::to_mermaid;
use ebs_kms_playground::model::trace::Call;
use ebs_kms_playground::session::{Entry, Session, DEFAULT_SEED};
use serde_json::{json, Value};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;

const VERSION: &str = env!("CARGO_PKG_VERSION");

const USAGE: &str = "\
Usage:
  ebs-kms run [--output text|json] [--trace mermaid] [--seed N] <SCRIPT | ->
  ebs-kms --help
  ebs-kms --version";

const HELP: &str = "\
ebs-kms: runs an ebs-kms-playground script against the simulated EC2, EBS and KMS, with the
same AWS CLI parser and the same deterministic core as the browser playground.

Usage:
  ebs-kms run [--output text|json] [--trace mermaid] [--seed N] <SCRIPT | ->
  ebs-kms --help
  ebs-kms --version

Arguments:
  SCRIPT             the script file to run; `-` reads it from standard input

Options of run:
  --output text      (default) echo each command as `$ <line>`, then what the AWS CLI prints
  --output json      one JSON document: {\"seed\":N,\"steps\":[{\"line\",\"command\",\"profile\",
                     \"region\",\"output\",\"error\",\"expectedFailure\",\"unexpected\",\"calls\"}]}
                     where each call is {\"seq\",\"from\",\"to\",\"operation\",\"request\",
                     \"response\",\"error\"}
  --trace mermaid    print the whole trace as a Mermaid sequence diagram instead
  --seed N           run with seed N instead of the script's `# seed:` line
  -h, --help         print this help
  -V, --version      print the version

Script format:
  # ebs-kms-playground script v1
  # seed: 1
  KEY=$(aws kms create-key --query KeyMetadata.KeyId --output text)
  aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id $KEY
  aws ec2 create-volume --availability-zone us-east-1a --size 8 --kms-key-id $KEY  # expect-error InvalidParameterDependency

  A line ending in `# expect-error` is expected to fail (with that error code, if one is given).

Exit status:
  0  every line did what it declared
  1  some line failed unexpectedly, or succeeded although marked `# expect-error`
     (each one is listed on standard error)
  2  usage error, or a script that cannot be read or does not parse";

/// What the report on standard output looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    /// The console: `$ <line>` then the AWS CLI's text.
    Text,
    /// One JSON document with every step.
    Json,
}

/// Where the script comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(OsString),
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Source::Stdin => "standard input".to_string(),
            Source::File(p) => p.to_string_lossy().into_owned(),
        }
    }
}

/// The options of `ebs-kms run`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RunOptions {
    output: Output,
    mermaid: bool,
    seed: Option<u64>,
    source: Source,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Help,
    Version,
    Run(RunOptions),
}

/// A problem with the command line: the message is printed with the usage.
#[derive(Clone, Debug, PartialEq, Eq)]
struct UsageError(String);

fn usage_err<T>(msg: impl Into<String>) -> Result<T, UsageError> {
    Err(UsageError(msg.into()))
}

/// Parses the arguments after the program name.
fn parse_args(args: &[OsString]) -> Result<Action, UsageError> {
    let Some(first) = args.first() else {
        return usage_err("no command given.");
    };
    match first.to_str() {
        Some("-h" | "--help" | "help") => return Ok(Action::Help),
        Some("-V" | "--version" | "version") => return Ok(Action::Version),
        Some("run") => {}
        Some(other) if other.starts_with('-') => {
            return usage_err(format!(
                "unknown option `{other}` (options go after `run`)."
            ))
        }
        Some(other) => {
            return usage_err(format!(
                "unknown command `{other}`; did you mean `ebs-kms run {other}`?"
            ))
        }
        None => return usage_err("unknown command (not UTF-8 text)."),
    }
    let mut output = None;
    let mut trace = None;
    let mut seed = None;
    let mut source = None;
    let mut only_positional = false;
    let mut i = 1;
    while let Some(arg) = args.get(i) {
        i += 1;
        let text = arg.to_str();
        if !only_positional && text == Some("--") {
            only_positional = true;
            continue;
        }
        let is_option = !only_positional && text.is_some_and(|t| t.starts_with('-') && t != "-");
        if !is_option {
            if source.is_some() {
                return usage_err(format!(
                    "more than one script given (`{}`); run takes one.",
                    arg.to_string_lossy()
                ));
            }
            source = Some(if text == Some("-") {
                Source::Stdin
            } else {
                Source::File(arg.clone())
            });
            continue;
        }
        let t = text.unwrap_or_default();
        if matches!(t, "-h" | "--help") {
            return Ok(Action::Help);
        }
        if matches!(t, "-V" | "--version") {
            return Ok(Action::Version);
        }
        let (name, inline) = match t.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (t, None),
        };
        if !matches!(name, "--output" | "--trace" | "--seed") {
            return usage_err(format!("unknown option `{name}`."));
        }
        let value = match inline {
            Some(v) => v,
            None => {
                let Some(v) = args.get(i).and_then(|v| v.to_str()) else {
                    return usage_err(format!("`{name}` needs a value."));
                };
                i += 1;
                v.to_string()
            }
        };
        match name {
            "--output" => {
                if output.is_some() {
                    return usage_err("`--output` is given twice.");
                }
                output = Some(match value.as_str() {
                    "text" => Output::Text,
                    "json" => Output::Json,
                    v => {
                        return usage_err(format!(
                            "`--output` must be `text` or `json`, not `{v}`."
                        ))
                    }
                });
            }
            "--trace" => {
                if trace.is_some() {
                    return usage_err("`--trace` is given twice.");
                }
                if value != "mermaid" {
                    return usage_err(format!("`--trace` must be `mermaid`, not `{value}`."));
                }
                trace = Some(value);
            }
            _ => {
                if seed.is_some() {
                    return usage_err("`--seed` is given twice.");
                }
                match value.parse::<u64>() {
                    Ok(n) => seed = Some(n),
                    Err(_) => {
                        return usage_err(format!(
                            "`--seed` must be a whole number from 0 to {}, not `{value}`.",
                            u64::MAX
                        ))
                    }
                }
            }
        }
    }
    let Some(source) = source else {
        return usage_err("`run` needs a script file (or `-` for standard input).");
    };
    if output.is_some() && trace.is_some() {
        return usage_err(
            "`--output` and `--trace mermaid` cannot be combined: the diagram replaces the output.",
        );
    }
    Ok(Action::Run(RunOptions {
        output: output.unwrap_or(Output::Text),
        mermaid: trace.is_some(),
        seed,
        source,
    }))
}

/// Reads at most one byte more than a script may hold, so a huge file or an endless stream
/// is refused without reading it all.
fn read_source(source: &Source) -> Result<String, String> {
    let limit = u64::try_from(MAX_SCRIPT_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    let read = match source {
        Source::Stdin => std::io::stdin().lock().take(limit).read_to_end(&mut bytes),
        Source::File(path) => {
            std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
        }
    };
    if let Err(e) = read {
        return Err(format!("cannot read the script: {e}."));
    }
    if bytes.len() > MAX_SCRIPT_BYTES {
        return Err(format!(
            "The script is too large (more than {} KiB).",
            MAX_SCRIPT_BYTES / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|_| ScriptError::NotUtf8.to_string())
}

/// The message for a script that does not parse, with what to write when the header or the
/// seed line is missing.
fn script_error_message(e: &ScriptError) -> String {
    let mut msg = e.to_string();
    if !msg.ends_with('.') {
        msg.push('.');
    }
    match e {
        ScriptError::NotAScript => msg.push_str(&format!(
            "\n  A script starts with these two lines, then one command per line:\n    {HEADER}\n    # seed: {DEFAULT_SEED}"
        )),
        ScriptError::MissingSeed { .. } => msg.push_str(&format!(
            "\n  Put `# seed: <number>` right after the `{HEADER}` line, for example `# seed: {DEFAULT_SEED}`."
        )),
        _ => {}
    }
    msg
}

/// One line of the script that did something, with its line number in the file.
struct Step {
    line: usize,
    entry: Entry,
}

/// Runs every line of the script in a fresh session, numbering lines as they are in the file
/// (header line 1, seed line 2, continuation lines counted).
fn execute(script: &Script) -> (Session, Vec<Step>) {
    let mut session = Session::new(script.seed);
    let mut steps = Vec::new();
    let mut line = 3;
    for text in &script.lines {
        if let Some(entry) = session.run(text) {
            steps.push(Step {
                line,
                entry: entry.clone(),
            });
        }
        line += 1 + text.matches('\n').count();
    }
    (session, steps)
}

fn error_json(e: Option<&ebs_kms_playground::model::error::AwsError>) -> Value {
    match e {
        Some(e) => json!({"code": e.code, "message": e.message}),
        None => Value::Null,
    }
}

fn call_json(c: &Call) -> Value {
    json!({
        "seq": c.seq,
        "from": c.from.name(),
        "to": c.to.name(),
        "operation": c.operation,
        "request": c.request,
        "response": c.response,
        "error": error_json(c.error.as_ref()),
    })
}

/// The `--output json` document.
fn json_report(seed: u64, session: &Session, steps: &[Step]) -> Value {
    let calls = session.calls();
    let steps: Vec<Value> = steps
        .iter()
        .map(|s| {
            let r = &s.entry.result;
            let step_calls: Vec<Value> = calls
                .get(s.entry.calls.clone())
                .unwrap_or(&[])
                .iter()
                .map(call_json)
                .collect();
            json!({
                "line": s.line,
                "command": r.command,
                "profile": r.profile,
                "region": r.region,
                "output": r.output.clone().unwrap_or(Value::Null),
                "error": error_json(r.error.as_ref()),
                "expectedFailure": r.expected_failure,
                "unexpected": r.unexpected(),
                "calls": step_calls,
            })
        })
        .collect();
    json!({"seed": seed, "steps": steps})
}

/// The console transcript: `$ <line>` then what the AWS CLI would print.
fn text_report(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        let r = &s.entry.result;
        out.push_str("$ ");
        out.push_str(r.line.trim_end());
        out.push('\n');
        if !r.text.is_empty() {
            out.push_str(&r.text);
            out.push('\n');
        }
    }
    out
}

/// One line of the stderr summary for a step whose outcome differs from what it declared.
fn unexpected_line(s: &Step) -> String {
    let r = &s.entry.result;
    let what = match (&r.error, &r.expected_code) {
        (Some(e), Some(code)) => format!(
            "failed with {} but is marked `# expect-error {code}`: {}",
            e.code,
            first_line(&e.message)
        ),
        (Some(e), None) => format!("{}: {}", e.code, first_line(&e.message)),
        (None, Some(code)) => format!("succeeded but is marked `# expect-error {code}`"),
        (None, None) => "succeeded but is marked `# expect-error`".to_string(),
    };
    format!("  line {}: {what}", s.line)
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Runs a script and returns the exit status.
fn run(opts: &RunOptions) -> u8 {
    let name = opts.source.describe();
    let text = match read_source(&opts.source) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("ebs-kms: error: {name}: {msg}");
            return 2;
        }
    };
    let mut script = match Script::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ebs-kms: error: {name}: {}", script_error_message(&e));
            return 2;
        }
    };
    if let Some(seed) = opts.seed {
        script.seed = seed;
    }
    let (session, steps) = execute(&script);
    let report = if opts.mermaid {
        to_mermaid(session.calls())
    } else {
        match opts.output {
            Output::Text => text_report(&steps),
            Output::Json => {
                let doc = json_report(script.seed, &session, &steps);
                let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error of the script: stop writing, keep the status.
    let _ = stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush());
    let unexpected: Vec<&Step> = steps
        .iter()
        .filter(|s| s.entry.result.unexpected())
        .collect();
    if unexpected.is_empty() {
        return 0;
    }
    let n = unexpected.len();
    let mut msg = format!(
        "ebs-kms: {name}: {n} line{} did not do what the script declares:\n",
        if n == 1 { "" } else { "s" }
    );
    for s in unexpected {
        msg.push_str(&unexpected_line(s));
        msg.push('\n');
    }
    let _ = std::io::stderr().write_all(msg.as_bytes());
    1
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = match parse_args(&args) {
        Ok(Action::Help) => {
            let _ = writeln!(std::io::stdout(), "{HELP}");
            0
        }
        Ok(Action::Version) => {
            let _ = writeln!(std::io::stdout(), "ebs-kms {VERSION}");
            0
        }
        Ok(Action::Run(opts)) => run(&opts),
        Err(UsageError(msg)) => {
            let _ = writeln!(
                std::io::stderr(),
                "ebs-kms: error: {msg}\n{USAGE}\nRun `ebs-kms --help` for more."
            );
            2
        }
    };
    ExitCode::from(code)
}
