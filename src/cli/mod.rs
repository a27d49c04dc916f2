//! The AWS CLI v2 front end shared by the in-browser console and the native runner: shell-like
//! lexing, the command schema, argument parsing, output formatting, waiters, the interactive
//! shell state and session scripts / share links.
//!
//! It reaches the simulation only through the [`Backend`] trait, so it can be tested with a
//! fake; it never reads a clock, the OS, or the network.
//!
//! **Architecture invariant:** nothing typed into the console or found in a script or share link
//! makes this module panic; every problem is a [`CliError`] or an [`AwsError`] shown as text.
//!
//! Code map: `lexer` (words, quotes, `$VAR`, `$(…)`), `shorthand` (AWS shorthand syntax),
//! `schema` (every command and parameter), `args` (arguments → API call), `output`
//! (`--query`, json/text/table, error lines), `waiter` (`aws ec2 wait`), `shell` (variables,
//! profiles, history, completion, `run_line`, `to_cli`), `script` (script files and links).

pub mod aliyun;
pub mod args;
pub mod lexer;
pub mod output;
pub mod schema;
pub mod script;
pub mod shell;
pub mod shorthand;
pub mod waiter;

use crate::model::error::AwsError;
use std::fmt;

pub use args::{OutputFormat, ParsedCommand};
pub use lexer::{parse_line, ParsedLine};
pub use script::{Script, ScriptError};
pub use shell::{to_cli, to_cli_as, LineResult, Profile, Shell};

/// Who makes a request: the same caller the simulation core takes.
pub use crate::model::Caller;

/// What the console needs from the simulation core.
pub trait Backend {
    /// Runs one API operation. `service` is "kms"|"ec2"|"iam"|"autoscaling"|"play"; `operation` is the API name (CreateVolume); params use AWS member names.
    fn execute(
        &mut self,
        caller: &Caller,
        service: &str,
        operation: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, AwsError>;
}

impl Backend for crate::model::Sim {
    fn execute(
        &mut self,
        caller: &Caller,
        service: &str,
        operation: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, AwsError> {
        crate::model::Sim::execute(self, caller, service, operation, params)
    }
}

/// A problem found by the front end itself (syntax, unknown command, bad parameter, bad
/// `--query`), with the text the AWS CLI (or a shell) would print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    /// A code for `# expect-error CODE` and for the runner's JSON: see the constants.
    pub code: &'static str,
    /// The message, printed as is.
    pub message: String,
}

impl CliError {
    /// Code of shell syntax and AWS CLI usage errors (`aws: error: …`, `Unknown options: …`).
    pub const SYNTAX: &'static str = "CliError";
    /// Code of botocore parameter validation (`Parameter validation failed: …`).
    pub const PARAM: &'static str = "ParamValidation";
    /// Code of a bad `--query`.
    pub const QUERY: &'static str = "InvalidQuery";
    /// Code of an unknown `--profile`.
    pub const PROFILE: &'static str = "ProfileNotFound";

    /// A syntax or usage error.
    pub fn syntax(message: impl Into<String>) -> Self {
        CliError {
            code: Self::SYNTAX,
            message: message.into(),
        }
    }

    /// A parameter validation error.
    pub fn param(message: impl Into<String>) -> Self {
        CliError {
            code: Self::PARAM,
            message: message.into(),
        }
    }

    /// A `--query` error.
    pub fn query(message: impl Into<String>) -> Self {
        CliError {
            code: Self::QUERY,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<CliError> for AwsError {
    fn from(e: CliError) -> AwsError {
        AwsError::new(e.code, e.message)
    }
}

/// Parses one command line with no variables set: lexing, then [`args::parse_args`].
/// `$VAR` and `$( … )` are errors here; use [`Shell::run_line`] for those.
pub fn parse_command(line: &str) -> Result<ParsedCommand, CliError> {
    let parsed = parse_line(line)?;
    let words = match parsed.kind {
        lexer::LineKind::Command(words) => words,
        lexer::LineKind::Empty => return Err(CliError::syntax("Empty command.")),
        lexer::LineKind::Assign { .. } => {
            return Err(CliError::syntax("An assignment, not a command."))
        }
    };
    let args = lexer::expand(&words, &|_| None, &mut |_, _| {
        Err(CliError::syntax("Command substitution needs a shell."))
    })?;
    args::parse_args(&args)
}
