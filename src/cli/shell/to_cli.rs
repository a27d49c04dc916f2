//! From an operation and its parameters back to a command line ([`to_cli`]): what every form
//! and button shows, with shell quoting as the AWS CLI documentation writes it.

use super::*;

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

pub(super) fn shorthand_safe(s: &str) -> bool {
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
    let mut tail: Option<String> = None;
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
            // A positional member (get-object's outfile) is the last word, without an option.
            let positional = c.extras.iter().any(|e| e.option == schema::cli_name(k));
            if let (true, Some(s)) = (positional, v.as_str()) {
                if !s.starts_with('-') {
                    tail = Some(shell_quote(s));
                    continue;
                }
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
    parts.extend(tail);
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
pub(super) fn option_text(name: &str, ty: Ty, v: &Value) -> Option<String> {
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
