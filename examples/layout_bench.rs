//! Prints how long the diagram layout (and the SVG and Mermaid exports) take per message for
//! traces of 1,000 and 10,000 calls. A measurement, not a test: `cargo run --release --example
//! layout_bench`.

use ebs_kms_playground::diagram::{layout, to_mermaid, to_svg, LayoutOptions, SvgTheme};
use ebs_kms_playground::model::error::AwsError;
use ebs_kms_playground::model::trace::{Approximation, Call, Participant};
use serde_json::json;
use std::hint::black_box;
use std::time::Instant;

/// A call with the fields the diagram reads; the rest left empty.
fn call(seq: usize, command: usize, from: Participant, to: Participant, op: &str) -> Call {
    Call::sketch(seq, command, from, to, op)
}

/// A trace shaped like the simulation's: user commands, each with a few nested service calls,
/// some approximations, failures and events.
fn trace(n: usize) -> Vec<Call> {
    use Participant::{Ebs, Ec2, EventBridge, Host, Kms, User};
    let mut calls: Vec<Call> = Vec::with_capacity(n);
    let mut command = 0;
    while calls.len() < n {
        let s = calls.len();
        let mut top = call(s, command, User, Ec2, "AttachVolume");
        top.end = s + 5;
        top.response = json!({"AttachTime": "T+1s", "Device": "/dev/sdf", "InstanceId": "i-1", "State": "attaching", "VolumeId": "vol-1"});
        calls.push(top);
        let mut g = call(s + 1, command, Ec2, Kms, "CreateGrant");
        g.response = json!({"GrantToken": "t", "GrantId": "g-1"});
        calls.push(g);
        let mut d = call(s + 2, command, Ec2, Kms, "Decrypt");
        d.response = json!({"KeyId": "k", "Plaintext": "<redacted>", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"});
        if command % 7 == 3 {
            d.error = Some(AwsError::new("DisabledException", "key disabled"));
        }
        calls.push(d);
        let mut h = call(s + 3, command, Ec2, Host, "LoadDataKey");
        h.approximation = Some(Approximation {
            note: "internal".into(),
        });
        h.response = json!({"Loaded": true});
        calls.push(h);
        let mut r = call(s + 4, command, Host, Ebs, "ReadBlocks");
        r.response = json!({"Blocks": [1, 2, 3]});
        calls.push(r);
        let mut e = call(s + 5, command, Ec2, EventBridge, "attachVolume");
        e.is_event = true;
        calls.push(e);
        command += 1;
    }
    calls.truncate(n);
    calls
}

/// Median nanoseconds of `runs` runs of `f`.
fn median_ns(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_nanos() as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(runs / 2).copied().unwrap_or(0.0)
}

fn main() {
    let opts = LayoutOptions::default();
    println!("calls  messages  layout_ms  layout_ns/msg  svg_ns/msg  mermaid_ns/msg");
    for n in [1_000, 10_000] {
        let calls = trace(n);
        let l = layout(&calls, &opts);
        let msgs = l.messages.len() as f64;
        let lay = median_ns(21, || {
            black_box(layout(black_box(&calls), &opts));
        });
        let svg = median_ns(7, || {
            black_box(to_svg(&l, &calls, SvgTheme::Light));
        });
        let mer = median_ns(7, || {
            black_box(to_mermaid(&calls));
        });
        println!(
            "{n:>5}  {:>8}  {:>9.3}  {:>13.1}  {:>10.1}  {:>14.1}",
            l.messages.len(),
            lay / 1e6,
            lay / msgs,
            svg / msgs,
            mer / msgs
        );
    }
}
