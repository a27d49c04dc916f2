//! `aws ec2 wait …`: polls a describe operation through the backend until an acceptor of the
//! waiter matches, advancing simulated time between polls (`play AdvanceTime`), with the
//! AWS CLI's (botocore's) messages for failures.

use super::schema::{Matcher, WaitState, Waiter};
use super::{Backend, Caller};
use crate::json;
use crate::model::error::AwsError;
use serde_json::Value;

/// The error code a failed waiter reports.
pub const WAITER_ERROR: &str = "WaiterError";

fn explanation(m: &Matcher) -> String {
    match m {
        Matcher::PathAll(expr, expected) => {
            format!("For expression \"{expr}\" all members matched expected path: \"{expected}\"")
        }
        Matcher::PathAny(expr, expected) => {
            format!(
                "For expression \"{expr}\" we matched expected path: \"{expected}\" at least once"
            )
        }
        Matcher::Path(expr, expected) => {
            format!(
                "For expression \"{expr}\" we matched expected path: \"{}\"",
                py_literal(expected)
            )
        }
        Matcher::Error(code) => format!("Matched expected service error code: {code}"),
    }
}

fn py_literal(json_text: &str) -> String {
    match json_text {
        "true" => "True".into(),
        "false" => "False".into(),
        other => other.into(),
    }
}

fn search(expr: &str, data: &Value) -> Option<Value> {
    let compiled = jmespath::compile(expr).ok()?;
    let result = compiled.search(data).ok()?;
    serde_json::to_value(&*result).ok()
}

fn matches(m: &Matcher, response: &Result<Value, AwsError>) -> bool {
    match (m, response) {
        (Matcher::Error(code), Err(e)) => e.code == *code,
        (Matcher::Error(_), Ok(_)) => false,
        (_, Err(_)) => false,
        (Matcher::PathAll(expr, expected), Ok(v)) => match search(expr, v) {
            Some(Value::Array(items)) if !items.is_empty() => {
                items.iter().all(|i| i.as_str() == Some(expected))
            }
            _ => false,
        },
        (Matcher::PathAny(expr, expected), Ok(v)) => match search(expr, v) {
            Some(Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(expected)),
            _ => false,
        },
        (Matcher::Path(expr, expected), Ok(v)) => {
            let want: Value = serde_json::from_str(expected).unwrap_or(Value::Null);
            search(expr, v).is_some_and(|got| got == want)
        }
    }
}

fn fail(w: &Waiter, reason: String) -> AwsError {
    AwsError::new(
        WAITER_ERROR,
        format!("Waiter {} failed: {reason}", w.waiter_name),
    )
}

/// Runs a waiter: up to `max_attempts` describe calls, `AdvanceTime {Seconds: delay}` between
/// them. `Ok(attempts)` when the success state is reached (the CLI prints nothing).
pub fn run(
    backend: &mut dyn Backend,
    caller: &Caller,
    waiter: &Waiter,
    params: &Value,
    operation: &str,
) -> Result<u32, AwsError> {
    let mut last_matched: Option<&Matcher> = None;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let response = backend.execute(caller, waiter.service(), operation, params.clone());
        let mut state = None;
        for a in waiter.acceptors {
            if matches(&a.matcher, &response) {
                last_matched = Some(&a.matcher);
                state = Some(a.state);
                break;
            }
        }
        match (state, &response) {
            (Some(WaitState::Success), _) => return Ok(attempt),
            (Some(WaitState::Failure), _) => {
                let why = last_matched.map(explanation).unwrap_or_default();
                return Err(fail(
                    waiter,
                    format!("Waiter encountered a terminal failure state: {why}"),
                ));
            }
            (None, Err(e)) => {
                return Err(fail(
                    waiter,
                    format!("An error occurred ({}): {}", e.code, e.message),
                ));
            }
            _ => {}
        }
        if attempt >= waiter.max_attempts {
            let reason = match last_matched {
                Some(m) => format!(
                    "Max attempts exceeded. Previously accepted state: {}",
                    explanation(m)
                ),
                None => "Max attempts exceeded".to_string(),
            };
            return Err(fail(waiter, reason));
        }
        backend.execute(
            caller,
            "play",
            "AdvanceTime",
            json!({ "Seconds": waiter.delay }),
        )?;
    }
}
