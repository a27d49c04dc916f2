//! Seed 000's "Encryption outcomes" table as interactive data: the 20 rows in the seed's
//! wording, the console lines that set up and run any row, and the row the last CreateVolume
//! of a session matched (read back from the trace and the state).
//!
//! It owns the table and the mapping from a CreateVolume to a row; it does not decide any
//! encryption itself (the model does, in `Sim::decide_encryption`) and draws nothing.
//!
//! Rows are numbered 1 to 20 in the seed's order. The seed's text shows a "Custom" cell only
//! on the first row of each group of five because the cell spans the group; [`rows`] repeats
//! it on every row of the group.

use crate::model::trace::{Call, Participant};
use crate::session::Session;
use serde_json::Value;

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeRow {
    /// Row number, 1 to 20, in the seed's order.
    pub index: usize,
    /// "Is encryption enabled?": the request sets `Encrypted`.
    pub encrypted_param: bool,
    /// "Is encryption by default enabled?"
    pub by_default: bool,
    /// "Source of volume", as the seed words it.
    pub source: &'static str,
    /// "Default (no customer managed key specified)", as the seed words it.
    pub default_result: &'static str,
    /// "Custom (customer managed key specified)", as the seed words it.
    pub custom_result: &'static str,
}

/// Where a new volume's data comes from: the five sources of each group of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A new, empty volume.
    New,
    /// An unencrypted snapshot that you own.
    UnencryptedOwned,
    /// An encrypted snapshot that you own.
    EncryptedOwned,
    /// An unencrypted snapshot that is shared with you.
    UnencryptedShared,
    /// An encrypted snapshot that is shared with you.
    EncryptedShared,
}

impl SourceKind {
    /// The five sources in the order of each group of rows.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::New,
        SourceKind::UnencryptedOwned,
        SourceKind::EncryptedOwned,
        SourceKind::UnencryptedShared,
        SourceKind::EncryptedShared,
    ];

    fn position(self) -> usize {
        match self {
            SourceKind::New => 0,
            SourceKind::UnencryptedOwned => 1,
            SourceKind::EncryptedOwned => 2,
            SourceKind::UnencryptedShared => 3,
            SourceKind::EncryptedShared => 4,
        }
    }

    fn is_snapshot(self) -> bool {
        self != SourceKind::New
    }

    fn is_encrypted(self) -> bool {
        matches!(
            self,
            SourceKind::EncryptedOwned | SourceKind::EncryptedShared
        )
    }

    fn is_shared(self) -> bool {
        matches!(
            self,
            SourceKind::UnencryptedShared | SourceKind::EncryptedShared
        )
    }
}

/// The row number (1 to 20) of a combination.
pub fn row_index(encrypted_param: bool, by_default: bool, source: SourceKind) -> usize {
    let group = match (encrypted_param, by_default) {
        (false, false) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (true, true) => 3,
    };
    group * 5 + source.position() + 1
}

/// The combination of a row number (1 to 20).
pub fn row_key(index: usize) -> Option<(bool, bool, SourceKind)> {
    let i = index.checked_sub(1).filter(|i| *i < 20)?;
    let (encrypted, by_default) = match i / 5 {
        0 => (false, false),
        1 => (true, false),
        2 => (false, true),
        _ => (true, true),
    };
    let source = *SourceKind::ALL.get(i % 5)?;
    Some((encrypted, by_default, source))
}

const UNENCRYPTED: &str = "Unencrypted";
const SAME_KEY: &str = "Encrypted by same key";
const DEFAULT_KEY: &str = "Encrypted by default customer managed key";
const NOT_APPLICABLE: &str = "N/A";

/// The 20 rows, in the seed's wording.
pub fn rows() -> Vec<OutcomeRow> {
    // (source wording, default result) for each row, in order.
    const CELLS: [(&str, &str); 20] = [
        ("New (empty) volume", UNENCRYPTED),
        ("Unencrypted snapshot that you own", UNENCRYPTED),
        ("Encrypted snapshot that you own", SAME_KEY),
        ("Unencrypted snapshot that is shared with you", UNENCRYPTED),
        (
            "Encrypted snapshot that is shared with you",
            "Encrypted by default customer managed key*",
        ),
        ("New volume", DEFAULT_KEY),
        ("Unencrypted snapshot that you own", DEFAULT_KEY),
        ("Encrypted snapshot that you own", SAME_KEY),
        ("Unencrypted snapshot that is shared with you", DEFAULT_KEY),
        ("Encrypted snapshot that is shared with you", DEFAULT_KEY),
        ("New (empty) volume", DEFAULT_KEY),
        ("Unencrypted snapshot that you own", DEFAULT_KEY),
        ("Encrypted snapshot that you own", SAME_KEY),
        ("Unencrypted snapshot that is shared with you", DEFAULT_KEY),
        ("Encrypted snapshot that is shared with you", DEFAULT_KEY),
        ("New volume", DEFAULT_KEY),
        ("Unencrypted snapshot that you own", DEFAULT_KEY),
        ("Encrypted snapshot that you own", SAME_KEY),
        ("Unencrypted snapshot that is shared with you", DEFAULT_KEY),
        ("Encrypted snapshot that is shared with you", DEFAULT_KEY),
    ];
    // The Custom column: one cell spanning each group of five rows.
    const CUSTOM: [&str; 4] = [
        NOT_APPLICABLE,
        "Encrypted by a specified customer managed key**",
        NOT_APPLICABLE,
        "Encrypted by a specified customer managed key",
    ];
    CELLS
        .iter()
        .enumerate()
        .map(|(i, (source, default_result))| {
            let (encrypted_param, by_default, _) =
                row_key(i + 1).unwrap_or((false, false, SourceKind::New));
            OutcomeRow {
                index: i + 1,
                encrypted_param,
                by_default,
                source,
                default_result,
                custom_result: CUSTOM.get(i / 5).copied().unwrap_or(NOT_APPLICABLE),
            }
        })
        .collect()
}

/// The default account (the console's `default` profile), which creates the volume.
const ACCOUNT: &str = "111122223333";
/// The account that shares snapshots (the console's `partner` profile).
const PARTNER: &str = "444455556666";

/// Console lines that set up and run row `index` (1 to 20), in the Default column
/// (`custom == false`: no KmsKeyId) or the Custom column (`custom == true`: a new customer
/// managed key as KmsKeyId). Empty for an index outside 1 to 20.
///
/// The lines work in a fresh session and in the middle of one: every variable is prefixed
/// with the row and column (`R07C_SNAP`), keys are referred to by ARN (no alias to collide
/// with), and encryption by default is set explicitly, for the partner account too when it
/// makes an unencrypted snapshot. In the Custom column of a row whose "Is encryption enabled?"
/// is No (an "N/A" cell), the last line names a key without `--encrypted`, which EC2 refuses.
pub fn row_commands(index: usize, custom: bool) -> Vec<String> {
    let Some((encrypted, by_default, source)) = row_key(index) else {
        return Vec::new();
    };
    let v = format!("R{index:02}{}", if custom { 'C' } else { 'D' });
    let mut lines = vec![format!(
        "# Encryption outcomes, row {index} ({} column)",
        if custom { "Custom" } else { "Default" }
    )];
    if source.is_snapshot() {
        let partner = if source.is_shared() {
            " --profile partner"
        } else {
            ""
        };
        let mut volume = format!(
            "{v}_SRC=$(aws ec2 create-volume{partner} --availability-zone us-east-1a --size 1"
        );
        if source.is_encrypted() {
            let policy = if source.is_shared() {
                format!(" --policy '{}'", shared_key_policy())
            } else {
                String::new()
            };
            lines.push(format!(
                "{v}_SNAPKEY=$(aws kms create-key{partner} --description 'row {index} source key'{policy} --query KeyMetadata.Arn --output text)"
            ));
            volume.push_str(&format!(" --encrypted --kms-key-id ${v}_SNAPKEY"));
        } else {
            // An unencrypted source needs its owner's encryption by default off.
            lines.push(format!(
                "aws ec2 disable-ebs-encryption-by-default{partner}"
            ));
        }
        volume.push_str(" --query VolumeId --output text)");
        lines.push(volume);
        lines.push(format!(
            "aws ec2 wait volume-available{partner} --volume-ids ${v}_SRC"
        ));
        lines.push(format!("{v}_SNAP=$(aws ec2 create-snapshot{partner} --volume-id ${v}_SRC --query SnapshotId --output text)"));
        lines.push(format!(
            "aws ec2 wait snapshot-completed{partner} --snapshot-ids ${v}_SNAP"
        ));
        if source.is_shared() {
            lines.push(format!("aws ec2 modify-snapshot-attribute{partner} --snapshot-id ${v}_SNAP --attribute createVolumePermission --operation-type add --user-ids {ACCOUNT}"));
        }
    }
    lines.push(format!(
        "aws ec2 {}-ebs-encryption-by-default",
        if by_default { "enable" } else { "disable" }
    ));
    if custom {
        lines.push(format!("{v}_KEY=$(aws kms create-key --description 'row {index} specified key' --query KeyMetadata.Arn --output text)"));
    }
    let mut create = String::from("aws ec2 create-volume --availability-zone us-east-1a");
    if source.is_snapshot() {
        create.push_str(&format!(" --snapshot-id ${v}_SNAP"));
    } else {
        create.push_str(" --size 1");
    }
    if encrypted {
        create.push_str(" --encrypted");
    }
    if custom {
        create.push_str(&format!(" --kms-key-id ${v}_KEY"));
    }
    if custom && !encrypted {
        create.push_str(" # expect-error InvalidParameterDependency");
    }
    lines.push(create);
    lines
}

/// The partner's key policy for an encrypted shared snapshot: the partner's own root, plus
/// use of the key and grants for AWS resources by the default account.
fn shared_key_policy() -> String {
    crate::views::templates::cross_account_key_policy(PARTNER, ACCOUNT, true).to_string()
}

/// The row (1 to 20) and column (`true` for Custom) that the last CreateVolume request of the
/// session matched, whether it succeeded or not. `None` when the session made no CreateVolume
/// request, or when its source snapshot is unknown (never seen in the state or the trace).
///
/// The Encrypted and KmsKeyId parameters come from the request; encryption by default is
/// replayed from the successful Enable/DisableEbsEncryptionByDefault requests of the same
/// account and region made before it; the source snapshot's owner and encryption come from
/// the state, or from the trace when the snapshot has since been deleted.
pub fn matched_row(session: &Session) -> Option<(usize, bool)> {
    let calls = session.calls();
    let cv = calls
        .iter()
        .rev()
        .find(|c| is_user_request(c, "CreateVolume"))?;
    let req = &cv.request;
    let encrypted = req.get("Encrypted").and_then(Value::as_bool) == Some(true);
    let custom = req
        .get("KmsKeyId")
        .and_then(Value::as_str)
        .is_some_and(|k| !k.trim().is_empty());
    let by_default = by_default_before(calls, cv);
    let source = match req.get("SnapshotId").and_then(Value::as_str) {
        None => SourceKind::New,
        Some(id) => {
            let (owner, snapshot_encrypted) = snapshot_facts(session, id, cv.seq)?;
            match (owner == cv.account, snapshot_encrypted) {
                (true, false) => SourceKind::UnencryptedOwned,
                (true, true) => SourceKind::EncryptedOwned,
                (false, false) => SourceKind::UnencryptedShared,
                (false, true) => SourceKind::EncryptedShared,
            }
        }
    };
    Some((row_index(encrypted, by_default, source), custom))
}

/// A request the user made to EC2 (not a nested call or an event).
fn is_user_request(c: &Call, operation: &str) -> bool {
    c.from == Participant::User
        && c.to == Participant::Ec2
        && !c.is_event
        && c.operation == operation
}

/// Encryption by default for the account and region of `at`, just before it.
fn by_default_before(calls: &[Call], at: &Call) -> bool {
    calls
        .iter()
        .take(at.seq)
        .filter(|c| c.error.is_none() && c.account == at.account && c.region == at.region)
        .filter_map(|c| {
            if is_user_request(c, "EnableEbsEncryptionByDefault") {
                Some(true)
            } else if is_user_request(c, "DisableEbsEncryptionByDefault") {
                Some(false)
            } else {
                None
            }
        })
        .next_back()
        .unwrap_or(false)
}

/// (owner account, encrypted) of a snapshot: from the state, else from the last successful
/// response before call `before` that described it (CreateSnapshot, DescribeSnapshots).
fn snapshot_facts(session: &Session, id: &str, before: usize) -> Option<(String, bool)> {
    if let Some(s) = session.sim().snapshots().find(|s| s.id == id) {
        return Some((s.account.clone(), s.encryption.is_some()));
    }
    let describes = |v: &Value| -> Option<(String, bool)> {
        (v.get("SnapshotId").and_then(Value::as_str) == Some(id)).then_some(())?;
        let owner = v.get("OwnerId").and_then(Value::as_str)?.to_string();
        let encrypted = v.get("Encrypted").and_then(Value::as_bool)?;
        Some((owner, encrypted))
    };
    session
        .calls()
        .iter()
        .take(before)
        .rev()
        .filter(|c| c.error.is_none())
        .find_map(|c| {
            describes(&c.response).or_else(|| {
                c.response
                    .get("Snapshots")
                    .and_then(Value::as_array)
                    .and_then(|list| list.iter().find_map(describes))
            })
        })
}
