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
        S {
            sim: Sim::new(42),
            who: Caller::root(ACCOUNT_A, "us-east-1"),
        }
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
            self.ok(
                "kms",
                "CreateAlias",
                json!({"AliasName": a, "TargetKeyId": arn}),
            );
        }
        arn
    }
    pub fn public_ami(&mut self) -> String {
        let imgs = self.ok("ec2", "DescribeImages", json!({"Owners": ["amazon"]}));
        imgs["Images"][0]["ImageId"].as_str().unwrap().to_string()
    }
    pub fn instance(&mut self) -> String {
        let ami = self.public_ami();
        let r = self.ok(
            "ec2",
            "RunInstances",
            json!({"ImageId": ami, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}),
        );
        let id = r["Instances"][0]["InstanceId"]
            .as_str()
            .unwrap()
            .to_string();
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
    format!(
        "{}→{}:{}{}",
        c.from.name(),
        c.to.name(),
        c.operation,
        if c.error.is_some() { "!" } else { "" }
    )
}

/// Where a new volume's data comes from, as seed 000's outcomes table names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Src {
    New,
    UnencryptedOwned,
    EncryptedOwned,
    UnencryptedShared,
    EncryptedShared,
}

/// A key policy for account B's key that lets account A use it (seed 004 example 2, first step).
pub fn cross_account_policy(owner: &str, other: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{owner}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Allow external account use", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{other}:root")},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"},
        {"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{other}:root")},
         "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}}
    ]})
}

impl S {
    /// A completed snapshot holding "secret text" in sector 0, made by the current caller.
    /// `key`: None = unencrypted, Some(k) = encrypted under k.
    pub fn data_snapshot(&mut self, key: Option<&str>) -> String {
        let inst = self.instance();
        let mut p = json!({"AvailabilityZone": format!("{}a", self.who.region), "Size": 1});
        if let Some(k) = key {
            p["Encrypted"] = json!(true);
            p["KmsKeyId"] = json!(k);
        }
        let v = self.volume(p);
        self.ok(
            "ec2",
            "AttachVolume",
            json!({"VolumeId": v, "InstanceId": inst, "Device": "/dev/sdf"}),
        );
        self.ok(
            "play",
            "WriteData",
            json!({"InstanceId": inst, "Device": "/dev/sdf", "Text": "secret text"}),
        );
        self.snapshot(&v)
    }

    /// Builds the source of a row; returns the snapshot id (if any) and its key (if encrypted).
    pub fn source(&mut self, src: Src) -> (Option<String>, Option<String>) {
        let me = self.who.clone();
        let out = match src {
            Src::New => (None, None),
            Src::UnencryptedOwned => (Some(self.data_snapshot(None)), None),
            Src::EncryptedOwned => {
                let k = self.key(Some("alias/snapshot-key"));
                (Some(self.data_snapshot(Some(&k))), Some(k))
            }
            Src::UnencryptedShared => {
                self.as_b();
                let s = self.data_snapshot(None);
                self.ok("ec2", "ModifySnapshotAttribute", json!({"SnapshotId": s, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": [ACCOUNT_A]}));
                (Some(s), None)
            }
            Src::EncryptedShared => {
                self.as_b();
                let k = self.key(None);
                let pol = cross_account_policy(ACCOUNT_B, ACCOUNT_A).to_string();
                self.ok("kms", "PutKeyPolicy", json!({"KeyId": k, "Policy": pol}));
                let s = self.data_snapshot(Some(&k));
                self.ok("ec2", "ModifySnapshotAttribute", json!({"SnapshotId": s, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": [ACCOUNT_A]}));
                (Some(s), Some(k))
            }
        };
        self.who = me;
        out
    }

    /// The ARN of the account's AWS managed EBS key in the current region.
    pub fn managed_key(&mut self) -> String {
        self.ok("kms", "DescribeKey", json!({"KeyId": "alias/aws/ebs"}))["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_string()
    }
}
