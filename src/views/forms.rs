//! The operation forms' logic, derived from the command table
//! ([`crate::model::ops`]): the operation groups and search, one field spec per
//! parameter, the values a field starts with, suggestions from the session (volume ids, key
//! aliases, principals, shell variables holding them), the command line a form's values make,
//! which field a parser message is about, and the line under a run form.
//!
//! Nothing here is an AWS rule: a form builds a command line from the schema's option names and
//! the console's parser judges it. Defaults and suggestions are conveniences.

use super::templates::sample_policy;
use super::visibility::{self, IMAGE_SUGGESTIONS, SNAPSHOT_SUGGESTIONS};
use crate::cli::schema::{self, Command, Ty};
use crate::cli::shell::shell_quote;
use crate::model::iam::PrincipalKind;
use crate::model::ops::Service;
use crate::model::provider::Cloud;
use crate::model::visibility::Access;
use crate::model::Caller;
use crate::session::{Entry, Session};
use std::collections::BTreeSet;

/// Most suggestions offered for one field.
pub const MAX_SUGGESTIONS: usize = 50;

/// Longest result text shown under a form, in characters.
pub const MAX_RESULT_CHARS: usize = 8_000;

/// The groups of the operation list, in display order.
pub const GROUPS: &[(Group, &str)] = &[
    (Group::Kms, "KMS"),
    (Group::Volumes, "EC2 volumes"),
    (Group::Snapshots, "Snapshots"),
    (Group::Images, "Images (AMIs)"),
    (Group::Instances, "Instances"),
    (Group::Default, "Encryption by default"),
    (Group::Iam, "IAM & STS"),
    (Group::AutoScaling, "Auto Scaling"),
    (Group::S3, "S3"),
    (Group::Rds, "RDS"),
    (Group::Play, "Playground (play)"),
    (Group::AliDisks, "ECS disks"),
    (Group::AliInstances, "ECS instances"),
    (Group::AliSnapshots, "ECS snapshots and images"),
    (Group::AliDefault, "ECS default encryption"),
    (Group::AliKms, "KMS (Alibaba Cloud)"),
    (Group::AliRam, "RAM"),
];

/// Quick actions: (button label, test id, service, operation, preset values).
pub type Quick = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

pub const QUICK: &[Quick] = &[
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

/// Quick actions of an Alibaba Cloud world.
pub const QUICK_ALIBABA: &[Quick] = &[
    (
        "Create CMK",
        "quick-ali-create-key",
        "kms",
        "CreateKey",
        &[("Description", "my key")],
    ),
    (
        "Create encrypted disk",
        "quick-ali-create-disk",
        "ecs",
        "CreateDisk",
        &[
            ("Encrypted", "true"),
            ("DiskCategory", "cloud_essd"),
            ("Size", "40"),
        ],
    ),
    (
        "Run instance",
        "quick-ali-run-instances",
        "ecs",
        "RunInstances",
        &[],
    ),
    (
        "Create snapshot",
        "quick-ali-create-snapshot",
        "ecs",
        "CreateSnapshot",
        &[],
    ),
    (
        "Write text",
        "quick-ali-play-write",
        "play",
        "WriteData",
        &[],
    ),
];

/// The quick actions of a cloud's world.
pub fn quick_of(cloud: Cloud) -> &'static [Quick] {
    match cloud {
        Cloud::Aws => QUICK,
        Cloud::Alibaba => QUICK_ALIBABA,
    }
}

/// The operations a cloud's world offers, in table order.
pub fn commands_of(cloud: Cloud) -> Box<dyn Iterator<Item = &'static Command>> {
    match cloud {
        Cloud::Aws => Box::new(schema::commands()),
        Cloud::Alibaba => Box::new(crate::model::ops::aliyun::all()),
    }
}

/// The operation of a backend service and API name in a cloud's world.
pub fn find_in(cloud: Cloud, service: &str, operation: &str) -> Option<&'static Command> {
    Service::parse_in(cloud, service)?.op(operation)
}

/// A group of the operation list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Kms,
    Volumes,
    Snapshots,
    Images,
    Instances,
    Default,
    Iam,
    AutoScaling,
    Play,
    S3,
    Rds,
    AliDisks,
    AliInstances,
    AliSnapshots,
    AliDefault,
    AliKms,
    AliRam,
}

/// The group an operation is listed under.
pub fn group_of(c: &Command) -> Group {
    let op = c.operation;
    match c.service {
        Service::AliKms => return Group::AliKms,
        Service::AliRam => return Group::AliRam,
        Service::AliPlay => return Group::Play,
        Service::AliEcs => {
            return if op.contains("Default") {
                Group::AliDefault
            } else if op.contains("Snapshot") || op.contains("Image") {
                Group::AliSnapshots
            } else if op.contains("Disk") {
                Group::AliDisks
            } else {
                Group::AliInstances
            }
        }
        _ => {}
    }
    match c.cli_service {
        "kms" => Group::Kms,
        "iam" | "sts" => Group::Iam,
        "autoscaling" => Group::AutoScaling,
        "play" if op.contains("File") => Group::S3,
        "rds" => Group::Rds,
        "play" => Group::Play,
        "s3api" => Group::S3,
        _ if op.contains("Ebs") => Group::Default,
        _ if op.contains("Snapshot") => Group::Snapshots,
        _ if op.contains("Image") => Group::Images,
        _ if op.contains("Volume") => Group::Volumes,
        _ => Group::Instances,
    }
}

/// What kind of existing resource a field names, for suggestions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suggest {
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

/// What kind of existing resource a member names.
pub fn suggest_of(name: &str) -> Suggest {
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
pub enum Input {
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
pub struct Spec {
    /// The AWS member name (`KmsKeyId`), or the option of a CLI-only extra (`--count`).
    pub label: &'static str,
    /// The CLI option (`--kms-key-id`).
    pub option: String,
    /// The parameter's type (`None` for a CLI-only extra).
    pub ty: Option<Ty>,
    /// The command needs it.
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
    /// The values a select or checks offer.
    pub choices: Vec<String>,
    /// How it is edited.
    pub input: Input,
    /// Which existing resources it may name.
    pub suggest: Suggest,
}

/// Where the form acts: account, region and a few facts for defaults.
pub struct Env {
    /// The caller's account.
    pub account: String,
    /// The caller's region.
    pub region: String,
    /// The region's availability zones.
    pub zones: Vec<String>,
}

/// The environment of the session's current profile.
pub fn env_of(s: &Session) -> Env {
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

/// The fields of a command's form: one per parameter in schema order, then the CLI-only
/// extras, then `DryRun` for commands that take it.
pub fn specs_of(cmd: &'static Command, env: &Env) -> Vec<Spec> {
    let mut out = Vec::new();
    // The aliyun CLI's options are the member names, and its booleans take `true`/`false`.
    let alibaba = cmd.service.cloud() == Cloud::Alibaba;
    for p in cmd.cli_params() {
        let zone = matches!(p.name, "AvailabilityZone" | "AvailabilityZones" | "ZoneId");
        let choices: Vec<String> = if zone {
            env.zones.clone()
        } else if alibaba && p.ty == Ty::Bool {
            vec!["true".into(), "false".into()]
        } else {
            p.choices.iter().map(|c| c.to_string()).collect()
        };
        let policy = p.name.contains("Policy") && p.ty == Ty::Str;
        let input = match p.ty {
            Ty::Bool if alibaba => Input::Select,
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
            option: if alibaba {
                format!("--{}", p.name)
            } else {
                format!("--{}", schema::cli_name(p.name))
            },
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
/// Existing resources a field may name: (value, description), newest first, then the shell
/// variables holding one of them.
pub fn suggestions(s: &Session, kind: Suggest, env: &Env) -> Vec<(String, String)> {
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
            for (sn, access) in visibility::snapshots(sim, acct, region, SNAPSHOT_SUGGESTIONS) {
                let enc = if sn.encryption.is_some() {
                    "encrypted"
                } else {
                    "unencrypted"
                };
                let owner = if access == Access::Owner {
                    String::new()
                } else {
                    format!(", owner {}", sn.account)
                };
                let desc = format!("of {}, {enc}, {}{owner}", sn.volume_id, sn.state.as_str());
                out.push((sn.created, sn.id.clone(), desc));
            }
        }
        Suggest::Image => {
            for (im, _) in visibility::images(sim, acct, region, IMAGE_SUGGESTIONS) {
                let desc = format!("{}, {}, owner {}", im.name, im.state.as_str(), im.account);
                out.push((im.created, im.id.clone(), desc));
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
                if r.kind == PrincipalKind::Role && !r.is_service_linked() {
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
    crate::sort::sort_by(&mut out, |a, b| a.0 > b.0);
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
pub fn aliases(s: &Session, env: &Env) -> Vec<String> {
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
pub fn latest_in_trace(s: &Session, ids: &[String]) -> Option<String> {
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

/// The value a field starts with: a preset, else a sensible default, else empty.
pub fn default_value(
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
    if let Some(v) = super::rds_forms::default_value(cmd, spec, env, s) {
        return v;
    }
    if let Some(v) = super::aliyun_forms::default_value(cmd, spec, env, s) {
        return v;
    }
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
    if let Some(v) = super::s3_rows::default_value(cmd, spec.label, s, &env.account) {
        return v;
    }
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
            return sample_policy(spec.label, &env.account).to_string();
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
pub fn word(v: &str) -> String {
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
pub fn option_words(spec: &Spec, raw: &str) -> Vec<String> {
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
pub fn build_line(cmd: &Command, specs: &[Spec], values: &[String]) -> String {
    let mut words = vec![cmd.prefix()];
    for (spec, v) in specs.iter().zip(values) {
        words.extend(option_words(spec, v));
    }
    words.join(" ")
}

/// Whether a parser message is about this field.
pub fn mentions(msg: &str, spec: &Spec) -> bool {
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
pub struct Outcome {
    /// The call succeeded.
    pub ok: bool,
    /// One line: what happened.
    pub title: String,
    /// The output, cut to a readable length.
    pub text: String,
}

impl Outcome {
    /// The outcome of an entry of `operation`.
    pub fn of(e: &Entry, operation: &str) -> Outcome {
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

/// Whether an operation matches every word of a (lower-case) search.
pub fn matches_query(c: &Command, query: &str) -> bool {
    let group = GROUPS
        .iter()
        .find(|(g, _)| *g == group_of(c))
        .map_or("", |(_, n)| n);
    let hay = format!("{} {} {} {group}", c.operation, c.prefix(), c.help).to_ascii_lowercase();
    query.split_whitespace().all(|w| hay.contains(w))
}

/// The fields and starting values of a command's form in the session, with `preset` values.
pub fn form_of(
    cmd: &'static Command,
    s: &Session,
    preset: &[(&'static str, String)],
) -> (Vec<Spec>, Vec<String>) {
    let env = env_of(s);
    let specs = specs_of(cmd, &env);
    let values = specs
        .iter()
        .map(|sp| default_value(cmd, sp, &env, s, preset))
        .collect();
    (specs, values)
}

#[cfg(test)]
mod tests;
