//! Completion and the help line: candidates for the word being typed (commands, options, values,
//! profiles, variables) and a one-line description of what is being typed.

use super::*;

impl Shell {
    // --- completion and help ---

    /// Candidates for the word being typed at the end of `input` (whole words: the UI replaces
    /// the partial word with one of them). Commands by service, options of a command, values
    /// of options with a fixed set, profile names, `$VARIABLES`.
    pub fn complete(&self, input: &str) -> Vec<String> {
        if self.cloud == Cloud::Alibaba
            && !input.trim_start().starts_with('$')
            && !input.contains(" $")
        {
            return self.complete_aliyun(input);
        }
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

    pub(super) fn option_values(
        &self,
        program: &str,
        positionals: &[String],
        opt: &str,
    ) -> Vec<String> {
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

    pub(super) fn positional_or_options(&self, program: &str, ctx: &Context) -> Vec<String> {
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
                    if schema::has_waiters(s) {
                        v.push("wait".into());
                    }
                    v.push("help".into());
                    v
                }
            },
            [svc, w] if w == "wait" && schema::has_waiters(svc) => schema::waiters_of(svc)
                .map(|w| w.name.to_string())
                .collect(),
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

    pub(super) fn options_of(
        &self,
        program: &str,
        positionals: &[String],
        words: &[String],
    ) -> Vec<String> {
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
        for p in cmd.cli_params() {
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
        if self.cloud == Cloud::Alibaba {
            return self.help_aliyun(input);
        }
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
        let svc = pos.first().map_or("", String::as_str);
        if program == "aws"
            && pos.len() >= 2
            && schema::has_waiters(svc)
            && pos.get(1).map(String::as_str) == Some("wait")
        {
            return Some(match pos.get(2).and_then(|n| schema::find_waiter(n)) {
                Some(w) => format!(
                    "aws {svc} wait {}: {} (polls {} every {} s, up to {} times)",
                    w.name, w.help, w.describe, w.delay, w.max_attempts
                ),
                None => format!(
                    "aws {svc} wait WAITER: {}",
                    schema::waiters_of(svc)
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
