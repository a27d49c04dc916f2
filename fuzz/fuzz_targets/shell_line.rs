//! Fuzz target: a whole console line through the shell (expansion, parsing, a canned backend
//! response, `--query`, output formatting, completion and help) must never panic.
#![no_main]

use ebs_kms_playground::cli::{Backend, Caller, Shell};
use ebs_kms_playground::model::error::AwsError;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

struct Canned;

impl Backend for Canned {
    fn execute(&mut self, _: &Caller, _: &str, op: &str, _: Value) -> Result<Value, AwsError> {
        match op {
            "AdvanceTime" => Ok(json!({"Now": 15})),
            "DescribeVolumes" => Ok(
                json!({"Volumes": [{"VolumeId": "vol-1", "State": "creating", "Size": 8,
                "Attachments": [{"InstanceId": "i-1", "Device": "/dev/sdf"}]}]}),
            ),
            "CreateKey" => Err(AwsError::new("AccessDeniedException", "denied")),
            _ => Ok(json!({"Items": [1, "two", null, true, {"A": [1.5]}], "Nested": {"K": "v"}})),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let mut sh = Shell::new();
        sh.set_var("VOL", "vol-1");
        for line in s.split('\n').take(4) {
            let _ = sh.run_line(&mut Canned, line);
            let _ = sh.complete(line);
            let _ = sh.help(line);
        }
    }
});
