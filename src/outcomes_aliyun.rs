//! Seed 002's four create-disk cases as an interactive table: which key a new encrypted ECS
//! disk uses by default in each case, and that a key you select overrides each. Every cell is a
//! list of console lines for a fresh Alibaba Cloud session; running them ends with the new
//! disk's key printed and the key the seed says it should have in `$WANT`.
//!
//! It owns the table and its command lines; the decision itself is the model's
//! (`model/aliyun/encryption.rs`), and this module draws nothing.

/// One case of the seed's "Create an encrypted disk" list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskCase {
    /// Row number, 1 to 4, in the seed's order.
    pub index: usize,
    /// The case, in the seed's words.
    pub case: &'static str,
    /// The key used by default, in the seed's words.
    pub default_key: &'static str,
    /// With a key selected.
    pub selected_key: &'static str,
}

/// The four rows, in the seed's order.
pub fn cases() -> Vec<DiskCase> {
    vec![
        DiskCase {
            index: 1,
            case: "Create a disk from an unshared encrypted snapshot",
            default_key: "The disk uses the same key as the snapshot by default.",
            selected_key: "You can select a different KMS key.",
        },
        DiskCase {
            index: 2,
            case: "Create a disk from a shared encrypted snapshot",
            default_key: "The disk uses a service key by default.",
            selected_key: "You can select a different KMS key.",
        },
        DiskCase {
            index: 3,
            case: "Create a disk in a region where account-level default encryption for Elastic Block Storage is enabled",
            default_key: "The disk uses the specified account-level key by default.",
            selected_key: "You can select a different KMS key.",
        },
        DiskCase {
            index: 4,
            case: "Other scenarios: select the Encryption checkbox",
            default_key: "A service key is used by default.",
            selected_key: "Select a KMS key.",
        },
    ]
}

/// Lines that create a CMK in `$var` and let ECS use it.
fn cmk(var: &str, profile: &str) -> Vec<String> {
    vec![format!(
        "{var}=$(aliyun kms CreateKey --Description {var} --cli-query KeyMetadata.KeyId{profile})"
    )]
}

const AUTHORIZE: [&str; 2] = [
    r#"aliyun ram CreateRole --RoleName AliyunECSDiskEncryptDefaultRole --AssumeRolePolicyDocument '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}'"#,
    "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName AliyunECSDiskEncryptRolePolicy --RoleName AliyunECSDiskEncryptDefaultRole",
];

fn authorize(profile: &str) -> Vec<String> {
    AUTHORIZE.iter().map(|l| format!("{l}{profile}")).collect()
}

/// The service key's id in the caller's account and region (ECS creates it on first use).
fn service_key(profile: &str) -> String {
    format!("WANT=$(aliyun kms DescribeKey --KeyId alias/acs/ecs --cli-query KeyMetadata.KeyId{profile})")
}

/// The lines that set up and run a case (`selected`: with a key chosen for the new disk),
/// ending with the new disk's key as DescribeDisks prints it; `$WANT` then holds the key the
/// seed says it gets. Empty for an index that is not a row.
pub fn case_commands(index: usize, selected: bool) -> Vec<String> {
    let disk = "aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_essd";
    let mut out: Vec<String> = Vec::new();
    let mut owner = String::new();
    match index {
        1 | 2 => {
            out.extend(cmk("SNAPKEY", ""));
            out.extend(authorize(""));
            out.push(format!("SOURCE=$({disk} --Size 40 --Encrypted true --KMSKeyId $SNAPKEY --cli-query DiskId)"));
            out.push("play advance --minutes 1".into());
            out.push(
                "SNAP=$(aliyun ecs CreateSnapshot --DiskId $SOURCE --cli-query SnapshotId)".into(),
            );
            out.push("play advance --minutes 5".into());
            if index == 2 {
                out.push(
                    "play share-snapshot --SnapshotId $SNAP --AccountId 9876543210987654".into(),
                );
                owner = " --profile partner".into();
            } else {
                out.push("WANT=$SNAPKEY".into());
            }
        }
        3 => {
            out.extend(cmk("DEFAULTKEY", ""));
            out.extend(authorize(""));
            out.push("aliyun ecs EnableDiskEncryptionByDefault".into());
            out.push("aliyun ecs ModifyDiskDefaultKMSKeyId --KMSKeyId $DEFAULTKEY".into());
            out.push("WANT=$DEFAULTKEY".into());
        }
        4 => {}
        _ => return Vec::new(),
    }
    let mut create = match index {
        1 | 2 => format!("DISK=$({disk} --SnapshotId $SNAP"),
        3 => format!("DISK=$({disk} --Size 40"),
        _ => format!("DISK=$({disk} --Size 40 --Encrypted true"),
    };
    if selected {
        if owner.is_empty() {
            out.extend(cmk("CHOSEN", ""));
        } else {
            out.extend(cmk("CHOSEN", &owner));
            out.extend(authorize(&owner));
        }
        if index == 3 || index == 4 {
            // Case 4 has no CMK yet: ECS needs the role before it may use one.
            if index == 4 {
                out.extend(authorize(""));
            }
        }
        out.push("WANT=$CHOSEN".into());
        create.push_str(" --Encrypted true --KMSKeyId $CHOSEN");
    }
    create.push_str(&format!(" --cli-query DiskId{owner})"));
    out.push(create);
    // The service key exists once ECS has used it: look it up after the disk is made.
    if !selected && (index == 2 || index == 4) {
        out.push(service_key(&owner));
    }
    out.push(format!(
        "aliyun ecs DescribeDisks --DiskIds \"[\\\"$DISK\\\"]\" --cli-query 'Disks.Disk[0].KMSKeyId'{owner}"
    ));
    out
}
