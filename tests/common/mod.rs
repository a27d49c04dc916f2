//! Shared helpers for the model's integration tests: a session driver with terse calls.
#![allow(dead_code)]

use ebs_kms_playground::model::trace::{Call, Participant};
use ebs_kms_playground::model::{AwsError, Caller, Sim, ACCOUNT_A, ACCOUNT_B};
use serde_json::{json, Value};

/// A session: a Sim plus the caller each helper uses.
pub struct S {
    pub sim: Sim,
    pub who: Caller,
}

impl S {
    pub fn new() -> Self {
        S { sim: Sim::new(42), who: Caller::root(ACCOUNT_A, "us-east-1") }
    }
    pub fn as_b(&mut self) -> &mut Self {
        self.who = Caller::root(ACCOUNT_B, "us-east-1");
        self
    }
    pub fn as_a(&mut self) -> &mut Self {
        self.who = Caller::root(ACCOUNT_A, "us-east-1");
        self
    }
    pub fn region(&mut self, r: &str) -> &mut Self {
        self.who.region = r.into();
        self
    }
    pub fn call(&mut self, service: &str, op: &str, p: Value) -> Result<Value, AwsError> {
        let who = self.who.clone();
        self.sim.execute(&who, service, op, p)
    }
    pub fn ok(&mut self, service: &str, op: &str, p: Value) -> Value {
        match self.call(service, op, p.clone()) {
            Ok(v) => v,
            Err(e) => panic!("{op} {p} failed: {e}"),
        }
    }
    pub fn err(&mut self, service: &str, op: &str, p: Value) -> AwsError {
        match self.call(service, op, p.clone()) {
            Ok(v) => panic!("{op} {p} unexpectedly succeeded: {v}"),
            Err(e) => e,
        }
    }
    pub fn advance(&mut self, s: u64) {
        self.ok("play", "AdvanceTime", json!({"Seconds": s}));
    }
    pub fn key(&mut self, alias: Option<&str>) -> String {
        let k = self.ok("kms", "CreateKey", json!({"Description": "test"}));
        let arn = k["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
        if let Some(a) = alias {
            self.ok("kms", "CreateAlias", json!({"AliasName": a, "TargetKeyId": arn}));
        }
        arn
    }
    pub fn public_ami(&mut self) -> String {
        let imgs = self.ok("ec2", "DescribeImages", json!({"Owners": ["amazon"]}));
        imgs["Images"][0]["ImageId"].as_str().unwrap().to_string()
    }
    pub fn instance(&mut self) -> String {
        let ami = self.public_ami();
        let r = self.ok("ec2", "RunInstances", json!({"ImageId": ami, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}));
        let id = r["Instances"][0]["InstanceId"].as_str().unwrap().to_string();
        self.advance(30);
        id
    }
    pub fn volume(&mut self, p: Value) -> String {
        let v = self.ok("ec2", "CreateVolume", p);
        let id = v["VolumeId"].as_str().unwrap().to_string();
        self.advance(5);
        id
    }
    pub fn snapshot(&mut self, vol: &str) -> String {
        let s = self.ok("ec2", "CreateSnapshot", json!({"VolumeId": vol}));
        let id = s["SnapshotId"].as_str().unwrap().to_string();
        self.advance(10);
        id
    }
    /// Calls made during the last command, as "From→To:Operation".
    pub fn last_calls(&self) -> Vec<String> {
        let n = self.sim.command_count() - 1;
        self.sim.trace().for_command(n).map(fmt).collect()
    }
    /// KMS requests of the last command that are not approximations, by operation name.
    pub fn last_kms_ops(&self) -> Vec<String> {
        let n = self.sim.command_count() - 1;
        self.sim
            .trace()
            .for_command(n)
            .filter(|c| c.to == Participant::Kms && c.from != Participant::User && !c.is_event)
            .map(|c| c.operation.clone())
            .collect()
    }
}

pub fn fmt(c: &Call) -> String {
    format!("{}→{}:{}{}", c.from.name(), c.to.name(), c.operation, if c.error.is_some() { "!" } else { "" })
}
