//! Seed 003's compliance design ("Designing a Compliance-Friendly Key Strategy") as one guided
//! scenario: three customer managed keys, one per layer, a security administrator who manages
//! them but cannot use them, one application role per team that uses its key but cannot manage
//! it, each team writing its data, and CloudTrail answering "which team used which key".
//!
//! It owns this scenario's steps and the key and bucket policies it applies (built from
//! [`crate::views::templates`]); running and checking steps is [`crate::scenarios`]' job.

use crate::json;
use crate::scenarios::{failing, step, Scenario, Step};
use crate::views::templates;

/// The category of this scenario in the app's list.
pub const CATEGORY: &str = "Key strategy";

/// The id of the scenario (links: `?scenario=compliance-key-strategy`).
pub const ID: &str = "compliance-key-strategy";

const ACCOUNT: &str = "111122223333";

/// The three keys, by alias, in the order the CloudTrail step offers them.
pub const KEY_ALIASES: &[&str] = &[
    "alias/prod-finance-s3",
    "alias/prod-finance-ebs",
    "alias/prod-finance-rds",
];

/// The bucket of financial statements.
pub const BUCKET: &str = "prod-finance-statements";

/// (console profile, role, session) of the security administrator.
pub const ADMIN: (&str, &str, &str) = ("secadmin", "SecurityAdmin", "dana");
/// The statements team (S3).
pub const S3_APP: (&str, &str, &str) = ("statements", "StatementsApp", "reporting");
/// The analytics team (EC2 with EBS).
pub const EBS_APP: (&str, &str, &str) = ("analytics", "AnalyticsApp", "etl");
/// The ledger team (RDS PostgreSQL).
pub const RDS_APP: (&str, &str, &str) = ("ledger", "LedgerApp", "api");

fn profile((name, role, session): (&str, &str, &str), narration: &str) -> Step {
    step(
        narration,
        &format!("play profile add {name} --account-id {ACCOUNT} --principal arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}"),
        &[],
    )
}

/// The key policy of one layer's key: SecurityAdmin manages it, `app`'s role uses it.
fn key_policy(app: (&str, &str, &str)) -> String {
    templates::separated_duties_key_policy(
        ACCOUNT,
        &[templates::role_arn(ACCOUNT, ADMIN.1)],
        &[templates::role_arn(ACCOUNT, app.1)],
    )
    .to_string()
}

fn key(var: &str, layer: &str, app: (&str, &str, &str), narration: &str) -> [Step; 2] {
    [
        step(
            narration,
            &format!(
                "{var}=$(aws kms create-key --description 'prod finance {layer}' --policy '{}' --query KeyMetadata.Arn --output text)",
                key_policy(app)
            ),
            &["User → KMS: CreateKey"],
        ),
        step(
            &format!("Give it the alias alias/prod-finance-{}: the name says which data it protects, so CloudTrail records and policies read clearly.", layer.to_ascii_lowercase()),
            &format!(
                "aws kms create-alias --alias-name alias/prod-finance-{} --target-key-id ${var}",
                layer.to_ascii_lowercase()
            ),
            &["User → KMS: CreateAlias"],
        ),
    ]
}

/// The bucket policy: the statements team may write and read objects; the security
/// administrator may read them (S3 lets her in; the key will not).
fn bucket_policy() -> String {
    let objects = format!("arn:aws:s3:::{BUCKET}/*");
    templates::document(
        None,
        vec![
            json!({"Sid": "StatementsTeam", "Effect": "Allow",
                "Principal": {"AWS": templates::role_arn(ACCOUNT, S3_APP.1)},
                "Action": ["s3:PutObject", "s3:GetObject"], "Resource": objects}),
            json!({"Sid": "SecurityAdminReads", "Effect": "Allow",
                "Principal": {"AWS": templates::role_arn(ACCOUNT, ADMIN.1)},
                "Action": ["s3:GetObject"], "Resource": objects}),
        ],
    )
    .to_string()
}

/// Seed 003: three customer managed keys, a Security Admin who manages but cannot decrypt,
/// app roles that use but cannot manage, CloudTrail for the audit.
pub fn compliance_key_strategy() -> Scenario {
    let denied = "AccessDeniedException";
    let mut steps = vec![
        profile(ADMIN, "Act as the security administrator: a console profile that signs as a session of the SecurityAdmin role (a shortcut that skips STS; the roles have no identity policies, so the key policies alone decide)."),
        profile(S3_APP, "The statements team, whose application stores financial statements in S3, acts as StatementsApp."),
        profile(EBS_APP, "The analytics team, whose servers run on EC2 with EBS volumes, acts as AnalyticsApp."),
        profile(RDS_APP, "The ledger team, whose application uses RDS PostgreSQL, acts as LedgerApp."),
    ];
    steps.extend(key("KEY_S3", "S3", S3_APP, "\"Create three customer managed KMS keys: one for S3, one for EBS, one for RDS.\" The S3 key's policy keeps root delegation, lets SecurityAdmin administer the key (kms:Create*, Describe*, Enable*, … ScheduleKeyDeletion, no Encrypt or Decrypt) and lets StatementsApp use it (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey; CreateGrant only for AWS resources)."));
    steps.extend(key(
        "KEY_EBS",
        "EBS",
        EBS_APP,
        "The EBS key: the same administrator, and AnalyticsApp as its only user.",
    ));
    steps.extend(key(
        "KEY_RDS",
        "RDS",
        RDS_APP,
        "The RDS key: the same administrator, and LedgerApp as its only user.",
    ));
    steps.extend([
        step(
            "The administrator manages the keys: \"Enable annual automatic rotation on the customer managed keys; apps keep working without changes.\" kms:Enable* allows it.",
            &format!("aws kms enable-key-rotation --profile {} --key-id $KEY_S3", ADMIN.0),
            &["User → KMS: EnableKeyRotation"],
        ),
        failing(
            "But she cannot use them: KMS refuses her a data key, since no statement gives SecurityAdmin kms:GenerateDataKey (select the call: \"Why was this denied?\").",
            &format!("aws kms generate-data-key --profile {} --key-id alias/prod-finance-s3 --key-spec AES_256", ADMIN.0),
            &["User → KMS: GenerateDataKey (failed: AccessDeniedException)"],
            denied,
        ),
        step(
            "Create the bucket for the financial statements.",
            &format!("aws s3api create-bucket --bucket {BUCKET}"),
            &["User → S3: CreateBucket"],
        ),
        step(
            "Its bucket policy lets the statements team write and read objects, and the security administrator read them.",
            &format!("aws s3api put-bucket-policy --bucket {BUCKET} --policy '{}'", bucket_policy()),
            &["User → S3: PutBucketPolicy"],
        ),
        step(
            "A statement to upload (the page has no file system: a playground file).",
            "play file put --name q3.txt --text 'Q3 statement: revenue 4.2M'",
            &["User → Host: PutFile"],
        ),
        step(
            "The statements team writes with SSE-KMS under its key: S3 asks KMS for a data key on StatementsApp's behalf (invokedBy s3.amazonaws.com, encryption context aws:s3:arn = the object's ARN).",
            &format!("aws s3api put-object --profile {} --bucket {BUCKET} --key 2026/q3.txt --body q3.txt --server-side-encryption aws:kms --ssekms-key-id alias/prod-finance-s3", S3_APP.0),
            &["User → S3: PutObject", "S3 → KMS: GenerateDataKey"],
        ),
        failing(
            "The administrator tries to read the statement. The bucket policy lets her in, but S3 must ask KMS to decrypt the object's data key as her, and the key policy gives SecurityAdmin no kms:Decrypt: S3 answers AccessDenied.",
            &format!("aws s3api get-object --profile {} --bucket {BUCKET} --key 2026/q3.txt q3-copy.txt", ADMIN.0),
            &["User → S3: GetObject (failed: AccessDenied)", "S3 → KMS: Decrypt (failed: AccessDeniedException)"],
            "AccessDenied",
        ),
        failing(
            "The other half of the separation: an application role cannot manage its key. StatementsApp may not disable the S3 key.",
            &format!("aws kms disable-key --profile {} --key-id $KEY_S3", S3_APP.0),
            &["User → KMS: DisableKey (failed: AccessDeniedException)"],
            denied,
        ),
        failing(
            "Nor may LedgerApp schedule the RDS key's deletion.",
            &format!("aws kms schedule-key-deletion --profile {} --key-id $KEY_RDS --pending-window-in-days 7", RDS_APP.0),
            &["User → KMS: ScheduleKeyDeletion (failed: AccessDeniedException)"],
            denied,
        ),
        step(
            "The analytics team creates an EBS volume under its key: EC2 asks for a data key bound to aws:ebs:id on AnalyticsApp's behalf (the grant for the host comes when the volume is attached).",
            &format!("aws ec2 create-volume --profile {} --availability-zone us-east-1a --size 8 --encrypted --kms-key-id alias/prod-finance-ebs", EBS_APP.0),
            &["User → EC2: CreateVolume", "EC2 → KMS: GenerateDataKeyWithoutPlaintext", "EC2 → EBS: StoreEncryptedDataKey"],
        ),
        step(
            "The ledger team creates its PostgreSQL database under the RDS key: RDS describes the key and creates a grant on LedgerApp's behalf, then, under that grant, gets a data key bound to aws:rds:db-id.",
            &format!("aws rds create-db-instance --profile {} --db-instance-identifier ledger-db --engine postgres --db-instance-class db.t3.micro --allocated-storage 20 --master-username ledger --master-user-password change-me-123 --storage-encrypted --kms-key-id alias/prod-finance-rds", RDS_APP.0),
            &["User → RDS: CreateDBInstance", "RDS → KMS: DescribeKey", "RDS → KMS: CreateGrant", "RDS → KMS: GenerateDataKeyWithoutPlaintext", "RDS → KMS: Decrypt"],
        ),
        Step {
            trail: KEY_ALIASES,
            ..step(
                "\"Use CloudTrail to log KMS API calls for audit.\" The three keys; the CloudTrail view below lists the records of each: who called (userIdentity), through which service (invokedBy), with which encryption context, and what was refused. One key per layer answers \"which team used which data\".",
                "aws kms list-aliases --query 'Aliases[?starts_with(AliasName, `alias/prod-finance`)].AliasName' --output text",
                &["User → KMS: ListAliases"],
            )
        },
    ]);
    Scenario {
        id: ID,
        title: "Compliance design: three keys, an administrator who cannot decrypt, app roles that cannot manage",
        category: CATEGORY,
        summary: "Seed 003's key strategy: customer managed keys for S3, EBS and RDS; SecurityAdmin manages them but is refused data keys and decryption; each team's role uses its key but is refused DisableKey and ScheduleKeyDeletion; CloudTrail, filtered by key, shows which team used which data.",
        steps,
    }
}
