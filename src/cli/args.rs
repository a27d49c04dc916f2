//! From argument strings (after shell expansion) to what to do: global options, the command
//! from the schema, its parameters converted to AWS-shaped JSON (scalars, lists, shorthand,
//! JSON, `--cli-input-json`) and checked the way botocore checks them.
//!
//! Messages follow the AWS CLI v2: `aws: error: the following arguments are required: …`,
//! `Unknown options: …`, `aws: error: argument operation: Invalid choice, …`,
//! `Parameter validation failed: …`. Nothing here talks to the backend.

use super::schema::{self, Command, Param, Ty, Waiter};
use super::shorthand::{self, Sh};
use super::CliError;
use serde_json::{Map, Value};

/// `--output` formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// JSON, indented like the AWS CLI.
    Json,
    /// The AWS CLI text format (tab-separated).
    Text,
    /// The AWS CLI table format.
    Table,
}

impl OutputFormat {
    /// Parses `json`, `text` or `table`.
    pub fn parse(s: &str) -> Option<OutputFormat> {
        match s {
            "json" => Some(OutputFormat::Json),
            "text" => Some(OutputFormat::Text),
            "table" => Some(OutputFormat::Table),
            _ => None,
        }
    }

    /// The option value for this format.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Text => "text",
            OutputFormat::Table => "table",
        }
    }
}

/// Global options (accepted anywhere after `aws` or `play`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Globals {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--output`.
    pub output: Option<OutputFormat>,
    /// `--query` (JMESPath).
    pub query: Option<String>,
}

/// What a command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Invocation {
    /// Call an API operation.
    Api {
        /// The schema entry.
        command: &'static Command,
        /// AWS-shaped parameters.
        params: Value,
        /// `--dry-run` was given: answer DryRunOperation without calling.
        dry_run: bool,
    },
    /// `aws ec2 wait NAME …`: poll a describe operation.
    Wait {
        /// The waiter.
        waiter: &'static Waiter,
        /// Parameters of the describe operation.
        params: Value,
    },
    /// Print this text (help, `--generate-cli-skeleton`).
    Help(String),
    /// `aws configure set KEY VALUE [--profile P]`.
    ConfigureSet {
        /// `region` or `output`.
        key: String,
        /// The value.
        value: String,
    },
    /// `aws configure get KEY [--profile P]`.
    ConfigureGet {
        /// `region`, `output`, `account_id` or `principal`.
        key: String,
    },
    /// `aws configure list`.
    ConfigureList,
    /// `aws configure list-profiles`.
    ConfigureListProfiles,
    /// `play profile add NAME --account-id ID [--region R] [--principal ARN]`, or
    /// `play profile add NAME --role-arn ARN [--source-profile P] [--role-session-name S]`.
    ProfileAdd {
        /// Profile name.
        name: String,
        /// Twelve-digit account id (`None` for a role profile: the role's account).
        account: Option<String>,
        /// Region (default us-east-1, or the source profile's for a role profile).
        region: Option<String>,
        /// Principal ARN (default the account root).
        principal: Option<String>,
        /// A role profile: the session comes from `sts:AssumeRole`.
        role: Option<RoleProfile>,
    },
    /// `play profile list`.
    ProfileList,
}

/// A parsed command line.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedCommand {
    /// Global options.
    pub globals: Globals,
    /// What to do.
    pub invocation: Invocation,
}

const GLOBAL_VALUED: &[&str] = &[
    "--profile",
    "--region",
    "--output",
    "--query",
    "--endpoint-url",
    "--color",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--ca-bundle",
    "--cli-binary-format",
];
const GLOBAL_FLAGS: &[&str] = &[
    "--debug",
    "--no-cli-pager",
    "--no-paginate",
    "--no-verify-ssl",
    "--no-sign-request",
    "--no-cli-auto-prompt",
    "--cli-auto-prompt",
];

/// The global options, for completion.
pub fn global_options() -> impl Iterator<Item = &'static str> {
    GLOBAL_VALUED.iter().chain(GLOBAL_FLAGS.iter()).copied()
}

fn usage_error(msg: impl Into<String>) -> CliError {
    CliError::syntax(format!("aws: error: {}", msg.into()))
}

fn is_option(s: &str) -> bool {
    s.starts_with("--")
}

/// Parses argument strings (`args[0]` is `aws` or `play`).
pub fn parse_args(args: &[String]) -> Result<ParsedCommand, CliError> {
    let Some(program) = args.first() else {
        return Err(CliError::syntax("Empty command."));
    };
    let (globals, rest) = split_globals(args.get(1..).unwrap_or(&[]))?;
    let invocation = match program.as_str() {
        "aws" => parse_aws(&rest, &globals)?,
        "play" => parse_play(&rest, &globals)?,
        other => {
            return Err(CliError::syntax(format!(
                "{other}: command not found. The console runs `aws …` commands and the playground's own `play …` commands (see `play help`)."
            )))
        }
    };
    Ok(ParsedCommand {
        globals,
        invocation,
    })
}

fn split_globals(args: &[String]) -> Result<(Globals, Vec<String>), CliError> {
    let mut g = Globals::default();
    let mut rest = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if is_option(n) => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        if GLOBAL_FLAGS.contains(&name) {
            continue;
        }
        if !GLOBAL_VALUED.contains(&name) {
            rest.push(a.clone());
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match args.get(i) {
                Some(v) if !is_option(v) => {
                    i += 1;
                    v.clone()
                }
                _ => {
                    return Err(usage_error(format!(
                        "argument {name}: expected one argument"
                    )))
                }
            },
        };
        match name {
            "--profile" => g.profile = Some(value),
            "--region" => g.region = Some(value),
            "--query" => g.query = Some(value),
            "--output" => match OutputFormat::parse(&value) {
                Some(f) => g.output = Some(f),
                None if value == "yaml" || value == "yaml-stream" => {
                    return Err(CliError::syntax(format!(
                        "--output {value} is not available in the playground: use json, text or table."
                    )))
                }
                None => {
                    return Err(usage_error(format!(
                        "argument --output: Invalid choice, valid choices are:\n\njson | text | table | yaml | yaml-stream\n\nInvalid choice: '{value}'"
                    )))
                }
            },
            _ => {} // accepted and ignored: endpoint, color, timeouts, CA bundle, binary format
        }
    }
    Ok((g, rest))
}

fn parse_aws(rest: &[String], globals: &Globals) -> Result<Invocation, CliError> {
    let Some(service) = rest.first() else {
        return Err(usage_error("the following arguments are required: command"));
    };
    let service = service.as_str();
    if service == "help" {
        return Ok(Invocation::Help(general_help()));
    }
    let operation = rest.get(1).map(String::as_str);
    let tail = rest.get(2..).unwrap_or(&[]);
    match service {
        "configure" => return parse_configure(operation, tail, globals),
        s if schema::AWS_SERVICES.contains(&s) => {}
        _ => return Err(invalid_service(service)),
    }
    let Some(operation) = operation else {
        return Err(usage_error(
            "the following arguments are required: operation",
        ));
    };
    if operation == "help" {
        return Ok(Invocation::Help(service_help(service)));
    }
    if operation == "wait" && service == "ec2" {
        return parse_wait(tail);
    }
    let Some(command) = schema::find(service, operation) else {
        let mut names: Vec<&str> = schema::commands_of(service).map(|c| c.name).collect();
        if service == "ec2" {
            names.push("wait");
        }
        return Err(invalid_operation(service, operation, &names));
    };
    if tail.first().map(String::as_str) == Some("help") {
        return Ok(Invocation::Help(command_help(command)));
    }
    parse_api(command, tail)
}

fn invalid_service(service: &str) -> CliError {
    let mut msg = format!(
        "aws: error: argument command: Invalid choice, valid choices are:\n\n{}\n\nThe playground models EC2/EBS, KMS, IAM, STS and Auto Scaling (plus `aws configure`); its own commands start with `play` (see `play help`).",
        schema::AWS_CHOICES.join(" | ")
    );
    let close: Vec<&str> = schema::closest(service, schema::AWS_CHOICES.iter().copied(), 2)
        .into_iter()
        .filter(|c| near(service, c))
        .collect();
    if !close.is_empty() {
        msg.push_str(&format!(
            "\n\nInvalid choice: '{service}', maybe you meant:\n"
        ));
        for c in close {
            msg.push_str(&format!("\n  * {c}"));
        }
    }
    CliError::syntax(msg)
}

fn near(typed: &str, choice: &str) -> bool {
    let t = typed.to_ascii_lowercase();
    (t.len() >= 3 && (choice.contains(&t) || t.contains(choice)))
        || schema::edit_distance(&t, choice) <= 2.max(choice.len() / 5)
}

fn invalid_operation(service: &str, typed: &str, names: &[&str]) -> CliError {
    let shown = schema::closest(typed, names.iter().copied(), 8);
    let mut msg = format!(
        "aws: error: argument operation: Invalid choice, valid choices are:\n\n{}",
        shown.join(" | ")
    );
    if names.len() > shown.len() {
        msg.push_str(&format!(
            "\n\n(… and {} more: `aws {service} help` lists all {} {service} commands the playground models.)",
            names.len() - shown.len(),
            names.len()
        ));
    }
    let close: Vec<&&str> = shown.iter().take(3).filter(|c| near(typed, c)).collect();
    if !close.is_empty() {
        msg.push_str(&format!(
            "\n\nInvalid choice: '{typed}', maybe you meant:\n"
        ));
        for c in close {
            msg.push_str(&format!("\n  * {c}"));
        }
    }
    CliError::syntax(msg)
}

fn unknown_options(words: &[String]) -> CliError {
    CliError::syntax(format!("Unknown options: {}", words.join(", ")))
}

fn parse_configure(
    operation: Option<&str>,
    tail: &[String],
    _globals: &Globals,
) -> Result<Invocation, CliError> {
    let keys = "region, output";
    match operation {
        Some("set") => match tail {
            [key, value] => {
                let key = key.strip_prefix("default.").unwrap_or(key);
                match key {
                    "region" | "output" => {
                        if key == "output" && OutputFormat::parse(value).is_none() {
                            return Err(CliError::syntax(format!(
                                "Unsupported output format '{value}': use json, text or table."
                            )));
                        }
                        Ok(Invocation::ConfigureSet {
                            key: key.to_string(),
                            value: value.clone(),
                        })
                    }
                    "aws_access_key_id" | "aws_secret_access_key" | "aws_session_token" => Err(CliError::syntax(
                        "The playground uses no credentials: a profile is an account id and a principal. Add one with: play profile add NAME --account-id 123456789012",
                    )),
                    _ => Err(CliError::syntax(format!(
                        "The playground stores only {keys} with `aws configure set`; accounts come from `play profile add`."
                    ))),
                }
            }
            _ => Err(usage_error("the following arguments are required: varname, value")),
        },
        Some("get") => match tail {
            [key] => Ok(Invocation::ConfigureGet { key: key.clone() }),
            _ => Err(usage_error("the following arguments are required: varname")),
        },
        Some("list") if tail.is_empty() => Ok(Invocation::ConfigureList),
        Some("list-profiles") if tail.is_empty() => Ok(Invocation::ConfigureListProfiles),
        Some("list") | Some("list-profiles") => Err(unknown_options(tail)),
        None => Err(CliError::syntax(
            "Interactive `aws configure` is not available: use `aws configure set region us-west-2 [--profile NAME]`, or `play profile add NAME --account-id ID` for another account.",
        )),
        Some(op) => Err(invalid_operation("configure", op, &["get", "list", "list-profiles", "set"])),
    }
}

fn parse_wait(tail: &[String]) -> Result<Invocation, CliError> {
    let names: Vec<&str> = schema::WAITERS.iter().map(|w| w.name).collect();
    let Some(name) = tail.first() else {
        return Err(usage_error(format!(
            "the following arguments are required: waiter name, one of: {}",
            names.join(" | ")
        )));
    };
    if name == "help" {
        let mut s = String::from("aws ec2 wait WAITER --ids…: polls until a condition holds (advancing simulated time 15 s per poll, up to 40 polls).\n");
        for w in schema::WAITERS {
            s.push_str(&format!("\n  {:<22} {}", w.name, w.help));
        }
        return Ok(Invocation::Help(s));
    }
    let Some(waiter) = schema::find_waiter(name) else {
        let shown = schema::closest(name, names.iter().copied(), 10);
        return Err(usage_error(format!(
            "argument subcommand: Invalid choice, valid choices are:\n\n{}",
            shown.join(" | ")
        )));
    };
    let Some(describe) = schema::find("ec2", waiter.describe) else {
        return Err(CliError::syntax(
            "internal: waiter without describe command",
        ));
    };
    match parse_api(describe, tail.get(1..).unwrap_or(&[]))? {
        Invocation::Api { params, .. } => Ok(Invocation::Wait { waiter, params }),
        other => Ok(other),
    }
}

fn parse_play(rest: &[String], globals: &Globals) -> Result<Invocation, CliError> {
    let sub = rest.first().map(String::as_str);
    let tail = rest.get(1..).unwrap_or(&[]);
    match sub {
        None | Some("help") => Ok(Invocation::Help(play_help())),
        Some("profile") => parse_profile(tail, globals),
        Some(name) => match schema::find("play", name) {
            Some(command) if tail.first().map(String::as_str) == Some("help") => {
                Ok(Invocation::Help(command_help(command)))
            }
            Some(command) => parse_api(command, tail),
            None => {
                let mut names: Vec<&str> = schema::commands_of("play").map(|c| c.name).collect();
                names.extend(["profile", "help"]);
                Err(CliError::syntax(format!(
                    "play: unknown command '{name}'. The playground's own commands are: {}. See `play help`.",
                    names.join(", ")
                )))
            }
        },
    }
}

fn parse_profile(tail: &[String], globals: &Globals) -> Result<Invocation, CliError> {
    let usage = "usage: play profile add NAME --account-id 123456789012 [--region us-east-1] [--principal ARN] | play profile add NAME --role-arn ARN [--source-profile PROFILE] [--role-session-name NAME] | play profile list";
    match tail.first().map(String::as_str) {
        Some("list") if tail.len() == 1 => Ok(Invocation::ProfileList),
        Some("add") => {
            let mut name = None;
            let mut account = None;
            // `--region` is also a global option, so it arrives in `globals`.
            let mut region = globals.region.clone();
            let mut principal = None;
            let (mut role_arn, mut source_profile, mut session_name) = (None, None, None);
            let mut unknown = Vec::new();
            let mut i = 1;
            while let Some(a) = tail.get(i) {
                i += 1;
                let slot = match a.as_str() {
                    "--account-id" | "--account" => &mut account,
                    "--region" => &mut region,
                    "--principal" => &mut principal,
                    "--role-arn" => &mut role_arn,
                    "--source-profile" => &mut source_profile,
                    "--role-session-name" => &mut session_name,
                    s if !is_option(s) && name.is_none() => {
                        name = Some(a.clone());
                        continue;
                    }
                    _ => {
                        unknown.push(a.clone());
                        continue;
                    }
                };
                match tail.get(i) {
                    Some(v) if !is_option(v) => {
                        *slot = Some(v.clone());
                        i += 1;
                    }
                    _ => {
                        return Err(CliError::syntax(format!(
                            "play profile add: {a} expects a value. {usage}"
                        )))
                    }
                }
            }
            if !unknown.is_empty() {
                return Err(CliError::syntax(format!(
                    "Unknown options: {}. {usage}",
                    unknown.join(", ")
                )));
            }
            let Some(name) = name else {
                return Err(CliError::syntax(format!(
                    "play profile add needs a NAME. {usage}"
                )));
            };
            let role = match (role_arn, &account, &principal) {
                (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                    return Err(CliError::syntax(format!(
                        "play profile add: --role-arn takes the account and principal from the role session; leave out --account-id and --principal. {usage}"
                    )))
                }
                (Some(role_arn), None, None) => Some(RoleProfile {
                    role_arn,
                    source_profile,
                    session_name,
                }),
                (None, _, _) if source_profile.is_some() || session_name.is_some() => {
                    return Err(CliError::syntax(format!(
                        "play profile add: --source-profile and --role-session-name go with --role-arn. {usage}"
                    )))
                }
                (None, None, _) => {
                    return Err(CliError::syntax(format!(
                        "play profile add needs --account-id (or --role-arn). {usage}"
                    )))
                }
                (None, Some(_), _) => None,
            };
            if let Some(account) = &account {
                if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(CliError::syntax(format!(
                        "play profile add: the account id must be 12 digits, got '{account}'."
                    )));
                }
            }
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                || name.len() > 64
            {
                return Err(CliError::syntax(
                    "play profile add: a profile name uses letters, digits, - and _ (at most 64).",
                ));
            }
            Ok(Invocation::ProfileAdd {
                name,
                account,
                region,
                principal,
                role,
            })
        }
        _ => Err(CliError::syntax(usage)),
    }
}

/// A profile that acts as a role session, as `role_arn` + `source_profile` do in the AWS CLI's
/// config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleProfile {
    /// The role to assume.
    pub role_arn: String,
    /// The profile whose principal calls AssumeRole (default: the current profile).
    pub source_profile: Option<String>,
    /// The session name (default `playground-NAME`).
    pub session_name: Option<String>,
}

/// Parses the options of an API command (everything after the command name).
pub fn parse_api(command: &'static Command, args: &[String]) -> Result<Invocation, CliError> {
    let mut given: Vec<(&'static Param, Value)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut input_json: Option<Map<String, Value>> = None;
    let mut dry_run = false;
    let mut extras: Vec<(&'static str, String)> = Vec::new();
    let mut skeleton = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if !is_option(a) {
            unknown.push(a.clone());
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let opt = name.get(2..).unwrap_or("");
        // Takes exactly one value (inline or the next word).
        let one_value = |i: &mut usize| -> Result<String, CliError> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            match args.get(*i) {
                Some(v) if !is_option(v) => {
                    *i += 1;
                    Ok(v.clone())
                }
                _ => Err(usage_error(format!(
                    "argument {name}: expected one argument"
                ))),
            }
        };
        if name == "--cli-input-json" {
            let text = one_value(&mut i)?;
            input_json = Some(parse_input_json(&text)?);
            continue;
        }
        if name == "--generate-cli-skeleton" {
            if inline.is_none() && args.get(i).is_some_and(|v| v == "input") {
                i += 1;
            }
            skeleton = true;
            continue;
        }
        if command.takes_dry_run() && (name == "--dry-run" || name == "--no-dry-run") {
            dry_run = name == "--dry-run";
            continue;
        }
        if let Some(extra) = command.extras.iter().find(|e| e.option == name) {
            let v = one_value(&mut i)?;
            extras.push((extra.option, v));
            continue;
        }
        if let Some(p) = command.param_by_option(opt) {
            let value = match p.ty {
                Ty::Bool => {
                    if let Some(v) = &inline {
                        return Err(usage_error(format!(
                            "argument {name}: ignored explicit argument '{v}'"
                        )));
                    }
                    Value::Bool(true)
                }
                Ty::StrList | Ty::StructList(_) => {
                    let mut values = Vec::new();
                    if let Some(v) = &inline {
                        values.push(v.clone());
                    }
                    while let Some(v) = args.get(i) {
                        if is_option(v) {
                            break;
                        }
                        values.push(v.clone());
                        i += 1;
                    }
                    if values.is_empty() {
                        return Err(usage_error(format!(
                            "argument {name}: expected at least one argument"
                        )));
                    }
                    convert_list(name, p.ty, &values)?
                }
                _ => {
                    let v = one_value(&mut i)?;
                    convert_single(name, p.ty, &v)?
                }
            };
            given.retain(|(q, _)| q.name != p.name);
            given.push((p, value));
            continue;
        }
        if let Some(p) = opt
            .strip_prefix("no-")
            .and_then(|o| command.param_by_option(o))
        {
            if p.ty == Ty::Bool {
                given.retain(|(q, _)| q.name != p.name);
                given.push((p, Value::Bool(false)));
                continue;
            }
        }
        unknown.push(a.clone());
        // argparse leaves the words after an unknown option among the unknown ones.
        while let Some(v) = args.get(i) {
            if is_option(v) {
                break;
            }
            unknown.push(v.clone());
            i += 1;
        }
    }
    if skeleton {
        return Ok(Invocation::Help(skeleton_json(command)));
    }
    let mut params = Map::new();
    if let Some(mut input) = input_json.clone() {
        if let Some(v) = input.remove("DryRun") {
            dry_run = dry_run || v == Value::Bool(true);
            if !command.takes_dry_run() {
                input.insert("DryRun".into(), v);
            }
        }
        params = input;
    }
    for (p, v) in given {
        params.insert(p.name.to_string(), v);
    }
    apply_extras(command, &extras, &mut params)?;
    if input_json.is_none() {
        let missing: Vec<String> = command
            .params
            .iter()
            .filter(|p| p.required && !params.contains_key(p.name))
            .map(|p| format!("--{}", schema::cli_name(p.name)))
            .collect();
        if !missing.is_empty() {
            return Err(usage_error(format!(
                "the following arguments are required: {}",
                missing.join(", ")
            )));
        }
    }
    if !unknown.is_empty() {
        return Err(unknown_options(&unknown));
    }
    let params = Value::Object(params);
    validate(command, &params)?;
    Ok(Invocation::Api {
        command,
        params,
        dry_run,
    })
}

fn parse_input_json(text: &str) -> Result<Map<String, Value>, CliError> {
    reject_file_url("--cli-input-json", text)?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(CliError::syntax(
            "Error parsing parameter 'cli-input-json': Invalid JSON received: expected a JSON object ({ … }).",
        )),
        Err(e) => Err(CliError::syntax(format!(
            "Error parsing parameter 'cli-input-json': Invalid JSON received: {e}\nJSON received: {text}"
        ))),
    }
}

fn reject_file_url(option: &str, v: &str) -> Result<(), CliError> {
    if v.starts_with("file://") || v.starts_with("fileb://") {
        return Err(CliError::syntax(format!(
            "Error parsing parameter '{option}': the playground has no files, so file:// and fileb:// cannot be read: paste the value itself (JSON in single quotes)."
        )));
    }
    Ok(())
}

fn apply_extras(
    command: &Command,
    extras: &[(&'static str, String)],
    params: &mut Map<String, Value>,
) -> Result<(), CliError> {
    match command.operation {
        "RunInstances" => {
            for (_, v) in extras {
                let parsed = match v.split_once(':') {
                    Some((a, b)) => a
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .zip(b.trim().parse::<i64>().ok()),
                    None => v.trim().parse::<i64>().ok().map(|n| (n, n)),
                };
                let Some((min, max)) = parsed else {
                    return Err(CliError::syntax(format!(
                        "Error parsing parameter '--count': expected N or MIN:MAX, received: '{v}'"
                    )));
                };
                params.insert("MinCount".into(), min.into());
                params.insert("MaxCount".into(), max.into());
            }
            // The AWS CLI launches one instance unless told otherwise.
            match (
                params.get("MinCount").cloned(),
                params.get("MaxCount").cloned(),
            ) {
                (None, None) => {
                    params.insert("MinCount".into(), 1.into());
                    params.insert("MaxCount".into(), 1.into());
                }
                (Some(v), None) => {
                    params.insert("MaxCount".into(), v);
                }
                (None, Some(v)) => {
                    params.insert("MinCount".into(), v);
                }
                _ => {}
            }
        }
        "AdvanceTime" => {
            let mut total: i64 = match params.get("Seconds") {
                Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
                _ => 0,
            };
            for (opt, v) in extras {
                let unit: i64 = match *opt {
                    "--minutes" => 60,
                    "--hours" => 3600,
                    _ => 86_400,
                };
                let n = v.trim().parse::<i64>().map_err(|_| {
                    CliError::syntax(format!(
                        "Error parsing parameter '{opt}': expected an integer, received: '{v}'"
                    ))
                })?;
                total = n
                    .checked_mul(unit)
                    .and_then(|s| total.checked_add(s))
                    .ok_or_else(|| {
                        CliError::syntax(format!(
                            "Error parsing parameter '{opt}': the value is too large."
                        ))
                    })?;
            }
            if !extras.is_empty() || params.contains_key("Seconds") {
                params.insert("Seconds".into(), total.into());
            } else {
                return Err(CliError::syntax(
                    "play advance: the following arguments are required: --seconds (or --minutes, --hours, --days)",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

fn convert_single(option: &str, ty: Ty, v: &str) -> Result<Value, CliError> {
    reject_file_url(option, v)?;
    match ty {
        Ty::Str => Ok(Value::String(v.to_string())),
        Ty::Int => v.trim().parse::<i64>().map(Value::from).map_err(|_| {
            CliError::syntax(format!(
                "Error parsing parameter '{option}': expected an integer, received: '{v}'"
            ))
        }),
        Ty::Bool => Ok(Value::Bool(true)),
        Ty::Map | Ty::Struct(_) => {
            if v.trim_start().starts_with('{') {
                parse_json_value(option, v)
            } else {
                let pairs = shorthand::parse(v).map_err(|e| param_error(option, &e))?;
                Ok(coerce(&Sh::Map(pairs), ty))
            }
        }
        Ty::StrList | Ty::StructList(_) => convert_list(option, ty, &[v.to_string()]),
    }
}

fn convert_list(option: &str, ty: Ty, values: &[String]) -> Result<Value, CliError> {
    for v in values {
        reject_file_url(option, v)?;
    }
    if let [only] = values {
        if only.trim_start().starts_with('[') {
            return parse_json_value(option, only);
        }
    }
    let mut out = Vec::new();
    for v in values {
        match ty {
            Ty::StructList(_) if v.trim_start().starts_with('{') => {
                out.push(parse_json_value(option, v)?)
            }
            Ty::StructList(members) => {
                let pairs = shorthand::parse(v).map_err(|e| param_error(option, &e))?;
                out.push(coerce(&Sh::Map(pairs), Ty::Struct(members)));
            }
            _ => out.push(Value::String(v.clone())),
        }
    }
    Ok(Value::Array(out))
}

fn param_error(option: &str, msg: &str) -> CliError {
    CliError::syntax(format!("Error parsing parameter '{option}': {msg}"))
}

fn parse_json_value(option: &str, text: &str) -> Result<Value, CliError> {
    serde_json::from_str(text)
        .map_err(|e| param_error(option, &format!("Invalid JSON: {e}\nJSON received: {text}")))
}

/// Converts an untyped shorthand value to JSON using the expected type; values that do not
/// fit are kept as they are, so that [`validate`] reports them in botocore's words.
fn coerce(sh: &Sh, ty: Ty) -> Value {
    match (sh, ty) {
        (Sh::Scalar(s), Ty::Int) => s
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(s.clone())),
        (Sh::Scalar(s), Ty::Bool) => match s.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(s.clone()),
        },
        (Sh::Scalar(s), Ty::StrList) => Value::Array(vec![Value::String(s.clone())]),
        (Sh::Scalar(s), _) => Value::String(s.clone()),
        (Sh::List(items), Ty::StrList) => {
            Value::Array(items.iter().map(|i| coerce(i, Ty::Str)).collect())
        }
        (Sh::List(items), Ty::StructList(m)) => {
            Value::Array(items.iter().map(|i| coerce(i, Ty::Struct(m))).collect())
        }
        (Sh::List(items), _) => Value::Array(items.iter().map(|i| coerce(i, Ty::Str)).collect()),
        (Sh::Map(_), Ty::StructList(m)) => Value::Array(vec![coerce(sh, Ty::Struct(m))]),
        (Sh::Map(pairs), Ty::Struct(members)) => {
            let mut out = Map::new();
            for (k, v) in pairs {
                let t = members
                    .iter()
                    .find(|m| m.name == k)
                    .map_or(Ty::Str, |m| m.ty);
                out.insert(k.clone(), coerce(v, t));
            }
            Value::Object(out)
        }
        (Sh::Map(pairs), _) => {
            let mut out = Map::new();
            for (k, v) in pairs {
                out.insert(k.clone(), coerce(v, Ty::Str));
            }
            Value::Object(out)
        }
    }
}

/// Checks parameters against the command's schema, with botocore's messages
/// (`Parameter validation failed:` then one line per problem).
pub fn validate(command: &Command, params: &Value) -> Result<(), CliError> {
    let mut errors = Vec::new();
    let fields: Vec<(&str, Ty, bool)> = command
        .params
        .iter()
        .map(|p| (p.name, p.ty, p.required))
        .collect();
    check_struct(params, &fields, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CliError::param(format!(
            "Parameter validation failed:\n{}",
            errors.join("\n")
        )))
    }
}

fn check_struct(v: &Value, fields: &[(&str, Ty, bool)], path: &str, errors: &mut Vec<String>) {
    let Value::Object(obj) = v else {
        errors.push(type_error(path, v, "<class 'dict'>"));
        return;
    };
    let place = if path.is_empty() { "input" } else { path };
    for (name, _, required) in fields {
        if *required && !obj.contains_key(*name) {
            errors.push(format!("Missing required parameter in {place}: \"{name}\""));
        }
    }
    for (k, val) in obj {
        match fields.iter().find(|(n, _, _)| n == k) {
            None => {
                let names: Vec<&str> = fields.iter().map(|(n, _, _)| *n).collect();
                errors.push(format!(
                    "Unknown parameter in {place}: \"{k}\", must be one of: {}",
                    names.join(", ")
                ));
            }
            Some((_, ty, _)) => {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                check_value(val, *ty, &sub, errors);
            }
        }
    }
}

fn check_value(v: &Value, ty: Ty, path: &str, errors: &mut Vec<String>) {
    match ty {
        Ty::Str => {
            if !v.is_string() {
                errors.push(type_error(path, v, "<class 'str'>"));
            }
        }
        Ty::Int => {
            if !(v.is_i64() || v.is_u64()) {
                errors.push(type_error(path, v, "<class 'int'>"));
            }
        }
        Ty::Bool => {
            if !v.is_boolean() {
                errors.push(type_error(path, v, "<class 'bool'>"));
            }
        }
        Ty::StrList | Ty::StructList(_) => {
            let Value::Array(items) = v else {
                errors.push(type_error(path, v, "<class 'list'>, <class 'tuple'>"));
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let sub = format!("{path}[{i}]");
                match ty {
                    Ty::StructList(members) => {
                        let fields: Vec<(&str, Ty, bool)> =
                            members.iter().map(|m| (m.name, m.ty, m.required)).collect();
                        check_struct(item, &fields, &sub, errors);
                    }
                    _ => check_value(item, Ty::Str, &sub, errors),
                }
            }
        }
        Ty::Map => {
            let Value::Object(obj) = v else {
                errors.push(type_error(path, v, "<class 'dict'>"));
                return;
            };
            for (k, val) in obj {
                check_value(val, Ty::Str, &format!("{path}.{k}"), errors);
            }
        }
        Ty::Struct(members) => {
            let fields: Vec<(&str, Ty, bool)> =
                members.iter().map(|m| (m.name, m.ty, m.required)).collect();
            check_struct(v, &fields, path, errors);
        }
    }
}

fn type_error(path: &str, v: &Value, valid: &str) -> String {
    let name = if path.is_empty() { "input" } else { path };
    format!(
        "Invalid type for parameter {name}, value: {}, type: {}, valid types: {valid}",
        py_repr(v, true),
        py_type(v)
    )
}

fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// Python's `str()` of a value (top level) or `repr()` (inside containers).
fn py_repr(v: &Value, top: bool) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if top => s.clone(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| py_repr(i, false))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v, false)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn skeleton_value(ty: Ty) -> Value {
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

fn skeleton_json(command: &Command) -> String {
    let mut m = Map::new();
    for p in command.params {
        m.insert(p.name.into(), skeleton_value(p.ty));
    }
    if command.takes_dry_run() {
        m.insert("DryRun".into(), Value::Bool(true));
    }
    super::output::format_json(&Value::Object(m))
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

fn service_help(service: &str) -> String {
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

fn play_help() -> String {
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

fn synopsis(c: &Command) -> String {
    let mut s = c.prefix();
    for p in c.params {
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
    for p in c.params {
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
