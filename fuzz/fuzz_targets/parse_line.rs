//! Fuzz target: the console's line lexer and argument parser must never panic.
#![no_main]

use ebs_kms_playground::cli::{parse_command, parse_line, shorthand};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_line(s);
        let _ = parse_command(s);
        let _ = shorthand::parse(s);
    }
});
