//! The Alibaba Cloud scenarios of seed 002 ("Encrypt ECS disks with KMS"): which key a new disk
//! gets in each of the four cases, the role ECS needs for a CMK, account-level default
//! encryption, the limitations (ESSD only, instance types, regions), converting unencrypted
//! system and data disks, the disable-and-reboot verification, and RAM policies. Each runs in
//! a fresh Alibaba Cloud session (accounts 1234567890123456 and 9876543210987654, cn-hangzhou).

use crate::scenarios::{failing, step, Scenario, Step};

/// The categories of these scenarios, in the order the app lists them.
pub const CATEGORIES: [&str; 2] = ["ECS disks", "ECS key trouble"];

const CREATE_DISK: &str = "User → ECS: CreateDisk";
const CREATE_KEY: &str = "User → KMS: CreateKey";
const GDK: &str = "ECS → KMS: GenerateDataKey";
const DECRYPT: &str = "ECS → KMS: Decrypt";
const ASSUME: &str = "ECS → RAM: AssumeRole";

fn cmk(var: &str, description: &str) -> Step {
    step(
        "Create a customer master key (CMK) in KMS: you control its lifecycle (rotation, disabling, deletion).",
        &format!("{var}=$(aliyun kms CreateKey --Description '{description}' --cli-query KeyMetadata.KeyId)"),
        &[CREATE_KEY],
    )
}

/// The role ECS needs before it may use a CMK, as the console's one-click authorization makes it.
fn authorize_ecs() -> Vec<Step> {
    vec![
        step(
            "Grant ECS the AliyunECSDiskEncryptDefaultRole role (the console's on-screen instructions do this on first use of a CMK): a RAM role trusted by ecs.aliyuncs.com…",
            r#"aliyun ram CreateRole --RoleName AliyunECSDiskEncryptDefaultRole --AssumeRolePolicyDocument '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}'"#,
            &["User → RAM: CreateRole"],
        ),
        step(
            "…with the system policy that lets it use KMS for disk encryption.",
            "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName AliyunECSDiskEncryptRolePolicy --RoleName AliyunECSDiskEncryptDefaultRole",
            &["User → RAM: AttachPolicyToRole"],
        ),
    ]
}

fn disk(var: &str, extra: &str) -> String {
    format!("{var}=$(aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 {extra} --cli-query DiskId)")
}

/// Encrypted with no key: the service key; a CMK needs the role first.
pub fn service_key_and_cmk() -> Scenario {
    let mut steps = vec![
        step(
            "Create an encrypted ESSD with no key named: ECS uses the service key, alias/acs/ecs, which the cloud creates and manages for you (\"A service key is used by default\").",
            &disk("DISK", "--Encrypted true"),
            &[CREATE_DISK, "ECS → KMS: CreateKey", GDK],
        ),
        step(
            "Describe it: Encrypted is true and KMSKeyId is the service key.",
            "aliyun ecs DescribeDisks --DiskIds \"[\\\"$DISK\\\"]\"",
            &["User → ECS: DescribeDisks"],
        ),
        cmk("KEY", "disk key"),
        failing(
            "Ask for the CMK before ECS is authorized: refused. \"When you use a CMK for encryption for the first time, … grant the AliyunECSDiskEncryptDefaultRole role to ECS so that it can access KMS resources.\"",
            &disk("DISK2", "--Encrypted true --KMSKeyId $KEY"),
            &["User → ECS: CreateDisk (failed: InvalidParameter.KMSKeyId.KMSUnauthorized)"],
            "InvalidParameter.KMSKeyId.KMSUnauthorized",
        ),
    ];
    steps.extend(authorize_ecs());
    steps.push(step(
        "Try again: ECS assumes its role, asks KMS for a data key under the CMK, and keeps the KMS-encrypted data key with the disk.",
        &disk("DISK2", "--Encrypted true --KMSKeyId $KEY"),
        &[CREATE_DISK, ASSUME, GDK],
    ));
    Scenario {
        id: "alibaba-service-key-and-cmk",
        title: "Encrypted disks: the service key, and a CMK after authorizing ECS",
        category: CATEGORIES[0],
        summary: "An encrypted disk with no key uses alias/acs/ecs; a customer master key works only after ECS is granted AliyunECSDiskEncryptDefaultRole.",
        steps,
    }
}

/// A disk from a snapshot: the snapshot's key when the snapshot is your own, the service key when it was shared with you.
pub fn disk_from_snapshot() -> Scenario {
    let mut steps = vec![cmk("KEY", "snapshot key")];
    steps.extend(authorize_ecs());
    steps.extend([
        step(
            "Create a disk encrypted under the CMK.",
            &disk("DISK", "--Encrypted true --KMSKeyId $KEY"),
            &[CREATE_DISK],
        ),
        step("Let it be created.", "play advance --minutes 1", &[]),
        step(
            "Snapshot it: the snapshot is encrypted under the same key.",
            "SNAP=$(aliyun ecs CreateSnapshot --DiskId $DISK --cli-query SnapshotId)",
            &["User → ECS: CreateSnapshot"],
        ),
        step("Let the snapshot complete.", "play advance --minutes 5", &[]),
        step(
            "A disk from your own (unshared) encrypted snapshot: \"The disk uses the same key as the snapshot by default.\"",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --SnapshotId $SNAP",
            &[CREATE_DISK],
        ),
        step(
            "Share the snapshot with the partner account (Alibaba shares snapshots in the console; `play share-snapshot` stands in for it).",
            "play share-snapshot --SnapshotId $SNAP --AccountId 9876543210987654",
            &[],
        ),
        step(
            "In the partner account, a disk from the shared encrypted snapshot: \"The disk uses a service key by default\" — the partner's alias/acs/ecs, not your CMK.",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --SnapshotId $SNAP --profile partner",
            &[CREATE_DISK],
        ),
    ]);
    Scenario {
        id: "alibaba-disk-from-snapshot",
        title: "A disk from an encrypted snapshot: your own, or shared with you",
        category: CATEGORIES[0],
        summary: "From your own encrypted snapshot a disk keeps the snapshot's key; from a snapshot shared with you it gets your service key.",
        steps,
    }
}

/// Account-level default encryption in a region, with its key.
pub fn default_encryption() -> Scenario {
    let mut steps = vec![cmk("KEY", "default disk key")];
    steps.extend(authorize_ecs());
    steps.extend([
        step(
            "Turn on account-level default encryption for cn-hangzhou.",
            "aliyun ecs EnableDiskEncryptionByDefault",
            &["User → ECS: EnableDiskEncryptionByDefault"],
        ),
        step(
            "Make the CMK the account's default key for disks.",
            "aliyun ecs ModifyDiskDefaultKMSKeyId --KMSKeyId $KEY",
            &["User → ECS: ModifyDiskDefaultKMSKeyId"],
        ),
        step(
            "Create a disk without asking for encryption: \"The disk uses the specified account-level key by default.\"",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40",
            &[CREATE_DISK],
        ),
        step(
            "Reset the default key: back to the service key.",
            "aliyun ecs ResetDiskDefaultKMSKeyId",
            &["User → ECS: ResetDiskDefaultKMSKeyId"],
        ),
        step(
            "Check what new disks will use now.",
            "aliyun ecs DescribeDiskDefaultKMSKeyId",
            &["User → ECS: DescribeDiskDefaultKMSKeyId"],
        ),
    ]);
    Scenario {
        id: "alibaba-default-encryption",
        title: "Account-level default encryption and its key",
        category: CATEGORIES[0],
        summary: "With default encryption on in a region every new disk is encrypted, under the account's default key or the service key.",
        steps,
    }
}

/// What cannot be encrypted: categories, instance types, regions.
pub fn limitations() -> Scenario {
    let steps = vec![
        failing(
            "Only ESSD-series disks support encryption: an ultra disk (cloud_efficiency) is refused.",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_efficiency --Size 40 --Encrypted true",
            &["User → ECS: CreateDisk (failed: InvalidParameter.EncryptedNotSupported)"],
            "InvalidParameter.EncryptedNotSupported",
        ),
        step(
            "ESSD Entry is in the family: it can be encrypted.",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd_entry --Size 40 --Encrypted true",
            &[CREATE_DISK],
        ),
        failing(
            "Encrypted system disks cannot be attached to some instance types, ecs.ebmg5 among them.",
            "aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.ebmg5.24xlarge --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true",
            &["User → ECS: RunInstances (failed: InvalidInstanceType.NotSupported)"],
            "InvalidInstanceType.NotSupported",
        ),
        failing(
            "South Korea (Seoul) is a region where you cannot create encrypted disks.",
            "aliyun ecs CreateDisk --RegionId ap-northeast-2 --ZoneId ap-northeast-2a --DiskCategory cloud_essd --Size 40 --Encrypted true",
            &["User → ECS: CreateDisk (failed: NotSupportSnapshotEncrypted.RegionId)"],
            "NotSupportSnapshotEncrypted.RegionId",
        ),
    ];
    Scenario {
        id: "alibaba-limitations",
        title: "What cannot be encrypted: disk categories, instance types, regions",
        category: CATEGORIES[0],
        summary: "Seed 002's limitations, each refused: a non-ESSD disk, an encrypted system disk on ecs.ebmg5, an encrypted disk in Seoul.",
        steps,
    }
}

/// Converting an unencrypted system disk: an encrypted image copy, then replace the OS.
pub fn convert_system_disk() -> Scenario {
    let mut steps = vec![step(
        "Run an instance with an unencrypted system disk.",
        "INSTANCE=$(aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --cli-query 'InstanceIdSets.InstanceIdSet[0]')",
        &["User → ECS: RunInstances"],
    )];
    steps.extend([
        step("Let it start.", "play advance --minutes 2", &[]),
        step(
            "\"You cannot directly encrypt an existing unencrypted disk.\" Capture the system disk in a custom image.",
            "IMAGE=$(aliyun ecs CreateImage --InstanceId $INSTANCE --ImageName plain --cli-query ImageId)",
            &["User → ECS: CreateImage"],
        ),
        step("Let the image become available.", "play advance --minutes 10", &[]),
        cmk("KEY", "system disk key"),
    ]);
    steps.extend(authorize_ecs());
    steps.extend([
        step(
            "\"Copy the custom image and select encryption to create an encrypted copy.\"",
            "ENCRYPTED=$(aliyun ecs CopyImage --ImageId $IMAGE --DestinationImageName encrypted --Encrypted true --KMSKeyId $KEY --cli-query ImageId)",
            &["User → ECS: CopyImage", ASSUME, GDK],
        ),
        step("Let the copy become available.", "play advance --minutes 10", &[]),
        step(
            "Stop the instance to replace its operating system.",
            "aliyun ecs StopInstance --InstanceId $INSTANCE",
            &["User → ECS: StopInstance"],
        ),
        step("Let it stop.", "play advance --minutes 1", &[]),
        step(
            "\"Replace the operating system of the original instance with the encrypted image\": the new system disk is encrypted under the CMK.",
            "aliyun ecs ReplaceSystemDisk --InstanceId $INSTANCE --ImageId $ENCRYPTED",
            &["User → ECS: ReplaceSystemDisk"],
        ),
    ]);
    Scenario {
        id: "alibaba-convert-system-disk",
        title: "Encrypt an existing system disk: encrypted image copy, then replace the OS",
        category: CATEGORIES[0],
        summary: "Seed 002's conversion path for a system disk: CreateImage, CopyImage with Encrypted, ReplaceSystemDisk.",
        steps,
    }
}

/// Converting an unencrypted data disk: a snapshot, an encrypted disk from it, attach.
pub fn convert_data_disk() -> Scenario {
    let steps = vec![
        step(
            "Run an instance, and create an unencrypted data disk in its zone.",
            "INSTANCE=$(aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --cli-query 'InstanceIdSets.InstanceIdSet[0]')",
            &["User → ECS: RunInstances"],
        ),
        step(
            "The unencrypted data disk.",
            &disk("PLAIN", ""),
            &[CREATE_DISK],
        ),
        step("Let them be ready.", "play advance --minutes 2", &[]),
        step(
            "\"Create a snapshot of the data disk.\"",
            "SNAP=$(aliyun ecs CreateSnapshot --DiskId $PLAIN --cli-query SnapshotId)",
            &["User → ECS: CreateSnapshot"],
        ),
        step("Let the snapshot complete.", "play advance --minutes 5", &[]),
        step(
            "Create an encrypted disk from the snapshot (the service key, since none is named).",
            "ENCRYPTED=$(aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --SnapshotId $SNAP --Encrypted true --cli-query DiskId)",
            &[CREATE_DISK],
        ),
        step("Let it be ready.", "play advance --minutes 1", &[]),
        step(
            "\"Attach the newly created encrypted disk to the original ECS instance\": ECS has KMS decrypt the disk's data key for the host.",
            "aliyun ecs AttachDisk --InstanceId $INSTANCE --DiskId $ENCRYPTED",
            &["User → ECS: AttachDisk", DECRYPT, "ECS → Host: LoadDataKey"],
        ),
    ];
    Scenario {
        id: "alibaba-convert-data-disk",
        title: "Encrypt an existing data disk: snapshot, encrypted disk, attach",
        category: CATEGORIES[0],
        summary: "Seed 002's conversion path for a data disk: CreateSnapshot, CreateDisk from it with Encrypted, AttachDisk.",
        steps,
    }
}

/// The FAQ's verification: disable the CMK, reboot, the system disk hangs; enable it and reboot.
pub fn disable_and_reboot() -> Scenario {
    let mut steps = vec![cmk("KEY", "test instance key")];
    steps.extend(authorize_ecs());
    steps.extend([
        step(
            "\"Create a system disk that is encrypted with a CMK\" on a test instance.",
            "INSTANCE=$(aliyun ecs RunInstances --ZoneId cn-hangzhou-i --ImageId aliyun_3_x64_20G_alibase_20240819.vhd --InstanceType ecs.g7.large --SystemDisk.Category cloud_essd --SystemDisk.Encrypted true --SystemDisk.KMSKeyId $KEY --cli-query 'InstanceIdSets.InstanceIdSet[0]')",
            &["User → ECS: RunInstances", GDK, DECRYPT, "ECS → Host: LoadDataKey"],
        ),
        step("Let it start: ECS had KMS decrypt the system disk's data key into host memory.", "play advance --minutes 2", &[]),
        step(
            "Before disabling a key, check what depends on it: the system disk.",
            "aliyun ecs DescribeDisks --KMSKeyId $KEY",
            &["User → ECS: DescribeDisks"],
        ),
        step(
            "Disable the CMK. The running instance keeps working: its plaintext data key is already in memory.",
            "aliyun kms DisableKey --KeyId $KEY",
            &["User → KMS: DisableKey"],
        ),
        step(
            "\"Connect to the ECS instance and run sudo reboot\": at startup ECS asks KMS to decrypt the data key, and KMS refuses.",
            "aliyun ecs RebootInstance --InstanceId $INSTANCE",
            &["User → ECS: RebootInstance", "ECS → Host: DiscardDataKey", "ECS → KMS: Decrypt (failed: Forbidden.KeyStateConflict)", "ECS → Host: LoadDataKey (failed: IOHang)"],
        ),
        step("Let it restart.", "play advance --minutes 2", &[]),
        failing(
            "\"Because the KMS key is disabled, the system cannot decrypt data, causing an I/O hang.\"",
            "play read --InstanceId $INSTANCE --DiskId $(aliyun ecs DescribeDisks --InstanceId $INSTANCE --DiskType system --cli-query 'Disks.Disk[0].DiskId')",
            &["User → Host: ReadData (failed: IOHang)"],
            "IOHang",
        ),
        step(
            "\"Enable the CMK\"…",
            "aliyun kms EnableKey --KeyId $KEY",
            &["User → KMS: EnableKey"],
        ),
        step(
            "…and reboot: the data key is decrypted again and the disk reads.",
            "aliyun ecs RebootInstance --InstanceId $INSTANCE",
            &["User → ECS: RebootInstance", DECRYPT, "ECS → Host: LoadDataKey"],
        ),
        step("Let it restart.", "play advance --minutes 2", &[]),
        step(
            "The system disk reads again.",
            "play read --InstanceId $INSTANCE --DiskId $(aliyun ecs DescribeDisks --InstanceId $INSTANCE --DiskType system --cli-query 'Disks.Disk[0].DiskId')",
            &[],
        ),
    ]);
    Scenario {
        id: "alibaba-disable-and-reboot",
        title: "Verify encryption at rest: disable the CMK, reboot, the disk hangs",
        category: CATEGORIES[1],
        summary: "Seed 002's FAQ test: with the CMK disabled a reboot cannot decrypt the system disk's data key; enabling the key and rebooting recovers the instance.",
        steps,
    }
}

/// RAM: users who may create only encrypted disks, and read-only KMS access.
pub fn ram_policies() -> Scenario {
    let steps = vec![
        step(
            "Create a RAM user for the operations team.",
            "aliyun ram CreateUser --UserName ops",
            &["User → RAM: CreateUser"],
        ),
        step(
            "A custom policy that restricts RAM users to creating only encrypted disks.",
            r#"aliyun ram CreatePolicy --PolicyName EncryptedDisksOnly --PolicyDocument '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"},{"Effect":"Deny","Action":["ecs:CreateDisk","ecs:RunInstances","ecs:CreateInstance"],"Resource":"*","Condition":{"Bool":{"ecs:IsDiskEncrypted":["false"]}}}]}'"#,
            &["User → RAM: CreatePolicy"],
        ),
        step(
            "Attach it to the user.",
            "aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName EncryptedDisksOnly --UserName ops",
            &["User → RAM: AttachPolicyToUser"],
        ),
        step(
            "\"Prevent RAM users from managing keys\": attach AliyunKMSReadOnlyAccess.",
            "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunKMSReadOnlyAccess --UserName ops",
            &["User → RAM: AttachPolicyToUser"],
        ),
        step(
            "Act as the RAM user.",
            "play profile add ops --account-id 1234567890123456 --region cn-hangzhou --principal acs:ram::1234567890123456:user/ops",
            &[],
        ),
        failing(
            "As ops, an unencrypted disk is refused by the policy.",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --profile ops",
            &["User → ECS: CreateDisk (failed: Forbidden.RAM)"],
            "Forbidden.RAM",
        ),
        step(
            "An encrypted one is allowed.",
            "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 40 --Encrypted true --profile ops",
            &[CREATE_DISK],
        ),
        step(
            "The account creates a CMK…",
            "KEY=$(aliyun kms CreateKey --Description 'team key' --cli-query KeyMetadata.KeyId)",
            &[CREATE_KEY],
        ),
        step(
            "…which ops may describe (read-only access)…",
            "aliyun kms DescribeKey --KeyId $KEY --profile ops",
            &["User → KMS: DescribeKey"],
        ),
        failing(
            "…but not disable: no accidental key disabling or deletion.",
            "aliyun kms DisableKey --KeyId $KEY --profile ops",
            &["User → KMS: DisableKey (failed: Forbidden.NoPermission)"],
            "Forbidden.NoPermission",
        ),
    ];
    Scenario {
        id: "alibaba-ram-policies",
        title: "RAM: only encrypted disks, and read-only KMS access",
        category: CATEGORIES[0],
        summary: "Seed 002's production advice as RAM policies: a Deny on unencrypted disks, and AliyunKMSReadOnlyAccess so users cannot disable or delete keys.",
        steps,
    }
}

/// Every Alibaba Cloud scenario.
pub fn all() -> Vec<Scenario> {
    vec![
        service_key_and_cmk(),
        disk_from_snapshot(),
        default_encryption(),
        limitations(),
        convert_system_disk(),
        convert_data_disk(),
        ram_policies(),
        disable_and_reboot(),
    ]
}
