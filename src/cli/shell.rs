//! The console's state and its one entry point: variables, profiles, history, completion and
//! help lines, [`Shell::run_line`] (one line in, one [`LineResult`] out) and [`to_cli`], the
//! CLI command equivalent to a UI form action.
//!
//! The shell owns no simulation: every API call goes through the [`Backend`] it is given.

use super::args::{self, Invocation, OutputFormat, RoleProfile};
use super::lexer::{self, LineKind, ParsedLine};
use super::schema::{self, Ty};
use super::{output, waiter, Backend, Caller, CliError};
use crate::model::error::AwsError;
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
        Profile {
            name: name.to_string(),
            account: account.to_string(),
            region: region.to_string(),
            principal: format!("arn:aws:iam::{account}:root"),
            output: None,
        }
    }
}

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
        Shell {
            vars: BTreeMap::new(),
            profiles: vec![
                Profile::root("default", "111122223333", "us-east-1"),
                Profile::root("partner", "444455556666", "us-east-1"),
            ],
            history: Vec::new(),
            history_pos: None,
        }
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
        self.var("AWS_PROFILE")
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
            .or_else(|| self.var("AWS_REGION").map(str::to_string))
            .or_else(|| self.var("AWS_DEFAULT_REGION").map(str::to_string))
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
        let request = serde_json::json!({"RoleArn": role.role_arn, "RoleSessionName": session});
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
        args::parse_args(&argv)
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
        let parsed = match args::parse_args(argv) {
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
                let account = account.as_deref().unwrap_or("111122223333");
                let mut p = Profile::root(name, account, region.as_deref().unwrap_or("us-east-1"));
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
            } => {
                ex.api = Some((command.service.to_string(), command.operation.to_string()));
                // The model answers DryRun (EC2 checks the request, then says it would succeed).
                let mut params = params;
                if dry_run {
                    if let Value::Object(m) = &mut params {
                        m.insert("DryRun".into(), Value::Bool(true));
                    }
                }
                match backend.execute(&caller, command.service.as_str(), command.operation, params)
                {
                    Ok(v) => (command.operation, v),
                    Err(e) => {
                        ex.text = output::error_text(command.operation, &e);
                        ex.error = Some(e);
                        return ex;
                    }
                }
            }
            Invocation::Wait { waiter: w, params } => {
                let op = schema::find("ec2", w.describe).map_or("DescribeVolumes", |c| c.operation);
                ex.api = Some(("ec2".to_string(), op.to_string()));
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
        ex.text = output::format(&value, format, title);
        ex.output = Some(value);
        ex
    }

    // --- completion and help ---

    /// Candidates for the word being typed at the end of `input` (whole words: the UI replaces
    /// the partial word with one of them). Commands by service, options of a command, values
    /// of options with a fixed set, profile names, `$VARIABLES`.
    pub fn complete(&self, input: &str) -> Vec<String> {
        let ctx = Context::of(input);
        let partial = ctx.partial.as_str();
        let mut cands: Vec<String> = Vec::new();
        if let Some(v) = partial.strip_prefix('$') {
            let v = v.trim_start_matches('{');
            return self
                .vars
                .keys()
                .filter(|k| k.starts_with(v))
                .map(|k| format!("${k}"))
                .collect();
        }
        let words = &ctx.words;
        match words.first().map(String::as_str) {
            None => cands.extend(["aws", "play", "echo", "export"].map(String::from)),
            Some(program @ ("aws" | "play")) => {
                if let Some(opt) = ctx.value_for.as_deref() {
                    cands.extend(self.option_values(program, &ctx.positionals, opt));
                } else {
                    cands.extend(self.positional_or_options(program, &ctx));
                }
            }
            _ => {}
        }
        cands.retain(|c| c.starts_with(partial));
        cands.dedup();
        cands
    }

    /// [`Shell::complete`], as whole input lines (the input with the partial word replaced).
    pub fn complete_line(&self, input: &str) -> Vec<String> {
        let ctx = Context::of(input);
        let keep = input.len().saturating_sub(ctx.partial.len());
        let head = input.get(..keep).unwrap_or("");
        self.complete(input)
            .into_iter()
            .map(|c| format!("{head}{c} "))
            .collect()
    }

    fn option_values(&self, program: &str, positionals: &[String], opt: &str) -> Vec<String> {
        match opt {
            "--output" => return ["json", "text", "table"].map(String::from).to_vec(),
            "--profile" | "--source-profile" => {
                return self.profiles.iter().map(|p| p.name.clone()).collect()
            }
            "--region" | "--source-region" | "--destination-region" => {
                return ["us-east-1", "us-west-2"].map(String::from).to_vec()
            }
            _ => {}
        }
        let Some(cmd) = command_of(program, positionals) else {
            return Vec::new();
        };
        match cmd.param_by_option(opt.get(2..).unwrap_or("")) {
            Some(p) => p.choices.iter().map(|c| c.to_string()).collect(),
            None => Vec::new(),
        }
    }

    fn positional_or_options(&self, program: &str, ctx: &Context) -> Vec<String> {
        let pos = &ctx.positionals;
        let globals = || args::global_options().map(String::from).collect::<Vec<_>>();
        if program == "play" {
            return match pos.as_slice() {
                [] => {
                    let mut v: Vec<String> = schema::commands_of("play")
                        .map(|c| c.name.to_string())
                        .collect();
                    v.extend(["profile", "help"].map(String::from));
                    v
                }
                [p] if p == "profile" => vec!["add".into(), "list".into()],
                [p, a, ..] if p == "profile" && a == "add" => [
                    "--account-id",
                    "--region",
                    "--principal",
                    "--role-arn",
                    "--source-profile",
                    "--role-session-name",
                ]
                .map(String::from)
                .to_vec(),
                [_, ..] => self.options_of(program, pos, &ctx.words),
            };
        }
        match pos.as_slice() {
            [] => {
                let mut v: Vec<String> =
                    schema::AWS_CHOICES.iter().map(|s| s.to_string()).collect();
                v.push("help".into());
                if ctx.partial.starts_with('-') {
                    v.extend(globals());
                }
                v
            }
            [svc] => match svc.as_str() {
                "configure" => ["set", "get", "list", "list-profiles"]
                    .map(String::from)
                    .to_vec(),
                s => {
                    let mut v: Vec<String> =
                        schema::commands_of(s).map(|c| c.name.to_string()).collect();
                    if s == "ec2" {
                        v.push("wait".into());
                    }
                    v.push("help".into());
                    v
                }
            },
            [svc, w] if svc == "ec2" && w == "wait" => {
                schema::WAITERS.iter().map(|w| w.name.to_string()).collect()
            }
            [svc, ..] if svc == "configure" => match pos.get(1).map(String::as_str) {
                Some("set") | Some("get") if pos.len() == 2 => {
                    vec!["region".into(), "output".into()]
                }
                _ => Vec::new(),
            },
            _ => {
                let mut v = self.options_of(program, pos, &ctx.words);
                if ctx.partial.starts_with('-') {
                    v.extend(globals());
                }
                v
            }
        }
    }

    fn options_of(&self, program: &str, positionals: &[String], words: &[String]) -> Vec<String> {
        let Some(cmd) = command_of(program, positionals) else {
            return Vec::new();
        };
        let used = |opt: &str| {
            words
                .iter()
                .any(|w| w == opt || w.starts_with(&format!("{opt}=")))
        };
        let mut req = Vec::new();
        let mut opt = Vec::new();
        for p in cmd.params {
            let name = format!("--{}", schema::cli_name(p.name));
            let no = format!("--no-{}", schema::cli_name(p.name));
            if used(&name) || used(&no) {
                continue;
            }
            if p.required {
                req.push(name);
            } else {
                opt.push(name);
                if p.ty == Ty::Bool {
                    opt.push(no);
                }
            }
        }
        for e in cmd.extras {
            if !used(e.option) {
                opt.push(e.option.to_string());
            }
        }
        if cmd.takes_dry_run() && !used("--dry-run") {
            opt.push("--dry-run".into());
        }
        if !used("--cli-input-json") {
            opt.push("--cli-input-json".into());
        }
        req.extend(opt);
        req
    }

    /// One help line for what is being typed: the option under the cursor if it is known,
    /// otherwise the command (with its required options), the waiter or the service.
    pub fn help(&self, input: &str) -> Option<String> {
        let ctx = Context::of(input);
        let program = ctx.words.first()?.as_str();
        if program != "aws" && program != "play" {
            return None;
        }
        // The word being typed counts as a positional when it is not an option or a value.
        let mut pos = ctx.positionals.clone();
        if !ctx.partial.is_empty()
            && !ctx.partial.starts_with('-')
            && ctx.value_for.is_none()
            && !ctx.words.iter().skip(1).any(|w| w.starts_with("--"))
        {
            pos.push(ctx.partial.clone());
        }
        let pos = &pos;
        if program == "aws"
            && pos.len() >= 2
            && pos.first().map(String::as_str) == Some("ec2")
            && pos.get(1).map(String::as_str) == Some("wait")
        {
            return Some(match pos.get(2).and_then(|n| schema::find_waiter(n)) {
                Some(w) => format!(
                    "aws ec2 wait {}: {} (polls {} every {} s, up to {} times)",
                    w.name, w.help, w.describe, w.delay, w.max_attempts
                ),
                None => format!(
                    "aws ec2 wait WAITER: {}",
                    schema::WAITERS
                        .iter()
                        .map(|w| w.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if let Some(cmd) = command_of(program, pos) {
            // The option being typed, or the one whose value is being typed.
            let current = if ctx.partial.starts_with("--") {
                Some(ctx.partial.clone())
            } else {
                ctx.value_for
                    .clone()
                    .or_else(|| ctx.words.last().filter(|w| w.starts_with("--")).cloned())
            };
            if let Some(opt) = current {
                let bare = opt.get(2..).unwrap_or("");
                let bare = bare.split('=').next().unwrap_or("");
                let found = cmd.param_by_option(bare).or_else(|| {
                    bare.strip_prefix("no-")
                        .and_then(|b| cmd.param_by_option(b))
                        .filter(|p| p.ty == Ty::Bool)
                });
                if let Some(p) = found {
                    let req = if p.required { " (required)" } else { "" };
                    return Some(format!(
                        "--{} ({}){req}: {}",
                        schema::cli_name(p.name),
                        type_name(p.ty),
                        p.help
                    ));
                }
                if let Some(e) = cmd.extras.iter().find(|e| e.option == opt) {
                    return Some(format!("{}: {}", e.option, e.help));
                }
            }
            let required: Vec<String> = cmd
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| format!("--{}", schema::cli_name(p.name)))
                .collect();
            let req = if required.is_empty() {
                String::new()
            } else {
                format!(" Required: {}.", required.join(" "))
            };
            return Some(format!(
                "{} ({}): {}{req}",
                cmd.prefix(),
                cmd.operation,
                cmd.help
            ));
        }
        match (program, pos.as_slice()) {
            ("aws", []) => Some("aws SERVICE COMMAND [options]: services ec2, kms, iam, autoscaling, sts, configure (aws help).".into()),
            ("aws", [svc, ..]) if schema::AWS_SERVICES.contains(&svc.as_str()) => {
                let n = schema::commands_of(svc).count();
                Some(format!("aws {svc}: {n} commands in the playground (aws {svc} help lists them)."))
            }
            ("play", [p, ..]) if p == "profile" => {
                Some("play profile add NAME --account-id ID [--region R] [--principal ARN] | play profile list".into())
            }
            ("play", _) => Some("play: the playground's own commands: write, read, sector, advance, profile (play help).".into()),
            _ => None,
        }
    }
}

fn type_name(t: Ty) -> &'static str {
    match t {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Bool => "boolean",
        Ty::StrList => "list",
        Ty::Map => "map",
        Ty::Struct(_) => "structure",
        Ty::StructList(_) => "list of structures",
    }
}

fn command_of(program: &str, positionals: &[String]) -> Option<&'static schema::Command> {
    match program {
        "play" => schema::find("play", positionals.first()?),
        _ => schema::find(positionals.first()?, positionals.get(1)?),
    }
}

/// What is being typed: complete words before the cursor, the partial word, the positionals
/// after the program (globals and options skipped), and the option awaiting a value.
struct Context {
    words: Vec<String>,
    partial: String,
    positionals: Vec<String>,
    value_for: Option<String>,
}

impl Context {
    fn of(input: &str) -> Context {
        let mut words: Vec<String> = input.split_whitespace().map(String::from).collect();
        let partial = if input.ends_with(char::is_whitespace) || input.is_empty() {
            String::new()
        } else {
            words.pop().unwrap_or_default()
        };
        let mut positionals = Vec::new();
        let mut value_for = None;
        let mut in_options = false;
        let program = words.first().cloned().unwrap_or_default();
        let mut i = 1;
        while let Some(w) = words.get(i) {
            i += 1;
            if w.starts_with("--") {
                in_options = true;
                let takes_value = !w.contains('=') && option_takes_value(&program, &positionals, w);
                if takes_value {
                    match words.get(i) {
                        Some(_) => i += 1,
                        None => value_for = Some(w.clone()),
                    }
                }
            } else if !in_options {
                positionals.push(w.clone());
            }
        }
        Context {
            words,
            partial,
            positionals,
            value_for,
        }
    }
}

fn option_takes_value(program: &str, positionals: &[String], opt: &str) -> bool {
    if [
        "--profile",
        "--region",
        "--output",
        "--query",
        "--endpoint-url",
        "--color",
        "--cli-input-json",
        "--account-id",
        "--principal",
        "--role-arn",
        "--source-profile",
        "--role-session-name",
    ]
    .contains(&opt)
    {
        return true;
    }
    match command_of(program, positionals) {
        Some(cmd) => {
            cmd.extras.iter().any(|e| e.option == opt)
                || cmd
                    .param_by_option(opt.get(2..).unwrap_or(""))
                    .is_some_and(|p| p.ty != Ty::Bool)
        }
        None => false,
    }
}

/// Quotes a word for a POSIX shell (and for this console): bare when safe, else in single quotes.
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%^".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Quotes and joins argument strings.
pub fn quote_words(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shorthand_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ":_-./@".contains(c))
}

/// The CLI command equivalent to an API call made from a UI form, such as
/// `aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id alias/finance`.
///
/// Parameters keep their order; booleans become `--flag` / `--no-flag`; simple maps use
/// shorthand; structures are JSON in single quotes; anything the schema does not describe
/// goes into `--cli-input-json`. Parsing the result gives back the same call.
pub fn to_cli(service: &str, operation: &str, params: &Value) -> String {
    to_cli_as(service, operation, params, None, None)
}

/// [`to_cli`] with `--profile` and `--region` appended when given.
pub fn to_cli_as(
    service: &str,
    operation: &str,
    params: &Value,
    profile: Option<&str>,
    region: Option<&str>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut leftover = Map::new();
    let empty = Map::new();
    let obj = match params {
        Value::Object(m) => m,
        Value::Null => &empty,
        other => {
            leftover.insert("Parameters".into(), other.clone());
            &empty
        }
    };
    let cmd = schema::find_operation(service, operation);
    match cmd {
        Some(c) => parts.push(c.prefix()),
        None if service == "play" => parts.push(format!("play {}", schema::cli_name(operation))),
        None => parts.push(format!(
            "aws {} {}",
            shell_quote(service),
            schema::cli_name(operation)
        )),
    }
    let run_instances = operation == "RunInstances" && service == "ec2";
    if let Some(c) = cmd {
        if run_instances {
            let min = obj.get("MinCount").and_then(Value::as_i64);
            let max = obj.get("MaxCount").and_then(Value::as_i64);
            match (min, max) {
                (Some(a), Some(b)) if a == b => parts.push(format!("--count {a}")),
                (Some(a), Some(b)) => parts.push(format!("--count {a}:{b}")),
                _ => {}
            }
        }
        for (k, v) in obj {
            if run_instances && (k == "MinCount" || k == "MaxCount") {
                let other = if k == "MinCount" {
                    "MaxCount"
                } else {
                    "MinCount"
                };
                if v.as_i64().is_some() && obj.get(other).and_then(Value::as_i64).is_some() {
                    continue;
                }
            }
            if k == "DryRun" && c.takes_dry_run() {
                match v {
                    Value::Bool(true) => parts.push("--dry-run".into()),
                    Value::Bool(false) => {}
                    _ => {
                        leftover.insert(k.clone(), v.clone());
                    }
                }
                continue;
            }
            match c.param(k).and_then(|p| option_text(p.name, p.ty, v)) {
                Some(text) => parts.push(text),
                None => {
                    leftover.insert(k.clone(), v.clone());
                }
            }
        }
    } else {
        for (k, v) in obj {
            leftover.insert(k.clone(), v.clone());
        }
    }
    if !leftover.is_empty() {
        parts.push(format!(
            "--cli-input-json {}",
            shell_quote(&Value::Object(leftover).to_string())
        ));
    }
    if let Some(p) = profile {
        parts.push(format!("--profile {}", shell_quote(p)));
    }
    if let Some(r) = region {
        parts.push(format!("--region {}", shell_quote(r)));
    }
    parts.join(" ")
}

/// `--option value` text for one parameter, or `None` when the value does not fit the type.
fn option_text(name: &str, ty: Ty, v: &Value) -> Option<String> {
    let opt = format!("--{}", schema::cli_name(name));
    let json = || shell_quote(&v.to_string());
    match (ty, v) {
        (Ty::Bool, Value::Bool(true)) => Some(opt),
        (Ty::Bool, Value::Bool(false)) => Some(format!("--no-{}", schema::cli_name(name))),
        (Ty::Int, Value::Number(n)) if n.is_i64() => Some(format!("{opt} {n}")),
        (Ty::Str, Value::String(s)) if s.starts_with("--") => {
            Some(shell_quote(&format!("{opt}={s}")))
        }
        (Ty::Str, Value::String(s)) => Some(format!("{opt} {}", shell_quote(s))),
        (Ty::StrList, Value::Array(items))
            if !items.is_empty() && items.iter().all(Value::is_string) =>
        {
            let strs: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            if strs
                .iter()
                .any(|s| s.starts_with("--") || s.trim_start().starts_with('['))
            {
                Some(format!("{opt} {}", json()))
            } else {
                Some(format!(
                    "{opt} {}",
                    strs.iter()
                        .map(|s| shell_quote(s))
                        .collect::<Vec<_>>()
                        .join(" ")
                ))
            }
        }
        (Ty::Map, Value::Object(m)) if !m.is_empty() && m.values().all(Value::is_string) => {
            let simple = m
                .iter()
                .all(|(k, v)| shorthand_safe(k) && v.as_str().is_some_and(shorthand_safe));
            if simple {
                let sh: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect();
                Some(format!("{opt} {}", shell_quote(&sh.join(","))))
            } else {
                Some(format!("{opt} {}", json()))
            }
        }
        (Ty::Struct(_), Value::Object(_)) => Some(format!("{opt} {}", json())),
        (Ty::StructList(_), Value::Array(items)) if !items.is_empty() => {
            Some(format!("{opt} {}", json()))
        }
        _ => None,
    }
}
