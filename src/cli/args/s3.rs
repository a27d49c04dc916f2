//! `aws s3 cp` and `aws s3 ls`, the high-level commands, for their common cases, translated to
//! the s3api operations they make (PutObject, GetObject, ListBuckets, ListObjectsV2); and the
//! playground's `play file put|show|list`.

use super::*;

const S3_USAGE: &str = "The playground models `aws s3 cp FILE s3://BUCKET/KEY [--sse AES256|aws:kms] [--sse-kms-key-id KEY]`, `aws s3 cp s3://BUCKET/KEY FILE` and `aws s3 ls [s3://BUCKET[/PREFIX]]`; for everything else use `aws s3api …`.";

/// `s3://bucket/key` → (bucket, key); the key may be empty.
fn s3_url(s: &str) -> Option<(String, String)> {
    let rest = s.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    (!bucket.is_empty()).then(|| (bucket.to_string(), key.to_string()))
}

fn api(op: &str, params: Map<String, Value>) -> Result<Invocation, CliError> {
    let Some(command) = schema::find("s3api", op) else {
        return Err(CliError::syntax(S3_USAGE));
    };
    let params = Value::Object(params);
    validate(command, &params)?;
    Ok(Invocation::Api {
        command,
        params,
        dry_run: false,
        pages: PageArgs::default(),
    })
}

/// `aws s3 OPERATION …`.
pub(super) fn parse_s3(operation: Option<&str>, tail: &[String]) -> Result<Invocation, CliError> {
    let mut words = Vec::new();
    let mut options: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while let Some(a) = tail.get(i) {
        i += 1;
        if let Some(name) = a.strip_prefix("--") {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => match tail.get(i) {
                    Some(v) if !is_option(v) => {
                        i += 1;
                        (name.to_string(), v.clone())
                    }
                    _ => {
                        return Err(usage_error(format!(
                            "argument --{name}: expected one argument"
                        )))
                    }
                },
            };
            options.push((name, value));
        } else {
            words.push(a.clone());
        }
    }
    let mut params = Map::new();
    match (operation, words.as_slice()) {
        (Some("ls"), []) => {
            if let Some((o, _)) = options.first() {
                return Err(unknown_options(&[format!("--{o}")]));
            }
            api("list-buckets", params)
        }
        (Some("ls"), [url]) => {
            let Some((bucket, prefix)) = s3_url(url) else {
                return Err(CliError::syntax(S3_USAGE));
            };
            if let Some((o, _)) = options.first() {
                return Err(unknown_options(&[format!("--{o}")]));
            }
            params.insert("Bucket".into(), bucket.into());
            if !prefix.is_empty() {
                params.insert("Prefix".into(), prefix.into());
            }
            api("list-objects-v2", params)
        }
        (Some("cp"), [from, to]) => match (s3_url(from), s3_url(to)) {
            (None, Some((bucket, key))) => {
                let file = from.strip_prefix("./").unwrap_or(from);
                // `aws s3 cp f s3://b/` keeps the file's name as the key.
                let key = if key.is_empty() || key.ends_with('/') {
                    format!("{key}{file}")
                } else {
                    key
                };
                params.insert("Bucket".into(), bucket.into());
                params.insert("Key".into(), key.into());
                params.insert("Body".into(), file.into());
                for (name, value) in options {
                    let member = match name.as_str() {
                        "sse" => "ServerSideEncryption",
                        "sse-kms-key-id" => "SSEKMSKeyId",
                        "content-type" => "ContentType",
                        _ => return Err(unknown_options(&[format!("--{name}")])),
                    };
                    params.insert(member.into(), value.into());
                }
                api("put-object", params)
            }
            (Some((bucket, key)), None) if !key.is_empty() => {
                if let Some((o, _)) = options.first() {
                    return Err(unknown_options(&[format!("--{o}")]));
                }
                let file = to.strip_prefix("./").unwrap_or(to);
                let file = if file.is_empty() || file == "." {
                    key.rsplit('/').next().unwrap_or(&key).to_string()
                } else {
                    file.to_string()
                };
                params.insert("Bucket".into(), bucket.into());
                params.insert("Key".into(), key.into());
                params.insert("Outfile".into(), file.into());
                api("get-object", params)
            }
            _ => Err(CliError::syntax(S3_USAGE)),
        },
        (Some("help") | None, _) => Ok(Invocation::Help(S3_USAGE.into())),
        _ => Err(CliError::syntax(S3_USAGE)),
    }
}

/// `play file put|show|list …`.
pub(super) fn parse_play_file(tail: &[String]) -> Result<Invocation, CliError> {
    let usage = "usage: play file put --name NAME --text TEXT | play file show --name NAME | play file list";
    let Some(sub) = tail.first() else {
        return Err(CliError::syntax(usage));
    };
    let Some(command) = schema::find("play", &format!("file {sub}")) else {
        return Err(CliError::syntax(usage));
    };
    let rest = tail.get(1..).unwrap_or(&[]);
    if rest.first().map(String::as_str) == Some("help") {
        return Ok(Invocation::Help(command_help(command)));
    }
    parse_api(command, rest)
}
