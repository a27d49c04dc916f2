//! Scenarios about volumes and snapshots: from encrypted and unencrypted snapshots, encryption
//! by default, changing the default key, re-encrypting a volume or a snapshot, sharing a snapshot.

use super::*;

pub(super) fn volume_from_encrypted_snapshot() -> Scenario {
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

pub(super) fn volume_from_unencrypted_snapshot() -> Scenario {
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

pub(super) fn encryption_by_default() -> Scenario {
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

pub(super) fn change_default_key() -> Scenario {
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

pub(super) fn reencrypt_volume() -> Scenario {
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

pub(super) fn reencrypt_snapshot() -> Scenario {
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

pub(super) fn share_snapshot_copy_own_key() -> Scenario {
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
