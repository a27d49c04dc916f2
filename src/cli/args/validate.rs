//! Parameter validation as botocore words it: required members, unknown members, types
//! (`Parameter validation failed: …`).

use super::*;

/// Checks parameters against the command's schema, with botocore's messages
/// (`Parameter validation failed:` then one line per problem).
pub fn validate(command: &Command, params: &Value) -> Result<(), CliError> {
    let mut errors = Vec::new();
    let fields: Vec<(&str, Ty, bool)> = command
        .params
        .iter()
        .map(|p| (p.name, p.ty, p.required))
        .collect();
    check_struct(params, &fields, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CliError::param(format!(
            "Parameter validation failed:\n{}",
            errors.join("\n")
        )))
    }
}

pub(super) fn check_struct(
    v: &Value,
    fields: &[(&str, Ty, bool)],
    path: &str,
    errors: &mut Vec<String>,
) {
    let Value::Object(obj) = v else {
        errors.push(type_error(path, v, "<class 'dict'>"));
        return;
    };
    let place = if path.is_empty() { "input" } else { path };
    for (name, _, required) in fields {
        if *required && !obj.contains_key(*name) {
            errors.push(format!("Missing required parameter in {place}: \"{name}\""));
        }
    }
    for (k, val) in obj {
        match fields.iter().find(|(n, _, _)| n == k) {
            None => {
                let names: Vec<&str> = fields.iter().map(|(n, _, _)| *n).collect();
                errors.push(format!(
                    "Unknown parameter in {place}: \"{k}\", must be one of: {}",
                    names.join(", ")
                ));
            }
            Some((_, ty, _)) => {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                check_value(val, *ty, &sub, errors);
            }
        }
    }
}

pub(super) fn check_value(v: &Value, ty: Ty, path: &str, errors: &mut Vec<String>) {
    match ty {
        Ty::Str => {
            if !v.is_string() {
                errors.push(type_error(path, v, "<class 'str'>"));
            }
        }
        Ty::Int => {
            if !(v.is_i64() || v.is_u64()) {
                errors.push(type_error(path, v, "<class 'int'>"));
            }
        }
        Ty::Bool => {
            if !v.is_boolean() {
                errors.push(type_error(path, v, "<class 'bool'>"));
            }
        }
        Ty::StrList | Ty::StructList(_) => {
            let Value::Array(items) = v else {
                errors.push(type_error(path, v, "<class 'list'>, <class 'tuple'>"));
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let sub = format!("{path}[{i}]");
                match ty {
                    Ty::StructList(members) => {
                        let fields: Vec<(&str, Ty, bool)> =
                            members.iter().map(|m| (m.name, m.ty, m.required)).collect();
                        check_struct(item, &fields, &sub, errors);
                    }
                    _ => check_value(item, Ty::Str, &sub, errors),
                }
            }
        }
        Ty::Map => {
            let Value::Object(obj) = v else {
                errors.push(type_error(path, v, "<class 'dict'>"));
                return;
            };
            for (k, val) in obj {
                check_value(val, Ty::Str, &format!("{path}.{k}"), errors);
            }
        }
        Ty::Struct(members) => {
            let fields: Vec<(&str, Ty, bool)> =
                members.iter().map(|m| (m.name, m.ty, m.required)).collect();
            check_struct(v, &fields, path, errors);
        }
    }
}

pub(super) fn type_error(path: &str, v: &Value, valid: &str) -> String {
    let name = if path.is_empty() { "input" } else { path };
    format!(
        "Invalid type for parameter {name}, value: {}, type: {}, valid types: {valid}",
        py_repr(v, true),
        py_type(v)
    )
}

pub(super) fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// Python's `str()` of a value (top level) or `repr()` (inside containers).
pub(super) fn py_repr(v: &Value, top: bool) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if top => s.clone(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| py_repr(i, false))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", py_repr(v, false)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
