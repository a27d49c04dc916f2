//! Seed 003's comparison of how S3, EBS and RDS use AWS KMS, as one runnable table: each cell
//! states a claim and carries the console lines that demonstrate it from a fresh session, and
//! the calls (in order) that prove it in the diagram.
//!
//! It owns the table's text, each cell's lines and proof, and the check of a run against the
//! proof ([`verdict`]); the model decides what the lines do, and the app only draws the table
//! and runs a cell's lines through the session.

use crate::model::trace::Call;
use crate::scenarios::expect_in_order;
use crate::session::Session;

/// The columns, in order.
pub const SERVICES: [&str; 3] = ["S3 (SSE-KMS)", "EBS", "RDS"];

/// One runnable cell: a claim, the lines that show it, the calls that prove it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The claim, one or two sentences.
    pub claim: &'static str,
    /// Console lines, run in order from a fresh session.
    pub commands: Vec<String>,
    /// Calls the lines must make, in this order (others may come between), as
    /// `From → To: Operation` ([`Call::summary`]); the last one is selected as the proof.
    pub shows: &'static [&'static str],
}

/// One row: a question and its answer for each service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Stable id (`who-calls`), for tests and the page.
    pub id: &'static str,
    /// The question, as the row header.
    pub question: &'static str,
    /// The S3, EBS and RDS cells, in the order of [`SERVICES`].
    pub cells: [Cell; 3],
}

fn lines(parts: &[&[&str]]) -> Vec<String> {
    parts
        .iter()
        .flat_map(|p| p.iter().map(|l| l.to_string()))
        .collect()
}

const KEY: &[&str] =
    &["KEY=$(aws kms create-key --description 'compare' --query KeyMetadata.Arn --output text)"];
const NEW_KEY: &[&str] = &[
    "NEW=$(aws kms create-key --description 'the new key' --query KeyMetadata.Arn --output text)",
];
const BUCKET: &[&str] = &[
    "aws s3api create-bucket --bucket compare-demo",
    "play file put --name report.txt --text 'Q3 statement'",
];
const PUT_KMS: &str = "aws s3api put-object --bucket compare-demo --key report.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY";
const VOLUME: &[&str] = &[
    "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted --kms-key-id $KEY --query VolumeId --output text)",
    "aws ec2 wait volume-available --volume-ids $VOL",
];
const INSTANCE: &[&str] = &[
    "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
    "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)",
    "aws ec2 wait instance-running --instance-ids $INST",
];
const ATTACH: &str = "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf";
const DB: &str = "aws rds create-db-instance --db-instance-identifier compare-db --engine postgres --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password change-me-123 --storage-encrypted";
const DB_WAIT: &str = "aws rds wait db-instance-available --db-instance-identifier compare-db";

fn db_with_key() -> String {
    format!("{DB} --kms-key-id $KEY")
}

const S3_GDK: &str = "S3 → KMS: GenerateDataKey";
const EC2_GDK: &str = "EC2 → KMS: GenerateDataKeyWithoutPlaintext";
const RDS_GDK: &str = "RDS → KMS: GenerateDataKeyWithoutPlaintext";
const CREATE_DB: &str = "User → RDS: CreateDBInstance";

/// The table, rows in the chapter's order.
pub fn rows() -> Vec<Row> {
    let db = db_with_key();
    vec![
        Row {
            id: "who-calls",
            question: "Who calls KMS",
            cells: [
                Cell {
                    claim: "S3, for each object request, on the caller's behalf: the KMS record's userIdentity is the caller and invokedBy is s3.amazonaws.com.",
                    commands: lines(&[KEY, BUCKET, &[PUT_KMS]]),
                    shows: &["User → S3: PutObject", S3_GDK],
                },
                Cell {
                    claim: "EC2, on the caller's behalf: a data key when the volume is created; at attach a grant for the host and a Decrypt, so the host keeps using the key without the caller.",
                    commands: lines(&[KEY, INSTANCE, VOLUME, &[ATTACH]]),
                    shows: &["User → EC2: CreateVolume", EC2_GDK, "User → EC2: AttachVolume", "EC2 → KMS: CreateGrant", "EC2 → KMS: Decrypt"],
                },
                Cell {
                    claim: "RDS: DescribeKey and CreateGrant on the caller's behalf; then RDS works under that grant as its own service principal (data key, Decrypt).",
                    commands: lines(&[KEY, &[db.as_str()]]),
                    shows: &[CREATE_DB, "RDS → KMS: DescribeKey", "RDS → KMS: CreateGrant", RDS_GDK, "RDS → KMS: Decrypt"],
                },
            ],
        },
        Row {
            id: "how-often",
            question: "How often",
            cells: [
                Cell {
                    claim: "Every object: a GenerateDataKey per PUT (and a Decrypt per GET). With an S3 Bucket Key one bucket-level key serves many objects: five PUTs make three GenerateDataKey calls here.",
                    commands: lines(&[KEY, BUCKET, &[
                        "aws s3api put-object --bucket compare-demo --key a.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY",
                        "aws s3api put-object --bucket compare-demo --key b.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY",
                        "aws s3api put-object --bucket compare-demo --key c.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY --bucket-key-enabled",
                        "aws s3api put-object --bucket compare-demo --key d.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY --bucket-key-enabled",
                        "aws s3api put-object --bucket compare-demo --key e.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY --bucket-key-enabled",
                        "aws s3api get-object --bucket compare-demo --key a.txt a-copy.txt",
                    ]]),
                    shows: &[S3_GDK, S3_GDK, S3_GDK, "User → S3: PutObject", "User → S3: PutObject", "User → S3: GetObject", "S3 → KMS: Decrypt"],
                },
                Cell {
                    claim: "When a volume is created and when it is attached; reads and writes never call KMS: the host encrypts with the data key it holds.",
                    commands: lines(&[KEY, INSTANCE, VOLUME, &[
                        ATTACH,
                        "play write --instance-id $INST --device /dev/sdf --text 'analytics 2026'",
                        "play read --instance-id $INST --device /dev/sdf",
                    ]]),
                    shows: &[EC2_GDK, "EC2 → KMS: Decrypt", "User → Host: WriteData", "User → Host: ReadData"],
                },
                Cell {
                    claim: "When the instance is created, and again each time it starts: stopping drops the data key from the host, starting asks KMS to decrypt it again.",
                    commands: lines(&[KEY, &[
                        db.as_str(),
                        DB_WAIT,
                        "aws rds stop-db-instance --db-instance-identifier compare-db",
                        "play advance --minutes 10",
                        "aws rds start-db-instance --db-instance-identifier compare-db",
                        DB_WAIT,
                    ]]),
                    shows: &[RDS_GDK, "RDS → Host: DiscardDataKey", "User → RDS: StartDBInstance", "RDS → KMS: Decrypt", "RDS → Host: LoadDataKey"],
                },
            ],
        },
        Row {
            id: "context",
            question: "Encryption context",
            cells: [
                Cell {
                    claim: "aws:s3:arn = the object's ARN (the bucket's ARN for a Bucket Key).",
                    commands: lines(&[KEY, BUCKET, &[
                        PUT_KMS,
                        "aws s3api put-object --bucket compare-demo --key bucket-key.txt --body report.txt --server-side-encryption aws:kms --ssekms-key-id $KEY --bucket-key-enabled",
                    ]]),
                    shows: &[S3_GDK, S3_GDK],
                },
                Cell {
                    claim: "aws:ebs:id = the volume's id.",
                    commands: lines(&[KEY, VOLUME]),
                    shows: &[EC2_GDK],
                },
                Cell {
                    claim: "aws:rds:db-id = the instance's resource id (with aws:ebs:id of its storage volume).",
                    commands: lines(&[KEY, &[db.as_str()]]),
                    shows: &[RDS_GDK],
                },
            ],
        },
        Row {
            id: "default-key",
            question: "Default (AWS managed) key",
            cells: [
                Cell {
                    claim: "aws/s3, which S3 creates on first use when SSE-KMS is asked for without a key id.",
                    commands: lines(&[BUCKET, &["aws s3api put-object --bucket compare-demo --key report.txt --body report.txt --server-side-encryption aws:kms"]]),
                    shows: &["S3 → KMS: CreateKey", S3_GDK],
                },
                Cell {
                    claim: "aws/ebs, which EBS creates on first use when --encrypted is given without a key id.",
                    commands: lines(&[&["aws ec2 create-volume --availability-zone us-east-1a --size 1 --encrypted"]]),
                    shows: &["EBS → KMS: CreateKey", EC2_GDK],
                },
                Cell {
                    claim: "aws/rds, which RDS creates on first use when --storage-encrypted is given without a key id.",
                    commands: vec![DB.to_string()],
                    shows: &["RDS → KMS: CreateKey", RDS_GDK],
                },
            ],
        },
        Row {
            id: "plaintext-key",
            question: "Where the plaintext data key lives",
            cells: [
                Cell {
                    claim: "In S3, for that one request, then discarded; only the encrypted data key is stored with the object.",
                    commands: lines(&[KEY, BUCKET, &[PUT_KMS]]),
                    shows: &[S3_GDK],
                },
                Cell {
                    claim: "In the EC2 host's memory while the volume is attached; detaching discards it.",
                    commands: lines(&[KEY, INSTANCE, VOLUME, &[ATTACH, "aws ec2 detach-volume --volume-id $VOL"]]),
                    shows: &["EC2 → Host: LoadDataKey", "EC2 → Host: DiscardDataKey"],
                },
                Cell {
                    claim: "On the database host while the instance runs.",
                    commands: lines(&[KEY, &[db.as_str()]]),
                    shows: &["RDS → KMS: Decrypt", "RDS → Host: LoadDataKey"],
                },
            ],
        },
        Row {
            id: "change-key",
            question: "How to change the key",
            cells: [
                Cell {
                    claim: "In place: copy the object onto itself with the new key (copy-object): a Decrypt under the old key, a GenerateDataKey under the new.",
                    commands: lines(&[KEY, NEW_KEY, BUCKET, &[
                        PUT_KMS,
                        "aws s3api copy-object --bucket compare-demo --key report.txt --copy-source compare-demo/report.txt --server-side-encryption aws:kms --ssekms-key-id $NEW",
                    ]]),
                    shows: &["User → S3: CopyObject", "S3 → KMS: Decrypt", S3_GDK],
                },
                Cell {
                    claim: "Not in place: snapshot the volume, copy the snapshot with the new key (copy-snapshot), create a new volume from the copy.",
                    commands: lines(&[KEY, NEW_KEY, VOLUME, &[
                        "SNAP=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)",
                        "aws ec2 wait snapshot-completed --snapshot-ids $SNAP",
                        "COPY=$(aws ec2 copy-snapshot --source-region us-east-1 --source-snapshot-id $SNAP --encrypted --kms-key-id $NEW --query SnapshotId --output text)",
                        "aws ec2 wait snapshot-completed --snapshot-ids $COPY",
                        "NEWVOL=$(aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $COPY --query VolumeId --output text)",
                    ]]),
                    shows: &["User → EC2: CopySnapshot", EC2_GDK, "User → EC2: CreateVolume", EC2_GDK],
                },
                Cell {
                    claim: "Not in place: snapshot, copy-db-snapshot with the new key, restore a new instance from the copy.",
                    commands: lines(&[KEY, NEW_KEY, &[
                        db.as_str(),
                        DB_WAIT,
                        "aws rds create-db-snapshot --db-instance-identifier compare-db --db-snapshot-identifier compare-snap",
                        "aws rds wait db-snapshot-available --db-snapshot-identifier compare-snap",
                        "aws rds copy-db-snapshot --source-db-snapshot-identifier compare-snap --target-db-snapshot-identifier compare-snap-new --kms-key-id $NEW",
                        "aws rds wait db-snapshot-available --db-snapshot-identifier compare-snap-new",
                        "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier compare-db-new --db-snapshot-identifier compare-snap-new",
                    ]]),
                    shows: &["User → RDS: CopyDBSnapshot", RDS_GDK, "User → RDS: RestoreDBInstanceFromDBSnapshot", RDS_GDK],
                },
            ],
        },
    ]
}

/// The cell of row `row_id` in column `col` (0 to 2).
pub fn cell(row_id: &str, col: usize) -> Option<Cell> {
    rows()
        .into_iter()
        .find(|r| r.id == row_id)
        .and_then(|r| r.cells.into_iter().nth(col))
}

/// What running a cell did: whether every line succeeded and the proof calls came in order,
/// and the call to select (the last of [`Cell::shows`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// `None` when the claim was shown; else what differs.
    pub problem: Option<String>,
    /// The `seq` of the call matching the last of [`Cell::shows`].
    pub proof: Option<usize>,
}

/// Checks what the session did since entry `from` (the first entry the cell's lines made)
/// against the cell: every line succeeded and [`Cell::shows`] came in order.
pub fn verdict(session: &Session, from: usize, cell: &Cell) -> Verdict {
    let entries = session.entries().get(from..).unwrap_or(&[]);
    if let Some(e) = entries.iter().find(|e| e.result.error.is_some()) {
        let code = e
            .result
            .error
            .as_ref()
            .map(|e| e.code.as_str())
            .unwrap_or("");
        return Verdict {
            problem: Some(format!("{} failed with {code}", e.result.line)),
            proof: None,
        };
    }
    let start = entries.first().map(|e| e.calls.start).unwrap_or(0);
    let calls: &[Call] = session.calls().get(start..).unwrap_or(&[]);
    let made: Vec<String> = calls.iter().map(Call::summary).collect();
    let expect: Vec<String> = cell.shows.iter().map(|s| s.to_string()).collect();
    if let Err(e) = expect_in_order(&expect, &made) {
        return Verdict {
            problem: Some(e),
            proof: None,
        };
    }
    // The last expected call: walk the same subsequence and keep where it ends.
    let mut at = 0;
    let mut proof = None;
    for want in &expect {
        while let Some(m) = made.get(at) {
            at += 1;
            if m.split(" (failed: ").next() == Some(want.as_str()) || m == want {
                proof = calls.get(at - 1).map(|c| c.seq);
                break;
            }
        }
    }
    Verdict {
        problem: None,
        proof,
    }
}
