//! One API command's arguments to AWS-shaped JSON: options by the operation table's member
//! types (scalars, lists, shorthand, JSON), `--cli-input-json`, and the options the parser
//! translates (`--count`, `--minutes`).

use super::*;

/// The CLI's paging options of one command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageArgs {
    /// `--max-items N`.
    pub max_items: Option<u64>,
    /// `--starting-token T`.
    pub starting_token: Option<String>,
    /// `--page-size N`.
    pub page_size: Option<u64>,
}

impl PageArgs {
    /// Whether any paging option was given.
    pub fn any(&self) -> bool {
        self.max_items.is_some() || self.starting_token.is_some() || self.page_size.is_some()
    }
}

/// Extras that are flags (no value).
const FLAG_EXTRAS: &[&str] = &[
    "--associate-public-ip-address",
    "--no-associate-public-ip-address",
];

/// Parses the options of an API command (everything after the command name).
pub fn parse_api(command: &'static Command, args: &[String]) -> Result<Invocation, CliError> {
    let mut given: Vec<(&'static Param, Value)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut input_json: Option<Map<String, Value>> = None;
    let mut dry_run = false;
    let mut pages = PageArgs::default();
    let mut extras: Vec<(&'static str, String)> = Vec::new();
    let mut skeleton = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if !is_option(a) {
            // A positional argument (get-object's outfile) fills its member once.
            let positional = command.extras.iter().find(|e| !is_option(e.option));
            match positional.and_then(|e| command.param_by_option(e.option)) {
                Some(p) if !given.iter().any(|(q, _)| q.name == p.name) => {
                    given.push((p, Value::String(a.clone())));
                }
                _ => unknown.push(a.clone()),
            }
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
        if command.paging.is_some()
            && matches!(name, "--max-items" | "--starting-token" | "--page-size")
        {
            let v = one_value(&mut i)?;
            if name == "--starting-token" {
                pages.starting_token = Some(v);
            } else {
                let n: u64 = v.parse().map_err(|_| {
                    usage_error(format!("argument {name}: invalid int value: '{v}'"))
                })?;
                if name == "--max-items" {
                    pages.max_items = Some(n);
                } else {
                    pages.page_size = Some(n);
                }
            }
            continue;
        }
        if let Some(extra) = command.extras.iter().find(|e| e.option == name) {
            if FLAG_EXTRAS.contains(&extra.option) {
                extras.push((
                    extra.option,
                    (!extra.option.starts_with("--no-")).to_string(),
                ));
                continue;
            }
            let v = one_value(&mut i)?;
            extras.push((extra.option, v));
            continue;
        }
        let matches = command.params_by_prefix(opt);
        if matches.len() > 1 {
            let names: Vec<String> = matches
                .iter()
                .map(|p| format!("--{}", schema::cli_name(p.name)))
                .collect();
            return Err(usage_error(format!(
                "ambiguous option: {name} could match {}",
                names.join(", ")
            )));
        }
        if let Some(p) = matches.first().copied() {
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
            .map(|p| {
                let name = schema::cli_name(p.name);
                match command.extras.iter().any(|e| e.option == name) {
                    true => name,
                    false => format!("--{name}"),
                }
            })
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
        pages,
    })
}

pub(super) fn parse_input_json(text: &str) -> Result<Map<String, Value>, CliError> {
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

pub(super) fn reject_file_url(option: &str, v: &str) -> Result<(), CliError> {
    if v.starts_with("file://") || v.starts_with("fileb://") {
        return Err(CliError::syntax(format!(
            "Error parsing parameter '{option}': the playground has no files, so file:// and fileb:// cannot be read: paste the value itself (JSON in single quotes)."
        )));
    }
    Ok(())
}

pub(super) fn apply_extras(
    command: &Command,
    extras: &[(&'static str, String)],
    params: &mut Map<String, Value>,
) -> Result<(), CliError> {
    match command.operation {
        "RunInstances" => {
            // The AWS CLI's run-instances customization: a public IP needs a network interface,
            // which then also carries the subnet and the security groups.
            if let Some((_, public)) = extras
                .iter()
                .find(|(o, _)| o.ends_with("associate-public-ip-address"))
            {
                let mut nic = Map::new();
                nic.insert("DeviceIndex".into(), 0.into());
                nic.insert(
                    "AssociatePublicIpAddress".into(),
                    Value::Bool(public == "true"),
                );
                if let Some(s) = params.remove("SubnetId") {
                    nic.insert("SubnetId".into(), s);
                }
                if let Some(g) = params.remove("SecurityGroupIds") {
                    nic.insert("Groups".into(), g);
                }
                params.insert(
                    "NetworkInterfaces".into(),
                    Value::Array(vec![Value::Object(nic)]),
                );
            }
            for (_, v) in extras.iter().filter(|(o, _)| *o == "--count") {
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

pub(super) fn convert_single(option: &str, ty: Ty, v: &str) -> Result<Value, CliError> {
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

pub(super) fn convert_list(option: &str, ty: Ty, values: &[String]) -> Result<Value, CliError> {
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

pub(super) fn param_error(option: &str, msg: &str) -> CliError {
    CliError::syntax(format!("Error parsing parameter '{option}': {msg}"))
}

pub(super) fn parse_json_value(option: &str, text: &str) -> Result<Value, CliError> {
    serde_json::from_str(text)
        .map_err(|e| param_error(option, &format!("Invalid JSON: {e}\nJSON received: {text}")))
}

/// Converts an untyped shorthand value to JSON using the expected type; values that do not
/// fit are kept as they are, so that [`validate`] reports them in botocore's words.
pub(super) fn coerce(sh: &Sh, ty: Ty) -> Value {
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
