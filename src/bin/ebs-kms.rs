//! The `ebs-kms` native runner: reads a playground script (a file or standard input), runs it
//! through the same [`Session`] as the browser console, and prints the console text, a JSON
//! report of every step and the service calls it caused, or the trace as a Mermaid diagram or
//! the app's SVG; `ebs-kms svg DIR OUTDIR` turns a folder of scripts into SVGs for a docs build.
//! Scripts may be plain AWS CLI lines as tutorials write them (the header is optional).
//!
//! Exit status: 0 when every line did what it declared, 1 when a line failed unexpectedly (or
//! succeeded although marked `# expect-error`), 2 for usage errors and unreadable scripts.
//! Arguments are parsed by hand; no input makes this program panic.

use ebs_kms_playground::cli::script::{HEADER, MAX_SCRIPT_BYTES};
use ebs_kms_playground::cli::{Script, ScriptError};
use ebs_kms_playground::diagram::{export_svg, services_only, to_mermaid, ExportOptions, SvgTheme};
use ebs_kms_playground::embed::plain::{parse_script, title_of};
use ebs_kms_playground::model::trace::Call;
use ebs_kms_playground::session::{Entry, Session, DEFAULT_SEED};
use serde_json::{json, Value};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const VERSION: &str = env!("CARGO_PKG_VERSION");

const USAGE: &str = "\
Usage:
  ebs-kms run [--output text|json] [--trace mermaid|svg] [--services-only] [--title T]
              [--theme auto|light|dark] [--seed N] <SCRIPT | ->
  ebs-kms svg [--services-only] [--theme auto|light|dark] [--seed N] <DIR> <OUTDIR>
  ebs-kms --help
  ebs-kms --version";

const HELP: &str = "\
ebs-kms: runs an ebs-kms-playground script against the simulated EC2, EBS and KMS, with the
same AWS CLI parser and the same deterministic core as the browser playground. A script whose
line after the seed is `# cloud: alibaba`, or whose first command is an `aliyun …` line, runs
in an Alibaba Cloud world (ECS, KMS and RAM, the aliyun CLI) instead.

Usage:
  ebs-kms run [--output text|json] [--trace mermaid|svg] [--services-only] [--title T]
              [--theme auto|light|dark] [--seed N] <SCRIPT | ->
  ebs-kms svg [--services-only] [--theme auto|light|dark] [--seed N] <DIR> <OUTDIR>
  ebs-kms --help
  ebs-kms --version

Arguments:
  SCRIPT             the script file to run; `-` reads it from standard input
  DIR, OUTDIR        `svg` runs every DIR/*.sh and writes OUTDIR/<name>.svg (OUTDIR is created)

Options of run:
  --output text      (default) echo each command as `$ <line>`, then what the AWS CLI prints
  --output json      one JSON document: {\"seed\":N,\"steps\":[{\"line\",\"command\",\"profile\",
                     \"region\",\"output\",\"error\",\"expectedFailure\",\"unexpected\",\"calls\"}]}
                     where each call is {\"seq\",\"from\",\"to\",\"operation\",\"request\",
                     \"response\",\"error\"}
  --trace mermaid    print the whole trace as a Mermaid sequence diagram instead
  --trace svg        print the whole trace as the app's standalone SVG instead (with <title>
                     and <desc>; colours are CSS variables, light and dark by prefers-color-scheme)
  --services-only    with --trace (and in `svg`): only the calls between services, not the
                     user's own requests
  --title T          the SVG's title (default: the script's first comment sentence)
  --theme auto       (default) light, dark where the viewer prefers; `light` or `dark` force one
  --seed N           run with seed N instead of the script's `# seed:` line
  -h, --help         print this help
  -V, --version      print the version

Script format (the two header lines are optional: without them the seed is 1, or the N of a
`# seed: N` line among the leading comments; `\\` continuations and comments work as in bash):
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
  2  usage error, or a script that cannot be read or does not parse
  (`svg` writes every SVG it can and exits with the worst status of its scripts)";

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

/// Which diagram replaces the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trace {
    Mermaid,
    Svg,
}

/// The options of `ebs-kms run`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RunOptions {
    output: Output,
    trace: Option<Trace>,
    services_only: bool,
    title: Option<String>,
    theme: Option<SvgTheme>,
    seed: Option<u64>,
    source: Source,
}

/// The options of `ebs-kms svg`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SvgDirOptions {
    services_only: bool,
    theme: Option<SvgTheme>,
    seed: Option<u64>,
    dir: PathBuf,
    out: PathBuf,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Help,
    Version,
    Run(RunOptions),
    SvgDir(SvgDirOptions),
}

/// A problem with the command line: the message is printed with the usage.
#[derive(Clone, Debug, PartialEq, Eq)]
struct UsageError(String);

fn usage_err<T>(msg: impl Into<String>) -> Result<T, UsageError> {
    Err(UsageError(msg.into()))
}

/// Options and positional arguments of `run` and `svg`, before they are checked.
#[derive(Default)]
struct Parsed {
    output: Option<Output>,
    trace: Option<Trace>,
    services_only: bool,
    title: Option<String>,
    theme: Option<SvgTheme>,
    seed: Option<u64>,
    positional: Vec<OsString>,
}

/// Parses the options after the command word; `Ok(Err(action))` means help or version was asked.
fn parse_options(args: &[OsString], command: &str) -> Result<Result<Parsed, Action>, UsageError> {
    let mut p = Parsed::default();
    let mut only_positional = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let text = arg.to_str();
        if !only_positional && text == Some("--") {
            only_positional = true;
            continue;
        }
        let is_option = !only_positional && text.is_some_and(|t| t.starts_with('-') && t != "-");
        if !is_option {
            p.positional.push(arg.clone());
            continue;
        }
        let t = text.unwrap_or_default();
        if matches!(t, "-h" | "--help") {
            return Ok(Err(Action::Help));
        }
        if matches!(t, "-V" | "--version") {
            return Ok(Err(Action::Version));
        }
        if t == "--services-only" {
            p.services_only = true;
            continue;
        }
        let (name, inline) = match t.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (t, None),
        };
        let allowed: &[&str] = if command == "run" {
            &["--output", "--trace", "--seed", "--title", "--theme"]
        } else {
            &["--seed", "--theme"]
        };
        if !allowed.contains(&name) {
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
        let twice = || usage_err(format!("`{name}` is given twice."));
        match name {
            "--output" => {
                if p.output.is_some() {
                    return twice();
                }
                p.output = Some(match value.as_str() {
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
                if p.trace.is_some() {
                    return twice();
                }
                p.trace = Some(match value.as_str() {
                    "mermaid" => Trace::Mermaid,
                    "svg" => Trace::Svg,
                    v => {
                        return usage_err(format!(
                            "`--trace` must be `mermaid` or `svg`, not `{v}`."
                        ))
                    }
                });
            }
            "--title" => {
                if p.title.is_some() {
                    return twice();
                }
                p.title = Some(value);
            }
            "--theme" => {
                if p.theme.is_some() {
                    return twice();
                }
                p.theme = Some(match value.as_str() {
                    "auto" => SvgTheme::Auto,
                    "light" => SvgTheme::Light,
                    "dark" => SvgTheme::Dark,
                    v => {
                        return usage_err(format!(
                            "`--theme` must be `auto`, `light` or `dark`, not `{v}`."
                        ))
                    }
                });
            }
            _ => {
                if p.seed.is_some() {
                    return twice();
                }
                match value.parse::<u64>() {
                    Ok(n) => p.seed = Some(n),
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
    Ok(Ok(p))
}

/// Parses the arguments after the program name.
fn parse_args(args: &[OsString]) -> Result<Action, UsageError> {
    let Some(first) = args.first() else {
        return usage_err("no command given.");
    };
    let command = match first.to_str() {
        Some("-h" | "--help" | "help") => return Ok(Action::Help),
        Some("-V" | "--version" | "version") => return Ok(Action::Version),
        Some(c @ ("run" | "svg")) => c,
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
    };
    let p = match parse_options(args.get(1..).unwrap_or(&[]), command)? {
        Ok(p) => p,
        Err(action) => return Ok(action),
    };
    if command == "svg" {
        let [dir, out] = p.positional.as_slice() else {
            return usage_err(format!(
                "`svg` takes a folder of scripts and a folder for the SVGs, not {} argument{}.",
                p.positional.len(),
                if p.positional.len() == 1 { "" } else { "s" }
            ));
        };
        return Ok(Action::SvgDir(SvgDirOptions {
            services_only: p.services_only,
            theme: p.theme,
            seed: p.seed,
            dir: PathBuf::from(dir),
            out: PathBuf::from(out),
        }));
    }
    let source = match p.positional.as_slice() {
        [] => return usage_err("`run` needs a script file (or `-` for standard input)."),
        [one] if one.to_str() == Some("-") => Source::Stdin,
        [one] => Source::File(one.clone()),
        [_, extra, ..] => {
            return usage_err(format!(
                "more than one script given (`{}`); run takes one.",
                extra.to_string_lossy()
            ))
        }
    };
    if p.output.is_some() && p.trace.is_some() {
        return usage_err(
            "`--output` and `--trace` cannot be combined: the diagram replaces the output.",
        );
    }
    if p.trace.is_none() && p.services_only {
        return usage_err("`--services-only` goes with `--trace mermaid` or `--trace svg`.");
    }
    if p.trace != Some(Trace::Svg) && (p.title.is_some() || p.theme.is_some()) {
        return usage_err("`--title` and `--theme` go with `--trace svg`.");
    }
    Ok(Action::Run(RunOptions {
        output: p.output.unwrap_or(Output::Text),
        trace: p.trace,
        services_only: p.services_only,
        title: p.title,
        theme: p.theme,
        seed: p.seed,
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
/// (`first_line` is the number of the script's first line; continuation lines counted).
fn execute(script: &Script, first_line: usize) -> (Session, Vec<Step>) {
    let mut session = Session::new_in(script.cloud(), script.seed);
    let mut steps = Vec::new();
    let mut line = first_line;
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

/// A script read and run: what the reports are made from.
struct Ran {
    text: String,
    seed: u64,
    session: Session,
    steps: Vec<Step>,
}

/// Reads, parses and runs a script; on failure prints why and gives exit status 2.
fn load_and_execute(source: &Source, seed: Option<u64>) -> Result<Ran, u8> {
    let name = source.describe();
    let text = match read_source(source) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("ebs-kms: error: {name}: {msg}");
            return Err(2);
        }
    };
    let mut parsed = match parse_script(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ebs-kms: error: {name}: {}", script_error_message(&e));
            return Err(2);
        }
    };
    if let Some(seed) = seed {
        parsed.script.seed = seed;
    }
    let (session, steps) = execute(&parsed.script, parsed.first_line);
    Ok(Ran {
        text,
        seed: parsed.script.seed,
        session,
        steps,
    })
}

/// Lists the lines whose outcome differs from what they declare on stderr; 1 if any, else 0.
fn report_unexpected(name: &str, steps: &[Step]) -> u8 {
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

/// The SVG of a run, titled by `--title`, else the script's first comment sentence.
fn svg_of(ran: &Ran, title: Option<String>, theme: Option<SvgTheme>, only: bool) -> String {
    export_svg(
        ran.session.calls(),
        &ExportOptions {
            theme,
            title: title.or_else(|| title_of(&ran.text)),
            services_only: only,
        },
    )
}

/// Runs a script and returns the exit status.
fn run(opts: &RunOptions) -> u8 {
    let name = opts.source.describe();
    let ran = match load_and_execute(&opts.source, opts.seed) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let report = match opts.trace {
        Some(Trace::Mermaid) if opts.services_only => {
            to_mermaid(&services_only(ran.session.calls()))
        }
        Some(Trace::Mermaid) => to_mermaid(ran.session.calls()),
        Some(Trace::Svg) => svg_of(&ran, opts.title.clone(), opts.theme, opts.services_only),
        None => match opts.output {
            Output::Text => text_report(&ran.steps),
            Output::Json => {
                let doc = json_report(ran.seed, &ran.session, &ran.steps);
                let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
                s.push('\n');
                s
            }
        },
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error of the script: stop writing, keep the status.
    let _ = stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush());
    report_unexpected(&name, &ran.steps)
}

/// The `*.sh` files of a folder, sorted by name.
fn scripts_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read the folder: {e}."))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "sh"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("it holds no `.sh` scripts.".into());
    }
    Ok(files)
}

/// `ebs-kms svg DIR OUTDIR`: one SVG per script; the worst exit status of the scripts.
fn svg_dir(opts: &SvgDirOptions) -> u8 {
    let dir_name = opts.dir.display();
    let files = match scripts_in(&opts.dir) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("ebs-kms: error: {dir_name}: {msg}");
            return 2;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&opts.out) {
        eprintln!(
            "ebs-kms: error: {}: cannot create the folder: {e}.",
            opts.out.display()
        );
        return 2;
    }
    let mut worst = 0;
    for file in files {
        let source = Source::File(file.clone().into_os_string());
        let ran = match load_and_execute(&source, opts.seed) {
            Ok(r) => r,
            Err(code) => {
                worst = worst.max(code);
                continue;
            }
        };
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = opts.out.join(format!("{stem}.svg"));
        let svg = svg_of(&ran, None, opts.theme, opts.services_only);
        if let Err(e) = std::fs::write(&target, svg) {
            eprintln!("ebs-kms: error: {}: cannot write: {e}.", target.display());
            worst = 2;
            continue;
        }
        println!(
            "{} -> {} ({} calls)",
            file.display(),
            target.display(),
            ran.session.calls().len()
        );
        worst = worst.max(report_unexpected(&source.describe(), &ran.steps));
    }
    worst
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
        Ok(Action::SvgDir(opts)) => svg_dir(&opts),
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
