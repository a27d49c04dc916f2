//! The S3 scenarios of seed 003 ("Data Protection at Rest"): SSE-S3 against SSE-KMS, S3 Bucket
//! Keys cutting the KMS calls, enforcing SSE-KMS with a bucket policy, and a disabled key
//! breaking reads. Each is a list of console lines with the calls they must produce.

use crate::scenarios::{failing, step, Scenario, Step};

/// The category of these scenarios in the app's list.
pub const CATEGORY: &str = "S3";

const PUT: &str = "User → S3: PutObject";
const GET: &str = "User → S3: GetObject";
const GDK: &str = "S3 → KMS: GenerateDataKey";
const DECRYPT: &str = "S3 → KMS: Decrypt";

fn bucket(name: &str) -> Step {
    step(
        "Create a bucket. Since January 2023 every bucket encrypts new objects with SSE-S3 unless told otherwise.",
        &format!("aws s3api create-bucket --bucket {name}"),
        &["User → S3: CreateBucket"],
    )
}

fn file() -> Step {
    step(
        "The page has no file system: put a playground file to upload.",
        "play file put --name scan.txt --text 'patient 0042: MRI, left knee'",
        &["User → Host: PutFile"],
    )
}

fn key(var: &str, alias: &str) -> Vec<Step> {
    vec![
        step(
            "Create a customer managed key for the S3 data.",
            &format!("{var}=$(aws kms create-key --description 'S3 data' --query KeyMetadata.Arn --output text)"),
            &["User → KMS: CreateKey"],
        ),
        step(
            "Give it an alias.",
            &format!("aws kms create-alias --alias-name {alias} --target-key-id ${var}"),
            &["User → KMS: CreateAlias"],
        ),
    ]
}

/// SSE-S3 against SSE-KMS: no KMS call against one per PUT and one per GET.
pub fn sse_s3_vs_sse_kms() -> Scenario {
    let mut steps = vec![bucket("images-demo"), file()];
    steps.extend(key("KEY", "alias/prod-finance-s3"));
    steps.extend([
        step(
            "Upload with the default, SSE-S3: S3 encrypts the object under a key it owns and makes no KMS call (the diagram shows only the request to S3).",
            "aws s3api put-object --bucket images-demo --key sse-s3.txt --body scan.txt",
            &[PUT],
        ),
        step(
            "Upload with SSE-KMS: S3 asks KMS for a data key (GenerateDataKey, encryption context aws:s3:arn = the object's ARN), encrypts the object and discards the plaintext key.",
            "aws s3api put-object --bucket images-demo --key sse-kms.txt --body scan.txt --server-side-encryption aws:kms --ssekms-key-id alias/prod-finance-s3",
            &[PUT, GDK],
        ),
        step(
            "Read the SSE-S3 object: still no KMS call.",
            "aws s3api get-object --bucket images-demo --key sse-s3.txt out-s3.txt",
            &[GET],
        ),
        step(
            "Read the SSE-KMS object: S3 sends the encrypted data key to KMS (Decrypt) with the same context. Two KMS calls per object against none, and two CloudTrail events.",
            "aws s3api get-object --bucket images-demo --key sse-kms.txt out-kms.txt",
            &[GET, DECRYPT],
        ),
        step(
            "The outfile holds the decrypted text.",
            "play file show --name out-kms.txt",
            &["User → Host: ShowFile"],
        ),
    ]);
    Scenario {
        id: "s3-sse-s3-vs-sse-kms",
        title: "SSE-S3 against SSE-KMS: no KMS call against two per object",
        category: CATEGORY,
        summary: "The same file uploaded and read back with SSE-S3 and with SSE-KMS: SSE-S3 never calls KMS, SSE-KMS makes a GenerateDataKey per PUT and a Decrypt per GET, each bound to the object's ARN.",
        steps,
    }
}

/// Changing the key of existing S3 data: copy the object onto itself under the new key (seed 003's
/// quiz answer B; aws-behaviour.md §12). S3 decrypts under the old key and asks KMS for a data
/// key under the new one; the object keeps its name.
pub fn copy_object_new_key() -> Scenario {
    let mut steps = vec![bucket("records-demo"), file()];
    steps.extend(key("OLD", "alias/records-2025"));
    steps.extend(key("NEW", "alias/records-2026"));
    steps.extend([
        step(
            "Upload under the old key: S3 asks KMS for a data key under alias/records-2025.",
            "aws s3api put-object --bucket records-demo --key scan.txt --body scan.txt --server-side-encryption aws:kms --ssekms-key-id alias/records-2025",
            &[PUT, GDK],
        ),
        step(
            "Copy the object onto itself with the new key: S3 decrypts the old data key (Decrypt under alias/records-2025) and encrypts the object under a new data key from alias/records-2026. No data moves out of S3, and the object keeps its name.",
            "aws s3api copy-object --bucket records-demo --key scan.txt --copy-source records-demo/scan.txt --server-side-encryption aws:kms --ssekms-key-id alias/records-2026",
            &["User → S3: CopyObject", DECRYPT, GDK],
        ),
        step(
            "HeadObject shows the new key. (EBS and RDS cannot do this in place: they need a snapshot copied under the new key, then a new volume or instance from it.)",
            "aws s3api head-object --bucket records-demo --key scan.txt --query SSEKMSKeyId --output text",
            &["User → S3: HeadObject"],
        ),
        step(
            "Reading it now asks KMS to decrypt under the new key.",
            "aws s3api get-object --bucket records-demo --key scan.txt read.txt",
            &[GET, DECRYPT],
        ),
    ]);
    Scenario {
        id: "s3-copy-object-new-key",
        title: "Change the KMS key of existing S3 objects: copy them onto themselves",
        category: CATEGORY,
        summary: "An object encrypted under one customer managed key is copied onto itself under another: one Decrypt under the old key, one GenerateDataKey under the new; S3 is the one service of the three that re-encrypts in place.",
        steps,
    }
}

/// Bucket Keys: one GenerateDataKey for the bucket instead of one per object.
pub fn bucket_keys() -> Scenario {
    let steps = vec![
        bucket("ledger-demo"),
        file(),
        step(
            "Default encryption: SSE-KMS under the AWS managed key aws/s3, with an S3 Bucket Key.",
            "aws s3api put-bucket-encryption --bucket ledger-demo --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"},\"BucketKeyEnabled\":true}]}'",
            &["User → S3: PutBucketEncryption"],
        ),
        step(
            "An object written without the Bucket Key (--no-bucket-key-enabled): S3 creates aws/s3 on first use, then asks KMS for a data key bound to the object's ARN.",
            "aws s3api put-object --bucket ledger-demo --key per-object-1.txt --body scan.txt --no-bucket-key-enabled",
            &[PUT, "S3 → KMS: CreateKey", GDK],
        ),
        step("A second one: another GenerateDataKey, another CloudTrail event.", "aws s3api put-object --bucket ledger-demo --key per-object-2.txt --body scan.txt --no-bucket-key-enabled", &[PUT, GDK]),
        step(
            "With the bucket's Bucket Key: KMS generates one bucket-level key (encryption context: the bucket's ARN) that S3 keeps for a while (the reuse time is not published: see the note on the call).",
            "aws s3api put-object --bucket ledger-demo --key bucket-key-1.txt --body scan.txt",
            &[PUT, GDK],
        ),
        step("The next object's data key comes from the bucket key: no KMS call.", "aws s3api put-object --bucket ledger-demo --key bucket-key-2.txt --body scan.txt", &[PUT]),
        step("Again no KMS call: two requests to KMS for two objects against one for two.", "aws s3api put-object --bucket ledger-demo --key bucket-key-3.txt --body scan.txt", &[PUT]),
        step("Reading a per-object object: a Decrypt per GET.", "aws s3api get-object --bucket ledger-demo --key per-object-1.txt out.txt", &[GET, DECRYPT]),
        step("Reading a Bucket Key object while S3 holds the bucket key: no KMS call.", "aws s3api get-object --bucket ledger-demo --key bucket-key-1.txt out.txt", &[GET]),
    ];
    Scenario {
        id: "s3-bucket-keys",
        title: "S3 Bucket Keys cut the KMS calls",
        category: CATEGORY,
        summary: "Objects of one bucket side by side, with and without an S3 Bucket Key: without it every PUT and GET calls KMS; with it a single GenerateDataKey serves every object (up to 99% fewer KMS requests, AWS says).",
        steps,
    }
}

/// Seed 003's "Enforcing SSE-KMS": a bucket policy on s3:x-amz-server-side-encryption.
pub fn enforce_sse_kms() -> Scenario {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyUnlessSseKms","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::finance-statements/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}"#;
    let steps = vec![
        bucket("finance-statements"),
        file(),
        step(
            "Attach a bucket policy that denies s3:PutObject unless the request asks for aws:kms (seed 003, \"Enforcing SSE-KMS\").",
            &format!("aws s3api put-bucket-policy --bucket finance-statements --policy '{policy}'"),
            &["User → S3: PutBucketPolicy"],
        ),
        failing(
            "An upload without the header is denied by the policy's explicit Deny, before S3 touches KMS (\"Why was this denied?\" shows the condition).",
            "aws s3api put-object --bucket finance-statements --key q1.txt --body scan.txt",
            &["User → S3: PutObject (failed: AccessDenied)"],
            "AccessDenied",
        ),
        failing(
            "SSE-S3 is denied too: the condition wants aws:kms.",
            "aws s3api put-object --bucket finance-statements --key q1.txt --body scan.txt --server-side-encryption AES256",
            &["User → S3: PutObject (failed: AccessDenied)"],
            "AccessDenied",
        ),
        step(
            "With aws:kms the upload passes; without a key id S3 uses the AWS managed key alias/aws/s3, created on first use.",
            "aws s3api put-object --bucket finance-statements --key q1.txt --body scan.txt --server-side-encryption aws:kms",
            &[PUT, "S3 → KMS: CreateKey", GDK],
        ),
        step(
            "The object's metadata names the key.",
            "aws s3api head-object --bucket finance-statements --key q1.txt",
            &["User → S3: HeadObject"],
        ),
    ];
    Scenario {
        id: "s3-enforce-sse-kms",
        title: "Enforce SSE-KMS with a bucket policy",
        category: CATEGORY,
        summary: "A bucket policy denies s3:PutObject unless s3:x-amz-server-side-encryption is aws:kms: uploads without it, or with SSE-S3, are refused; SSE-KMS uploads pass.",
        steps,
    }
}

/// A disabled key breaks reads of SSE-KMS objects (and new writes); SSE-S3 objects are unaffected.
pub fn disabled_key_breaks_reads() -> Scenario {
    let mut steps = vec![bucket("records-demo"), file()];
    steps.extend(key("KEY", "alias/records").into_iter().take(1));
    steps.extend([
        step("Upload an SSE-KMS object.", "aws s3api put-object --bucket records-demo --key kms.txt --body scan.txt --server-side-encryption aws:kms --ssekms-key-id $KEY", &[PUT, GDK]),
        step("And an SSE-S3 one.", "aws s3api put-object --bucket records-demo --key s3.txt --body scan.txt", &[PUT]),
        step("Disable the key.", "aws kms disable-key --key-id $KEY", &["User → KMS: DisableKey"]),
        failing(
            "Reading the SSE-KMS object needs KMS to decrypt its data key, and KMS refuses a disabled key: S3 passes the error on as KMS.DisabledException.",
            "aws s3api get-object --bucket records-demo --key kms.txt out.txt",
            &["User → S3: GetObject (failed: KMS.DisabledException)", "S3 → KMS: Decrypt (failed: DisabledException)"],
            "KMS.DisabledException",
        ),
        step("The SSE-S3 object does not depend on KMS and still reads.", "aws s3api get-object --bucket records-demo --key s3.txt out.txt", &[GET]),
        step("Enable the key again.", "aws kms enable-key --key-id $KEY", &["User → KMS: EnableKey"]),
        step("The SSE-KMS object reads again.", "aws s3api get-object --bucket records-demo --key kms.txt out.txt", &[GET, DECRYPT]),
    ]);
    Scenario {
        id: "s3-disabled-key-breaks-reads",
        title: "A disabled key breaks reads of SSE-KMS objects",
        category: CATEGORY,
        summary: "Every GET of an SSE-KMS object asks KMS to decrypt the data key, so disabling the key makes reads fail with KMS.DisabledException at once; SSE-S3 objects are unaffected.",
        steps,
    }
}
