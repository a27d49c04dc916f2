//! The rows of the S3 card: the current account's buckets with their default encryption, and
//! each bucket's objects with their encryption, key and Bucket Key flag.

use super::rows::key_name;
use crate::model::s3::{Bucket, Object, Sse};
use crate::model::{Caller, Sim};

/// One object of a bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRow {
    /// Object key.
    pub key: String,
    /// `SSE-S3` or `SSE-KMS · key name`.
    pub encryption: String,
    /// True for SSE-KMS.
    pub kms: bool,
    /// Protected through an S3 Bucket Key.
    pub bucket_key: bool,
    /// Size and the first stored (encrypted) bytes.
    pub sub: String,
}

/// One bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketRow {
    /// Bucket name.
    pub name: String,
    /// Its Region.
    pub region: String,
    /// `Default: SSE-S3` or `Default: SSE-KMS · key · Bucket Key`.
    pub default: String,
    /// Policy and Block Public Access, in words.
    pub sub: String,
    /// Its objects, by key.
    pub objects: Vec<ObjectRow>,
}

impl BucketRow {
    /// Text that changes whenever anything the row shows changes (the card's `<For>` key).
    pub fn row_key(&self) -> String {
        let mut k = [&self.name, &self.region, &self.default, &self.sub]
            .map(|s| s.as_str())
            .join("|");
        for o in &self.objects {
            let flags = match (o.kms, o.bucket_key) {
                (false, false) => "|--|",
                (false, true) => "|-b|",
                (true, false) => "|k-|",
                (true, true) => "|kb|",
            };
            for part in ["|", &o.key, "|", &o.encryption, flags, &o.sub] {
                k.push_str(part);
            }
        }
        k
    }
}

fn encryption_of(sim: &Sim, sse: Sse, key: Option<&str>) -> String {
    match (sse, key) {
        (Sse::S3, _) => "SSE-S3".into(),
        (Sse::Kms, Some(k)) if k.starts_with("alias/") => format!("SSE-KMS · {k}"),
        (Sse::Kms, Some(k)) => format!("SSE-KMS · {}", key_name(sim, k)),
        (Sse::Kms, None) => "SSE-KMS · aws/s3".into(),
    }
}

fn object_row(sim: &Sim, o: &Object) -> ObjectRow {
    ObjectRow {
        key: o.key.clone(),
        encryption: encryption_of(sim, o.sse, o.kms_key_arn.as_deref()),
        kms: o.sse == Sse::Kms,
        bucket_key: o.bucket_key,
        sub: format!("{} byte(s) · at rest: {}…", o.size, o.ciphertext_preview),
    }
}

fn bucket_row(sim: &Sim, b: &Bucket) -> BucketRow {
    let e = &b.encryption;
    let mut default = format!(
        "Default: {}",
        encryption_of(sim, e.algorithm, e.kms_key.as_deref())
    );
    if e.algorithm == Sse::Kms && e.bucket_key {
        default.push_str(" · Bucket Key");
    }
    let mut sub = Vec::new();
    if b.policy.is_some() {
        sub.push("bucket policy attached".to_string());
    }
    if b.public_access_block.is_some() {
        sub.push("Block Public Access set".to_string());
    }
    if !b.bucket_keys.is_empty() {
        sub.push(format!(
            "{} bucket-level key(s) from KMS",
            b.bucket_keys.len()
        ));
    }
    BucketRow {
        name: b.name.clone(),
        region: b.region.clone(),
        default,
        sub: sub.join(" · "),
        objects: b.objects.values().map(|o| object_row(sim, o)).collect(),
    }
}

/// The buckets of the current account (S3 lists every Region's).
pub fn buckets(sim: &Sim, here: &Caller) -> Vec<BucketRow> {
    sim.buckets()
        .filter(|b| b.account == here.account)
        .map(|b| bucket_row(sim, b))
        .collect()
}

/// The value an S3 form field (or a `play file` one) starts with, when it is one.
pub fn default_value(
    cmd: &crate::cli::schema::Command,
    label: &str,
    s: &crate::session::Session,
    account: &str,
) -> Option<String> {
    let s3 = cmd.cli_service == "s3api";
    let file = cmd.operation.contains("File");
    if !s3 && !file {
        return None;
    }
    let sim = s.sim();
    let bucket = sim
        .buckets()
        .filter(|b| b.account == account)
        .max_by_key(|b| b.created)
        .map_or_else(|| "my-bucket".to_string(), |b| b.name.clone());
    let object = sim
        .buckets()
        .find(|b| b.name == bucket)
        .and_then(|b| b.objects.keys().next().cloned())
        .unwrap_or_else(|| "report.txt".into());
    let v = match label {
        "Bucket" if cmd.operation == "CreateBucket" => "my-bucket".to_string(),
        "Bucket" => bucket,
        "Key" if cmd.operation == "PutObject" => "report.txt".into(),
        "Key" => object,
        "CopySource" => format!("{bucket}/{object}"),
        "Outfile" => "out.txt".into(),
        "Name" => sim.files().next().map_or_else(|| "report.txt".to_string(), |(n, _)| n.clone()),
        "Text" => "Quarterly statement, encrypted at rest".into(),
        "ServerSideEncryptionConfiguration" => r#"{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}"#.into(),
        "PublicAccessBlockConfiguration" => "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true".into(),
        "Policy" => format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyUnlessSseKms","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::{bucket}/*","Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}}}}}}]}}"#),
        _ => return None,
    };
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use crate::model::ACCOUNT_A;

    #[test]
    fn rows_show_default_encryption_and_each_objects_encryption() {
        let mut sim = Sim::new(1);
        let me = Caller::root(ACCOUNT_A, "us-east-1");
        let run = |sim: &mut Sim, svc: &str, op: &str, p: serde_json::Value| {
            sim.execute(&me, svc, op, p).map(|_| ())
        };
        assert!(run(&mut sim, "s3", "CreateBucket", json!({"Bucket": "bk1"})).is_ok());
        assert!(run(
            &mut sim,
            "play",
            "PutFile",
            json!({"Name": "f", "Text": "hi"})
        )
        .is_ok());
        assert!(run(
            &mut sim,
            "s3",
            "PutObject",
            json!({"Bucket": "bk1", "Key": "plain", "Body": "f"})
        )
        .is_ok());
        assert!(run(&mut sim, "s3", "PutObject", json!({"Bucket": "bk1", "Key": "kms", "Body": "f", "ServerSideEncryption": "aws:kms", "BucketKeyEnabled": true})).is_ok());
        let rows = buckets(&sim, &me);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].default, "Default: SSE-S3");
        assert_eq!(rows[0].sub, "1 bucket-level key(s) from KMS");
        let kms = &rows[0].objects[0];
        assert_eq!(
            (kms.key.as_str(), kms.kms, kms.bucket_key),
            ("kms", true, true)
        );
        assert!(
            kms.encryption.starts_with("SSE-KMS · "),
            "{}",
            kms.encryption
        );
        assert_eq!(rows[0].objects[1].encryption, "SSE-S3");
        let other = Caller::root(crate::model::ACCOUNT_B, "us-east-1");
        assert!(buckets(&sim, &other).is_empty());
    }
}
