//! Scenarios about AMIs (seed 001): encrypting or re-encrypting during launch, several volumes,
//! encrypting during a copy.

use super::*;

pub(super) fn ami_encrypt_during_launch() -> Scenario {
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

pub(super) fn ami_reencrypt_during_launch() -> Scenario {
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

pub(super) fn ami_several_volumes() -> Scenario {
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

pub(super) fn ami_encrypt_during_copy() -> Scenario {
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
