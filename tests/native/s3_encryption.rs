//! S3 server-side encryption on the envelope model (seed 003; reference/aws-behaviour.md §12):
//! a data-driven table of the documented rules, the KMS calls S3 makes and their encryption
//! contexts checked call by call, Bucket Keys counted, authorization, key states, bucket
//! policies with S3's condition keys, re-encryption by copy, and the CLI forms.
//!
//! Sources: AWS KMS Developer Guide `services-s3.md` (GenerateDataKey on PUT, Decrypt on GET,
//! context `aws:s3:arn`); Amazon S3 User Guide `default-encryption-faq.md` (SSE-S3 for every new
//! object since 5 January 2023), `UsingKMSEncryption.md` (`aws/s3` created on first use; the
//! caller needs kms:GenerateDataKey and kms:Decrypt), `bucket-key.md` (bucket-ARN context, up
//! to 99% fewer KMS requests), `amazon-s3-policy-keys.md` (s3:x-amz-server-side-encryption);
//! the `KMS.` prefix on key-state errors from aws/aws-cli#4507 and localstack/localstack#7786.

use crate::common::S;
use base64::Engine;
use ebs_kms_playground::model::trace::{Call, Participant};
use ebs_kms_playground::model::{Caller, Sim, ACCOUNT_A};
use ebs_kms_playground::session::Session;
use serde_json::{json, Value};

const B: &str = "doc-bucket";

/// S's calls with the S3 helpers the table needs.
trait S3Ext {
    fn bucket(&mut self, name: &str);
    fn file(&mut self, name: &str, text: &str);
    fn put(&mut self, bucket: &str, key: &str, extra: Value) -> Value;
    fn get(&mut self, bucket: &str, key: &str, out: &str) -> Value;
    fn file_text(&mut self, name: &str) -> String;
    fn kms_calls(&self) -> Vec<Call>;
}

impl S3Ext for S {
    fn bucket(&mut self, name: &str) {
        self.ok("s3", "CreateBucket", json!({"Bucket": name}));
    }
    fn file(&mut self, name: &str, text: &str) {
        self.ok("play", "PutFile", json!({"Name": name, "Text": text}));
    }
    fn put(&mut self, bucket: &str, key: &str, extra: Value) -> Value {
        let mut p = json!({"Bucket": bucket, "Key": key, "Body": "body.txt"});
        if let Value::Object(m) = extra {
            for (k, v) in m {
                p[k] = v;
            }
        }
        self.ok("s3", "PutObject", p)
    }
    fn get(&mut self, bucket: &str, key: &str, out: &str) -> Value {
        self.ok(
            "s3",
            "GetObject",
            json!({"Bucket": bucket, "Key": key, "Outfile": out}),
        )
    }
    fn file_text(&mut self, name: &str) -> String {
        let v = self.ok("play", "ShowFile", json!({"Name": name}));
        v["Text"].as_str().unwrap_or_default().to_string()
    }
    /// The requests S3 sent to KMS during the last command (events excluded).
    fn kms_calls(&self) -> Vec<Call> {
        let n = self.sim.command_count() - 1;
        self.sim
            .trace()
            .for_command(n)
            .filter(|c| c.from == Participant::S3 && c.to == Participant::Kms && !c.is_event)
            .cloned()
            .collect()
    }
}

fn object_arn(key: &str) -> String {
    format!("arn:aws:s3:::{B}/{key}")
}

/// Which encryption context a KMS call must carry.
#[derive(Clone, Copy, Debug)]
enum Ctx {
    /// `{"aws:s3:arn": object ARN}` (plus the request's pairs).
    Object,
    /// `{"aws:s3:arn": bucket ARN}`: S3 Bucket Key.
    Bucket,
}

/// One rule: the bucket default, the PUT's members, what S3 stores and the KMS calls of the
/// PUT and of a GET right after it.
struct Row {
    rule: &'static str,
    default: Option<Value>,
    put: Value,
    sse: &'static str,
    put_kms: &'static [(&'static str, Ctx)],
    get_kms: &'static [(&'static str, Ctx)],
    bucket_key: bool,
}

fn kms_default(bucket_key: bool) -> Value {
    json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/app"}, "BucketKeyEnabled": bucket_key}]})
}

fn rows() -> Vec<Row> {
    use Ctx::*;
    vec![
        Row { rule: "SSE-S3 is the default for new objects since January 2023, without a KMS call", default: None, put: json!({}), sse: "AES256", put_kms: &[], get_kms: &[], bucket_key: false },
        Row { rule: "x-amz-server-side-encryption: AES256 is SSE-S3, no KMS call", default: None, put: json!({"ServerSideEncryption": "AES256"}), sse: "AES256", put_kms: &[], get_kms: &[], bucket_key: false },
        Row { rule: "SSE-KMS PUT makes GenerateDataKey with the object ARN; GET makes Decrypt", default: None, put: json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app"}), sse: "aws:kms", put_kms: &[("GenerateDataKey", Object)], get_kms: &[("Decrypt", Object)], bucket_key: false },
        Row { rule: "aws:kms without a key id uses alias/aws/s3 (GenerateDataKey, Decrypt)", default: None, put: json!({"ServerSideEncryption": "aws:kms"}), sse: "aws:kms", put_kms: &[("GenerateDataKey", Object)], get_kms: &[("Decrypt", Object)], bucket_key: false },
        Row { rule: "A bucket default of SSE-KMS applies to a PUT without headers", default: Some(kms_default(false)), put: json!({}), sse: "aws:kms", put_kms: &[("GenerateDataKey", Object)], get_kms: &[("Decrypt", Object)], bucket_key: false },
        Row { rule: "A request's AES256 wins over a bucket default of SSE-KMS", default: Some(kms_default(false)), put: json!({"ServerSideEncryption": "AES256"}), sse: "AES256", put_kms: &[], get_kms: &[], bucket_key: false },
        Row { rule: "Bucket Key by default: the context is the bucket ARN; the GET reuses the bucket key", default: Some(kms_default(true)), put: json!({}), sse: "aws:kms", put_kms: &[("GenerateDataKey", Bucket)], get_kms: &[], bucket_key: true },
        Row { rule: "Bucket Key by request (--bucket-key-enabled)", default: None, put: json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app", "BucketKeyEnabled": true}), sse: "aws:kms", put_kms: &[("GenerateDataKey", Bucket)], get_kms: &[], bucket_key: true },
        Row { rule: "--no-bucket-key-enabled overrides the bucket's Bucket Key", default: Some(kms_default(true)), put: json!({"BucketKeyEnabled": false}), sse: "aws:kms", put_kms: &[("GenerateDataKey", Object)], get_kms: &[("Decrypt", Object)], bucket_key: false },
    ]
}

#[test]
fn the_rules_table_kms_calls_and_contexts_call_by_call() {
    for row in rows() {
        let mut s = S::new();
        s.key(Some("alias/app"));
        s.bucket(B);
        s.file("body.txt", "patient scan 0042");
        if let Some(d) = &row.default {
            s.ok(
                "s3",
                "PutBucketEncryption",
                json!({"Bucket": B, "ServerSideEncryptionConfiguration": d}),
            );
        }
        let out = s.put(B, "scan.txt", row.put.clone());
        assert_eq!(out["ServerSideEncryption"], row.sse, "{}", row.rule);
        assert_eq!(
            out.get("BucketKeyEnabled").is_some(),
            row.bucket_key,
            "{}",
            row.rule
        );
        check_calls(&s.kms_calls(), row.put_kms, row.rule, "PUT");
        let got = s.get(B, "scan.txt", "out.txt");
        assert_eq!(got["ServerSideEncryption"], row.sse, "{}", row.rule);
        check_calls(&s.kms_calls(), row.get_kms, row.rule, "GET");
        assert_eq!(s.file_text("out.txt"), "patient scan 0042", "{}", row.rule);
    }
}

fn check_calls(calls: &[Call], want: &[(&str, Ctx)], rule: &str, what: &str) {
    let ops: Vec<&str> = calls.iter().map(|c| c.operation.as_str()).collect();
    let want_ops: Vec<&str> = want.iter().map(|(o, _)| *o).collect();
    assert_eq!(ops, want_ops, "{rule}: {what}");
    for (c, (_, ctx)) in calls.iter().zip(want) {
        let arn = match ctx {
            Ctx::Object => object_arn("scan.txt"),
            Ctx::Bucket => format!("arn:aws:s3:::{B}"),
        };
        assert_eq!(
            c.encryption_context,
            Some(json!({"aws:s3:arn": arn})),
            "{rule}: {what}"
        );
        assert!(c.error.is_none(), "{rule}: {what}: {:?}", c.error);
        assert_eq!(c.invoked_by.as_deref(), Some("s3.amazonaws.com"), "{rule}");
        assert!(c.doc.is_some(), "{rule}: every S3→KMS call cites AWS");
    }
}

/// Puts and gets `n` objects; returns the KMS requests S3 made.
fn kms_requests_for(n: usize, bucket_key: bool) -> usize {
    let mut s = S::new();
    s.key(Some("alias/app"));
    s.bucket(B);
    s.ok(
        "s3",
        "PutBucketEncryption",
        json!({"Bucket": B, "ServerSideEncryptionConfiguration": kms_default(bucket_key)}),
    );
    s.file("body.txt", "row");
    let before = s.sim.trace().len();
    for i in 0..n {
        s.put(B, &format!("o{i}"), json!({}));
        s.get(B, &format!("o{i}"), "out.txt");
    }
    s.sim.trace().calls()[before..]
        .iter()
        .filter(|c| c.from == Participant::S3 && c.to == Participant::Kms && !c.is_event)
        .count()
}

#[test]
fn bucket_keys_make_most_kms_calls_disappear() {
    let without = kms_requests_for(10, false);
    let with = kms_requests_for(10, true);
    assert_eq!(
        without, 20,
        "one GenerateDataKey per PUT and one Decrypt per GET"
    );
    assert_eq!(with, 1, "one GenerateDataKey for the bucket-level key");
}

#[test]
fn the_bucket_key_is_reused_only_within_its_window() {
    let mut s = S::new();
    s.key(Some("alias/app"));
    s.bucket(B);
    s.ok(
        "s3",
        "PutBucketEncryption",
        json!({"Bucket": B, "ServerSideEncryptionConfiguration": kms_default(true)}),
    );
    s.file("body.txt", "x");
    s.put(B, "a", json!({}));
    let gdk = s.kms_calls();
    assert!(
        gdk[0].approximation.is_some(),
        "the reuse window is labelled an approximation"
    );
    s.advance(2 * 3600);
    s.get(B, "a", "out.txt");
    let calls = s.kms_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].operation, "Decrypt");
    assert_eq!(
        calls[0].encryption_context,
        Some(json!({"aws:s3:arn": "arn:aws:s3:::doc-bucket"}))
    );
    s.put(B, "b", json!({}));
    assert!(
        s.kms_calls().is_empty(),
        "the decrypted bucket key serves new objects again"
    );
}

#[test]
fn the_aws_managed_key_aws_s3_is_created_on_first_use() {
    let mut s = S::new();
    s.bucket(B);
    s.file("body.txt", "x");
    let aliases = s.ok("kms", "ListAliases", json!({}));
    assert!(!aliases.to_string().contains("alias/aws/s3"));
    let out = s.put(B, "a", json!({"ServerSideEncryption": "aws:kms"}));
    let n = s.sim.command_count() - 1;
    let events: Vec<&Call> = s
        .sim
        .trace()
        .for_command(n)
        .filter(|c| c.is_event && c.operation == "CreateKey")
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].from, Participant::S3);
    let aliases = s.ok("kms", "ListAliases", json!({}));
    let managed = aliases["Aliases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["AliasName"] == "alias/aws/s3")
        .cloned()
        .unwrap();
    assert!(out["SSEKMSKeyId"]
        .as_str()
        .unwrap()
        .ends_with(managed["TargetKeyId"].as_str().unwrap()));
    s.put(B, "b", json!({"ServerSideEncryption": "aws:kms"}));
    let n = s.sim.command_count() - 1;
    assert_eq!(
        s.sim.trace().for_command(n).filter(|c| c.is_event).count(),
        0,
        "created once"
    );
}

/// (user name, its IAM actions, the PUT's error, the GET's error).
type AuthCase = (
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
);

fn user(s: &mut S, name: &str, actions: &[&str]) -> Caller {
    s.ok("iam", "CreateUser", json!({"UserName": name}));
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    s.ok(
        "iam",
        "PutUserPolicy",
        json!({"UserName": name, "PolicyName": "p", "PolicyDocument": doc.to_string()}),
    );
    Caller {
        account: ACCOUNT_A.into(),
        region: "us-east-1".into(),
        principal: format!("arn:aws:iam::{ACCOUNT_A}:user/{name}"),
    }
}

#[test]
fn the_caller_needs_generate_data_key_to_put_and_decrypt_to_get() {
    let mut s = S::new();
    s.key(Some("alias/app"));
    s.bucket(B);
    s.file("body.txt", "x");
    let kms = json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app"});
    let cases: [AuthCase; 3] = [
        ("s3-only", &["s3:*"], Some("AccessDenied"), None),
        (
            "writer",
            &["s3:*", "kms:GenerateDataKey"],
            None,
            Some("AccessDenied"),
        ),
        (
            "reader",
            &["s3:*", "kms:GenerateDataKey", "kms:Decrypt"],
            None,
            None,
        ),
    ];
    for (name, actions, put_err, get_err) in cases {
        let who = user(&mut s, name, actions);
        let key = format!("{name}.txt");
        let mut p = json!({"Bucket": B, "Key": key, "Body": "body.txt"});
        for (k, v) in kms.as_object().unwrap() {
            p[k] = v.clone();
        }
        let put = s.sim.execute(&who, "s3", "PutObject", p);
        assert_eq!(
            put.as_ref().err().map(|e| e.code.as_str()),
            put_err,
            "{name} PUT"
        );
        if put_err.is_some() {
            let gdk = s
                .sim
                .trace()
                .calls()
                .iter()
                .rev()
                .find(|c| c.operation == "GenerateDataKey")
                .unwrap();
            let auth = gdk.auth.as_ref().unwrap();
            assert!(
                !auth.allowed && auth.reason.contains("kms:GenerateDataKey"),
                "{name}: the key policy and IAM were evaluated"
            );
            continue;
        }
        let get = s.sim.execute(
            &who,
            "s3",
            "GetObject",
            json!({"Bucket": B, "Key": key, "Outfile": "o"}),
        );
        assert_eq!(
            get.as_ref().err().map(|e| e.code.as_str()),
            get_err,
            "{name} GET"
        );
    }
}

#[test]
fn a_disabled_or_pending_deletion_key_breaks_puts_and_gets_with_s3s_error() {
    for (op, params, code) in [
        ("DisableKey", json!({}), "KMS.DisabledException"),
        (
            "ScheduleKeyDeletion",
            json!({"PendingWindowInDays": 7}),
            "KMS.KMSInvalidStateException",
        ),
    ] {
        let mut s = S::new();
        let arn = s.key(Some("alias/app"));
        s.bucket(B);
        s.file("body.txt", "x");
        s.put(
            B,
            "a",
            json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app"}),
        );
        let mut p = params.clone();
        p["KeyId"] = json!(arn);
        s.ok("kms", op, p);
        let e = s.err(
            "s3",
            "GetObject",
            json!({"Bucket": B, "Key": "a", "Outfile": "o"}),
        );
        assert_eq!(e.code, code, "{op} GET");
        let calls = s.kms_calls();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].operation, "Decrypt");
        assert!(calls[0].error.is_some());
        let e = s.err("s3", "PutObject", json!({"Bucket": B, "Key": "b", "Body": "body.txt", "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app"}));
        assert_eq!(e.code, code, "{op} PUT");
        // SSE-S3 objects never depend on a KMS key.
        s.put(B, "c", json!({}));
        s.get(B, "c", "o");
    }
}

fn enforce_kms_policy(pin: Option<&str>) -> String {
    let mut stmts = vec![
        json!({"Sid": "DenyNotKms", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{B}/*"), "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}),
    ];
    if let Some(k) = pin {
        stmts.push(json!({"Sid": "DenyOtherKey", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{B}/*"), "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": k}}}));
    }
    json!({"Version": "2012-10-17", "Statement": stmts}).to_string()
}

#[test]
fn a_bucket_policy_enforces_sse_kms_with_s3_condition_keys() {
    let mut s = S::new();
    let app = s.key(Some("alias/app"));
    let other = s.key(None);
    s.bucket(B);
    s.file("body.txt", "x");
    s.ok(
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": B, "Policy": enforce_kms_policy(Some(&app))}),
    );
    let table: [(Value, Option<&str>); 5] = [
        (json!({}), Some("AccessDenied")),
        (
            json!({"ServerSideEncryption": "AES256"}),
            Some("AccessDenied"),
        ),
        (
            json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": other}),
            Some("AccessDenied"),
        ),
        (
            json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": app}),
            None,
        ),
        // Pinned to a key: a request that names none is denied too (IfExists holds when absent).
        (
            json!({"ServerSideEncryption": "aws:kms"}),
            Some("AccessDenied"),
        ),
    ];
    for (i, (extra, want)) in table.into_iter().enumerate() {
        let mut p = json!({"Bucket": B, "Key": format!("k{i}"), "Body": "body.txt"});
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        let r = s.call("s3", "PutObject", p);
        assert_eq!(
            r.as_ref().err().map(|e| e.code.as_str()),
            want,
            "case {i}: {extra}"
        );
        let top = s
            .sim
            .trace()
            .calls()
            .iter()
            .rev()
            .find(|c| c.from == Participant::User)
            .unwrap();
        if want.is_some() {
            assert!(
                top.auth
                    .as_ref()
                    .unwrap()
                    .steps
                    .iter()
                    .any(|l| l.contains("Deny")),
                "case {i}"
            );
            assert!(
                s.kms_calls().is_empty(),
                "case {i}: refused before any KMS call"
            );
        }
    }
    // The owner's root user can still remove the policy.
    s.ok("s3", "DeleteBucketPolicy", json!({"Bucket": B}));
    s.put(B, "free", json!({}));
}

#[test]
fn copy_object_re_encrypts_to_another_key_or_to_sse_s3_and_onto_itself() {
    let mut s = S::new();
    let a = s.key(Some("alias/a"));
    let b = s.key(Some("alias/b"));
    s.bucket(B);
    s.file("body.txt", "ledger");
    s.put(
        B,
        "x",
        json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/a"}),
    );
    let e = s.err(
        "s3",
        "CopyObject",
        json!({"Bucket": B, "Key": "x", "CopySource": format!("{B}/x")}),
    );
    assert_eq!(e.code, "InvalidRequest");
    let out = s.ok("s3", "CopyObject", json!({"Bucket": B, "Key": "x", "CopySource": format!("{B}/x"), "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/b"}));
    assert_eq!(out["SSEKMSKeyId"], b);
    let calls = s.kms_calls();
    let ops: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| {
            (
                c.operation.as_str(),
                c.request["keyId"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(ops, vec![("Decrypt", ""), ("GenerateDataKey", b.as_str())]);
    assert!(
        calls[0].response["keyId"] == json!(a),
        "decrypted under the old key"
    );
    s.ok("s3", "CopyObject", json!({"Bucket": B, "Key": "y", "CopySource": format!("{B}/x"), "ServerSideEncryption": "AES256"}));
    let ops: Vec<String> = s.kms_calls().iter().map(|c| c.operation.clone()).collect();
    assert_eq!(ops, vec!["Decrypt"], "to SSE-S3: only the source's Decrypt");
    let head = s.ok("s3", "HeadObject", json!({"Bucket": B, "Key": "y"}));
    assert_eq!(head["ServerSideEncryption"], "AES256");
    assert!(head.get("SSEKMSKeyId").is_none());
    s.get(B, "x", "o");
    assert_eq!(s.file_text("o"), "ledger");
}

#[test]
fn object_bytes_are_really_encrypted_and_bound_to_their_arn() {
    let mut s = S::new();
    s.bucket(B);
    s.file("body.txt", "plain words here");
    s.put(B, "a", json!({}));
    let state = s.sim.export_state().to_string();
    let plain_hex: String = "plain words here"
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!state.contains(&plain_hex[..16]));
    let obj = s
        .sim
        .buckets()
        .next()
        .unwrap()
        .objects
        .get("a")
        .unwrap()
        .clone();
    assert_eq!(obj.ciphertext_preview.len(), 32);
    assert!(!plain_hex.starts_with(&obj.ciphertext_preview[..8]));
    assert_eq!(obj.size, 16);
}

#[test]
fn an_encryption_context_is_taken_as_base64_json_and_added_to_s3s() {
    let mut s = S::new();
    s.key(Some("alias/app"));
    s.bucket(B);
    s.file("body.txt", "x");
    let ctx = base64::engine::general_purpose::STANDARD.encode(r#"{"team":"radiology"}"#);
    let out = s.put(B, "scan.txt", json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app", "SSEKMSEncryptionContext": ctx}));
    assert_eq!(out["SSEKMSEncryptionContext"], ctx);
    let c = &s.kms_calls()[0];
    assert_eq!(
        c.encryption_context,
        Some(json!({"aws:s3:arn": object_arn("scan.txt"), "team": "radiology"}))
    );
    s.get(B, "scan.txt", "o");
    assert_eq!(s.kms_calls()[0].encryption_context, c.encryption_context);
    let e = s.err("s3", "PutObject", json!({"Bucket": B, "Key": "z", "ServerSideEncryption": "aws:kms", "SSEKMSEncryptionContext": "not base64!"}));
    assert_eq!(e.code, "InvalidArgument");
    let e = s.err(
        "s3",
        "PutObject",
        json!({"Bucket": B, "Key": "z", "SSEKMSKeyId": "alias/app"}),
    );
    assert_eq!(e.code, "InvalidArgument", "a key id needs aws:kms");
}

#[test]
fn cloudtrail_records_of_s3_calls() {
    let mut s = S::new();
    s.key(Some("alias/app"));
    s.bucket(B);
    s.file("body.txt", "x");
    s.put(
        B,
        "a",
        json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/app"}),
    );
    let n = s.sim.command_count() - 1;
    let calls: Vec<&Call> = s.sim.trace().for_command(n).collect();
    let put = calls
        .iter()
        .find(|c| c.to == Participant::S3)
        .unwrap()
        .cloudtrail();
    assert_eq!(put["eventSource"], "s3.amazonaws.com");
    assert_eq!(put["eventName"], "PutObject");
    assert_eq!(put["eventCategory"], "Data");
    let gdk = calls
        .iter()
        .find(|c| c.to == Participant::Kms)
        .unwrap()
        .cloudtrail();
    assert_eq!(gdk["eventSource"], "kms.amazonaws.com");
    assert_eq!(gdk["userIdentity"]["invokedBy"], "s3.amazonaws.com");
    assert_eq!(
        gdk["requestParameters"]["encryptionContext"]["aws:s3:arn"],
        object_arn("a")
    );
    let e = s.err(
        "s3",
        "GetObject",
        json!({"Bucket": "nope", "Key": "a", "Outfile": "o"}),
    );
    assert_eq!(e.code, "NoSuchBucket");
}

#[test]
fn no_plaintext_key_in_any_export_while_s3_holds_a_bucket_key() {
    let mut s = S::new();
    s.key(Some("alias/app"));
    s.bucket(B);
    s.ok(
        "s3",
        "PutBucketEncryption",
        json!({"Bucket": B, "ServerSideEncryptionConfiguration": kms_default(true)}),
    );
    s.file("body.txt", "x");
    s.put(B, "a", json!({}));
    s.put(B, "b", json!({"ServerSideEncryption": "AES256"}));
    for text in [
        s.sim.export_state().to_string(),
        s.sim.export_trace().to_string(),
        format!("{:?}", s.sim),
    ] {
        assert!(!s.sim.reveals_host_key(&text));
    }
}

fn script_run(seed: u64) -> (Value, Value) {
    let mut sim = Sim::new(seed);
    let who = Caller::root(ACCOUNT_A, "us-east-1");
    let _ = sim.execute(&who, "s3", "CreateBucket", json!({"Bucket": B}));
    let _ = sim.execute(&who, "play", "PutFile", json!({"Name": "f", "Text": "t"}));
    for (i, sse) in ["AES256", "aws:kms"].iter().enumerate() {
        let _ = sim.execute(&who, "s3", "PutObject", json!({"Bucket": B, "Key": format!("k{i}"), "Body": "f", "ServerSideEncryption": sse, "BucketKeyEnabled": i == 1}));
    }
    (sim.export_state(), sim.export_trace())
}

#[test]
fn the_same_seed_gives_the_same_state_and_trace() {
    assert_eq!(script_run(7), script_run(7));
    assert_ne!(script_run(7).0, script_run(8).0);
}

#[test]
fn bucket_rules() {
    let mut s = S::new();
    s.bucket(B);
    assert_eq!(
        s.call("s3", "CreateBucket", json!({"Bucket": B})).unwrap()["Location"],
        format!("/{B}"),
        "us-east-1 answers 200 to its owner"
    );
    s.as_b();
    assert_eq!(
        s.err("s3", "CreateBucket", json!({"Bucket": B})).code,
        "BucketAlreadyExists"
    );
    s.as_a();
    assert_eq!(
        s.err("s3", "CreateBucket", json!({"Bucket": "Bad_Name"}))
            .code,
        "InvalidBucketName"
    );
    s.region("eu-west-1");
    assert_eq!(
        s.err("s3", "CreateBucket", json!({"Bucket": "eu-one"}))
            .code,
        "IllegalLocationConstraintException"
    );
    s.ok("s3", "CreateBucket", json!({"Bucket": "eu-one", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}));
    assert_eq!(
        s.ok("s3", "GetBucketLocation", json!({"Bucket": "eu-one"}))["LocationConstraint"],
        "eu-west-1"
    );
    s.region("us-east-1");
    assert_eq!(
        s.ok("s3", "GetBucketLocation", json!({"Bucket": B}))["LocationConstraint"],
        Value::Null
    );
    let enc = s.ok("s3", "GetBucketEncryption", json!({"Bucket": B}));
    assert_eq!(
        enc["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );
    assert_eq!(
        s.err("s3", "GetBucketPolicy", json!({"Bucket": B})).code,
        "NoSuchBucketPolicy"
    );
    assert_eq!(
        s.err("s3", "GetPublicAccessBlock", json!({"Bucket": B}))
            .code,
        "NoSuchPublicAccessBlockConfiguration"
    );
    s.ok(
        "s3",
        "PutPublicAccessBlock",
        json!({"Bucket": B, "PublicAccessBlockConfiguration": {"BlockPublicPolicy": true}}),
    );
    let public = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{B}/*")}]});
    assert_eq!(
        s.err(
            "s3",
            "PutBucketPolicy",
            json!({"Bucket": B, "Policy": public.to_string()})
        )
        .code,
        "AccessDenied"
    );
    assert_eq!(
        s.err(
            "s3",
            "PutBucketPolicy",
            json!({"Bucket": B, "Policy": "nope"})
        )
        .code,
        "MalformedPolicy"
    );
    s.file("f", "x");
    s.ok(
        "s3",
        "PutObject",
        json!({"Bucket": B, "Key": "k", "Body": "f"}),
    );
    assert_eq!(
        s.err("s3", "DeleteBucket", json!({"Bucket": B})).code,
        "BucketNotEmpty"
    );
    let listed = s.ok("s3", "ListObjectsV2", json!({"Bucket": B}));
    assert_eq!(listed["KeyCount"], 1);
    s.ok("s3", "DeleteObject", json!({"Bucket": B, "Key": "k"}));
    s.ok("s3", "DeleteBucket", json!({"Bucket": B}));
    let names: Vec<String> = s.ok("s3", "ListBuckets", json!({}))["Buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["Name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, vec!["eu-one"]);
}

#[test]
fn the_cli_forms_get_object_outfile_and_s3_cp_ls() {
    let mut session = Session::new(3);
    for line in [
        "aws s3api create-bucket --bucket cli-bucket",
        "play file put --name in.txt --text 'hello s3'",
        "aws s3api put-object --bucket cli-bucket --key a.txt --body in.txt --server-side-encryption aws:kms --bucket-key-enabled",
        "aws s3api get-object --bucket cli-bucket --key a.txt out.txt",
        "aws s3 cp in.txt s3://cli-bucket/b.txt --sse AES256",
        "aws s3 cp s3://cli-bucket/b.txt copy.txt",
        "aws s3 ls s3://cli-bucket",
        "aws s3 ls",
        "play file list",
    ] {
        let e = session.run(line).unwrap();
        assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
    }
    let shown = session.run("play file show --name out.txt").unwrap();
    assert!(shown.result.text.contains("hello s3"));
    let shown = session.run("play file show --name copy.txt").unwrap();
    assert!(shown.result.text.contains("hello s3"));
    let e = session
        .run("aws s3api get-object --bucket cli-bucket --key a.txt")
        .unwrap();
    assert!(
        e.result
            .text
            .contains("the following arguments are required: outfile"),
        "{}",
        e.result.text
    );
    let e = session
        .run("aws s3api head-object --bucket cli-bucket --key a.txt --output json")
        .unwrap();
    assert!(
        e.result.text.contains("\"BucketKeyEnabled\": true"),
        "{}",
        e.result.text
    );
    let cmd = ebs_kms_playground::cli::shell::to_cli(
        "s3",
        "GetObject",
        &json!({"Bucket": "b", "Key": "k", "Outfile": "o.txt"}),
    );
    assert_eq!(cmd, "aws s3api get-object --bucket b --key k o.txt");
}
