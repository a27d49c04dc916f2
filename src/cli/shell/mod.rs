//! The console's state and its one entry point: variables, profiles, history, completion and
//! help lines, [`Shell::run_line`] (one line in, one [`LineResult`] out) and [`to_cli`], the
//! CLI command equivalent to a UI form action.
//!
//! The shell owns no simulation: every API call goes through the [`Backend`] it is given.

mod complete;
mod complete_aliyun;
mod complete_context;
mod paginate;
mod to_cli;
use complete_context::*;
pub use to_cli::*;

use super::args::{self, Invocation, OutputFormat, RoleProfile};
use super::lexer::{self, LineKind, ParsedLine};
use super::schema::{self, Ty};
use super::{output, waiter, Backend, Caller, CliError};
use crate::model::error::AwsError;
use crate::model::provider::{Cloud, Provider};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Most lines kept in the history.
pub const MAX_HISTORY: usize = 1000;

/// A named identity: which account acts, where, and as whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Profile name (`default`, `partner`, …).
    pub name: String,
    /// Twelve-digit account id.
    pub account: String,
    /// Default region.
    pub region: String,
    /// Principal ARN.
    pub principal: String,
    /// Default output format (`aws configure set output …`).
    pub output: Option<OutputFormat>,
}

impl Profile {
    /// A profile acting as the account root.
    pub fn root(name: &str, account: &str, region: &str) -> Profile {
        Profile::root_in(&crate::model::provider::AWS, name, account, region)
    }

    /// A profile acting as the account root, as `provider` names it.
    pub fn root_in(provider: &Provider, name: &str, account: &str, region: &str) -> Profile {
        Profile {
            name: name.to_string(),
            account: account.to_string(),
            region: region.to_string(),
            principal: provider.root_arn(account),
            output: None,
        }
    }
}

/// The first account of an Alibaba Cloud world (a 16-digit account UID).
pub const ALIBABA_ACCOUNT_A: &str = "1234567890123456";
/// The second account of an Alibaba Cloud world.
pub const ALIBABA_ACCOUNT_B: &str = "9876543210987654";

/// What running one line did, for the console and the runner.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LineResult {
    /// The line as given.
    pub line: String,
    /// The command after variable expansion (shell-quoted); for `VAR=$(aws …)` the inner
    /// command; empty for blank and comment lines.
    pub command: String,
    /// The profile used.
    pub profile: String,
    /// The region used.
    pub region: String,
    /// What the AWS CLI would print (output or error), without a trailing newline.
    pub text: String,
    /// The structured output (after `--query`), when a call succeeded.
    pub output: Option<Value>,
    /// The error, when something failed (front-end errors use the codes of [`CliError`]).
    pub error: Option<AwsError>,
    /// The line ends with `# expect-error` (optionally followed by a code).
    pub expected_failure: bool,
    /// The code after `# expect-error`, if any.
    pub expected_code: Option<String>,
    /// Variables set by the line, with their new values.
    pub assigned: Vec<(String, String)>,
    /// The API operation called, as (service, operation), if any.
    pub api: Option<(String, String)>,
}

impl LineResult {
    /// Whether the outcome differs from what the line declared: an error on a line without
    /// `# expect-error`, success on a line with it, or an error with another code.
    pub fn unexpected(&self) -> bool {
        match (&self.error, self.expected_failure) {
            (None, false) => false,
            (Some(_), false) => true,
            (None, true) => true,
            (Some(e), true) => self.expected_code.as_ref().is_some_and(|c| *c != e.code),
        }
    }

    fn fail(&mut self, e: AwsError, text: String) {
        self.text = text;
        self.output = None;
        self.error = Some(e);
    }

    fn fail_cli(&mut self, e: CliError) {
        let text = e.message.clone();
        self.fail(e.into(), text);
    }
}

/// The result of executing one expanded command.
#[derive(Default)]
struct Exec {
    profile: String,
    region: String,
    text: String,
    output: Option<Value>,
    error: Option<AwsError>,
    api: Option<(String, String)>,
}

/// The console: variables, profiles and history. Create one per session.
#[derive(Clone, Debug)]
pub struct Shell {
    cloud: Cloud,
    vars: BTreeMap<String, String>,
    profiles: Vec<Profile>,
    history: Vec<String>,
    history_pos: Option<usize>,
}

impl Default for Shell {
    fn default() -> Self {
        Shell::new()
    }
}

impl Shell {
    /// A shell with the `default` (111122223333) and `partner` (444455556666) profiles,
    /// both in us-east-1 as the account root.
    pub fn new() -> Shell {
        Shell::new_in(Cloud::Aws)
    }

    /// A shell for a world of `cloud`: in an Alibaba Cloud world the `default`
    /// (1234567890123456) and `partner` (9876543210987654) profiles act in cn-hangzhou, and
    /// commands are `aliyun …` lines.
    pub fn new_in(cloud: Cloud) -> Shell {
        let provider = cloud.provider();
        let profiles = match cloud {
            Cloud::Aws => vec![
                Profile::root("default", "111122223333", "us-east-1"),
                Profile::root("partner", "444455556666", "us-east-1"),
            ],
            Cloud::Alibaba => vec![
                Profile::root_in(provider, "default", ALIBABA_ACCOUNT_A, "cn-hangzhou"),
                Profile::root_in(provider, "partner", ALIBABA_ACCOUNT_B, "cn-hangzhou"),
            ],
        };
        Shell {
            cloud,
            vars: BTreeMap::new(),
            profiles,
            history: Vec::new(),
            history_pos: None,
        }
    }

    /// The variable that names the current profile (`AWS_PROFILE`, `ALIBABA_CLOUD_PROFILE`).
    pub fn profile_var(&self) -> &'static str {
        match self.cloud {
            Cloud::Aws => "AWS_PROFILE",
            Cloud::Alibaba => "ALIBABA_CLOUD_PROFILE",
        }
    }

    /// The variable that names the current region (`AWS_REGION`, `ALIBABA_CLOUD_REGION_ID`).
    pub fn region_var(&self) -> &'static str {
        match self.cloud {
            Cloud::Aws => "AWS_REGION",
            Cloud::Alibaba => "ALIBABA_CLOUD_REGION_ID",
        }
    }

    /// The cloud whose CLI this shell speaks.
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    // --- getters ---

    /// The variables, sorted by name.
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// A variable's value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// The profiles, in creation order.
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The lines run so far (oldest first).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// The profile a command without `--profile` uses (`AWS_PROFILE` or `default`).
    pub fn current_profile_name(&self) -> String {
        self.var(self.profile_var())
            .or_else(|| self.var("AWS_DEFAULT_PROFILE"))
            .unwrap_or("default")
            .to_string()
    }

    /// The caller for a profile and region (the defaults when `None`), as a UI form uses it.
    pub fn caller(&self, profile: Option<&str>, region: Option<&str>) -> Result<Caller, CliError> {
        let name = profile
            .map(str::to_string)
            .unwrap_or_else(|| self.current_profile_name());
        let Some(p) = self.profile(&name) else {
            return Err(CliError {
                code: CliError::PROFILE,
                message: format!("The config profile ({name}) could not be found"),
            });
        };
        let region = region
            .map(str::to_string)
            .or_else(|| self.var(self.region_var()).map(str::to_string))
            .or_else(|| {
                (self.cloud == Cloud::Aws)
                    .then(|| self.var("AWS_DEFAULT_REGION").map(str::to_string))
                    .flatten()
            })
            .unwrap_or_else(|| p.region.clone());
        Ok(Caller {
            account: p.account.clone(),
            region,
            principal: p.principal.clone(),
        })
    }

    // --- mutators ---

    /// Sets a variable.
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    /// Adds a profile, replacing one of the same name.
    pub fn add_profile(&mut self, p: Profile) {
        match self.profiles.iter_mut().find(|q| q.name == p.name) {
            Some(q) => *q = p,
            None => self.profiles.push(p),
        }
    }

    /// `play profile add NAME --role-arn …`: the source profile calls `sts:AssumeRole` (a traced
    /// call, authorized by the role's trust policy) and, when allowed, NAME acts as the session.
    fn add_role_profile(
        &mut self,
        backend: &mut dyn Backend,
        ex: &mut Exec,
        name: &str,
        region: Option<&str>,
        role: &RoleProfile,
    ) {
        let source = role
            .source_profile
            .clone()
            .unwrap_or_else(|| self.current_profile_name());
        let caller = match self.caller(Some(&source), region) {
            Ok(c) => c,
            Err(e) => {
                ex.text = e.message.clone();
                ex.error = Some(e.into());
                return;
            }
        };
        ex.profile = source;
        ex.region = caller.region.clone();
        ex.api = Some(("sts".to_string(), "AssumeRole".to_string()));
        let session = role
            .session_name
            .clone()
            .unwrap_or_else(|| format!("playground-{name}"));
        let request = crate::json!({"RoleArn": role.role_arn, "RoleSessionName": session});
        match backend.execute(&caller, "sts", "AssumeRole", request) {
            Ok(v) => {
                let arn = v["AssumedRoleUser"]["Arn"].as_str().unwrap_or_default();
                let account = arn.split(':').nth(4).unwrap_or(&caller.account);
                let mut p = Profile::root(name, account, &caller.region);
                p.principal = arn.to_string();
                ex.text = format!(
                    "Profile {}: account {}, region {}, principal {} (a session of {}, assumed by {})",
                    p.name, p.account, p.region, p.principal, role.role_arn, caller.principal
                );
                self.add_profile(p);
                ex.output = Some(v);
            }
            Err(e) => {
                ex.text = output::error_text("AssumeRole", &e);
                ex.error = Some(e);
            }
        }
    }

    /// Records a line in the history (not blank, not a repeat of the last one).
    pub fn push_history(&mut self, line: &str) {
        self.history_pos = None;
        let line = line.trim_end();
        if line.trim().is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        self.history.push(line.to_string());
        if self.history.len() > MAX_HISTORY {
            self.history.remove(0);
        }
    }

    /// Up arrow: the previous history line (stays on the oldest).
    pub fn history_prev(&mut self) -> Option<&str> {
        let last = self.history.len().checked_sub(1)?;
        let pos = match self.history_pos {
            None => last,
            Some(p) => p.saturating_sub(1),
        };
        self.history_pos = Some(pos);
        self.history.get(pos).map(String::as_str)
    }

    /// Down arrow: the next history line; past the newest, `Some("")` (an empty input line);
    /// `None` when not navigating.
    pub fn history_next(&mut self) -> Option<&str> {
        let p = self.history_pos?;
        if p + 1 < self.history.len() {
            self.history_pos = Some(p + 1);
            self.history.get(p + 1).map(String::as_str)
        } else {
            self.history_pos = None;
            Some("")
        }
    }

    /// Parses a command line as [`Shell::run_line`] would (the shell's variables expanded),
    /// without running anything or touching the history: a UI form's inline validation.
    /// `$( … )` is not run (an error here), and an assignment is not a command.
    pub fn parse_command(&self, line: &str) -> Result<args::ParsedCommand, CliError> {
        let words = match lexer::parse_line(line)?.kind {
            LineKind::Command(words) => words,
            LineKind::Empty => return Err(CliError::syntax("Empty command.")),
            LineKind::Assign { .. } => {
                return Err(CliError::syntax("An assignment, not a command."))
            }
        };
        let argv = lexer::expand(&words, &|n| self.vars.get(n).cloned(), &mut |_, _| {
            Err(CliError::syntax(
                "$( … ) runs only in the console: run the command there, or paste its result.",
            ))
        })?;
        self.parse_argv(&argv)
    }

    /// Parses expanded arguments with this world's CLI: `aliyun` and `play` lines in an
    /// Alibaba Cloud world, `aws` and `play` lines in an AWS one.
    fn parse_argv(&self, argv: &[String]) -> Result<args::ParsedCommand, CliError> {
        let program = argv.first().map(String::as_str).unwrap_or("");
        match (self.cloud, program) {
            (Cloud::Alibaba, "aliyun" | "play") => super::aliyun::parse(argv),
            (Cloud::Alibaba, "aws") => Err(CliError::syntax(
                "aws: this world is Alibaba Cloud; use the aliyun CLI (aliyun ecs CreateDisk …, aliyun kms CreateKey …).",
            )),
            (Cloud::Aws, "aliyun") => Err(CliError::syntax(
                "aliyun: this world is AWS; use the aws CLI, or switch the provider to Alibaba Cloud.",
            )),
            _ => args::parse_args(argv),
        }
    }

    /// Runs one line (a logical line: it may contain backslash-newline continuations).
    /// Never panics; everything that goes wrong is in the result.
    pub fn run_line(&mut self, backend: &mut dyn Backend, line: &str) -> LineResult {
        self.push_history(line);
        let mut res = LineResult {
            line: line.to_string(),
            profile: self.current_profile_name(),
            ..LineResult::default()
        };
        res.region = self
            .caller(None, None)
            .map(|c| c.region)
            .unwrap_or_default();
        let parsed = match lexer::parse_line(line) {
            Ok(p) => p,
            Err(e) => {
                res.expected_failure = line.contains("# expect-error");
                res.fail_cli(e);
                return res;
            }
        };
        if let Some(c) = &parsed.comment {
            if let Some(rest) = c.strip_prefix("expect-error") {
                if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                    res.expected_failure = true;
                    res.expected_code = rest.split_whitespace().next().map(str::to_string);
                }
            }
        }
        match parsed.kind {
            LineKind::Empty => {}
            LineKind::Assign { vars, .. } => {
                let mut shown = Vec::new();
                for (name, word) in vars {
                    let snapshot = self.vars.clone();
                    let value = {
                        let mut sub =
                            |l: &ParsedLine, _: &str| self.run_subst(backend, l, &mut res);
                        lexer::expand_single(&word, &|n| snapshot.get(n).cloned(), &mut sub)
                    };
                    match value {
                        Ok(v) => {
                            shown.push(format!("{name}={}", shell_quote(&v)));
                            self.vars.insert(name.clone(), v.clone());
                            res.assigned.push((name, v));
                        }
                        Err(e) => {
                            if res.error.is_none() {
                                res.fail_cli(e);
                            }
                            return res;
                        }
                    }
                }
                if res.command.is_empty() {
                    res.command = shown.join(" ");
                }
            }
            LineKind::Command(words) => {
                let snapshot = self.vars.clone();
                let expanded = {
                    let mut sub = |l: &ParsedLine, _: &str| self.run_subst(backend, l, &mut res);
                    lexer::expand(&words, &|n| snapshot.get(n).cloned(), &mut sub)
                };
                let args = match expanded {
                    Ok(a) => a,
                    Err(e) => {
                        if res.error.is_none() {
                            res.fail_cli(e);
                        }
                        return res;
                    }
                };
                res.command = quote_words(&args);
                let ex = self.exec(backend, &args);
                res.profile = ex.profile;
                res.region = ex.region;
                res.text = ex.text;
                res.output = ex.output;
                res.error = ex.error;
                res.api = ex.api;
            }
        }
        res
    }

    /// Runs the command of a `$( … )` and returns its printed output, trimmed. On failure the
    /// inner error becomes the line's error.
    fn run_subst(
        &mut self,
        backend: &mut dyn Backend,
        line: &ParsedLine,
        res: &mut LineResult,
    ) -> Result<String, CliError> {
        let LineKind::Command(words) = &line.kind else {
            return Err(CliError::syntax("$( … ) must contain one command."));
        };
        let snapshot = self.vars.clone();
        let args = {
            let mut sub = |l: &ParsedLine, _: &str| self.run_subst(backend, l, res);
            lexer::expand(words, &|n| snapshot.get(n).cloned(), &mut sub)?
        };
        let ex = self.exec(backend, &args);
        res.command = quote_words(&args);
        res.profile = ex.profile;
        res.region = ex.region;
        res.api = ex.api;
        res.output = ex.output;
        if let Some(e) = ex.error {
            let msg = ex.text.clone();
            res.fail(e, ex.text);
            return Err(CliError::syntax(msg));
        }
        // `aliyun` prints a `--cli-query` string as JSON ("key-…"); `$( … )` takes the string
        // itself, as `| jq -r .` would after the real CLI (a playground convenience).
        if self.cloud == Cloud::Alibaba {
            if let Some(Value::String(v)) = &res.output {
                return Ok(v.clone());
            }
        }
        Ok(ex.text.trim().to_string())
    }

    /// Executes expanded arguments.
    fn exec(&mut self, backend: &mut dyn Backend, argv: &[String]) -> Exec {
        let mut ex = Exec {
            profile: self.current_profile_name(),
            ..Exec::default()
        };
        ex.region = self
            .caller(None, None)
            .map(|c| c.region)
            .unwrap_or_default();
        let fail_cli = |ex: &mut Exec, e: CliError| {
            ex.text = e.message.clone();
            ex.error = Some(e.into());
        };
        if argv.first().map(String::as_str) == Some("echo") {
            ex.text = argv.get(1..).unwrap_or(&[]).join(" ");
            return ex;
        }
        let parsed = self.parse_argv(argv);
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                fail_cli(&mut ex, e);
                return ex;
            }
        };
        let g = &parsed.globals;
        if let Some(p) = &g.profile {
            ex.profile = p.clone();
        }
        // Profile changes (configure, play profile) need no caller.
        match &parsed.invocation {
            Invocation::ConfigureSet { key, value } => {
                let name = ex.profile.clone();
                let mut p = match self.profile(&name) {
                    Some(p) => p.clone(),
                    None => {
                        // A new profile for the default account, as `aws configure` would create.
                        let mut p = self.profile("default").cloned().unwrap_or_else(|| {
                            Profile::root("default", "111122223333", "us-east-1")
                        });
                        p.name = name.clone();
                        p
                    }
                };
                if key == "region" {
                    p.region = value.clone();
                } else {
                    p.output = OutputFormat::parse(value);
                }
                self.add_profile(p);
                return ex;
            }
            Invocation::ProfileAdd {
                name,
                account,
                region,
                principal,
                role,
            } => {
                if let Some(role) = role {
                    self.add_role_profile(backend, &mut ex, name, region.as_deref(), role);
                    return ex;
                }
                let provider = self.cloud.provider();
                let (default_account, default_region) = match self.cloud {
                    Cloud::Aws => ("111122223333", "us-east-1"),
                    Cloud::Alibaba => (ALIBABA_ACCOUNT_A, "cn-hangzhou"),
                };
                let account = account.as_deref().unwrap_or(default_account);
                let mut p = Profile::root_in(
                    provider,
                    name,
                    account,
                    region.as_deref().unwrap_or(default_region),
                );
                if let Some(pr) = principal {
                    p.principal = pr.clone();
                }
                ex.text = format!(
                    "Profile {}: account {}, region {}, principal {}",
                    p.name, p.account, p.region, p.principal
                );
                self.add_profile(p);
                return ex;
            }
            Invocation::ProfileList | Invocation::ConfigureListProfiles => {
                let long = matches!(parsed.invocation, Invocation::ProfileList);
                ex.text = self
                    .profiles
                    .iter()
                    .map(|p| {
                        if long {
                            format!(
                                "{:<12} {}  {:<10} {}",
                                p.name, p.account, p.region, p.principal
                            )
                        } else {
                            p.name.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                return ex;
            }
            Invocation::Help(text) => {
                ex.text = text.clone();
                return ex;
            }
            _ => {}
        }
        let caller = match self.caller(Some(&ex.profile), g.region.as_deref()) {
            Ok(c) => c,
            Err(e) => {
                fail_cli(&mut ex, e);
                return ex;
            }
        };
        ex.region = caller.region.clone();
        let profile = self.profile(&ex.profile).cloned();
        let format = g
            .output
            .or_else(|| self.var("AWS_DEFAULT_OUTPUT").and_then(OutputFormat::parse))
            .or_else(|| profile.as_ref().and_then(|p| p.output))
            .unwrap_or(OutputFormat::Json);
        let (title, value): (&str, Value) = match parsed.invocation {
            Invocation::Api {
                command,
                params,
                dry_run,
                pages,
            } => {
                ex.api = Some((command.service.to_string(), command.operation.to_string()));
                // The model answers DryRun (EC2 checks the request, then says it would succeed).
                let mut params = params;
                // The aliyun CLI fills in RegionId from the profile's region.
                if command.service.cloud() == Cloud::Alibaba && command.param("RegionId").is_some()
                {
                    if let Value::Object(m) = &mut params {
                        m.entry("RegionId")
                            .or_insert_with(|| Value::String(caller.region.clone()));
                    }
                }
                if dry_run {
                    if let Value::Object(m) = &mut params {
                        m.insert("DryRun".into(), Value::Bool(true));
                    }
                }
                let answer = match command.paging.filter(|_| pages.any()) {
                    Some(paging) => {
                        match paginate::run_paged(
                            backend, &caller, command, &paging, params, &pages,
                        ) {
                            Ok(v) => Ok(v),
                            Err(paginate::PagedError::Service(e)) => Err(e),
                            Err(paginate::PagedError::Cli(e)) => {
                                ex.text = e.message.clone();
                                ex.error = Some(e.into());
                                return ex;
                            }
                        }
                    }
                    None => backend.execute(
                        &caller,
                        command.service.as_str(),
                        command.operation,
                        params,
                    ),
                };
                let alibaba = command.service.cloud() == Cloud::Alibaba;
                match answer {
                    Ok(mut v) => {
                        output::cli_timestamps(command.service, &mut v);
                        (command.operation, v)
                    }
                    Err(e) if alibaba => {
                        let id = super::aliyun::error_request_id(&format!(
                            "{}|{}|{}|{}",
                            self.history.len(),
                            argv.join(" "),
                            e.code,
                            e.message
                        ));
                        ex.text = super::aliyun::error_text(command.cli_service, &e, &id);
                        ex.error = Some(e);
                        return ex;
                    }
                    Err(e) => {
                        ex.text = output::error_text(command.operation, &e);
                        ex.error = Some(e);
                        return ex;
                    }
                }
            }
            Invocation::Wait { waiter: w, params } => {
                let svc = w.service();
                let op = schema::find(svc, w.describe).map_or("DescribeVolumes", |c| c.operation);
                ex.api = Some((svc.to_string(), op.to_string()));
                if let Err(e) = waiter::run(backend, &caller, w, &params, op) {
                    ex.text = e.message.clone();
                    ex.error = Some(e);
                }
                return ex;
            }
            Invocation::ConfigureGet { key } => {
                let p = profile
                    .unwrap_or_else(|| Profile::root(&ex.profile, &caller.account, &caller.region));
                ex.text = match key.strip_prefix("default.").unwrap_or(&key) {
                    "region" => p.region,
                    "output" => p.output.map(|o| o.as_str().to_string()).unwrap_or_default(),
                    "account_id" | "account" => p.account,
                    "principal" => p.principal,
                    _ => String::new(),
                };
                return ex;
            }
            Invocation::ConfigureList => {
                let p = profile
                    .unwrap_or_else(|| Profile::root(&ex.profile, &caller.account, &caller.region));
                ex.text = format!(
                    "      Name                    Value\n      ----                    -----\n   profile    {:>24}\n   account    {:>24}\n    region    {:>24}\n principal    {}\n    output    {:>24}",
                    p.name,
                    p.account,
                    caller.region,
                    p.principal,
                    format.as_str()
                );
                return ex;
            }
            _ => return ex,
        };
        let value = match &g.query {
            Some(q) => match output::apply_query(&value, q) {
                Ok(v) => v,
                Err(e) => {
                    fail_cli(&mut ex, e);
                    return ex;
                }
            },
            None => value,
        };
        ex.text = if self.cloud == Cloud::Alibaba {
            super::aliyun::format_json(&value)
        } else {
            output::format(&value, format, title)
        };
        ex.output = Some(value);
        ex
    }
}
