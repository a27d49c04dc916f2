//! The library of guided scenarios: short, self-contained command sequences (each from a fresh
//! session) that an instructor steps through, with the narration, the CLI line, the calls each
//! line must produce and the error it is meant to end with.
//!
//! It owns the scenario data and the check of one step against what the session did
//! ([`Step::check`]); it does not run anything itself and draws nothing (the app does both).
//!
//! Accounts: the console's `default` profile is 111122223333, `partner` is 444455556666, both in
//! us-east-1 as the account root; `play profile add` makes profiles that act as IAM roles.

use crate::model::trace::Call;
use crate::session::Entry;
use crate::views::templates;

/// The categories, in the order the app lists them.
pub const CATEGORIES: [&str; 8] = [
    "Volumes",
    "Snapshots",
    "AMIs",
    "Key trouble",
    "Refusals",
    "Authorization",
    crate::scenarios_s3::CATEGORY,
    "RDS",
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
    ]
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

// ---------------------------------------------------------------------------------------------
// Volumes
// ---------------------------------------------------------------------------------------------

fn volume_from_encrypted_snapshot() -> Scenario {
    Scenario {
        id: "volume-from-encrypted-snapshot",
        title: "Encrypted volume from an encrypted snapshot",
        category: "Volumes",
        summary: "Restore a volume from an encrypted snapshot you own and attach it: the five steps of \"How EBS encryption works when the snapshot is encrypted\".",
        steps: vec![
            create_key("KEY", "app data", "", "Create a symmetric customer managed key to encrypt the source volume."),
            step(
                "Create an encrypted source volume under that key. EC2 asks KMS for a data key that it never sees in plaintext, and EBS stores the encrypted data key with the volume metadata.",
                "SRC=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("SRC", ""),
            snapshot("SNAP", "SRC", "", "Snapshot it: \"all snapshots created from the volume\" are encrypted, with the volume's key and data key."),
            wait_snapshot("SNAP", ""),
            step(
                "Restore a volume from the snapshot without any encryption parameter: \"Encrypted snapshot that you own\" gives \"Encrypted by same key\". Steps 1-2: GenerateDataKeyWithoutPlaintext under the chosen key, and the encrypted data key goes to EBS.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            find_ami(),
            step(
                "Launch an instance to attach the volume to.",
                "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances"],
            ),
            wait_running("INST"),
            step(
                "Attach: steps 3-5. EC2 sends CreateGrant so it can decrypt the data key, KMS decrypts it, and the plaintext data key stays in hypervisor memory as long as the volume is attached.",
                "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf",
                &["User → EC2: AttachVolume", GRANT, DECRYPT, LOAD],
            ),
        ],
    }
}

fn volume_from_unencrypted_snapshot() -> Scenario {
    Scenario {
        id: "volume-from-unencrypted-snapshot",
        title: "Encrypted volume from an unencrypted snapshot",
        category: "Volumes",
        summary: "Encrypt data that was never encrypted by restoring its snapshot into an encrypted volume: the eight steps of \"How EBS encryption works when the snapshot is unencrypted\".",
        steps: vec![
            step(
                "Create an unencrypted volume (encryption by default is off in a new account), so no KMS call is made.",
                "SRC=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --query VolumeId --output text)",
                &[CREATE_VOLUME],
            ),
            wait_volume("SRC", ""),
            snapshot("SNAP", "SRC", "", "Snapshot it: the snapshot is unencrypted too."),
            wait_snapshot("SNAP", ""),
            create_key("KEY", "restored data", "", "Create the customer managed key the restored volume will use."),
            step(
                "Restore with --encrypted and --kms-key-id. Steps 1-4: CreateGrant so EC2 can encrypt the restored volume, GenerateDataKeyWithoutPlaintext, the encrypted data key stored with the volume, then Decrypt to get the key that encrypts the data as it is restored.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP --encrypted --kms-key-id $KEY --query VolumeId --output text)",
                &[CREATE_VOLUME, GRANT, GDK, STORE, DECRYPT],
            ),
            find_ami(),
            step(
                "Launch an instance to attach the volume to.",
                "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances"],
            ),
            wait_running("INST"),
            step(
                "Attach: steps 5-8. CreateGrant, then Decrypt of the encrypted data key; the plaintext data key lives in hypervisor memory while the volume is attached.",
                "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf",
                &["User → EC2: AttachVolume", GRANT, DECRYPT, LOAD],
            ),
        ],
    }
}

fn encryption_by_default() -> Scenario {
    Scenario {
        id: "encryption-by-default",
        title: "Encryption by default, on and off",
        category: "Volumes",
        summary: "Turn on the Region-wide setting that encrypts every new volume, see that a single volume cannot opt out, and turn it off again.",
        steps: vec![
            step(
                "A new account starts with encryption by default off in every Region.",
                "aws ec2 get-ebs-encryption-by-default",
                &["User → EC2: GetEbsEncryptionByDefault"],
            ),
            step(
                "So a new empty volume without --encrypted is unencrypted (row 1 of the outcomes table) and EC2 makes no KMS call.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1",
                &[CREATE_VOLUME],
            ),
            step(
                "Turn it on for this Region. \"Encryption by default has no effect on existing EBS volumes or snapshots\": the volume above stays unencrypted.",
                "aws ec2 enable-ebs-encryption-by-default",
                &["User → EC2: EnableEbsEncryptionByDefault"],
            ),
            step(
                "The same command now gives an encrypted volume under the default key alias/aws/ebs, which EBS creates in the account on first use.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1",
                &[CREATE_VOLUME, "EBS → KMS: CreateKey", GDK, STORE],
            ),
            step(
                "\"If you enable it for a Region, you cannot disable it for individual volumes\": --no-encrypted changes nothing.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1 --no-encrypted",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            step(
                "Turn the setting off again.",
                "aws ec2 disable-ebs-encryption-by-default",
                &["User → EC2: DisableEbsEncryptionByDefault"],
            ),
            step(
                "New volumes are unencrypted again unless you ask for encryption; the encrypted ones stay encrypted.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1",
                &[CREATE_VOLUME],
            ),
        ],
    }
}

fn change_default_key() -> Scenario {
    Scenario {
        id: "change-default-key",
        title: "Changing the default key",
        category: "Volumes",
        summary: "Make a customer managed key the Region's default key for EBS encryption, then reset it to the AWS managed key.",
        steps: vec![
            step(
                "\"By default, Amazon EBS uses\" the AWS managed key alias/aws/ebs.",
                "aws ec2 get-ebs-default-kms-key-id",
                &["User → EC2: GetEbsDefaultKmsKeyId"],
            ),
            create_key("KEY", "EBS default key", "", "Create a symmetric customer managed key: \"using your own KMS key gives you more flexibility, including the ability to create, rotate, and disable KMS keys\"."),
            step(
                "Make it the default key for EBS encryption in this Region.",
                "aws ec2 modify-ebs-default-kms-key-id --kms-key-id $KEY",
                &["User → EC2: ModifyEbsDefaultKmsKeyId"],
            ),
            step(
                "An encrypted volume created without --kms-key-id now uses the new default: the data key is generated under the customer managed key.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --query '[VolumeId,KmsKeyId]' --output text",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            step(
                "Reset the default to the AWS managed key.",
                "aws ec2 reset-ebs-default-kms-key-id",
                &["User → EC2: ResetEbsDefaultKmsKeyId"],
            ),
            step(
                "The same command now encrypts under alias/aws/ebs (created on first use). The earlier volume keeps its key: \"you cannot change the KMS key that is associated with an existing snapshot or encrypted volume\".",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --query '[VolumeId,KmsKeyId]' --output text",
                &[CREATE_VOLUME, "EBS → KMS: CreateKey", GDK, STORE],
            ),
        ],
    }
}

fn reencrypt_volume() -> Scenario {
    Scenario {
        id: "reencrypt-volume",
        title: "Re-encrypt a volume to another key",
        category: "Volumes",
        summary: "A volume's key cannot change, but a volume restored from its snapshot can use another key: \"Re-encrypt an encrypted volume\".",
        steps: vec![
            create_key("KEY_A", "key A", "", "Create KMS key A."),
            create_key("KEY_B", "key B", "", "Create KMS key B."),
            step(
                "Create a volume encrypted under key A.",
                "SRC=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY_A --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("SRC", ""),
            snapshot("SNAP", "SRC", "", "Snapshot it; the snapshot is encrypted under key A."),
            wait_snapshot("SNAP", ""),
            step(
                "Restore with key B: \"the source data is automatically decrypted, then re-encrypted by KMS key B\". A new data key is generated under B; EC2 gets a grant on A to read the source and a grant on B to write the new volume.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP --encrypted --kms-key-id $KEY_B --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE, GRANT, DECRYPT, GRANT, DECRYPT],
            ),
            step(
                "The new volume is under key B; the source volume is still under key A.",
                "aws ec2 describe-volumes --volume-ids $SRC $VOL --query 'Volumes[].[VolumeId,KmsKeyId]' --output text",
                &["User → EC2: DescribeVolumes"],
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

fn reencrypt_snapshot() -> Scenario {
    Scenario {
        id: "reencrypt-snapshot",
        title: "Re-encrypt a snapshot to another key",
        category: "Snapshots",
        summary: "Copy an encrypted snapshot under another key: \"Re-encrypt an encrypted snapshot\". The copy is complete, not incremental.",
        steps: vec![
            create_key("KEY_A", "key A", "", "Create KMS key A."),
            create_key("KEY_B", "key B", "", "Create KMS key B."),
            step(
                "Create a volume encrypted under key A.",
                "SRC=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY_A --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("SRC", ""),
            snapshot("SNAP", "SRC", "", "Snapshot it under key A."),
            wait_snapshot("SNAP", ""),
            step(
                "Copy it with --encrypted and --kms-key-id: \"you can associate a different KMS key during a snapshot copy operation\". A new data key under B, and \"a complete (non-incremental) copy is created\".",
                "COPY=$(aws ec2 copy-snapshot --source-snapshot-id $SNAP --source-region us-east-1 --encrypted --kms-key-id $KEY_B --query SnapshotId --output text)",
                &["User → EC2: CopySnapshot", GDK, STORE, GRANT, DECRYPT, "EC2 → EBS: CopySnapshotData"],
            ),
            wait_snapshot("COPY", ""),
            step(
                "\"Volumes restored from the resulting copy are only accessible using the new KMS key.\"",
                "aws ec2 describe-snapshots --snapshot-ids $SNAP $COPY --query 'Snapshots[].[SnapshotId,KmsKeyId]' --output text",
                &["User → EC2: DescribeSnapshots"],
            ),
        ],
    }
}

fn share_snapshot_copy_own_key() -> Scenario {
    let policy = shared_with_partner_policy();
    Scenario {
        id: "share-snapshot-copy-own-key",
        title: "Share an encrypted snapshot and copy it under your own key",
        category: "Snapshots",
        summary: "Share a snapshot encrypted with a customer managed key with another account, which copies it under a key it controls, as the guide recommends.",
        steps: vec![
            create_key(
                "KEY",
                "shared with 444455556666",
                &format!(" --policy '{policy}'"),
                "Create a customer managed key whose policy also lets account 444455556666 use it and create grants for AWS resources: sharing an encrypted snapshot needs both.",
            ),
            step(
                "Create a volume encrypted under that key.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("VOL", ""),
            snapshot("SNAP", "VOL", "", "Snapshot it."),
            wait_snapshot("SNAP", ""),
            step(
                "Share it with account 444455556666: \"you can share an encrypted snapshot with specific accounts\".",
                &format!("aws ec2 modify-snapshot-attribute --snapshot-id $SNAP {SHARE}"),
                &["User → EC2: ModifySnapshotAttribute"],
            ),
            create_key("PKEY", "the partner key", " --profile partner", "As the partner account, create a key it controls."),
            step(
                "As the partner, copy the shared snapshot under its own key: \"we recommend that you create a copy of the shared snapshot using a different KMS key that you control\". The owner is notified, and EC2 reads the source through a grant on the owner's key.",
                "COPY=$(aws ec2 copy-snapshot --profile partner --source-snapshot-id $SNAP --source-region us-east-1 --encrypted --kms-key-id $PKEY --query SnapshotId --output text)",
                &["User → EC2: CopySnapshot", "EC2 → EventBridge: SharedSnapshotCopyInitiated", GDK, STORE, GRANT, DECRYPT, "EC2 → EBS: CopySnapshotData"],
            ),
            wait_snapshot("COPY", " --profile partner"),
            step(
                "The copy belongs to the partner and is under the partner's key, so it stays readable \"if the owner revokes the KMS key for any reason\".",
                "aws ec2 describe-snapshots --profile partner --snapshot-ids $COPY --query 'Snapshots[0].[OwnerId,KmsKeyId]' --output text",
                &["User → EC2: DescribeSnapshots"],
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// AMIs
// ---------------------------------------------------------------------------------------------

fn ami_encrypt_during_launch() -> Scenario {
    Scenario {
        id: "ami-encrypt-during-launch",
        title: "Encrypt a volume during launch",
        category: "AMIs",
        summary: "Launch from an AMI backed by an unencrypted snapshot and get an encrypted root volume (seed 001, \"Encrypt a Volume during Launch\").",
        steps: vec![
            find_ami(),
            create_key("KEY", "launch key", "", "Create a customer managed key for the root volume."),
            step(
                "Launch with Encrypted and KmsKeyId in the block device mapping of the root device: the unencrypted snapshot is restored to a volume encrypted under the specified key, then attached.",
                "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true,KmsKeyId=$KEY} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances", GRANT, GDK, STORE, DECRYPT, GRANT, DECRYPT, LOAD],
            ),
            wait_running("INST"),
            step(
                "\"Providing a KmsKeyId parameter is optional. If no key ID is specified, the AWS account's default CMK is used\": launch again with Encrypted alone.",
                "INST2=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances", "EBS → KMS: CreateKey", GRANT, GDK, STORE, DECRYPT],
            ),
            wait_running("INST2"),
            step(
                "Both root volumes are encrypted: the first under the chosen key, the second under alias/aws/ebs.",
                "aws ec2 describe-volumes --query 'Volumes[].[Attachments[0].InstanceId,Encrypted,KmsKeyId]' --output text",
                &["User → EC2: DescribeVolumes"],
            ),
        ],
    }
}

fn ami_reencrypt_during_launch() -> Scenario {
    Scenario {
        id: "ami-reencrypt-during-launch",
        title: "Re-encrypt a volume during launch",
        category: "AMIs",
        summary: "Launch from an AMI backed by an encrypted snapshot and get a root volume under another key (seed 001, \"Re-Encrypt a Volume during Launch\").",
        steps: vec![
            find_ami(),
            create_key("KEY_A", "key A", "", "Create KMS key A, for the AMI's snapshot."),
            create_key("KEY_B", "key B", "", "Create KMS key B, for the instances launched from it."),
            step(
                "Launch an instance whose root volume is encrypted under key A.",
                "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true,KmsKeyId=$KEY_A} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances", GDK, STORE],
            ),
            wait_running("INST"),
            step(
                "Make an AMI of it: its root snapshot is encrypted under key A.",
                "IMG=$(aws ec2 create-image --instance-id $INST --name app-key-a --query ImageId --output text)",
                &["User → EC2: CreateImage", "EC2 → EBS: CopyChangedBlocks"],
            ),
            step(
                "Wait until the AMI is available.",
                "aws ec2 wait image-available --image-ids $IMG",
                &["User → EC2: DescribeImages"],
            ),
            step(
                "Launch from it with Encrypted and KmsKeyId set to key B: \"the volume is encrypted to the specified CMK\", not to the snapshot's key. A new data key is generated under B and the data is read through a grant on A.",
                "INST2=$(aws ec2 run-instances --image-id $IMG --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true,KmsKeyId=$KEY_B} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances", GDK, STORE, GRANT, DECRYPT, GRANT, DECRYPT, LOAD],
            ),
            wait_running("INST2"),
            step(
                "The first instance's root volume is under key A, the second one's under key B.",
                "aws ec2 describe-volumes --query 'Volumes[].[Attachments[0].InstanceId,KmsKeyId]' --output text",
                &["User → EC2: DescribeVolumes"],
            ),
        ],
    }
}

fn ami_several_volumes() -> Scenario {
    Scenario {
        id: "ami-several-volumes",
        title: "Change the encryption of several volumes during launch",
        category: "AMIs",
        summary: "An AMI with an unencrypted and an encrypted snapshot; one launch encrypts the first and re-encrypts the second (seed 001, \"Change Encryption State of Multiple Volumes during Launch\").",
        steps: vec![
            find_ami(),
            create_key("KEY_A", "key A", "", "Create KMS key A, for the AMI's data volume."),
            create_key("KEY_B", "key B", "", "Create KMS key B, for the volumes of the new instance."),
            step(
                "Launch an instance with an unencrypted root volume and a second, empty data volume encrypted under key A.",
                "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/sdb,Ebs={VolumeSize=1,Encrypted=true,KmsKeyId=$KEY_A} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances", GDK, STORE, GRANT, DECRYPT, LOAD],
            ),
            wait_running("INST"),
            step(
                "Make an AMI of it: one unencrypted snapshot (/dev/xvda) and one encrypted under key A (/dev/sdb), \"each with its own encryption state\".",
                "IMG=$(aws ec2 create-image --instance-id $INST --name two-volumes --query ImageId --output text)",
                &["User → EC2: CreateImage", "EC2 → EBS: CopyChangedBlocks", "EC2 → EBS: CopyChangedBlocks"],
            ),
            step(
                "Wait until the AMI is available.",
                "aws ec2 wait image-available --image-ids $IMG",
                &["User → EC2: DescribeImages"],
            ),
            step(
                "Launch with encryption parameters for each snapshot: the unencrypted root is newly encrypted and the data volume re-encrypted, both under key B. \"When all possible encryption parameters are specified, the resulting instance is the same regardless of whether you own the AMI.\"",
                "INST2=$(aws ec2 run-instances --image-id $IMG --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={Encrypted=true,KmsKeyId=$KEY_B} DeviceName=/dev/sdb,Ebs={Encrypted=true,KmsKeyId=$KEY_B} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: RunInstances", GRANT, GDK, STORE, DECRYPT, LOAD, GDK, STORE, GRANT, DECRYPT, GRANT, DECRYPT, LOAD],
            ),
            wait_running("INST2"),
            step(
                "Every volume of the new instance is under key B.",
                "aws ec2 describe-volumes --query \"Volumes[?Attachments[0].InstanceId=='$INST2'].[Attachments[0].Device,KmsKeyId]\" --output text",
                &["User → EC2: DescribeVolumes"],
            ),
        ],
    }
}

fn ami_encrypt_during_copy() -> Scenario {
    Scenario {
        id: "ami-encrypt-during-copy",
        title: "Encrypt an image during copy",
        category: "AMIs",
        summary: "Copy an AMI backed by an unencrypted root snapshot to an AMI whose root snapshot is encrypted (seed 001, \"Encrypt an Unencrypted Image during Copy\").",
        steps: vec![
            find_ami(),
            create_key("KEY", "golden image key", "", "Create the customer managed key for the copy."),
            step(
                "Copy the image with Encrypted and KmsKeyId: \"the target AMI is backed by a root snapshot containing the same data as the source snapshot, but encrypted using the specified key\".",
                "IMG=$(aws ec2 copy-image --source-image-id $AMI --source-region us-east-1 --name encrypted-al2023 --encrypted --kms-key-id $KEY --query ImageId --output text)",
                &["User → EC2: CopyImage", GRANT, GDK, STORE, DECRYPT, "EC2 → EBS: CopySnapshotData"],
            ),
            step(
                "Wait until the copy is available. \"You will incur storage costs for the snapshots in both AMIs.\"",
                "aws ec2 wait image-available --image-ids $IMG",
                &["User → EC2: DescribeImages"],
            ),
            step(
                "The copy's root snapshot is encrypted under the chosen key.",
                "aws ec2 describe-images --image-ids $IMG --query 'Images[0].BlockDeviceMappings[0].Ebs.[Encrypted,KmsKeyId]' --output text",
                &["User → EC2: DescribeImages"],
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Key trouble
// ---------------------------------------------------------------------------------------------

const LAUNCH_WITH_DATA_VOLUME: &str = "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/sdf,Ebs={VolumeSize=4,Encrypted=true,KmsKeyId=$KEY} --query 'Instances[0].InstanceId' --output text)";

fn launch_with_data_volume() -> Step {
    step(
        "Launch an instance with a 4 GiB data volume at /dev/sdf encrypted under the key: an empty encrypted volume gets a data key, then a grant and a Decrypt put the plaintext key in host memory.",
        LAUNCH_WITH_DATA_VOLUME,
        &["User → EC2: RunInstances", GDK, STORE, GRANT, DECRYPT, LOAD],
    )
}

fn write_payroll() -> Step {
    step(
        "Write through the instance: the host encrypts each sector with the data key before it reaches EBS.",
        "play write --instance-id $INST --device /dev/sdf --text 'payroll 2024'",
        &["User → Host: WriteData", "Host → EBS: WriteSectors"],
    )
}

fn disabled_key_attached_volume() -> Scenario {
    Scenario {
        id: "disabled-key-attached-volume",
        title: "Disable a key: the attached volume keeps working, the next attach fails",
        category: "Key trouble",
        summary: "Disabling a KMS key does nothing at once to an attached volume, whose data key is already in host memory; detach it and it cannot be attached again.",
        steps: vec![
            find_ami(),
            create_key("KEY", "payroll", "", "Create the customer managed key of the data volume."),
            launch_with_data_volume(),
            wait_running("INST"),
            write_payroll(),
            step(
                "Disable the key: from now on KMS refuses every cryptographic operation with it (DisabledException).",
                "aws kms disable-key --key-id $KEY",
                &["User → KMS: DisableKey"],
            ),
            step(
                "Reading still works and calls no KMS operation: \"the plaintext data key persists in memory as long as the volume is attached to the instance\".",
                "play read --instance-id $INST --device /dev/sdf",
                &["User → Host: ReadData"],
            ),
            step(
                "Find the data volume's id.",
                "VOL=$(aws ec2 describe-instances --instance-ids $INST --query \"Reservations[0].Instances[0].BlockDeviceMappings[?DeviceName=='/dev/sdf'].Ebs.VolumeId | [0]\" --output text)",
                &["User → EC2: DescribeInstances"],
            ),
            step(
                "Detach it: the host discards the plaintext data key and EC2 retires its grant.",
                "aws ec2 detach-volume --volume-id $VOL",
                &["User → EC2: DetachVolume", "EC2 → Host: DiscardDataKey", "EC2 → KMS: RetireGrant"],
            ),
            failing(
                "Attaching again needs a new grant and a Decrypt, and KMS refuses the grant for a disabled key: the volume \"cannot be attached\". Enabling the key again would make it work.",
                "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf",
                &["User → EC2: AttachVolume (failed: CustomerKeyHasBeenRevoked)", "EC2 → KMS: CreateGrant (failed: DisabledException)", "EC2 → EventBridge: attachVolume"],
                "CustomerKeyHasBeenRevoked",
            ),
        ],
    }
}

fn disabled_key_stop_start() -> Scenario {
    Scenario {
        id: "disabled-key-stop-start",
        title: "Disable a key: a stop and start fails",
        category: "Key trouble",
        summary: "A stop drops the data keys from host memory and a start attaches the volumes again, so an instance whose volume key is disabled cannot start.",
        steps: vec![
            find_ami(),
            create_key("KEY", "payroll", "", "Create the customer managed key of the data volume."),
            launch_with_data_volume(),
            wait_running("INST"),
            step(
                "Disable the key. The running instance is not affected yet.",
                "aws kms disable-key --key-id $KEY",
                &["User → KMS: DisableKey"],
            ),
            step(
                "Stop the instance: the host discards the plaintext data key and the attach grant is retired.",
                "aws ec2 stop-instances --instance-ids $INST",
                &["User → EC2: StopInstances", "EC2 → Host: DiscardDataKey", "EC2 → KMS: RetireGrant"],
            ),
            step(
                "Wait until it is stopped.",
                "aws ec2 wait instance-stopped --instance-ids $INST",
                &["User → EC2: DescribeInstances"],
            ),
            step(
                "Start it: the request is accepted, but attaching the volume again needs a grant on the disabled key, which KMS refuses.",
                "aws ec2 start-instances --instance-ids $INST",
                &["User → EC2: StartInstances", "EC2 → KMS: CreateGrant (failed: DisabledException)"],
            ),
            step(
                "Let the start play out: the instance goes back to stopped, and EventBridge carries the state change.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime", "EC2 → EventBridge: EC2 Instance State-change Notification"],
            ),
            step(
                "The instance is stopped with the state reason Client.InvalidKMSKey.InvalidState.",
                "aws ec2 describe-instances --instance-ids $INST --query 'Reservations[0].Instances[0].[State.Name,StateReason.Code]' --output text",
                &["User → EC2: DescribeInstances"],
            ),
        ],
    }
}

fn deleted_key() -> Scenario {
    Scenario {
        id: "deleted-key",
        title: "Delete a key: the data becomes unrecoverable",
        category: "Key trouble",
        summary: "Schedule a key for deletion, let the waiting period pass: the attached volume still works from host memory, but once it is stopped nothing can ever decrypt its data again.",
        steps: vec![
            create_key("KEY", "payroll", "", "Create the customer managed key of the data volume."),
            step(
                "Launch an instance from the public Amazon Linux AMI with a 4 GiB data volume at /dev/sdf encrypted under the key.",
                "INST=$(aws ec2 run-instances --image-id $(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text) --instance-type t3.micro --block-device-mappings DeviceName=/dev/sdf,Ebs={VolumeSize=4,Encrypted=true,KmsKeyId=$KEY} --query 'Instances[0].InstanceId' --output text)",
                &["User → EC2: DescribeImages", "User → EC2: RunInstances", GDK, STORE, GRANT, DECRYPT, LOAD],
            ),
            wait_running("INST"),
            write_payroll(),
            step(
                "Schedule the key for deletion with the shortest waiting period, 7 days. Until then the deletion can be cancelled.",
                "aws kms schedule-key-deletion --key-id $KEY --pending-window-in-days 7",
                &["User → KMS: ScheduleKeyDeletion"],
            ),
            step(
                "Let the 7 days pass: KMS deletes the key and its key material.",
                "play advance --days 7",
                &["User → Host: AdvanceTime", "KMS → KMS: DeleteKey"],
            ),
            step(
                "The attached volume still reads and writes: the host kept the plaintext data key, so nothing happens at once, even after deletion.",
                "play read --instance-id $INST --device /dev/sdf",
                &["User → Host: ReadData"],
            ),
            step(
                "Stop the instance: the host discards the last plaintext copy of the data key.",
                "aws ec2 stop-instances --instance-ids $INST",
                &["User → EC2: StopInstances", "EC2 → Host: DiscardDataKey"],
            ),
            step(
                "Wait until it is stopped.",
                "aws ec2 wait instance-stopped --instance-ids $INST",
                &["User → EC2: DescribeInstances"],
            ),
            failing(
                "Too late to cancel: the key no longer exists. The ciphertext is still on the volume, but the data key that decrypts it is wrapped under a key nobody can use again: the data is unrecoverable.",
                "aws kms cancel-key-deletion --key-id $KEY",
                &["User → KMS: CancelKeyDeletion (failed: NotFoundException)"],
                "NotFoundException",
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

fn refuse_public_encrypted_snapshot() -> Scenario {
    Scenario {
        id: "refuse-public-encrypted-snapshot",
        title: "An encrypted snapshot cannot be public",
        category: "Refusals",
        summary: "\"Public snapshots of encrypted volumes are not supported, but you can share an encrypted snapshot with specific accounts.\"",
        steps: vec![
            create_key("KEY", "private data", "", "Create a customer managed key."),
            step(
                "Create a volume encrypted under it.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("VOL", ""),
            snapshot("SNAP", "VOL", "", "Snapshot it: the snapshot is encrypted."),
            wait_snapshot("SNAP", ""),
            failing(
                "Try to make it public (group all): EC2 refuses.",
                "aws ec2 modify-snapshot-attribute --snapshot-id $SNAP --attribute createVolumePermission --operation-type add --group-names all",
                &["User → EC2: ModifySnapshotAttribute (failed: UnsupportedOperation)"],
                "UnsupportedOperation",
            ),
            step(
                "Sharing with one account is allowed.",
                &format!("aws ec2 modify-snapshot-attribute --snapshot-id $SNAP {SHARE}"),
                &["User → EC2: ModifySnapshotAttribute"],
            ),
        ],
    }
}

fn refuse_default_key_sharing() -> Scenario {
    Scenario {
        id: "refuse-default-key-sharing",
        title: "A snapshot under the AWS managed key cannot be shared",
        category: "Refusals",
        summary: "Only a customer managed key's policy can let another account use it, so a snapshot encrypted with alias/aws/ebs cannot be shared at all.",
        steps: vec![
            step(
                "Create an encrypted volume without --kms-key-id: it uses the default key, the AWS managed key alias/aws/ebs.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --query VolumeId --output text)",
                &[CREATE_VOLUME, "EBS → KMS: CreateKey", GDK, STORE],
            ),
            wait_volume("VOL", ""),
            snapshot("SNAP", "VOL", "", "Snapshot it: the snapshot is under alias/aws/ebs too."),
            wait_snapshot("SNAP", ""),
            failing(
                "Share it with account 444455556666: refused, because nobody can change the AWS managed key's policy to let that account use it.",
                &format!("aws ec2 modify-snapshot-attribute --snapshot-id $SNAP {SHARE}"),
                &["User → EC2: ModifySnapshotAttribute (failed: OperationNotPermitted)"],
                "OperationNotPermitted",
            ),
        ],
    }
}

fn refuse_key_without_encrypted() -> Scenario {
    Scenario {
        id: "refuse-kms-key-without-encrypted",
        title: "KmsKeyId without Encrypted",
        category: "Refusals",
        summary: "\"Submitting a KmsKeyId without also setting the Encrypted parameter results in an error\", for volumes and for launches.",
        steps: vec![
            create_key("KEY", "data", "", "Create a customer managed key."),
            failing(
                "Name a key without --encrypted: EC2 refuses before calling KMS.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1 --kms-key-id $KEY",
                &["User → EC2: CreateVolume (failed: InvalidParameterDependency)"],
                "InvalidParameterDependency",
            ),
            find_ami(),
            failing(
                "The same rule applies to the block device mappings of a launch.",
                "aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/xvda,Ebs={KmsKeyId=$KEY}",
                &["User → EC2: RunInstances (failed: InvalidParameterDependency)"],
                "InvalidParameterDependency",
            ),
            step(
                "With both parameters the volume is encrypted under the named key.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY",
                &[CREATE_VOLUME, GDK, STORE],
            ),
        ],
    }
}

fn refuse_asymmetric_key() -> Scenario {
    Scenario {
        id: "refuse-asymmetric-key",
        title: "EBS refuses asymmetric keys",
        category: "Refusals",
        summary: "\"Amazon EBS does not support asymmetric KMS keys\", neither for a volume nor as the default key.",
        steps: vec![
            create_key(
                "RSA_KEY",
                "asymmetric",
                " --key-spec RSA_2048 --key-usage ENCRYPT_DECRYPT",
                "Create an asymmetric RSA key for encryption: KMS accepts it.",
            ),
            failing(
                "EBS does not: a volume cannot be encrypted under it.",
                "aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $RSA_KEY",
                &["User → EC2: CreateVolume (failed: InvalidParameterValue)"],
                "InvalidParameterValue",
            ),
            failing(
                "Nor can it be the default key for EBS encryption, which must be \"a symmetric customer managed key\".",
                "aws ec2 modify-ebs-default-kms-key-id --kms-key-id $RSA_KEY",
                &["User → EC2: ModifyEbsDefaultKmsKeyId (failed: InvalidParameterValue)"],
                "InvalidParameterValue",
            ),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Authorization
// ---------------------------------------------------------------------------------------------

fn launch_template(key_var: &str) -> Step {
    step(
        "Create a launch template whose root volume is encrypted under the customer managed key.",
        &format!("aws ec2 create-launch-template --launch-template-name web --launch-template-data ImageId=$AMI,InstanceType=t3.micro,BlockDeviceMappings=[{{DeviceName=/dev/xvda,Ebs={{Encrypted=true,KmsKeyId=${key_var}}}}}]"),
        &["User → EC2: CreateLaunchTemplate"],
    )
}

fn create_group(name: &str, narration: &str, expect: &[&str]) -> Step {
    step(
        narration,
        &format!("aws autoscaling create-auto-scaling-group --auto-scaling-group-name {name} --launch-template LaunchTemplateName=web --min-size 1 --max-size 1 --desired-capacity 1 --availability-zones us-east-1a"),
        expect,
    )
}

const GROUP_LAUNCH_DENIED: &[&str] = &[
    "User → AutoScaling: CreateAutoScalingGroup",
    "AutoScaling → EC2: RunInstances",
    "EC2 → KMS: CreateGrant (failed: AccessDeniedException)",
];
const GROUP_LAUNCH_OK: &[&str] = &[
    "User → AutoScaling: CreateAutoScalingGroup",
    "AutoScaling → EC2: RunInstances",
    GRANT,
    GDK,
    STORE,
    DECRYPT,
    GRANT,
    DECRYPT,
    LOAD,
];

fn asg_service_linked_role() -> Scenario {
    let fixed = templates::autoscaling_key_policy(ACCOUNT);
    Scenario {
        id: "asg-service-linked-role",
        title: "Auto Scaling and a key policy without its service-linked role",
        category: "Authorization",
        summary: "An Auto Scaling group launches as the service-linked role AWSServiceRoleForAutoScaling, which has no access to customer managed keys until the key policy names it (seed 004, example 1).",
        steps: vec![
            find_ami(),
            create_key("KEY", "web tier", "", "Create a customer managed key with the default key policy: only the account (through IAM policies) may use it."),
            launch_template("KEY"),
            create_group(
                "web",
                "Create a group of one instance. Auto Scaling calls RunInstances as its service-linked role, whose permissions \"do not include access to your customer managed keys\": KMS refuses the grant EC2 asks for on its behalf.",
                GROUP_LAUNCH_DENIED,
            ),
            step(
                "Let the launch play out: the instance is pending, then terminated with Client.InvalidKMSKey.InvalidState.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime", "EC2 → EventBridge: EC2 Instance State-change Notification"],
            ),
            step(
                "Add seed 004's two statements to the key policy, keeping the existing one: the service-linked role may use the key, and create grants for AWS resources.",
                &format!("aws kms put-key-policy --key-id $KEY --policy '{fixed}'"),
                &["User → KMS: PutKeyPolicy"],
            ),
            create_group(
                "web-fixed",
                "A new group with the same launch template now launches: the grants, the data key and the attach all succeed as the service-linked role.",
                GROUP_LAUNCH_OK,
            ),
            step(
                "Let the launch finish.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime"],
            ),
            step(
                "The first group's instance was terminated; the second one's is in service.",
                "aws autoscaling describe-auto-scaling-groups --query 'AutoScalingGroups[].[AutoScalingGroupName,Instances[0].LifecycleState]' --output text",
                &["User → AutoScaling: DescribeAutoScalingGroups"],
            ),
        ],
    }
}

fn asg_cross_account_key() -> Scenario {
    let key_policy = templates::cross_account_key_policy(PARTNER, ACCOUNT, false);
    let slr = templates::autoscaling_role(ACCOUNT);
    Scenario {
        id: "asg-cross-account-key",
        title: "Auto Scaling with a key from another account",
        category: "Authorization",
        summary: "The key lives in account 444455556666, the Auto Scaling group in 111122223333: the key policy opens the key to the account, and a grant from that account delegates it to the service-linked role (seed 004, example 2).",
        steps: vec![
            create_key(
                "PKEY",
                "for account 111122223333",
                &format!(" --profile partner --policy '{key_policy}'"),
                "Step 1, in the key's account (partner): a key whose policy adds seed 004's two statements for account 111122223333. \"This does not by itself give any IAM users or roles access to the key.\"",
            ),
            find_ami(),
            launch_template("PKEY"),
            create_group(
                "web",
                "Without the grant the group cannot launch: the key policy names account 111122223333, which delegates to its IAM policies, and the service-linked role's policies cover no customer managed key.",
                GROUP_LAUNCH_DENIED,
            ),
            step(
                "Step 2, from the account of the group: a grant that delegates the key's use to its service-linked role. The account root may create it because the key policy allows account 111122223333 kms:CreateGrant.",
                &format!("aws kms create-grant --key-id $PKEY --grantee-principal {slr} --operations Encrypt Decrypt ReEncryptFrom ReEncryptTo GenerateDataKey GenerateDataKeyWithoutPlaintext DescribeKey CreateGrant"),
                &["User → KMS: CreateGrant"],
            ),
            create_group(
                "web-granted",
                "A new group now launches: each KMS call of the service-linked role is allowed by the grant.",
                GROUP_LAUNCH_OK,
            ),
            step(
                "Let the launches play out.",
                "play advance --seconds 30",
                &["User → Host: AdvanceTime"],
            ),
            step(
                "The first group's instance was terminated; the second one's is in service.",
                "aws autoscaling describe-auto-scaling-groups --query 'AutoScalingGroups[].[AutoScalingGroupName,Instances[0].LifecycleState]' --output text",
                &["User → AutoScaling: DescribeAutoScalingGroups"],
            ),
        ],
    }
}

fn separation_of_duties() -> Scenario {
    let trust = templates::trust_policy(&templates::root_arn(ACCOUNT));
    let manage = templates::manage_keys_policy("*");
    let use_keys = templates::use_keys_policy("*");
    Scenario {
        id: "separation-of-duties",
        title: "Separation of duties: a key administrator and an application role",
        category: "Authorization",
        summary: "\"Give a Security Admin role key administration rights but no decrypt rights. Give app roles permission to use the keys for cryptographic operations but not to manage them.\" (seed 003)",
        steps: vec![
            step(
                "Create the security administrators' role.",
                &format!("aws iam create-role --role-name KeyAdmin --assume-role-policy-document '{trust}'"),
                &["User → IAM: CreateRole"],
            ),
            step(
                "Give it the key administration actions only: create, describe, enable, disable, change policies, schedule deletion; no Encrypt, Decrypt or GenerateDataKey.",
                &format!("aws iam put-role-policy --role-name KeyAdmin --policy-name manage-keys --policy-document '{manage}'"),
                &["User → IAM: PutRolePolicy"],
            ),
            step(
                "Create the application's role.",
                &format!("aws iam create-role --role-name AppRole --assume-role-policy-document '{trust}'"),
                &["User → IAM: CreateRole"],
            ),
            step(
                "Give it the cryptographic actions EBS encryption needs, with CreateGrant only \"when the grant is created on the user's behalf by an AWS service\" (seed 000, least privilege).",
                &format!("aws iam put-role-policy --role-name AppRole --policy-name use-keys --policy-document '{use_keys}'"),
                &["User → IAM: PutRolePolicy"],
            ),
            step(
                "Act as the administrator: a console profile whose principal is a session of the KeyAdmin role (a shortcut that skips STS; the scenario \"Assume a role in another account\" goes through AssumeRole and the trust policy).",
                "play profile add keyadmin --account-id 111122223333 --principal arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice",
                &[],
            ),
            step(
                "And a profile for the application, as a session of AppRole.",
                "play profile add app --account-id 111122223333 --principal arn:aws:sts::111122223333:assumed-role/AppRole/payroll-app",
                &[],
            ),
            create_key(
                "KEY",
                "prod-finance-ebs",
                " --profile keyadmin",
                "The administrator creates the key. Its default key policy delegates to the account's IAM policies, so the roles' policies decide who may do what.",
            ),
            step(
                "The administrator cannot use the key: the volume is accepted, but KMS refuses the data key EC2 asks for on the administrator's behalf, so the volume never becomes available.",
                "aws ec2 create-volume --profile keyadmin --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY",
                &[CREATE_VOLUME, "EC2 → KMS: GenerateDataKeyWithoutPlaintext (failed: AccessDeniedException)"],
            ),
            step(
                "The application can: same command, same key, and the data key is generated.",
                "aws ec2 create-volume --profile app --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            failing(
                "But the application cannot manage the key: disabling it is denied.",
                "aws kms disable-key --profile app --key-id $KEY",
                &["User → KMS: DisableKey (failed: AccessDeniedException)"],
                "AccessDeniedException",
            ),
        ],
    }
}

fn shared_snapshot_needs_key_policy() -> Scenario {
    let opened = shared_with_partner_policy();
    Scenario {
        id: "shared-snapshot-needs-key-policy",
        title: "A shared snapshot the other account cannot use until the key policy allows it",
        category: "Authorization",
        summary: "Sharing a snapshot encrypted with a customer managed key gives the other account the snapshot, not the key: its volumes fail until the key policy lets that account use the key.",
        steps: vec![
            create_key("KEY", "team data", "", "Create a customer managed key with the default key policy: only this account may use it."),
            step(
                "Create a volume encrypted under it.",
                "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
                &[CREATE_VOLUME, GDK, STORE],
            ),
            wait_volume("VOL", ""),
            snapshot("SNAP", "VOL", "", "Snapshot it."),
            wait_snapshot("SNAP", ""),
            step(
                "Share the snapshot with account 444455556666. EC2 accepts: the key is not checked when sharing.",
                &format!("aws ec2 modify-snapshot-attribute --snapshot-id $SNAP {SHARE}"),
                &["User → EC2: ModifySnapshotAttribute"],
            ),
            step(
                "As the partner, restore a volume from it. The request is accepted, but reading the source needs a grant on the owner's key, which its policy does not allow the partner to create.",
                "aws ec2 create-volume --profile partner --availability-zone us-east-1a --snapshot-id $SNAP",
                &[CREATE_VOLUME, "EC2 → EventBridge: SharedSnapshotVolumeCreated", GDK, "EC2 → KMS: CreateGrant (failed: AccessDeniedException)"],
            ),
            step(
                "A few seconds later the volume is gone: EC2 checks keys asynchronously, and EventBridge carries the failed createVolume event.",
                "play advance --seconds 10",
                &["User → Host: AdvanceTime", "EC2 → EventBridge: createVolume"],
            ),
            step(
                "The owner adds statements for account 444455556666 to the key policy: use of the key, and grants for AWS resources.",
                &format!("aws kms put-key-policy --key-id $KEY --policy '{opened}'"),
                &["User → KMS: PutKeyPolicy"],
            ),
            step(
                "The same restore now works: encrypted under the partner's default key, the source read through a grant on the owner's key.",
                "aws ec2 create-volume --profile partner --availability-zone us-east-1a --snapshot-id $SNAP",
                &[CREATE_VOLUME, GDK, STORE, GRANT, DECRYPT, GRANT, DECRYPT],
            ),
        ],
    }
}

fn cross_account_role() -> Scenario {
    let trust = templates::trust_policy(&templates::root_arn(ACCOUNT));
    let describe = templates::document(
        None,
        vec![templates::allow(
            None,
            &["kms:DescribeKey", "kms:GetKeyPolicy"],
            "*",
        )],
    );
    let role = templates::role_arn(PARTNER, "auditor");
    let may_assume = templates::assume_role_policy(&role);
    Scenario {
        id: "cross-account-role",
        title: "Assume a role in another account to inspect its key",
        category: "Authorization",
        summary: "A role in account 444455556666 trusts account 111122223333. A user there can assume it only once her own IAM policy allows it too: across accounts both sides must say yes. The session then acts in the partner account, where the key policy delegates to the role's policy.",
        steps: vec![
            create_key(
                "KEY",
                "partner audit",
                " --profile partner",
                "The partner account creates a key with the default key policy: its IAM policies decide who may use it.",
            ),
            step(
                "The partner creates a role whose trust policy names the other account (its root), not a particular user: that account's administrators decide which of its users may assume it.",
                &format!("aws iam create-role --profile partner --role-name auditor --assume-role-policy-document '{trust}'"),
                &["User → IAM: CreateRole"],
            ),
            step(
                "The role may describe keys and read their policies, nothing more.",
                &format!("aws iam put-role-policy --profile partner --role-name auditor --policy-name read-keys --policy-document '{describe}'"),
                &["User → IAM: PutRolePolicy"],
            ),
            step(
                "In account 111122223333, create the user alice.",
                "aws iam create-user --user-name alice",
                &["User → IAM: CreateUser"],
            ),
            step(
                "A console profile that signs requests as alice.",
                &format!("play profile add alice --account-id {ACCOUNT} --principal arn:aws:iam::{ACCOUNT}:user/alice"),
                &[],
            ),
            failing(
                "Alice asks STS for a session of the role. The trust policy lets her account in, but the account has not let her: no identity policy of hers allows sts:AssumeRole. Select the call to see both sides of the decision.",
                &format!("play profile add auditor --role-arn {role} --source-profile alice"),
                &["User → STS: AssumeRole (failed: AccessDenied)"],
                "AccessDenied",
            ),
            step(
                "Her account allows it: an identity policy naming the partner's role.",
                &format!("aws iam put-user-policy --user-name alice --policy-name assume-auditor --policy-document '{may_assume}'"),
                &["User → IAM: PutUserPolicy"],
            ),
            step(
                "Same request, now allowed: both the trust policy and her identity policy say yes. The profile auditor acts as the session, arn:aws:sts::444455556666:assumed-role/auditor/playground-auditor (aws sts get-caller-identity --profile auditor shows it).",
                &format!("play profile add auditor --role-arn {role} --source-profile alice"),
                &["User → STS: AssumeRole"],
            ),
            step(
                "The session describes the partner's key: the key policy delegates to the partner's IAM policies, and the role's policy allows DescribeKey.",
                "aws kms describe-key --profile auditor --key-id $KEY",
                &["User → KMS: DescribeKey"],
            ),
            failing(
                "But it cannot use the key: the role's policy has no Decrypt or GenerateDataKey.",
                "aws kms generate-data-key --profile auditor --key-id $KEY --key-spec AES_256",
                &["User → KMS: GenerateDataKey (failed: AccessDeniedException)"],
                "AccessDeniedException",
            ),
        ],
    }
}

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
