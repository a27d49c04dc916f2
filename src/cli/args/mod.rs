//! From argument strings (after shell expansion) to what to do: global options, the command
//! from the schema, its parameters converted to AWS-shaped JSON (scalars, lists, shorthand,
//! JSON, `--cli-input-json`) and checked the way botocore checks them.
//!
//! Messages follow the AWS CLI v2: `aws: error: the following arguments are required: …`,
//! `Unknown options: …`, `aws: error: argument operation: Invalid choice, …`,
//! `Parameter validation failed: …`. Nothing here talks to the backend.

mod api;
mod help;
mod s3;
mod validate;
pub use api::*;
pub use help::*;
pub use validate::*;

pub use super::output::OutputFormat;
use super::schema::{self, Command, Param, Ty, Waiter};
use super::shorthand::{self, Sh};
use super::CliError;
use serde_json::{Map, Value};

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
        /// `--dry-run` was given: the model answers DryRunOperation.
        dry_run: bool,
        /// The CLI's paging options (`--max-items`, `--starting-token`, `--page-size`).
        pages: PageArgs,
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
    parse_args_in(args, 12)
}

/// [`parse_args`] for a world whose account ids have `account_digits` digits (`play profile
/// add --account-id`).
pub fn parse_args_in(args: &[String], account_digits: usize) -> Result<ParsedCommand, CliError> {
    let Some(program) = args.first() else {
        return Err(CliError::syntax("Empty command."));
    };
    let (globals, rest) = split_globals(args.get(1..).unwrap_or(&[]))?;
    let invocation = match program.as_str() {
        "aws" => parse_aws(&rest, &globals)?,
        "play" => parse_play(&rest, &globals, account_digits)?,
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
        "s3" => return s3::parse_s3(operation, tail),
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
    if operation == "wait" && schema::has_waiters(service) {
        return parse_wait(service, tail);
    }
    let Some(command) = schema::find(service, operation) else {
        let mut names: Vec<&str> = schema::commands_of(service).map(|c| c.name).collect();
        if schema::has_waiters(service) {
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
        "aws: error: argument command: Invalid choice, valid choices are:\n\n{}\n\nThe playground models EC2/EBS, KMS, IAM, STS, Auto Scaling, S3 and RDS (plus `aws configure`); its own commands start with `play` (see `play help`).",
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

fn parse_wait(service: &str, tail: &[String]) -> Result<Invocation, CliError> {
    let names: Vec<&str> = schema::waiters_of(service).map(|w| w.name).collect();
    let Some(name) = tail.first() else {
        return Err(usage_error(format!(
            "the following arguments are required: waiter name, one of: {}",
            names.join(" | ")
        )));
    };
    if name == "help" {
        let mut s = format!("aws {service} wait WAITER …: polls until a condition holds (advancing simulated time by the waiter's delay per poll).\n");
        for w in schema::waiters_of(service) {
            s.push_str(&format!("\n  {:<22} {}", w.name, w.help));
        }
        return Ok(Invocation::Help(s));
    }
    let Some(waiter) = schema::find_waiter(name).filter(|w| w.service() == service) else {
        let shown = schema::closest(name, names.iter().copied(), 10);
        return Err(usage_error(format!(
            "argument subcommand: Invalid choice, valid choices are:\n\n{}",
            shown.join(" | ")
        )));
    };
    let Some(describe) = schema::find(service, waiter.describe) else {
        return Err(CliError::syntax(
            "internal: waiter without describe command",
        ));
    };
    match parse_api(describe, tail.get(1..).unwrap_or(&[]))? {
        Invocation::Api { params, .. } => Ok(Invocation::Wait { waiter, params }),
        other => Ok(other),
    }
}

fn parse_play(rest: &[String], globals: &Globals, digits: usize) -> Result<Invocation, CliError> {
    let sub = rest.first().map(String::as_str);
    let tail = rest.get(1..).unwrap_or(&[]);
    match sub {
        None | Some("help") => Ok(Invocation::Help(play_help())),
        Some("profile") => parse_profile(tail, globals, digits),
        Some("file") => s3::parse_play_file(tail),
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

fn parse_profile(
    tail: &[String],
    globals: &Globals,
    digits: usize,
) -> Result<Invocation, CliError> {
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
                if account.len() != digits || !account.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(CliError::syntax(format!(
                        "play profile add: the account id must be {digits} digits, got '{account}'."
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
