//! Paging, once for every paged operation: the handler returns the whole list and
//! [`page`] cuts the page the request asks for (its limit and token members, from the operation
//! table's [`Paging`]), adding the next token and the "truncated" flag as the service does.
//! Tokens are opaque to callers and deterministic: base64 of the offset.

use super::codes::{AutoScalingCode, Ec2Code, IamCode, KmsCode};
use super::error::{AwsError, AwsResult};
use super::ops::{Paging, Service};
use super::params::Params;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::Value;

/// The token that resumes at `offset`.
fn token(offset: usize) -> String {
    B64.encode(format!("{{\"offset\":{offset}}}"))
}

/// The offset a token resumes at, if it is one this model issued.
fn offset_of(token: &str) -> Option<usize> {
    let text = String::from_utf8(B64.decode(token.trim()).ok()?).ok()?;
    text.strip_prefix("{\"offset\":")?
        .strip_suffix('}')?
        .parse()
        .ok()
}

fn bad_token(service: Service, paging: &Paging, given: &str) -> AwsError {
    let member = paging.input_token;
    match service {
        Service::Kms => AwsError::new(
            KmsCode::InvalidMarkerException,
            format!("The marker {given} is not valid."),
        ),
        Service::Iam => AwsError::new(
            IamCode::ValidationError,
            format!("Invalid {member}: {given}"),
        ),
        Service::AutoScaling => AwsError::new(
            AutoScalingCode::InvalidNextToken,
            "The token is invalid or expired.",
        ),
        _ => AwsError::new(
            Ec2Code::InvalidParameterValue,
            format!("Invalid value '{given}' for the parameter {member}."),
        ),
    }
}

fn bad_limit(service: Service, paging: &Paging, n: u64) -> AwsError {
    let (lo, hi) = paging.limits;
    let member = paging.limit_key;
    match service {
        Service::Kms => AwsError::new(
            KmsCode::ValidationException,
            format!("1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value between {lo} and {hi}"),
        ),
        Service::Iam => AwsError::new(
            IamCode::ValidationError,
            format!("1 validation error detected: Value '{n}' at 'maxItems' failed to satisfy constraint: Member must have value between {lo} and {hi}"),
        ),
        Service::AutoScaling => AwsError::new(
            AutoScalingCode::ValidationError,
            format!("1 validation error detected: Value '{n}' at 'maxRecords' failed to satisfy constraint: Member must have value between {lo} and {hi}"),
        ),
        _ => AwsError::new(
            Ec2Code::InvalidParameterValue,
            format!("Value ( {n} ) for parameter {member} is invalid. Expecting a value between {lo} and {hi}."),
        ),
    }
}

/// Cuts the page `q` asks for out of the handler's whole answer `v`.
pub(crate) fn page(service: Service, paging: &Paging, q: &Params, v: &mut Value) -> AwsResult<()> {
    let limit = q.opt_u64(paging.limit_key)?;
    let given = q.opt_str(paging.input_token)?;
    if let Some(n) = limit {
        if n < paging.limits.0 || n > paging.limits.1 {
            return Err(bad_limit(service, paging, n));
        }
    }
    let start = match &given {
        Some(t) => offset_of(t).ok_or_else(|| bad_token(service, paging, t))?,
        None => 0,
    };
    let Some(Value::Array(items)) = v.get_mut(paging.result_key) else {
        return Ok(());
    };
    let total = items.len();
    let start = start.min(total);
    let end = limit.map_or(total, |n| start.saturating_add(n as usize).min(total));
    let page: Vec<Value> = items.drain(..).skip(start).take(end - start).collect();
    *items = page;
    let more = end < total;
    if let Value::Object(m) = v {
        if more {
            m.insert(paging.output_token.into(), Value::String(token(end)));
        }
        if let Some(flag) = paging.more_results {
            m.insert(flag.into(), Value::Bool(more));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_foreign_ones_are_refused() {
        for n in [0, 1, 7, 1000] {
            assert_eq!(offset_of(&token(n)), Some(n));
        }
        assert_eq!(offset_of("bm90IGEgdG9rZW4="), None);
        assert_eq!(offset_of("%%%"), None);
    }
}
