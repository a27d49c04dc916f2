//! The AWS CLI's pagination of paged operations: `--page-size` sets the service's limit member
//! on every call, the CLI follows the service's tokens and joins the pages, `--max-items`
//! stops after that many results and prints a `NextToken` of its own, and `--starting-token`
//! resumes from one (botocore's token: base64 JSON of the service token and the number of
//! results of that page already shown).

use super::*;
use crate::cli::args::PageArgs;
use crate::cli::schema::Command;
use crate::model::ops::Paging;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

/// The CLI's token: where to resume (the service token, if any) and how many results of that
/// page were shown already.
fn cli_token(paging: &Paging, service_token: Option<&Value>, shown: usize) -> String {
    let mut m = Map::new();
    m.insert(
        paging.input_token.to_string(),
        service_token.cloned().unwrap_or(Value::Null),
    );
    m.insert("boto_truncate_amount".into(), Value::from(shown));
    B64.encode(Value::Object(m).to_string())
}

fn read_token(paging: &Paging, token: &str) -> Result<(Option<Value>, usize), CliError> {
    let bad = || CliError::syntax(format!("Bad starting token: {token}"));
    let text = B64.decode(token.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(text).map_err(|_| bad())?;
    let v: Value = serde_json::from_str(&text).map_err(|_| bad())?;
    let service = v.get(paging.input_token).filter(|t| !t.is_null()).cloned();
    let skip = v
        .get("boto_truncate_amount")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    Ok((service, skip as usize))
}

/// Runs a paged command the way the CLI does when a paging option is given.
pub(super) fn run_paged(
    backend: &mut dyn Backend,
    caller: &Caller,
    command: &'static Command,
    paging: &Paging,
    params: Value,
    pages: &PageArgs,
) -> Result<Value, PagedError> {
    let mut params = match params {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Some(n) = pages.page_size {
        params.insert(paging.limit_key.into(), Value::from(n));
    }
    let (mut resume, mut skip) = match &pages.starting_token {
        Some(t) => read_token(paging, t).map_err(PagedError::Cli)?,
        None => (None, 0),
    };
    let mut joined: Vec<Value> = Vec::new();
    let mut first: Option<Value> = None;
    let mut next_token: Option<String> = None;
    loop {
        let mut request = params.clone();
        if let Some(t) = &resume {
            request.insert(paging.input_token.into(), t.clone());
        }
        let v = backend
            .execute(
                caller,
                command.service.as_str(),
                command.operation,
                Value::Object(request),
            )
            .map_err(PagedError::Service)?;
        let items: Vec<Value> = v
            .get(paging.result_key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let out_token = v.get(paging.output_token).filter(|t| !t.is_null()).cloned();
        if first.is_none() {
            first = Some(v);
        }
        let page: Vec<Value> = items.into_iter().skip(skip).collect();
        let offset = skip;
        skip = 0;
        if let Some(max) = pages.max_items.map(|n| n as usize) {
            let room = max.saturating_sub(joined.len());
            if page.len() > room {
                joined.extend(page.into_iter().take(room));
                next_token = Some(cli_token(paging, resume.as_ref(), offset + room));
                break;
            }
            joined.extend(page);
            if joined.len() == max {
                if let Some(t) = &out_token {
                    next_token = Some(cli_token(paging, Some(t), 0));
                }
                break;
            }
        } else {
            joined.extend(page);
        }
        match out_token {
            Some(t) => resume = Some(t),
            None => break,
        }
    }
    let mut out = match first {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    out.remove(paging.output_token);
    if let Some(flag) = paging.more_results {
        out.remove(flag);
    }
    out.insert(paging.result_key.into(), Value::Array(joined));
    if let Some(t) = next_token {
        out.insert("NextToken".into(), Value::String(t));
    }
    Ok(Value::Object(out))
}

/// Why a paged command failed: the CLI refused a token, or a call failed.
pub(super) enum PagedError {
    Cli(CliError),
    Service(AwsError),
}
