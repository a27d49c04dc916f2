//! The library of guided scenarios: short, self-contained command sequences (each from a fresh
//! session) that an instructor steps through, with the narration, the CLI line, the calls each
//! line must produce and the error it is meant to end with.
//!
//! It owns the scenario data and the check of one step against what the session did
//! ([`Step::check`]); it does not run anything itself and draws nothing (the app does both).
//!
//! Accounts: the console's `default` profile is 111122223333, `partner` is 444455556666, both in
//! us-east-1 as the account root; `play profile add` makes profiles that act as IAM roles.

mod access;
mod images;
mod trouble;
mod volumes;

use access::*;
use images::*;
use trouble::*;
use volumes::*;

use crate::model::trace::Call;
use crate::session::Entry;
use crate::views::templates;

/// The categories, in the order the app lists them.
pub const CATEGORIES: [&str; 11] = [
    "Volumes",
    "Snapshots",
    "AMIs",
    "Key trouble",
    "Refusals",
    "Authorization",
    crate::scenarios_s3::CATEGORY,
    "RDS",
    crate::scenarios_compliance::CATEGORY,
    crate::scenarios_aliyun::CATEGORIES[0],
    crate::scenarios_aliyun::CATEGORIES[1],
];

/// One guided scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Stable id, used in links (`volume-from-encrypted-snapshot`).
    pub id: &'static str,
    /// Title for the list.
    pub title: &'static str,
    /// One of [`CATEGORIES`].
    pub category: &'static str,
    /// One or two sentences: what the class will see.
    pub summary: &'static str,
    /// The steps, run in order from a fresh session.
    pub steps: Vec<Step>,
}

impl Scenario {
    /// The cloud whose world the scenario runs in (Alibaba Cloud for seed 002's).
    pub fn cloud(&self) -> crate::model::provider::Cloud {
        if crate::scenarios_aliyun::CATEGORIES.contains(&self.category) {
            crate::model::provider::Cloud::Alibaba
        } else {
            crate::model::provider::Cloud::Aws
        }
    }
}

/// One step: a console line and what it must do.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// One to three sentences: what happens and why, citing the documented behaviour.
    pub narration: String,
    /// One console line (AWS CLI, or a `play` command); may use `$VARS` set by earlier steps.
    pub command: String,
    /// Calls the line must produce, in this order (other calls may come in between), each as
    /// `From → To: Operation`, the [`Call::summary`] format. An entry that ends with
    /// `(failed: Code)` must match a call that failed with that code; one without it matches
    /// the call whether it failed or not.
    pub expect: Vec<String>,
    /// The error code the line is meant to end with, when it is meant to fail.
    pub expect_error: Option<&'static str>,
    /// KMS keys (aliases) whose CloudTrail records this step shows once it has run, the first
    /// one opened ([`crate::views::cloudtrail`]); empty for most steps.
    pub trail: &'static [&'static str],
}

impl Step {
    /// Checks what running [`Step::command`] did: `entry` is what `Session::run` returned and
    /// `calls` is the session's whole trace. Returns a sentence saying what differs.
    pub fn check(&self, entry: Option<&Entry>, calls: &[Call]) -> Result<(), String> {
        let Some(entry) = entry else {
            return Err("the line produced no result".into());
        };
        let got = entry.result.error.as_ref().map(|e| e.code.as_str());
        if got != self.expect_error {
            return Err(match (got, self.expect_error) {
                (Some(g), Some(w)) => format!("failed with {g}, expected {w}"),
                (Some(g), None) => format!(
                    "failed with {g} ({})",
                    entry
                        .result
                        .error
                        .as_ref()
                        .map(|e| e.message.as_str())
                        .unwrap_or("")
                ),
                (None, Some(w)) => format!("succeeded, expected the error {w}"),
                (None, None) => String::new(),
            });
        }
        let made: Vec<String> = calls
            .get(entry.calls.clone())
            .unwrap_or(&[])
            .iter()
            .map(Call::summary)
            .collect();
        expect_in_order(&self.expect, &made)
    }
}

/// Whether `expect` appears in `made` in order (a subsequence). `made` holds
/// [`Call::summary`] lines; an expected line without `(failed: …)` ignores that suffix.
pub fn expect_in_order(expect: &[String], made: &[String]) -> Result<(), String> {
    let mut rest = made.iter();
    for (n, want) in expect.iter().enumerate() {
        let strict = want.contains(" (failed: ");
        let found = rest.any(|m| {
            if strict {
                m == want
            } else {
                m.split(" (failed: ").next() == Some(want.as_str())
            }
        });
        if !found {
            return Err(format!(
                "expected call {} \"{want}\" (after the ones before it) is missing; the calls were: {}",
                n + 1,
                made.join(", ")
            ));
        }
    }
    Ok(())
}

/// Every scenario, grouped by category in the order of [`CATEGORIES`].
pub fn all() -> Vec<Scenario> {
    vec![
        volume_from_encrypted_snapshot(),
        volume_from_unencrypted_snapshot(),
        encryption_by_default(),
        change_default_key(),
        reencrypt_volume(),
        reencrypt_snapshot(),
        share_snapshot_copy_own_key(),
        ami_encrypt_during_launch(),
        ami_reencrypt_during_launch(),
        ami_several_volumes(),
        ami_encrypt_during_copy(),
        disabled_key_attached_volume(),
        disabled_key_stop_start(),
        deleted_key(),
        refuse_public_encrypted_snapshot(),
        refuse_default_key_sharing(),
        refuse_key_without_encrypted(),
        refuse_asymmetric_key(),
        asg_service_linked_role(),
        asg_cross_account_key(),
        separation_of_duties(),
        shared_snapshot_needs_key_policy(),
        cross_account_role(),
        crate::scenarios_s3::sse_s3_vs_sse_kms(),
        crate::scenarios_s3::bucket_keys(),
        crate::scenarios_s3::enforce_sse_kms(),
        crate::scenarios_s3::disabled_key_breaks_reads(),
        crate::scenarios_s3::copy_object_new_key(),
        crate::scenarios_rds::encrypt_existing_database(),
        crate::scenarios_rds::change_database_key(),
        crate::scenarios_compliance::compliance_key_strategy(),
    ]
    .into_iter()
    .chain(crate::scenarios_aliyun::all())
    .collect()
}

/// The scenario with this id.
pub fn by_id(id: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.id == id)
}

/// What identifies a step's command when a learner types it: the variable it assigns (later
/// steps use it) and the command words before the first option (`aws ec2 create-volume`).
fn command_signature(line: &str) -> (Option<&str>, Vec<&str>) {
    let line = line.trim();
    let (var, rest) = match line.split_once("=$(") {
        Some((name, rest))
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            (Some(name), rest.trim_end().trim_end_matches(')'))
        }
        _ => (None, line),
    };
    let head = rest
        .split_whitespace()
        .take_while(|w| !w.starts_with('-') && !w.starts_with('#'))
        .take(3)
        .collect();
    (var, head)
}

/// Whether a line the learner typed does the same thing as a step's command: the same
/// command, assigning the same variable. Options may differ (the learner may edit them).
pub fn same_command(step_command: &str, typed: &str) -> bool {
    let (a, b) = (command_signature(step_command), command_signature(typed));
    !a.1.is_empty() && a == b
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const ACCOUNT: &str = "111122223333";
const PARTNER: &str = "444455556666";

const CREATE_VOLUME: &str = "User → EC2: CreateVolume";
const GDK: &str = "EC2 → KMS: GenerateDataKeyWithoutPlaintext";
const STORE: &str = "EC2 → EBS: StoreEncryptedDataKey";
const GRANT: &str = "EC2 → KMS: CreateGrant";
const DECRYPT: &str = "EC2 → KMS: Decrypt";
const LOAD: &str = "EC2 → Host: LoadDataKey";

pub(crate) fn step(narration: &str, command: &str, expect: &[&str]) -> Step {
    Step {
        narration: narration.to_string(),
        command: command.to_string(),
        expect: expect.iter().map(|s| s.to_string()).collect(),
        expect_error: None,
        trail: &[],
    }
}

pub(crate) fn failing(narration: &str, command: &str, expect: &[&str], code: &'static str) -> Step {
    Step {
        expect_error: Some(code),
        ..step(narration, command, expect)
    }
}

/// `NAME=$(aws kms create-key …)`: a symmetric customer managed key, its ARN in `$NAME`.
pub(crate) fn create_key(var: &str, description: &str, extra: &str, narration: &str) -> Step {
    step(
        narration,
        &format!("{var}=$(aws kms create-key --description '{description}'{extra} --query KeyMetadata.Arn --output text)"),
        &["User → KMS: CreateKey"],
    )
}

fn find_ami() -> Step {
    step(
        "Look up the public Amazon Linux AMI every account can launch; its root snapshot is unencrypted and owned by Amazon.",
        "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
        &["User → EC2: DescribeImages"],
    )
}

fn wait_volume(var: &str, profile: &str) -> Step {
    step(
        "Wait until the volume is available (the waiter advances simulated time).",
        &format!("aws ec2 wait volume-available --volume-ids ${var}{profile}"),
        &["User → EC2: DescribeVolumes"],
    )
}

fn wait_snapshot(var: &str, profile: &str) -> Step {
    step(
        "Wait until the snapshot is completed.",
        &format!("aws ec2 wait snapshot-completed --snapshot-ids ${var}{profile}"),
        &["User → EC2: DescribeSnapshots"],
    )
}

fn wait_running(var: &str) -> Step {
    step(
        "Wait until the instance is running.",
        &format!("aws ec2 wait instance-running --instance-ids ${var}"),
        &["User → EC2: DescribeInstances"],
    )
}

fn snapshot(var: &str, volume: &str, profile: &str, narration: &str) -> Step {
    step(
        narration,
        &format!("{var}=$(aws ec2 create-snapshot --volume-id ${volume}{profile} --query SnapshotId --output text)"),
        &["User → EC2: CreateSnapshot", "EC2 → EBS: CopyChangedBlocks"],
    )
}

/// A key policy of account 111122223333 that also lets the partner account use the key and
/// create grants for AWS resources (what sharing an encrypted snapshot needs).
fn shared_with_partner_policy() -> String {
    templates::cross_account_key_policy(ACCOUNT, PARTNER, true).to_string()
}

const SHARE: &str =
    "--attribute createVolumePermission --operation-type add --user-ids 444455556666";

#[cfg(test)]
mod typed_tests {
    use super::same_command;

    #[test]
    fn typed_lines_match_steps_by_command_and_variable() {
        let step =
            "VOL=$(aws ec2 create-volume --size 8 --encrypted --query VolumeId --output text)";
        for (typed, same) in [
            (step, true),
            (
                "VOL=$(aws ec2 create-volume --size 20 --encrypted --query VolumeId --output text)",
                true,
            ),
            ("aws ec2 create-volume --size 8 --encrypted", false),
            (
                "X=$(aws ec2 create-volume --size 8 --query VolumeId --output text)",
                false,
            ),
            (
                "VOL=$(aws ec2 create-snapshot --volume-id v --query SnapshotId --output text)",
                false,
            ),
            ("", false),
        ] {
            assert_eq!(same_command(step, typed), same, "{typed}");
        }
        assert!(same_command(
            "play advance --seconds 30",
            "play advance --days 1"
        ));
        assert!(!same_command("", ""));
    }
}
