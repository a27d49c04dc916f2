//! The `aliyun` CLI front end: `aliyun PRODUCT ApiName --Param value …` read against the
//! Alibaba Cloud half of the operation table, its JSON output (tab-indented, with `RequestId`)
//! and its error text (`ERROR: SDK.ServerError` with `ErrorCode:` and `Message:` lines).
//!
//! Options are parameter names: `--RegionId cn-hangzhou`, `--SystemDisk.Category cloud_essd`
//! (a structure member), `--DataDisk.1.Size 40` (element 1 of a list of structures),
//! `--AddAccount.1 UID` (a list). Values are strings on the command line; the table's types
//! turn them into the request's numbers and booleans. `--profile`, `--region` and
//! `--cli-query` (JMESPath) are the CLI's own.

use super::args::{Globals, Invocation, ParsedCommand};
use super::CliError;
use crate::model::error::AwsError;
use crate::model::ops::{aliyun, Op, Param, Ty};
use serde_json::{Map, Value};

/// The products of the playground in `aliyun help`.
const PRODUCT_HELP: &[(&str, &str)] = &[
    (
        "ecs",
        "Elastic Compute Service: instances, disks, snapshots, images",
    ),
    (
        "kms",
        "Key Management Service: CMKs, the service key, data keys",
    ),
    ("ram", "Resource Access Management: users, policies, roles"),
];

fn usage(msg: impl Into<String>) -> CliError {
    CliError::syntax(format!("ERROR: {}", msg.into()))
}

/// Parses `aliyun …` arguments (`args[0]` is `aliyun`), or the playground's `play …` commands
/// of an Alibaba Cloud world, whose options are member names too (`play write --DiskId d-…`);
/// `play profile …` is the same as in an AWS world.
pub fn parse(args: &[String]) -> Result<ParsedCommand, CliError> {
    if args.first().map(String::as_str) == Some("play") {
        return parse_play(args);
    }
    let mut globals = Globals::default();
    let mut words: Vec<&str> = Vec::new();
    let mut options: Vec<(String, Option<String>)> = Vec::new();
    let mut i = 1;
    while let Some(a) = args.get(i) {
        i += 1;
        let Some(name) = a.strip_prefix("--") else {
            if options.is_empty() {
                words.push(a);
                continue;
            }
            return Err(usage(format!(
                "'{a}' is not an option: values follow an option such as --RegionId."
            )));
        };
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (name.to_string(), None),
        };
        let value = match inline {
            Some(v) => Some(v),
            None => match args.get(i) {
                Some(v) if !v.starts_with("--") => {
                    i += 1;
                    Some(v.clone())
                }
                _ => None,
            },
        };
        match name.as_str() {
            "profile" | "p" => globals.profile = Some(need(&name, value)?),
            "region" => globals.region = Some(need(&name, value)?),
            "cli-query" => globals.query = Some(need(&name, value)?),
            "help" => options.push((name, None)),
            _ => options.push((name, value)),
        }
    }
    let help = options.iter().any(|(n, _)| n == "help");
    match words.as_slice() {
        [] | ["help"] => Ok(help_of(globals, top_help())),
        ["configure", rest @ ..] => configure(globals, rest, &options),
        [product] | [product, "help"] => Ok(help_of(globals, product_help(product)?)),
        ["help", product] => Ok(help_of(globals, product_help(product)?)),
        ["help", product, api] => {
            let op = find(product, api)?;
            Ok(help_of(globals, api_help(op)))
        }
        [product, api, ..] => {
            let op = find(product, api)?;
            if help {
                return Ok(help_of(globals, api_help(op)));
            }
            if let Some(extra) = words.get(2) {
                return Err(usage(format!(
                    "'{extra}' is not an option: values follow an option such as --RegionId."
                )));
            }
            let params = params_of(op, &options)?;
            if globals.region.is_none() {
                if let Some(Value::String(r)) = params.get("RegionId") {
                    globals.region = Some(r.clone());
                }
            }
            Ok(ParsedCommand {
                globals,
                invocation: Invocation::Api {
                    command: op,
                    params: Value::Object(params),
                    dry_run: false,
                    pages: Default::default(),
                },
            })
        }
    }
}

fn parse_play(args: &[String]) -> Result<ParsedCommand, CliError> {
    let sub = args.get(1).map(String::as_str).unwrap_or("");
    if sub == "profile" {
        return super::args::parse_args_in(args, crate::model::provider::ALIBABA.account_digits);
    }
    if sub.is_empty() || sub == "help" {
        let mut text = String::from("The playground's own commands in an Alibaba Cloud world:\n");
        for op in aliyun::commands_of("play") {
            text.push_str(&format!("  play {:<16} {}\n", op.name, op.help));
        }
        text.push_str("  play profile add NAME --account-id UID [--region R] [--principal ARN]\n  play profile list");
        return Ok(help_of(Globals::default(), text));
    }
    let op = aliyun::find("play", sub).ok_or_else(|| {
        let names: Vec<&str> = aliyun::commands_of("play").map(|c| c.name).collect();
        CliError::syntax(format!(
            "play: '{sub}' is not a playground command here; try {} or profile.",
            names.join(", ")
        ))
    })?;
    // `--minutes N` and the like are `Seconds`; the rest are member names.
    let mut rewritten: Vec<String> = vec!["aliyun".into(), "play".into(), op.name.into()];
    let mut seconds: Option<u64> = None;
    let mut i = 2;
    while let Some(a) = args.get(i) {
        let unit = match a.as_str() {
            "--minutes" => Some(60),
            "--hours" => Some(3_600),
            "--days" => Some(86_400),
            _ => None,
        };
        match unit {
            Some(unit) => {
                let n = args
                    .get(i + 1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| {
                        CliError::syntax(format!("play {}: {a} takes a whole number.", op.name))
                    })?;
                seconds = Some(seconds.unwrap_or(0).saturating_add(n.saturating_mul(unit)));
                i += 2;
            }
            None => {
                rewritten.push(a.clone());
                i += 1;
            }
        }
    }
    if let Some(s) = seconds {
        rewritten.push("--Seconds".into());
        rewritten.push(s.to_string());
    }
    parse(&rewritten)
}

fn need(name: &str, v: Option<String>) -> Result<String, CliError> {
    v.ok_or_else(|| usage(format!("--{name} needs a value.")))
}

fn help_of(globals: Globals, text: String) -> ParsedCommand {
    ParsedCommand {
        globals,
        invocation: Invocation::Help(text),
    }
}

/// The operation `aliyun PRODUCT API` names, or the CLI's error for an unknown one.
fn find(product: &str, api: &str) -> Result<&'static Op, CliError> {
    let product = product.to_ascii_lowercase();
    if !aliyun::PRODUCTS.contains(&product.as_str()) && product != "play" {
        return Err(usage(format!(
            "'{product}' is not a valid command or product. See `aliyun help`."
        )));
    }
    aliyun::find(&product, api).ok_or_else(|| {
        usage(format!(
            "'{api}' is not a valid api. See `aliyun help {product}`."
        ))
    })
}

/// `aliyun configure set --region R [--profile P]`, `aliyun configure get region`,
/// `aliyun configure list`.
fn configure(
    globals: Globals,
    rest: &[&str],
    options: &[(String, Option<String>)],
) -> Result<ParsedCommand, CliError> {
    let invocation = match rest {
        ["set"] => {
            let region = globals
                .region
                .clone()
                .or_else(|| options.iter().find(|(n, _)| n == "region").and_then(|(_, v)| v.clone()))
                .ok_or_else(|| usage("aliyun configure set: give --region REGION (the only setting the playground keeps)."))?;
            Invocation::ConfigureSet {
                key: "region".into(),
                value: region,
            }
        }
        ["get", key] => Invocation::ConfigureGet {
            key: key.to_string(),
        },
        ["list"] => Invocation::ConfigureList,
        _ => {
            return Err(usage(
                "aliyun configure: use `set --region R`, `get region` or `list`.",
            ))
        }
    };
    // The region given to `set` is the new setting, not where this command runs.
    let globals = Globals {
        region: None,
        ..globals
    };
    Ok(ParsedCommand {
        globals,
        invocation,
    })
}

/// The request of `op` from `--Name value` options, typed by the table.
fn params_of(
    op: &'static Op,
    options: &[(String, Option<String>)],
) -> Result<Map<String, Value>, CliError> {
    let mut out = Map::new();
    for (name, value) in options {
        let mut path = name.split('.');
        let top = path.next().unwrap_or("");
        let Some(param) = op.params.iter().find(|p| p.name.eq_ignore_ascii_case(top)) else {
            return Err(usage(format!(
                "'--{name}' is not a valid parameter or flag. See `aliyun help {} {}`.",
                op.cli_service, op.operation
            )));
        };
        let rest: Vec<&str> = path.collect();
        let Some(value) = value else {
            return Err(usage(format!("--{name} needs a value.")));
        };
        put(&mut out, param, &rest, value, name)?;
    }
    Ok(out)
}

/// Stores one option's value at its place in the request.
fn put(
    out: &mut Map<String, Value>,
    param: &Param,
    rest: &[&str],
    value: &str,
    option: &str,
) -> Result<(), CliError> {
    let bad = || {
        usage(format!(
            "'--{option}' does not name a member of {}.",
            param.name
        ))
    };
    match (param.ty, rest) {
        (Ty::Struct(members), [member]) => {
            let m = members
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(member))
                .ok_or_else(bad)?;
            let entry = out
                .entry(param.name)
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(s) = entry else {
                return Err(bad());
            };
            s.insert(m.name.to_string(), scalar(m.ty, value));
        }
        (Ty::StructList(members), [n, member]) => {
            let index = list_index(n, option)?;
            let m = members
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(member))
                .ok_or_else(bad)?;
            let entry = out
                .entry(param.name)
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(list) = entry else {
                return Err(bad());
            };
            while list.len() < index {
                list.push(Value::Object(Map::new()));
            }
            if let Some(Value::Object(s)) = list.get_mut(index - 1) {
                s.insert(m.name.to_string(), scalar(m.ty, value));
            }
        }
        (Ty::StrList, [n]) => {
            let index = list_index(n, option)?;
            let entry = out
                .entry(param.name)
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(list) = entry else {
                return Err(bad());
            };
            while list.len() < index {
                list.push(Value::String(String::new()));
            }
            if let Some(slot) = list.get_mut(index - 1) {
                *slot = Value::String(value.to_string());
            }
        }
        (Ty::StrList, []) => {
            // A JSON list, or one value.
            let v = serde_json::from_str::<Value>(value)
                .ok()
                .filter(Value::is_array)
                .unwrap_or_else(|| Value::Array(vec![Value::String(value.to_string())]));
            out.insert(param.name.to_string(), v);
        }
        (Ty::Struct(_) | Ty::StructList(_) | Ty::Map, []) => {
            let v = serde_json::from_str::<Value>(value).map_err(|_| {
                usage(format!(
                    "--{option} takes JSON here, or give its members as --{option}.Member value."
                ))
            })?;
            out.insert(param.name.to_string(), v);
        }
        (ty, []) => {
            out.insert(param.name.to_string(), scalar(ty, value));
        }
        _ => return Err(bad()),
    }
    Ok(())
}

/// `N` of `--DataDisk.N.Size`: 1 to 100.
fn list_index(n: &str, option: &str) -> Result<usize, CliError> {
    match n.parse::<usize>() {
        Ok(i) if (1..=100).contains(&i) => Ok(i),
        _ => Err(usage(format!(
            "'--{option}': the list index must be a number from 1 to 100."
        ))),
    }
}

/// A command-line string as a value of type `ty`. A value that does not read as its type is
/// passed on as the string, for the service to refuse as Alibaba Cloud does.
fn scalar(ty: Ty, value: &str) -> Value {
    match ty {
        Ty::Int => value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string())),
        Ty::Bool => match value.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(value.to_string()),
        },
        _ => Value::String(value.to_string()),
    }
}

fn top_help() -> String {
    let mut s = String::from("Alibaba Cloud Command Line Interface (the playground's part of it)\n\nUsage:\n  aliyun <product> <operation> [--parameter1 value1 --parameter2 value2 ...]\n\nFlags:\n  --profile,-p  use a profile\n  --region      the region (default: the profile's; --RegionId sets it too)\n  --cli-query   a JMESPath query on the result\n\nProducts:\n");
    for (p, what) in PRODUCT_HELP {
        s.push_str(&format!("  {p:<6} {what}\n"));
    }
    s.push_str("\nUse `aliyun help <product>` for its operations.");
    s
}

fn product_help(product: &str) -> Result<String, CliError> {
    let product = product.to_ascii_lowercase();
    if !aliyun::PRODUCTS.contains(&product.as_str()) {
        return Err(usage(format!(
            "'{product}' is not a valid command or product. See `aliyun help`."
        )));
    }
    let mut s = format!("Product: {product}\n\nAvailable Api List:\n");
    for op in aliyun::commands_of(&product) {
        s.push_str(&format!("  {:<40} {}\n", op.operation, op.help));
    }
    s.push_str(&format!(
        "\nRun `aliyun {product} <ApiName> --help` to get more information about this API"
    ));
    Ok(s)
}

fn api_help(op: &Op) -> String {
    let mut s = format!(
        "Alibaba Cloud CLI command: {}\n\n{}\n\nParameters:\n",
        op.prefix(),
        op.help
    );
    for p in op.params {
        let ty = match p.ty {
            Ty::Str => "String",
            Ty::Int => "Integer",
            Ty::Bool => "Boolean",
            Ty::StrList => "RepeatList",
            Ty::Map => "String (JSON)",
            Ty::Struct(_) => "Struct",
            Ty::StructList(_) => "RepeatList",
        };
        let req = if p.required {
            "  Required"
        } else {
            "  Optional"
        };
        s.push_str(&format!("  --{:<28} {ty:<13}{req}  {}\n", p.name, p.help));
        if let Ty::Struct(ms) | Ty::StructList(ms) = p.ty {
            let n = if matches!(p.ty, Ty::StructList(_)) {
                ".n"
            } else {
                ""
            };
            for m in ms {
                s.push_str(&format!("      --{}{n}.{}\n", p.name, m.name));
            }
        }
    }
    s
}

/// The text `aliyun` prints for an error the service returned.
pub fn error_text(product: &str, e: &AwsError, request_id: &str) -> String {
    let product = match product {
        "ecs" => "Ecs",
        "kms" => "Kms",
        "ram" => "Ram",
        other => other,
    };
    format!(
        "ERROR: SDK.ServerError\nErrorCode: {code}\nRecommend: https://api.aliyun.com/troubleshoot?q={code}&product={product}\nRequestId: {request_id}\nMessage: {}",
        e.message,
        code = e.code
    )
}

/// A request id for an error (the service's own answers carry theirs): the same line and
/// error give the same id, in the form Alibaba Cloud prints them.
pub fn error_request_id(seed: &str) -> String {
    // FNV-1a, twice with different offsets, for 128 deterministic bits.
    let hash = |offset: u64| {
        seed.bytes().fold(offset, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
    let hex = format!("{a:016X}{b:016X}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The result as `aliyun` prints it: JSON indented with tabs.
pub fn format_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0);
    out
}

fn write_json(out: &mut String, v: &Value, depth: usize) {
    let indent = |out: &mut String, d: usize| {
        out.push('\n');
        for _ in 0..d {
            out.push('\t');
        }
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                write_json(out, v, depth + 1);
            }
            indent(out, depth);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_json(out, v, depth + 1);
            }
            indent(out, depth);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    fn api(line: &str) -> (&'static Op, Value, Globals) {
        match parse(&argv(line)) {
            Ok(ParsedCommand {
                globals,
                invocation:
                    Invocation::Api {
                        command, params, ..
                    },
            }) => (command, params, globals),
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn seed_002_create_disk_line_reads_as_the_api_request() {
        let (op, params, g) = api("aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true --KMSKeyId key-hzz1");
        assert_eq!(op.operation, "CreateDisk");
        assert_eq!(
            params,
            json!({"RegionId": "cn-hangzhou", "ZoneId": "cn-hangzhou-i", "DiskCategory": "cloud_essd", "Size": 40, "Encrypted": true, "KMSKeyId": "key-hzz1"})
        );
        assert_eq!(g.region.as_deref(), Some("cn-hangzhou"));
    }

    #[test]
    fn dotted_options_build_structures_and_lists() {
        let (_, params, _) = api("aliyun ecs RunInstances --ImageId m-1 --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --DataDisk.2.Size 40 --DataDisk.1.Encrypted false");
        assert_eq!(
            params["SystemDisk"],
            json!({"Category": "cloud_essd", "Encrypted": true})
        );
        assert_eq!(
            params["DataDisk"],
            json!([{"Encrypted": false}, {"Size": 40}])
        );
        let (_, params, _) = api(
            "aliyun ecs ModifyImageSharePermission --ImageId m-1 --AddAccount.1 9876543210987654",
        );
        assert_eq!(params["AddAccount"], json!(["9876543210987654"]));
    }

    #[test]
    fn the_cli_refuses_what_aliyun_refuses() {
        let err = |l: &str| parse(&argv(l)).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(
            err("aliyun foo Bar"),
            "ERROR: 'foo' is not a valid command or product. See `aliyun help`."
        );
        assert_eq!(
            err("aliyun ecs CreateDsk"),
            "ERROR: 'CreateDsk' is not a valid api. See `aliyun help ecs`."
        );
        assert_eq!(
            err("aliyun ecs CreateDisk --Foo 1"),
            "ERROR: '--Foo' is not a valid parameter or flag. See `aliyun help ecs CreateDisk`."
        );
        assert!(err("aliyun ecs RunInstances --DataDisk.0.Size 4").contains("from 1 to 100"));
        assert!(err("aliyun ecs CreateDisk --Size").contains("needs a value"));
    }

    #[test]
    fn api_names_match_without_case_and_globals_are_read() {
        let (op, params, g) = api("aliyun kms describekey --KeyId key-1 --profile partner --cli-query KeyMetadata.KeyState");
        assert_eq!(op.operation, "DescribeKey");
        assert_eq!(params, json!({"KeyId": "key-1"}));
        assert_eq!(g.profile.as_deref(), Some("partner"));
        assert_eq!(g.query.as_deref(), Some("KeyMetadata.KeyState"));
    }

    #[test]
    fn play_commands_take_member_names_and_time_units() {
        let (op, params, _) = api("play write --InstanceId i-1 --DiskId d-1 --Text hello");
        assert_eq!(op.prefix(), "play write");
        assert_eq!(
            params,
            json!({"InstanceId": "i-1", "DiskId": "d-1", "Text": "hello"})
        );
        let (op, params, _) = api("play advance --days 7 --hours 1");
        assert_eq!(op.operation, "AdvanceTime");
        assert_eq!(params, json!({"Seconds": 7 * 86_400 + 3_600}));
        assert!(parse(&argv("play nothing")).is_err());
        match parse(&argv("play help")) {
            Ok(ParsedCommand {
                invocation: Invocation::Help(t),
                ..
            }) => {
                assert!(
                    t.contains("play share-snapshot") && t.contains("play profile add"),
                    "{t}"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn help_lists_products_operations_and_parameters() {
        let help = |l: &str| match parse(&argv(l)) {
            Ok(ParsedCommand {
                invocation: Invocation::Help(t),
                ..
            }) => t,
            other => panic!("{l}: {other:?}"),
        };
        assert!(help("aliyun").contains("ecs"));
        assert!(help("aliyun ecs").contains("CreateDisk"));
        let h = help("aliyun ecs CreateDisk --help");
        assert!(h.contains("--KMSKeyId") && h.contains("--Encrypted"), "{h}");
        assert!(help("aliyun ecs RunInstances --help").contains("--DataDisk.n.Encrypted"));
    }

    #[test]
    fn output_is_tab_indented_json_and_errors_print_as_aliyun_prints_them() {
        assert_eq!(format_json(&json!({"DiskId": "d-1", "Tags": [], "N": {"A": [1]}})), "{\n\t\"DiskId\": \"d-1\",\n\t\"Tags\": [],\n\t\"N\": {\n\t\t\"A\": [\n\t\t\t1\n\t\t]\n\t}\n}");
        let e = AwsError::new(
            "InvalidParameter.KMSKeyId.CMKNotEnabled",
            "The CMK needs to be enabled.",
        );
        let id = error_request_id("x");
        assert_eq!(id.len(), 36);
        assert_eq!(id, error_request_id("x"));
        let t = error_text("ecs", &e, &id);
        assert!(
            t.starts_with(
                "ERROR: SDK.ServerError\nErrorCode: InvalidParameter.KMSKeyId.CMKNotEnabled\n"
            ),
            "{t}"
        );
        assert!(t.ends_with("Message: The CMK needs to be enabled."), "{t}");
    }
}
