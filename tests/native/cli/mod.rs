//! The AWS CLI front end (`src/cli/`) against a fake backend: real AWS CLI command
//! lines (seeds and AWS documentation examples) and malformed ones, variables and `$( … )`,
//! `--query` and output formats, waiters, scripts and share links, `to_cli` round trips, and
//! property tests that nothing typed or decoded can panic. This file holds the fake backend.

mod aliyun;
mod formats;
mod parse;
mod props;
mod script;
mod shell;

use ebs_kms_playground::cli::args::Invocation;
use ebs_kms_playground::cli::schema::{self, Member, Ty};
use ebs_kms_playground::cli::{
    lexer, output, parse_command, parse_line, to_cli, to_cli_as, Backend, Caller, OutputFormat,
    Script, ScriptError, Shell,
};
use ebs_kms_playground::model::error::AwsError;
use proptest::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// A fake backend: records every call and answers with a closure.

type Responder = Box<dyn FnMut(&str, &str, &Value) -> Result<Value, AwsError>>;

struct Fake {
    calls: Vec<(Caller, String, String, Value)>,
    respond: Responder,
}

impl Backend for Fake {
    fn execute(
        &mut self,
        caller: &Caller,
        service: &str,
        operation: &str,
        params: Value,
    ) -> Result<Value, AwsError> {
        let r = (self.respond)(service, operation, &params);
        self.calls.push((
            caller.clone(),
            service.to_string(),
            operation.to_string(),
            params,
        ));
        r
    }
}

fn fake(f: impl FnMut(&str, &str, &Value) -> Result<Value, AwsError> + 'static) -> Fake {
    Fake {
        calls: Vec::new(),
        respond: Box::new(f),
    }
}

fn volume(id: &str, state: &str) -> Value {
    json!({
        "VolumeId": id,
        "Size": 8,
        "AvailabilityZone": "us-east-1a",
        "State": state,
        "CreateTime": "2026-01-01T00:00:00.000Z",
        "Encrypted": true,
        "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "VolumeType": "gp3",
        "Attachments": []
    })
}

/// Answers CreateVolume with a volume and everything else with `{}`.
fn canned() -> Fake {
    fake(|_, op, _| match op {
        "CreateVolume" => Ok(volume("vol-0123456789abcdef0", "creating")),
        "DescribeVolumes" => {
            Ok(json!({"Volumes": [volume("vol-1", "available"), volume("vol-2", "in-use")]}))
        }
        "CreateKey" => Ok(
            json!({"KeyMetadata": {"KeyId": "k-1", "Arn": "arn:aws:kms:us-east-1:111122223333:key/k-1"}}),
        ),
        _ => Ok(json!({})),
    })
}

fn api(line: &str) -> (String, String, Value) {
    match parse_command(line) {
        Ok(p) => match p.invocation {
            Invocation::Api {
                command, params, ..
            } => (
                command.service.to_string(),
                command.operation.to_string(),
                params,
            ),
            other => panic!("{line}: not an API call: {other:?}"),
        },
        Err(e) => panic!("{line}: {}", e.message),
    }
}

fn err(line: &str) -> String {
    match parse_command(line) {
        Ok(p) => panic!("{line}: expected an error, got {:?}", p.invocation),
        Err(e) => e.message,
    }
}

/// A DescribeVolumes answer with an attached and an available volume.
fn describe_volumes() -> Value {
    json!({"Volumes": [
        {"VolumeId": "vol-1", "Size": 8, "State": "in-use", "Encrypted": true,
         "Attachments": [{"InstanceId": "i-1", "Device": "/dev/sdf", "State": "attached"}]},
        {"VolumeId": "vol-2", "Size": 16, "State": "available", "Encrypted": false, "Attachments": []}
    ]})
}
