//! Every command line the app's buttons run or offer, built from an operation and its
//! parameters with the shell's [`to_cli`], so what a button runs is what the CLI parser reads
//! back (the tests round-trip each one).

use crate::cli::shell::shell_quote;
use crate::cli::to_cli;
use crate::diagram::{layout, LayoutOptions};
use crate::json;
use crate::session::{Entry, Session, DEFAULT_SEED};
use serde_json::Value;

/// The line of one API call.
pub fn call(service: &str, operation: &str, params: Value) -> String {
    to_cli(service, operation, &params)
}

/// `aws kms create-key --description …`.
pub fn create_key(description: &str) -> String {
    call("kms", "CreateKey", json!({"Description": description}))
}

/// `aws kms create-alias …` for a key id.
pub fn create_alias(alias: &str, key_id: &str) -> String {
    call(
        "kms",
        "CreateAlias",
        json!({"AliasName": alias, "TargetKeyId": key_id}),
    )
}

/// An alias name as typed into the keys card, with the `alias/` prefix it needs; `None` when
/// blank.
pub fn alias_name(typed: &str) -> Option<String> {
    let t = typed.trim();
    if t.is_empty() {
        None
    } else if t.starts_with("alias/") {
        Some(t.to_string())
    } else {
        Some(format!("alias/{t}"))
    }
}

/// `aws kms enable-key` or `disable-key`.
pub fn set_key_enabled(key_id: &str, enabled: bool) -> String {
    let op = if enabled { "EnableKey" } else { "DisableKey" };
    call("kms", op, json!({"KeyId": key_id}))
}

/// `aws kms schedule-key-deletion … --pending-window-in-days N`.
pub fn schedule_key_deletion(key_id: &str, days: i64) -> String {
    call(
        "kms",
        "ScheduleKeyDeletion",
        json!({"KeyId": key_id, "PendingWindowInDays": days}),
    )
}

/// `aws kms cancel-key-deletion`.
pub fn cancel_key_deletion(key_id: &str) -> String {
    call("kms", "CancelKeyDeletion", json!({"KeyId": key_id}))
}

/// `aws ec2 modify-ebs-default-kms-key-id`.
pub fn make_default_key(key_id: &str) -> String {
    call(
        "ec2",
        "ModifyEbsDefaultKmsKeyId",
        json!({"KmsKeyId": key_id}),
    )
}

/// `aws ec2 enable-ebs-encryption-by-default` or `disable-…`.
pub fn set_encryption_by_default(on: bool) -> String {
    let op = if on {
        "EnableEbsEncryptionByDefault"
    } else {
        "DisableEbsEncryptionByDefault"
    };
    call("ec2", op, json!({}))
}

/// `aws ec2 reset-ebs-default-kms-key-id`.
pub fn reset_default_key() -> String {
    call("ec2", "ResetEbsDefaultKmsKeyId", json!({}))
}

/// `aws ec2 create-volume --size N --availability-zone Z --encrypted`.
pub fn create_encrypted_volume(size: i64, zone: &str) -> String {
    call(
        "ec2",
        "CreateVolume",
        json!({"Size": size, "AvailabilityZone": zone, "Encrypted": true}),
    )
}

/// An encrypted volume restored from a snapshot (the snapshots card's draft).
pub fn volume_from_snapshot(snapshot_id: &str, zone: &str) -> String {
    call(
        "ec2",
        "CreateVolume",
        json!({"SnapshotId": snapshot_id, "AvailabilityZone": zone, "Encrypted": true}),
    )
}

/// `aws ec2 create-snapshot --volume-id …`.
pub fn create_snapshot(volume_id: &str) -> String {
    call("ec2", "CreateSnapshot", json!({"VolumeId": volume_id}))
}

/// `aws ec2 detach-volume --volume-id …`.
pub fn detach_volume(volume_id: &str) -> String {
    call("ec2", "DetachVolume", json!({"VolumeId": volume_id}))
}

/// `aws ec2 delete-volume --volume-id …`.
pub fn delete_volume(volume_id: &str) -> String {
    call("ec2", "DeleteVolume", json!({"VolumeId": volume_id}))
}

/// `aws ec2 describe-volumes`, optionally of some volumes.
pub fn describe_volumes(ids: &[&str]) -> String {
    if ids.is_empty() {
        call("ec2", "DescribeVolumes", json!({}))
    } else {
        call("ec2", "DescribeVolumes", json!({"VolumeIds": ids}))
    }
}

/// What the instances card can do to an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceAction {
    /// `stop-instances`.
    Stop,
    /// `start-instances`.
    Start,
    /// `terminate-instances`.
    Terminate,
}

/// `aws ec2 stop-instances` / `start-instances` / `terminate-instances` for one instance.
pub fn instance_action(action: InstanceAction, instance_id: &str) -> String {
    let op = match action {
        InstanceAction::Stop => "StopInstances",
        InstanceAction::Start => "StartInstances",
        InstanceAction::Terminate => "TerminateInstances",
    };
    call("ec2", op, json!({"InstanceIds": [instance_id]}))
}

/// `play write …`: text written through an instance at a sector.
pub fn write_sector(instance_id: &str, device: &str, sector: u64, text: &str) -> String {
    call(
        "play",
        "WriteData",
        json!({"InstanceId": instance_id, "Device": device, "Sector": sector, "Text": text}),
    )
}

/// Which policy the Policies tab writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyTarget {
    /// The key policy of a key (by key id).
    Key(String),
    /// An inline policy of an IAM role or user: (`role` or `user`, name).
    Identity(String, String),
    /// The trust policy of a role (by name).
    Trust(String),
}

/// The line that applies `document` (JSON text, compacted when it parses) to a target.
/// `policy_name` names an identity policy. `None` for an identity target of an unknown kind.
pub fn put_policy(target: &PolicyTarget, policy_name: &str, document: &str) -> Option<String> {
    // Compact JSON keeps the console line short and the script readable.
    let doc = serde_json::from_str::<Value>(document)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| document.to_string());
    Some(match target {
        PolicyTarget::Key(id) => call(
            "kms",
            "PutKeyPolicy",
            json!({"KeyId": id, "PolicyName": "default", "Policy": doc}),
        ),
        PolicyTarget::Identity(kind, name) => {
            let (op, member) = match kind.as_str() {
                "role" => ("PutRolePolicy", "RoleName"),
                "user" => ("PutUserPolicy", "UserName"),
                _ => return None,
            };
            let mut p = serde_json::Map::new();
            p.insert(member.into(), json!(name));
            p.insert("PolicyName".into(), json!(policy_name));
            p.insert("PolicyDocument".into(), json!(doc));
            call("iam", op, Value::Object(p))
        }
        PolicyTarget::Trust(name) => call(
            "iam",
            "UpdateAssumeRolePolicy",
            json!({"RoleName": name, "PolicyDocument": doc}),
        ),
    })
}

/// `aws iam create-role` with a trust policy document.
pub fn create_role(name: &str, trust: &Value) -> String {
    call(
        "iam",
        "CreateRole",
        json!({"RoleName": name, "AssumeRolePolicyDocument": trust.to_string()}),
    )
}

/// `play profile add NAME --role-arn ARN --source-profile P`: a console profile acting as a
/// session of the role (the shell's own command, not an API operation).
pub fn assume_role_profile(name: &str, role_arn: &str, source_profile: &str) -> String {
    format!(
        "play profile add {} --role-arn {} --source-profile {}",
        shell_quote(name),
        shell_quote(role_arn),
        shell_quote(source_profile)
    )
}

/// The profile name for a session of a role: the role's name.
pub fn profile_for_role(role_arn: &str) -> String {
    role_arn.rsplit('/').next().unwrap_or("role").to_string()
}

/// The console's example lines (they fill the input, they do not run): (line, what it does).
pub fn console_examples() -> Vec<(String, &'static str)> {
    vec![
        (create_key("demo"), "Create a KMS key"),
        (
            create_encrypted_volume(8, "us-east-1a"),
            "Create an encrypted volume",
        ),
        ("play help".to_string(), "The playground's own commands"),
    ]
}

/// The console input's placeholder.
pub fn console_placeholder() -> String {
    describe_volumes(&[])
}

/// The id a successful line answered with at `pointer` (`/VolumeId`), if any.
fn answered(s: &mut Session, line: &str, pointer: &str) -> Option<String> {
    let e = s.run(line)?;
    e.result
        .output
        .as_ref()?
        .pointer(pointer)?
        .as_str()
        .map(str::to_string)
}

/// What the keys card runs for a typed alias: the create-key line, and the alias the new key
/// gets once it exists (see [`alias_for_new_key`]).
pub fn new_key(typed_alias: &str) -> (String, Option<String>) {
    match alias_name(typed_alias) {
        None => (create_key("Customer managed key"), None),
        Some(alias) => (create_key(&alias), Some(alias)),
    }
}

/// The create-alias line for the key a successful create-key entry answered with.
pub fn alias_for_new_key(alias: &str, created: &Entry) -> Option<String> {
    let id = created
        .result
        .output
        .as_ref()?
        .pointer("/KeyMetadata/KeyId")?;
    Some(create_alias(alias, id.as_str()?))
}

/// A session whose trace has at least `messages` diagram messages: the benchmark's input.
/// Stops early if the lines stop adding calls.
pub fn bench_session(messages: usize) -> Session {
    let mut s = Session::new(DEFAULT_SEED);
    s.run(&create_key("bench"));
    let count = |s: &Session| layout(s.calls(), &LayoutOptions::default()).messages.len();
    let mut last = 0;
    loop {
        for _ in 0..25 {
            let create = create_encrypted_volume(8, "us-east-1a");
            let Some(v) = answered(&mut s, &create, "/VolumeId") else {
                continue;
            };
            s.run(&describe_volumes(&[&v]));
            s.run(&create_snapshot(&v));
            s.run(&delete_volume(&v));
        }
        let n = count(&s);
        if n >= messages || n == last {
            break;
        }
        last = n;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Backend, Caller, Shell};
    use crate::model::AwsError;

    /// Records the calls a line makes instead of running them.
    #[derive(Default)]
    struct Recorder(Vec<(String, String, Value)>);

    impl Backend for Recorder {
        fn execute(
            &mut self,
            _caller: &Caller,
            service: &str,
            operation: &str,
            params: Value,
        ) -> Result<Value, AwsError> {
            self.0.push((service.into(), operation.into(), params));
            Ok(json!({}))
        }
    }

    /// The one call a line makes when the shell parses and runs it.
    pub(crate) fn parsed(line: &str) -> (String, String, Value) {
        let mut rec = Recorder::default();
        let r = Shell::new().run_line(&mut rec, line);
        assert_eq!(r.error, None, "{line}");
        assert_eq!(rec.0.len(), 1, "{line}");
        rec.0.remove(0)
    }

    fn obj(v: Value) -> Value {
        match v {
            Value::Null => json!({}),
            v => v,
        }
    }

    #[test]
    fn every_line_a_button_builds_round_trips_to_its_call() {
        let policy = r#"{"Version": "2012-10-17", "Statement": []}"#;
        let compact = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let role_trust = json!({"Statement": []});
        let cases: Vec<(String, &str, &str, Value)> = vec![
            (
                create_key("it's mine"),
                "kms",
                "CreateKey",
                json!({"Description": "it's mine"}),
            ),
            (
                create_alias("alias/a b", "k-1"),
                "kms",
                "CreateAlias",
                json!({"AliasName": "alias/a b", "TargetKeyId": "k-1"}),
            ),
            (
                set_key_enabled("k-1", true),
                "kms",
                "EnableKey",
                json!({"KeyId": "k-1"}),
            ),
            (
                set_key_enabled("k-1", false),
                "kms",
                "DisableKey",
                json!({"KeyId": "k-1"}),
            ),
            (
                schedule_key_deletion("k-1", 7),
                "kms",
                "ScheduleKeyDeletion",
                json!({"KeyId": "k-1", "PendingWindowInDays": 7}),
            ),
            (
                cancel_key_deletion("k-1"),
                "kms",
                "CancelKeyDeletion",
                json!({"KeyId": "k-1"}),
            ),
            (
                make_default_key("k-1"),
                "ec2",
                "ModifyEbsDefaultKmsKeyId",
                json!({"KmsKeyId": "k-1"}),
            ),
            (
                set_encryption_by_default(true),
                "ec2",
                "EnableEbsEncryptionByDefault",
                json!({}),
            ),
            (
                set_encryption_by_default(false),
                "ec2",
                "DisableEbsEncryptionByDefault",
                json!({}),
            ),
            (
                reset_default_key(),
                "ec2",
                "ResetEbsDefaultKmsKeyId",
                json!({}),
            ),
            (
                create_encrypted_volume(8, "us-west-2b"),
                "ec2",
                "CreateVolume",
                json!({"Size": 8, "AvailabilityZone": "us-west-2b", "Encrypted": true}),
            ),
            (
                volume_from_snapshot("snap-1", "us-east-1a"),
                "ec2",
                "CreateVolume",
                json!({"SnapshotId": "snap-1", "AvailabilityZone": "us-east-1a", "Encrypted": true}),
            ),
            (
                create_snapshot("vol-1"),
                "ec2",
                "CreateSnapshot",
                json!({"VolumeId": "vol-1"}),
            ),
            (
                detach_volume("vol-1"),
                "ec2",
                "DetachVolume",
                json!({"VolumeId": "vol-1"}),
            ),
            (
                delete_volume("vol-1"),
                "ec2",
                "DeleteVolume",
                json!({"VolumeId": "vol-1"}),
            ),
            (describe_volumes(&[]), "ec2", "DescribeVolumes", json!({})),
            (
                describe_volumes(&["vol-1", "vol-2"]),
                "ec2",
                "DescribeVolumes",
                json!({"VolumeIds": ["vol-1", "vol-2"]}),
            ),
            (
                instance_action(InstanceAction::Stop, "i-1"),
                "ec2",
                "StopInstances",
                json!({"InstanceIds": ["i-1"]}),
            ),
            (
                instance_action(InstanceAction::Start, "i-1"),
                "ec2",
                "StartInstances",
                json!({"InstanceIds": ["i-1"]}),
            ),
            (
                instance_action(InstanceAction::Terminate, "i-1"),
                "ec2",
                "TerminateInstances",
                json!({"InstanceIds": ["i-1"]}),
            ),
            (
                write_sector("i-1", "/dev/sdf", 3, "it's $HOME"),
                "play",
                "WriteData",
                json!({"InstanceId": "i-1", "Device": "/dev/sdf", "Sector": 3, "Text": "it's $HOME"}),
            ),
            (
                put_policy(&PolicyTarget::Key("k-1".into()), "ignored", policy).unwrap_or_default(),
                "kms",
                "PutKeyPolicy",
                json!({"KeyId": "k-1", "PolicyName": "default", "Policy": compact}),
            ),
            (
                put_policy(
                    &PolicyTarget::Identity("role".into(), "app".into()),
                    "use kms",
                    policy,
                )
                .unwrap_or_default(),
                "iam",
                "PutRolePolicy",
                json!({"RoleName": "app", "PolicyName": "use kms", "PolicyDocument": compact}),
            ),
            (
                put_policy(
                    &PolicyTarget::Identity("user".into(), "alice".into()),
                    "p",
                    "not json",
                )
                .unwrap_or_default(),
                "iam",
                "PutUserPolicy",
                json!({"UserName": "alice", "PolicyName": "p", "PolicyDocument": "not json"}),
            ),
            (
                put_policy(&PolicyTarget::Trust("app".into()), "", policy).unwrap_or_default(),
                "iam",
                "UpdateAssumeRolePolicy",
                json!({"RoleName": "app", "PolicyDocument": compact}),
            ),
            (
                create_role("reader", &role_trust),
                "iam",
                "CreateRole",
                json!({"RoleName": "reader", "AssumeRolePolicyDocument": role_trust.to_string()}),
            ),
        ];
        for (line, service, op, params) in cases {
            assert!(!line.contains("--cli-input-json"), "{line}");
            let (s, o, p) = parsed(&line);
            assert_eq!((s.as_str(), o.as_str()), (service, op), "{line}");
            assert_eq!(obj(p), params, "{line}");
        }
    }

    #[test]
    fn console_examples_and_placeholder_parse() {
        for (line, _) in console_examples() {
            if line.starts_with("aws ") {
                parsed(&line);
            }
        }
        assert_eq!(console_placeholder(), "aws ec2 describe-volumes");
        assert_eq!(
            console_examples().first().map(|e| e.0.clone()),
            Some("aws kms create-key --description demo".to_string())
        );
    }

    #[test]
    fn unknown_identity_kinds_build_no_line() {
        assert_eq!(
            put_policy(
                &PolicyTarget::Identity("group".into(), "g".into()),
                "p",
                "{}"
            ),
            None
        );
    }

    #[test]
    fn alias_names_get_their_prefix() {
        let cases = [
            ("payroll", Some("alias/payroll")),
            ("  alias/x ", Some("alias/x")),
            ("   ", None),
            ("", None),
        ];
        for (typed, want) in cases {
            assert_eq!(alias_name(typed).as_deref(), want, "{typed:?}");
        }
    }

    #[test]
    fn assume_role_lines_quote_their_words_and_the_shell_accepts_them() {
        let line = assume_role_profile("auditor", "arn:aws:iam::444455556666:role/auditor", "it's");
        assert_eq!(
            line,
            "play profile add auditor --role-arn arn:aws:iam::444455556666:role/auditor --source-profile 'it'\\''s'"
        );
        assert_eq!(
            profile_for_role("arn:aws:iam::444455556666:role/auditor"),
            "auditor"
        );
        // The shell knows the command: the only error is the unknown source profile.
        let mut s = Session::new(1);
        let e = s.run(&line).and_then(|e| e.result.error.clone());
        assert!(e.is_some_and(|e| e.message.contains("it's")));
    }

    #[test]
    fn the_keys_card_creates_a_key_then_its_alias() {
        let mut s = Session::new(1);
        let (first, alias) = new_key("payroll");
        assert_eq!(alias.as_deref(), Some("alias/payroll"));
        let entry = s.run(&first).cloned().expect("an entry");
        let second = alias_for_new_key("alias/payroll", &entry).expect("a key id");
        s.run(&second);
        let key = s
            .sim()
            .keys()
            .find(|k| !k.aws_managed)
            .map(|k| k.key_id.clone());
        let key = key.unwrap_or_default();
        assert_eq!(s.sim().aliases_of(&key), ["alias/payroll"]);
        assert!(second.ends_with(&key), "{second}");
        assert_eq!(
            new_key(" "),
            (
                "aws kms create-key --description 'Customer managed key'".to_string(),
                None
            )
        );
        // A failed create-key gives no alias line.
        let failed = s
            .run("aws kms create-key --key-spec NOPE")
            .cloned()
            .expect("an entry");
        assert_eq!(alias_for_new_key("alias/x", &failed), None);
    }

    #[test]
    fn the_bench_session_reaches_its_size() {
        let s = bench_session(300);
        let n = layout(s.calls(), &LayoutOptions::default()).messages.len();
        assert!(n >= 300, "{n}");
        // Every round's volume was created (snapshots of still-creating volumes may fail).
        let created = s
            .entries()
            .iter()
            .filter(|e| e.result.api.as_ref().is_some_and(|a| a.1 == "CreateVolume"))
            .all(|e| e.result.error.is_none());
        assert!(created);
    }
}
