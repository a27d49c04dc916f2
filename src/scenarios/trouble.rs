//! Scenarios about key trouble and refusals: a disabled key with an attached volume, across a
//! stop and start, a deleted key; what EC2 and KMS refuse and why.

use super::*;

pub(super) const LAUNCH_WITH_DATA_VOLUME: &str = "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --block-device-mappings DeviceName=/dev/sdf,Ebs={VolumeSize=4,Encrypted=true,KmsKeyId=$KEY} --query 'Instances[0].InstanceId' --output text)";

pub(super) fn launch_with_data_volume() -> Step {
    step(
        "Launch an instance with a 4 GiB data volume at /dev/sdf encrypted under the key: an empty encrypted volume gets a data key, then a grant and a Decrypt put the plaintext key in host memory.",
        LAUNCH_WITH_DATA_VOLUME,
        &["User → EC2: RunInstances", GDK, STORE, GRANT, DECRYPT, LOAD],
    )
}

pub(super) fn write_payroll() -> Step {
    step(
        "Write through the instance: the host encrypts each sector with the data key before it reaches EBS.",
        "play write --instance-id $INST --device /dev/sdf --text 'payroll 2024'",
        &["User → Host: WriteData", "Host → EBS: WriteSectors"],
    )
}

pub(super) fn disabled_key_attached_volume() -> Scenario {
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

pub(super) fn disabled_key_stop_start() -> Scenario {
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

pub(super) fn deleted_key() -> Scenario {
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

pub(super) fn refuse_public_encrypted_snapshot() -> Scenario {
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

pub(super) fn refuse_default_key_sharing() -> Scenario {
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

pub(super) fn refuse_key_without_encrypted() -> Scenario {
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

pub(super) fn refuse_asymmetric_key() -> Scenario {
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
