//! Help texts: `aws help`, a service's and a command's help, `--generate-cli-skeleton`.

use super::*;

pub(super) fn skeleton_value(ty: Ty) -> Value {
    match ty {
        Ty::Str => Value::String(String::new()),
        Ty::Int => Value::from(0),
        Ty::Bool => Value::Bool(true),
        Ty::StrList => Value::Array(vec![Value::String(String::new())]),
        Ty::Map => {
            let mut m = Map::new();
            m.insert("KeyName".into(), Value::String(String::new()));
            Value::Object(m)
        }
        Ty::Struct(members) => {
            let mut m = Map::new();
            for mem in members {
                m.insert(mem.name.into(), skeleton_value(mem.ty));
            }
            Value::Object(m)
        }
        Ty::StructList(members) => Value::Array(vec![skeleton_value(Ty::Struct(members))]),
    }
}

pub(super) fn skeleton_json(command: &Command) -> String {
    let mut m = Map::new();
    for p in command.cli_params() {
        m.insert(p.name.into(), skeleton_value(p.ty));
    }
    if command.takes_dry_run() {
        m.insert("DryRun".into(), Value::Bool(true));
    }
    crate::cli::output::format_json(&Value::Object(m))
}

/// `aws help`.
pub fn general_help() -> String {
    let mut s = String::from(
        "aws [options] <command> <subcommand> [parameters]\n\nServices the playground models:\n",
    );
    for svc in schema::AWS_SERVICES {
        s.push_str(&format!(
            "  {svc:<12} {} commands (aws {svc} help)\n",
            schema::commands_of(svc).count()
        ));
    }
    s.push_str("  configure    set region or output of a profile (aws configure set region us-west-2 --profile partner)\n");
    s.push('\n');
    s.push_str("Global options: --profile NAME, --region REGION, --output json|text|table, --query JMESPATH, --cli-input-json JSON.\n");
    s.push_str("Waiters: aws ec2 wait help. The playground's own commands: play help.");
    s
}

pub(super) fn service_help(service: &str) -> String {
    let mut s = format!("aws {service} commands in the playground:\n");
    for c in schema::commands_of(service) {
        s.push_str(&format!("\n  {:<38} {}", c.name, c.help));
    }
    if service == "ec2" {
        s.push_str(&format!(
            "\n  {:<38} {}",
            "wait", "Waits for a condition (aws ec2 wait help)."
        ));
    }
    s
}

pub(super) fn play_help() -> String {
    let mut s = String::from("play: the playground's own commands (AWS has no CLI for them).\n");
    let mut entries: Vec<(String, &str)> = schema::commands_of("play")
        .map(|c| (synopsis(c), c.help))
        .collect();
    entries.push((
        "play profile add NAME --account-id ID [--region R] [--principal ARN]".into(),
        "Adds a profile (another account or principal).",
    ));
    entries.push((
        "play profile add NAME --role-arn ARN [--source-profile P] [--role-session-name S]".into(),
        "Assumes the role with sts:AssumeRole as profile P (default: the current one); NAME then acts as the session.",
    ));
    entries.push(("play profile list".into(), "Lists the profiles."));
    for (syn, help) in entries {
        s.push_str(&format!("\n  {syn}\n      {help}"));
    }
    s
}

pub(super) fn synopsis(c: &Command) -> String {
    let mut s = c.prefix();
    for p in c.cli_params() {
        let opt = format!("--{}", schema::cli_name(p.name));
        let shown = if p.ty == Ty::Bool {
            opt
        } else {
            format!("{opt} <value>")
        };
        if p.required {
            s.push_str(&format!(" {shown}"));
        } else {
            s.push_str(&format!(" [{shown}]"));
        }
    }
    s
}

/// The help of one command: its purpose, then one line per option.
pub fn command_help(c: &Command) -> String {
    let mut s = format!("{}: {}\n", c.prefix(), c.help);
    for p in c.cli_params() {
        let opt = schema::cli_name(p.name);
        let (shown, kind) = match p.ty {
            Ty::Bool => (format!("--{opt} | --no-{opt}"), "boolean"),
            Ty::Int => (format!("--{opt} <value>"), "integer"),
            Ty::Str => (format!("--{opt} <value>"), "string"),
            Ty::StrList => (format!("--{opt} <value> [<value> …]"), "list"),
            Ty::Map => (format!("--{opt} <value>"), "map"),
            Ty::Struct(_) => (format!("--{opt} <value>"), "structure"),
            Ty::StructList(_) => (format!("--{opt} <value> [<value> …]"), "list of structures"),
        };
        let req = if p.required { " (required)" } else { "" };
        s.push_str(&format!("\n  {shown:<52} {kind}{req}: {}", p.help));
    }
    for e in c.extras {
        s.push_str(&format!(
            "\n  {:<52} {}",
            format!("{} <value>", e.option),
            e.help
        ));
    }
    if c.takes_dry_run() {
        s.push_str(&format!(
            "\n  {:<52} {}",
            "--dry-run | --no-dry-run", "Check the request without doing it."
        ));
    }
    s.push_str(&format!(
        "\n  {:<52} {}",
        "--cli-input-json <value>", "Parameters as JSON with AWS member names."
    ));
    s
}
