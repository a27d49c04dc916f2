//! Forms for every operation of the console, generated from the command schema
//! ([`crate::model::ops`]): a searchable, grouped list of operations, and for the
//! chosen one a form with one field per parameter under its AWS member name (`KmsKeyId`,
//! `Encrypted`, …), the equivalent CLI command as a live preview, inline validation by the
//! console's own parser, and Run / Edit in console.
//!
//! A form holds no AWS rule: it builds a command line from the schema's option names, asks the
//! shell's parser what it thinks of it, and runs it with [`Ctx::run`] like a typed line, so the
//! console shows it and the script replays it. Defaults and suggestions (the newest volume, the
//! zones of the current region, key aliases) are conveniences only.

use super::Ctx;
use crate::cli::schema::{self, Command, Ty};
use crate::cli::shell::shell_quote;
use crate::model::Caller;
use crate::session::{Entry, Session};
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// Most suggestions offered for one field.
const MAX_SUGGESTIONS: usize = 50;

/// Longest result text shown under a form, in characters.
const MAX_RESULT_CHARS: usize = 8_000;

/// The groups of the operation list, in display order.
const GROUPS: &[(Group, &str)] = &[
    (Group::Kms, "KMS"),
    (Group::Volumes, "EC2 volumes"),
    (Group::Snapshots, "Snapshots"),
    (Group::Images, "Images (AMIs)"),
    (Group::Instances, "Instances"),
    (Group::Default, "Encryption by default"),
    (Group::Iam, "IAM & STS"),
    (Group::AutoScaling, "Auto Scaling"),
    (Group::Play, "Playground (play)"),
];

/// Quick actions: (button label, test id, service, operation, preset values).
type Quick = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const QUICK: &[Quick] = &[
    (
        "Create KMS key",
        "quick-create-key",
        "kms",
        "CreateKey",
        &[("Description", "my key")],
    ),
    (
        "Create encrypted volume",
        "quick-create-volume",
        "ec2",
        "CreateVolume",
        &[("Encrypted", "true")],
    ),
    (
        "Create snapshot",
        "quick-create-snapshot",
        "ec2",
        "CreateSnapshot",
        &[],
    ),
    (
        "Run instance",
        "quick-run-instances",
        "ec2",
        "RunInstances",
        &[],
    ),
    (
        "Attach volume",
        "quick-attach-volume",
        "ec2",
        "AttachVolume",
        &[],
    ),
    ("Write text", "quick-play-write", "play", "WriteData", &[]),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Kms,
    Volumes,
    Snapshots,
    Images,
    Instances,
    Default,
    Iam,
    AutoScaling,
    Play,
}

fn group_of(c: &Command) -> Group {
    let op = c.operation;
    match c.cli_service {
        "kms" => Group::Kms,
        "iam" | "sts" => Group::Iam,
        "autoscaling" => Group::AutoScaling,
        "play" => Group::Play,
        _ if op.contains("Ebs") => Group::Default,
        _ if op.contains("Snapshot") => Group::Snapshots,
        _ if op.contains("Image") => Group::Images,
        _ if op.contains("Volume") => Group::Volumes,
        _ => Group::Instances,
    }
}

/// What kind of existing resource a field names, for suggestions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Suggest {
    None,
    Volume,
    Snapshot,
    Image,
    Instance,
    Key,
    Alias,
    Principal,
    Role,
    Account,
}

fn suggest_of(name: &str) -> Suggest {
    match name {
        "VolumeId" | "VolumeIds" => Suggest::Volume,
        "SnapshotId" | "SnapshotIds" | "SourceSnapshotId" => Suggest::Snapshot,
        "ImageId" | "ImageIds" | "SourceImageId" => Suggest::Image,
        "InstanceId" | "InstanceIds" => Suggest::Instance,
        "KeyId" | "KmsKeyId" | "TargetKeyId" | "DestinationKeyId" | "SourceKeyId" => Suggest::Key,
        "AliasName" => Suggest::Alias,
        "GranteePrincipal" | "RetiringPrincipal" => Suggest::Principal,
        "RoleArn" => Suggest::Role,
        "UserIds" | "OwnerIds" | "RestorableByUserIds" | "ExecutableUsers" | "Owners" => {
            Suggest::Account
        }
        _ => Suggest::None,
    }
}

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Input {
    /// A checkbox: `--flag` when ticked.
    Check,
    /// A number.
    Number,
    /// One of a fixed set.
    Select,
    /// Several of a fixed set (a list with documented values).
    Checks,
    /// One line of text.
    Text,
    /// Several words (a list of strings).
    List,
    /// JSON or shorthand (structures, maps, policies).
    Area,
}

/// One field of a form (static part; the value lives in a signal).
#[derive(Clone, Debug, PartialEq)]
struct Spec {
    /// The AWS member name (`KmsKeyId`), or the option of a CLI-only extra (`--count`).
    label: &'static str,
    /// The CLI option (`--kms-key-id`).
    option: String,
    ty: Option<Ty>,
    required: bool,
    help: &'static str,
    choices: Vec<String>,
    input: Input,
    suggest: Suggest,
}

/// Where the form acts: account, region and a few facts for defaults.
struct Env {
    account: String,
    region: String,
    zones: Vec<String>,
}

fn env_of(s: &Session) -> Env {
    let Caller {
        account, region, ..
    } = s.caller();
    let zones = s.sim().provider().zones(&region);
    Env {
        account,
        region,
        zones,
    }
}

fn specs_of(cmd: &'static Command, env: &Env) -> Vec<Spec> {
    let mut out = Vec::new();
    for p in cmd.params {
        let zone = p.name == "AvailabilityZone" || p.name == "AvailabilityZones";
        let choices: Vec<String> = if zone {
            env.zones.clone()
        } else {
            p.choices.iter().map(|c| c.to_string()).collect()
        };
        let policy = p.name.contains("Policy") && p.ty == Ty::Str;
        let input = match p.ty {
            Ty::Bool => Input::Check,
            Ty::Int => Input::Number,
            Ty::Str if policy || p.name == "CiphertextBlob" => Input::Area,
            Ty::Str if !choices.is_empty() => Input::Select,
            Ty::Str => Input::Text,
            Ty::StrList if !choices.is_empty() => Input::Checks,
            Ty::StrList => Input::List,
            Ty::Map | Ty::Struct(_) | Ty::StructList(_) => Input::Area,
        };
        out.push(Spec {
            label: p.name,
            option: format!("--{}", schema::cli_name(p.name)),
            ty: Some(p.ty),
            required: p.required,
            help: p.help,
            choices,
            input,
            suggest: suggest_of(p.name),
        });
    }
    for e in cmd.extras {
        out.push(Spec {
            label: e.option,
            option: e.option.to_string(),
            ty: None,
            required: false,
            help: e.help,
            choices: Vec::new(),
            input: Input::Text,
            suggest: Suggest::None,
        });
    }
    if cmd.takes_dry_run() {
        out.push(Spec {
            label: "DryRun",
            option: "--dry-run".into(),
            ty: Some(Ty::Bool),
            required: false,
            help: "Only check that the request would be allowed (answers DryRunOperation).",
            choices: Vec::new(),
            input: Input::Check,
            suggest: Suggest::None,
        });
    }
    out
}

/// Existing resources a field may name: (value, description), newest first.
fn suggestions(s: &Session, kind: Suggest, env: &Env) -> Vec<(String, String)> {
    let sim = s.sim();
    let (acct, region) = (env.account.as_str(), env.region.as_str());
    let mut out: Vec<(u64, String, String)> = Vec::new();
    match kind {
        Suggest::None => {}
        Suggest::Volume => {
            for v in sim.volumes() {
                if v.account == acct && v.region == region {
                    let enc = if v.encryption.is_some() {
                        "encrypted"
                    } else {
                        "unencrypted"
                    };
                    let desc = format!("{} GiB, {enc}, {}, {}", v.size_gib, v.state.as_str(), v.az);
                    out.push((v.created, v.id.clone(), desc));
                }
            }
        }
        Suggest::Snapshot => {
            for sn in sim.snapshots() {
                let visible = sn.account == acct || sn.public || sn.shared_with.contains(acct);
                if sn.region == region && visible {
                    let enc = if sn.encryption.is_some() {
                        "encrypted"
                    } else {
                        "unencrypted"
                    };
                    let owner = if sn.account == acct {
                        String::new()
                    } else {
                        format!(", owner {}", sn.account)
                    };
                    let desc = format!("of {}, {enc}, {}{owner}", sn.volume_id, sn.state.as_str());
                    out.push((sn.created, sn.id.clone(), desc));
                }
            }
        }
        Suggest::Image => {
            for im in sim.images() {
                let visible =
                    im.account == acct || im.public || im.launch_permissions.contains(acct);
                if im.region == region && visible {
                    let desc = format!("{}, {}, owner {}", im.name, im.state, im.account);
                    out.push((im.created, im.id.clone(), desc));
                }
            }
        }
        Suggest::Instance => {
            for i in sim.instances() {
                if i.account == acct && i.region == region && i.state.as_str() != "terminated" {
                    let desc = format!("{}, {}, {}", i.instance_type, i.state.as_str(), i.az);
                    out.push((i.launched, i.id.clone(), desc));
                }
            }
        }
        Suggest::Key => {
            for k in sim.keys() {
                if k.region != region || k.state.as_str() == "Deleted" {
                    continue;
                }
                let what = if k.aws_managed {
                    "AWS managed".to_string()
                } else if k.description.is_empty() {
                    "customer managed".to_string()
                } else {
                    k.description.clone()
                };
                if k.account == acct {
                    let desc = format!("{what}, {}", k.state.as_str());
                    out.push((k.created, k.key_id.clone(), desc));
                } else if !k.aws_managed {
                    let desc = format!("account {}: {what}, {}", k.account, k.state.as_str());
                    out.push((k.created, k.arn.clone(), desc));
                }
            }
            for a in aliases(s, env) {
                out.push((0, a, "alias".into()));
            }
        }
        Suggest::Alias => {
            for a in aliases(s, env) {
                out.push((0, a, "alias".into()));
            }
        }
        Suggest::Principal => {
            for p in s.shell().profiles() {
                out.push((0, p.principal.clone(), format!("profile {}", p.name)));
            }
        }
        Suggest::Role => {
            for r in s.sim().iam_principals() {
                if r.kind == "role" && !r.is_service_linked() {
                    out.push((0, r.arn.clone(), format!("role {}", r.name)));
                }
            }
        }
        Suggest::Account => {
            for p in s.shell().profiles() {
                if !out.iter().any(|(_, v, _)| *v == p.account) {
                    out.push((0, p.account.clone(), format!("profile {}", p.name)));
                }
            }
        }
    }
    // Newest first (stable for equal times, so aliases keep their order).
    out.sort_by_key(|e| std::cmp::Reverse(e.0));
    out.truncate(MAX_SUGGESTIONS);
    let mut list: Vec<(String, String)> = out.into_iter().map(|(_, v, d)| (v, d)).collect();
    // Shell variables holding one of these values, usable as `$NAME`.
    let vars: Vec<(String, String)> = s
        .shell()
        .vars()
        .iter()
        .filter(|(_, val)| list.iter().any(|(v, _)| v == *val))
        .map(|(name, val)| (format!("${name}"), format!("= {val}")))
        .collect();
    list.extend(vars);
    list
}

/// Alias names of the keys of the current account and region, plus the provider's managed
/// disk key alias (usable before that key exists: EBS creates it on first use).
fn aliases(s: &Session, env: &Env) -> Vec<String> {
    let sim = s.sim();
    let mut set = BTreeSet::new();
    for k in sim.keys() {
        if k.account == env.account && k.region == env.region {
            set.extend(sim.aliases_of(&k.key_id));
        }
    }
    set.insert(sim.provider().managed_key_alias.to_string());
    set.into_iter().collect()
}

/// The id among `ids` that the most recent call answered with (simulated time often stands
/// still between commands, so creation times do not order resources). Looks at the last
/// calls only.
fn latest_in_trace(s: &Session, ids: &[String]) -> Option<String> {
    fn find<'a>(v: &serde_json::Value, ids: &'a [String]) -> Option<&'a String> {
        match v {
            serde_json::Value::String(t) => ids.iter().find(|id| *id == t),
            serde_json::Value::Array(items) => items.iter().find_map(|i| find(i, ids)),
            serde_json::Value::Object(m) => m.values().find_map(|i| find(i, ids)),
            _ => None,
        }
    }
    if ids.is_empty() {
        return None;
    }
    s.calls()
        .iter()
        .rev()
        .take(5_000)
        .filter(|c| c.error.is_none())
        .find_map(|c| find(&c.response, ids))
        .cloned()
}

/// A sample JSON policy for policy fields that need one.
fn sample_policy(name: &str, account: &str) -> String {
    match name {
        "AssumeRolePolicyDocument" => r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.to_string(),
        "PolicyDocument" => r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:DescribeKey","kms:CreateGrant","kms:GenerateDataKeyWithoutPlaintext"],"Resource":"*"}]}"#.to_string(),
        _ => format!(
            r#"{{"Version":"2012-10-17","Id":"key-default-1","Statement":[{{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"kms:*","Resource":"*"}}]}}"#
        ),
    }
}

/// The value a field starts with: a preset, else a sensible default, else empty.
fn default_value(
    cmd: &Command,
    spec: &Spec,
    env: &Env,
    s: &Session,
    preset: &[(&'static str, String)],
) -> String {
    if let Some((_, v)) = preset.iter().find(|(k, _)| *k == spec.label) {
        return v.clone();
    }
    let op = cmd.operation;
    let newest = |kind: Suggest| {
        let ids: Vec<String> = suggestions(s, kind, env)
            .into_iter()
            .map(|(v, _)| v)
            .filter(|v| !v.starts_with('$') && !v.starts_with("alias/"))
            // AWS managed keys cannot be managed by the account: never a default.
            .filter(|v| !s.sim().keys().any(|k| k.aws_managed && k.key_id == *v))
            .collect();
        latest_in_trace(s, &ids)
            .or_else(|| ids.first().cloned())
            .unwrap_or_default()
    };
    match spec.label {
        "AvailabilityZone" => return env.zones.first().cloned().unwrap_or_default(),
        "Size" if op == "CreateVolume" => return "8".into(),
        "InstanceType" => return "t3.micro".into(),
        "Device" => return "/dev/sdf".into(),
        "RootDeviceName" => return "/dev/xvda".into(),
        "Text" => return "Hello from an encrypted volume".into(),
        "Plaintext" => return "secret".into(),
        "AliasName" if op == "CreateAlias" => return "alias/my-key".into(),
        "Name" if op.contains("Image") => return "my-ami".into(),
        "UserName" => return "learner".into(),
        "RoleName" => return "ebs-role".into(),
        "PolicyName" => return "use-kms".into(),
        "LaunchTemplateName" => return "web".into(),
        "AutoScalingGroupName" => return "web-asg".into(),
        "MinSize" | "MaxSize" => return "1".into(),
        "Seconds" => return "60".into(),
        "SourceRegion" => return env.region.clone(),
        "Attribute" | "OperationType" => {
            return spec.choices.first().cloned().unwrap_or_default();
        }
        "AWSServiceName" => return spec.choices.first().cloned().unwrap_or_default(),
        "Policy" | "AssumeRolePolicyDocument" | "PolicyDocument" if spec.required => {
            return sample_policy(spec.label, &env.account);
        }
        "BlockDeviceMappings" if spec.required => {
            let snap = newest(Suggest::Snapshot);
            return format!(
                "DeviceName=/dev/xvda,Ebs={{SnapshotId={}}}",
                if snap.is_empty() { "snap-…" } else { &snap }
            );
        }
        "LaunchTemplateData" => {
            let image = newest(Suggest::Image);
            return format!(r#"{{"ImageId":"{image}","InstanceType":"t3.micro"}}"#);
        }
        "ImageId" => return newest(Suggest::Image),
        "GranteePrincipal" => {
            // Another profile's principal: granting to oneself shows little.
            let mine = s.shell().current_profile_name();
            return s
                .shell()
                .profiles()
                .iter()
                .find(|p| p.name != mine)
                .map(|p| p.principal.clone())
                .unwrap_or_default();
        }
        _ => {}
    }
    if spec.required {
        if spec.input == Input::Select {
            return spec.choices.first().cloned().unwrap_or_default();
        }
        if spec.suggest != Suggest::None && spec.suggest != Suggest::Alias {
            return newest(spec.suggest);
        }
    }
    String::new()
}

/// A value as one shell word: `"$VAR"` stays a variable, everything else is quoted literally.
fn word(v: &str) -> String {
    let var = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'));
    match var {
        Some(name) if crate::cli::lexer::is_name(name) => format!("\"{v}\""),
        _ => shell_quote(v),
    }
}

/// The words a field adds to the command line.
fn option_words(spec: &Spec, raw: &str) -> Vec<String> {
    let v = raw.trim();
    let opt = spec.option.as_str();
    match spec.input {
        Input::Check => {
            if v == "true" {
                vec![opt.to_string()]
            } else {
                Vec::new()
            }
        }
        _ if v.is_empty() => Vec::new(),
        Input::Number | Input::Select | Input::Text => {
            if v.starts_with("--") {
                vec![shell_quote(&format!("{opt}={v}"))]
            } else {
                vec![opt.to_string(), word(v)]
            }
        }
        Input::List | Input::Checks => {
            let mut out = vec![opt.to_string()];
            if v.starts_with('[') {
                out.push(shell_quote(v));
            } else {
                out.extend(
                    v.split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|w| !w.is_empty())
                        .map(word),
                );
            }
            out
        }
        Input::Area => {
            let json = v.starts_with('{') || v.starts_with('[');
            let mut out = vec![opt.to_string()];
            match spec.ty {
                Some(Ty::StructList(_)) if !json => {
                    out.extend(
                        v.lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(shell_quote),
                    );
                }
                Some(Ty::Map) | Some(Ty::Struct(_)) if !json => {
                    let joined: Vec<&str> = v
                        .lines()
                        .map(|l| l.trim().trim_end_matches(','))
                        .filter(|l| !l.is_empty())
                        .collect();
                    out.push(shell_quote(&joined.join(",")));
                }
                _ => out.push(shell_quote(v)),
            }
            out
        }
    }
}

/// The command line of a form.
fn build_line(cmd: &Command, specs: &[Spec], values: &[String]) -> String {
    let mut words = vec![cmd.prefix()];
    for (spec, v) in specs.iter().zip(values) {
        words.extend(option_words(spec, v));
    }
    words.join(" ")
}

/// Whether a parser message is about this field.
fn mentions(msg: &str, spec: &Spec) -> bool {
    let opt = spec.option.as_str();
    let by_option = msg.match_indices(opt).any(|(i, _)| {
        let next = msg.get(i + opt.len()..).and_then(|r| r.chars().next());
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    let name = spec.label;
    by_option
        || msg.contains(&format!("\"{name}\""))
        || msg.contains(&format!("parameter {name},"))
        || msg.contains(&format!("parameter {name}."))
        || msg.contains(&format!("parameter {name}["))
}

/// What a Run did, for the line under the form.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    ok: bool,
    title: String,
    text: String,
}

impl Outcome {
    fn of(e: &Entry, operation: &str) -> Outcome {
        let r = &e.result;
        let title = match &r.error {
            None => format!(
                "{operation} succeeded ({} call{} in the diagram).",
                e.calls.len(),
                if e.calls.len() == 1 { "" } else { "s" }
            ),
            Some(err) => format!("{operation} failed: {}", err.code),
        };
        let text = match r.text.char_indices().nth(MAX_RESULT_CHARS) {
            None => r.text.clone(),
            Some((cut, _)) => format!("{}\n… (see the console)", r.text.get(..cut).unwrap_or("")),
        };
        Outcome {
            ok: r.error.is_none(),
            title,
            text,
        }
    }
}

/// The chosen operation, with the values a quick action preset.
#[derive(Clone, Debug, PartialEq)]
struct Choice {
    cmd: &'static Command,
    preset: Vec<(&'static str, String)>,
    /// Bumped on every choice, so choosing the same operation again starts a fresh form.
    generation: u32,
}

/// Quick actions, the operation list and the chosen operation's form.
#[component]
pub fn ActionForms() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let choice = RwSignal::new(None::<Choice>);
    let generation = StoredValue::new(0u32);
    let choose = move |cmd: &'static Command, preset: Vec<(&'static str, String)>| {
        generation.update_value(|g| *g += 1);
        choice.set(Some(Choice {
            cmd,
            preset,
            generation: generation.get_value(),
        }));
    };
    let matches = move |c: &Command, q: &str| {
        let hay = format!(
            "{} {} {} {}",
            c.operation,
            c.prefix(),
            c.help,
            GROUPS
                .iter()
                .find(|(g, _)| *g == group_of(c))
                .map_or("", |(_, n)| n)
        )
        .to_ascii_lowercase();
        q.split_whitespace().all(|w| hay.contains(w))
    };
    let first_match = move || {
        let q = query.get_untracked().to_ascii_lowercase();
        schema::commands().find(|c| matches(c, &q))
    };
    let chosen_op = move || choice.with(|c| c.as_ref().map(|c| c.cmd.operation));

    view! {
        <section class="forms" aria-label="Operations" data-testid="action-forms">
            <div class="quick" role="group" aria-label="Quick actions">
                {QUICK
                    .iter()
                    .map(|&(label, testid, service, operation, preset)| {
                        view! {
                            <button
                                data-testid=testid
                                on:click=move |_| {
                                    if let Some(cmd) = schema::find_operation(service, operation) {
                                        let p = preset
                                            .iter()
                                            .map(|(k, v)| (*k, v.to_string()))
                                            .collect();
                                        choose(cmd, p);
                                    }
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="op-search">
                <input
                    type="search"
                    aria-label="Search operations"
                    placeholder="Search operations: volume, grant, snapshot…"
                    data-testid="op-search"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            if let Some(c) = first_match() {
                                choose(c, Vec::new());
                            }
                        }
                    }
                />
            </div>
            <nav class="op-list" aria-label="All operations">
                {move || {
                    let q = query.get().to_ascii_lowercase();
                    let mut any = false;
                    let groups = GROUPS
                        .iter()
                        .filter_map(|&(g, name)| {
                            let cmds: Vec<&'static Command> = schema::commands()
                                .filter(|c| group_of(c) == g && matches(c, &q))
                                .collect();
                            if cmds.is_empty() {
                                return None;
                            }
                            any = true;
                            Some(
                                view! {
                                    <div class="op-group">
                                        <h3>{name}</h3>
                                        <ul>
                                            {cmds
                                                .into_iter()
                                                .map(|c| {
                                                    let op = c.operation;
                                                    view! {
                                                        <li>
                                                            <button
                                                                class="op"
                                                                class:on=move || chosen_op() == Some(op)
                                                                aria-pressed=move || {
                                                                    (chosen_op() == Some(op)).to_string()
                                                                }
                                                                title=c.help
                                                                data-testid=format!("op-{op}")
                                                                on:click=move |_| choose(c, Vec::new())
                                                            >
                                                                {op}
                                                            </button>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </div>
                                }
                                    .into_any(),
                            )
                        })
                        .collect::<Vec<_>>();
                    if any {
                        groups.into_any()
                    } else {
                        view! {
                            <p class="muted">
                                "No operation matches. Try volume, snapshot, key, grant, image, instance or play."
                            </p>
                        }
                            .into_any()
                    }
                }}
            </nav>
            {move || {
                choice
                    .get()
                    .map(|c| view! { <OpForm cmd=c.cmd preset=c.preset/> })
            }}
        </section>
    }
}

/// The form of one operation.
#[component]
fn OpForm(cmd: &'static Command, preset: Vec<(&'static str, String)>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (specs, initial) = ctx.session.with_untracked(|s| {
        let env = env_of(s);
        let specs = specs_of(cmd, &env);
        let initial: Vec<String> = specs
            .iter()
            .map(|sp| default_value(cmd, sp, &env, s, &preset))
            .collect();
        (specs, initial)
    });
    let values: Vec<RwSignal<String>> = initial.into_iter().map(RwSignal::new).collect();
    let specs = StoredValue::new(specs);
    let values = StoredValue::new(values);
    let touched = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let heading = NodeRef::<html::H3>::new();
    let result_ref = NodeRef::<html::Div>::new();

    let line = Memo::new(move |_| {
        let vals: Vec<String> = values.with_value(|vs| vs.iter().map(|v| v.get()).collect());
        specs.with_value(|sp| build_line(cmd, sp, &vals))
    });
    // What the console's parser says of the line (no execution).
    let verdict = Memo::new(move |_| {
        let l = line.get();
        ctx.session
            .with(|s| s.shell().parse_command(&l))
            .map(|_| ())
            .map_err(|e| e.message)
    });
    let field_error = move |i: usize| -> Option<String> {
        let msg = verdict.get().err()?;
        specs.with_value(|sp| sp.get(i).is_some_and(|s| mentions(&msg, s)).then_some(msg))
    };
    let form_error = move || -> Option<String> {
        let msg = verdict.get().err()?;
        let on_a_field = specs.with_value(|sp| sp.iter().any(|s| mentions(&msg, s)));
        (!on_a_field).then_some(msg)
    };
    let who = move || {
        ctx.session.with(|s| {
            let env = env_of(s);
            format!(
                "Runs as profile {} (account {}) in {}.",
                s.shell().current_profile_name(),
                env.account,
                env.region
            )
        })
    };

    let run = move || {
        touched.set(true);
        let l = line.get_untracked();
        let out = ctx.run(&l);
        outcome.set(out.map(|e| Outcome::of(&e, cmd.operation)));
    };

    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    // Bring a new result into view (the form can be taller than the panel).
    Effect::new(move |_| {
        if outcome.with(Option::is_none) {
            return;
        }
        request_animation_frame(move || {
            if let Some(el) = result_ref.get_untracked() {
                el.scroll_into_view_with_bool(false);
            }
        });
    });

    let fields = specs
        .get_value()
        .into_iter()
        .enumerate()
        .map(|(i, spec)| {
            let value = values.with_value(|v| v.get(i).copied());
            let value = value.unwrap_or_else(|| RwSignal::new(String::new()));
            view! { <FormField spec value error=Signal::derive(move || field_error(i)) touched/> }
        })
        .collect_view();

    view! {
        <form
            class="op-form"
            novalidate=true
            data-testid="op-form"
            aria-labelledby="op-form-title"
            on:submit=move |ev| {
                ev.prevent_default();
                run();
            }
        >
            <h3 id="op-form-title" tabindex="-1" node_ref=heading>
                {cmd.operation}
                <small class="op-service">{format!(" {}", cmd.service.as_str().to_ascii_uppercase())}</small>
            </h3>
            <p class="op-help">{cmd.help}</p>
            <p class="op-who muted">{who}</p>
            {(cmd.params.is_empty() && cmd.extras.is_empty() && !cmd.takes_dry_run())
                .then(|| view! { <p class="muted">"This operation takes no parameters."</p> })}
            <div class="fields">{fields}</div>
            <div class="preview">
                <span class="preview-label" id="op-preview-label">
                    "Equivalent AWS CLI command"
                </span>
                <pre aria-labelledby="op-preview-label" data-testid="form-preview">
                    <code>{move || super::console::command_words(&line.get())}</code>
                </pre>
            </div>
            <div
                class="validation"
                class:ok=move || verdict.get().is_ok()
                class:touched=move || touched.get()
                data-testid="form-validation"
                role="status"
            >
                {move || match verdict.get() {
                    Ok(()) => "✓ The CLI accepts this command.".to_string(),
                    Err(_) => match form_error() {
                        Some(m) => m,
                        None => "The CLI would reject this: see the marked field.".to_string(),
                    },
                }}
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="form-run">
                    "Run"
                </button>
                <button
                    type="button"
                    data-testid="form-edit"
                    title="Put the command into the console to edit it there"
                    on:click=move |_| ctx.console_draft.set(Some(line.get_untracked()))
                >
                    "Edit in console"
                </button>
            </div>
            <div class="result-slot" node_ref=result_ref>
            {move || {
                outcome
                    .get()
                    .map(|o| {
                        view! {
                            <div
                                class="run-result"
                                class:failed=!o.ok
                                data-testid="form-result"
                                role="status"
                            >
                                <strong>{o.title}</strong>
                                {(!o.text.is_empty()).then(|| view! { <pre>{o.text}</pre> })}
                            </div>
                        }
                    })
            }}
            </div>
        </form>
    }
}

/// One field: label (AWS member name), input, help, and the parser's message when it is about
/// this field.
#[component]
fn FormField(
    spec: Spec,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let safe: String = spec
        .label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = format!("field-{safe}");
    let help_id = format!("{id}-help");
    let err_id = format!("{id}-error");
    let list_id = format!("{id}-list");
    let testid = format!("field-{}", spec.label.trim_start_matches('-'));
    let described = format!("{help_id} {err_id}");
    let on_input = move |ev: leptos::ev::Event| {
        value.set(event_target_value(&ev));
        touched.set(true);
    };
    let suggest = spec.suggest;
    let datalist = (suggest != Suggest::None).then(|| {
        let options = Memo::new(move |_| {
            ctx.session.with(|s| {
                let env = env_of(s);
                suggestions(s, suggest, &env)
            })
        });
        view! {
            <datalist id=list_id.clone()>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, d)| view! { <option value=v>{d}</option> })
                        .collect_view()
                }}
            </datalist>
        }
    });
    let list_attr = (suggest != Suggest::None).then(|| list_id.clone());
    let required = spec.required;
    let label_view = {
        let label = spec.label;
        let option = spec.option.clone();
        let show_option = spec.ty.is_some();
        view! {
            <span class="member">{label}</span>
            {required.then(|| view! { <span class="req" title="required">" *"</span> })}
            {required.then(|| view! { <span class="sr-only">" (required)"</span> })}
            {show_option.then(|| view! { <code class="opt">{option}</code> })}
        }
    };
    let input = match spec.input {
        Input::Check => view! {
            <label class="check" for=id.clone()>
                <input
                    type="checkbox"
                    id=id.clone()
                    data-testid=testid.clone()
                    aria-describedby=described.clone()
                    prop:checked=move || value.get() == "true"
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        value.set(if on { "true".into() } else { String::new() });
                        touched.set(true);
                    }
                />
                {label_view}
            </label>
        }
        .into_any(),
        Input::Select => {
            let options = spec.choices.clone();
            view! {
                <label for=id.clone()>{label_view}</label>
                <select
                    id=id.clone()
                    data-testid=testid.clone()
                    aria-describedby=described.clone()
                    aria-required=required.to_string()
                    prop:value=move || value.get()
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        touched.set(true);
                    }
                >
                    {(!required).then(|| view! { <option value="">"(not set)"</option> })}
                    {options
                        .into_iter()
                        .map(|c| {
                            let c2 = c.clone();
                            view! {
                                <option value=c selected=move || value.get() == c2>
                                    {c.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Checks => {
            let options = spec.choices.clone();
            view! {
                <fieldset class="checks" data-testid=testid.clone() aria-describedby=described.clone()>
                    <legend>{label_view}</legend>
                    {options
                        .into_iter()
                        .map(|c| {
                            let c_on = c.clone();
                            let c_set = c.clone();
                            let has = move |v: &str, c: &str| v.split_whitespace().any(|w| w == c);
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || value.with(|v| has(v, &c_on))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            value.update(|v| {
                                                let mut words: Vec<String> = v
                                                    .split_whitespace()
                                                    .filter(|w| *w != c_set)
                                                    .map(str::to_string)
                                                    .collect();
                                                if on {
                                                    words.push(c_set.clone());
                                                }
                                                *v = words.join(" ");
                                            });
                                            touched.set(true);
                                        }
                                    />
                                    {c.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }
            .into_any()
        }
        Input::Area => view! {
            <label for=id.clone()>{label_view}</label>
            <textarea
                id=id.clone()
                data-testid=testid.clone()
                aria-describedby=described.clone()
                aria-required=required.to_string()
                rows="3"
                spellcheck="false"
                placeholder="JSON, or shorthand such as Key=Value,Other=Value"
                prop:value=move || value.get()
                on:input=on_input
            ></textarea>
        }
        .into_any(),
        Input::Number | Input::Text | Input::List => {
            let kind = if spec.input == Input::Number {
                "number"
            } else {
                "text"
            };
            let placeholder = match spec.input {
                Input::List => "one or more, separated by spaces",
                _ => "",
            };
            view! {
                <label for=id.clone()>{label_view}</label>
                <input
                    type=kind
                    id=id.clone()
                    data-testid=testid.clone()
                    aria-describedby=described.clone()
                    aria-required=required.to_string()
                    list=list_attr
                    placeholder=placeholder
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || value.get()
                    on:input=on_input
                />
            }
            .into_any()
        }
    };
    view! {
        <div
            class="field"
            class:invalid=move || error.get().is_some()
            class:touched=move || touched.get()
            class:check-field=spec.input == Input::Check
        >
            {input}
            {datalist}
            <small class="field-help" id=help_id>{spec.help}</small>
            <small class="field-error" id=err_id data-testid=format!("{testid}-error")>
                {move || error.get()}
            </small>
        </div>
    }
}
