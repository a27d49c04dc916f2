//! The RDS scenarios of seed 003: encrypting an existing database (snapshot → copy with
//! encryption → restore) and changing a database's key, each step with the calls it must make.

use crate::scenarios::{create_key, failing, step, Scenario, Step};

const DESCRIBE_KEY: &str = "RDS → KMS: DescribeKey";
const GRANT: &str = "RDS → KMS: CreateGrant";
const GDK: &str = "RDS → KMS: GenerateDataKeyWithoutPlaintext";
const DECRYPT: &str = "RDS → KMS: Decrypt";
const RETIRE: &str = "RDS → KMS: RetireGrant";
const LOAD: &str = "RDS → Host: LoadDataKey";

fn wait_db(id: &str) -> Step {
    step(
        "Wait until the instance is available (the waiter polls every 30 simulated seconds).",
        &format!("aws rds wait db-instance-available --db-instance-identifier {id}"),
        &["User → RDS: DescribeDBInstances"],
    )
}

fn wait_snap(id: &str) -> Step {
    step(
        "Wait until the snapshot is available.",
        &format!("aws rds wait db-snapshot-available --db-snapshot-identifier {id}"),
        &["User → RDS: DescribeDBSnapshots"],
    )
}

fn snapshot(instance: &str, id: &str, narration: &str) -> Step {
    step(
        narration,
        &format!("aws rds create-db-snapshot --db-instance-identifier {instance} --db-snapshot-identifier {id}"),
        &["User → RDS: CreateDBSnapshot", "RDS → EBS: SnapshotStorage"],
    )
}

/// Seed 003, "Cannot Encrypt In-Place": snapshot, copy with encryption, restore.
pub fn encrypt_existing_database() -> Scenario {
    Scenario {
        id: "rds-encrypt-existing-database",
        title: "Encrypt an existing RDS database: snapshot → copy → restore",
        category: "RDS",
        summary: "An unencrypted database cannot be encrypted in place. Snapshot it, copy the snapshot with a KMS key, restore a new encrypted instance from the copy.",
        steps: vec![
            step(
                "Create an unencrypted PostgreSQL instance, as many older databases are: no --storage-encrypted, so RDS makes no KMS call. Encryption is chosen only here: modify-db-instance has no option to turn it on later.",
                "aws rds create-db-instance --db-instance-identifier legacy-db --engine postgres --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password change-me-123",
                &["User → RDS: CreateDBInstance"],
            ),
            wait_db("legacy-db"),
            snapshot("legacy-db", "legacy-snap", "Snapshot the database: the snapshot is unencrypted, like its instance."),
            wait_snap("legacy-snap"),
            create_key("KEY", "prod-finance-rds", "", "Create the customer managed key the database will use."),
            step(
                "Copy the snapshot with --kms-key-id: \"If you specify this parameter when you copy an unencrypted snapshot, the copy is encrypted.\" RDS gets a grant and a data key bound to aws:rds:db-id and aws:ebs:id, encrypts the data, then retires the grant.",
                "aws rds copy-db-snapshot --source-db-snapshot-identifier legacy-snap --target-db-snapshot-identifier legacy-snap-encrypted --kms-key-id $KEY",
                &["User → RDS: CopyDBSnapshot", DESCRIBE_KEY, GRANT, GDK, DECRYPT, RETIRE],
            ),
            wait_snap("legacy-snap-encrypted"),
            step(
                "Restore a new instance from the encrypted copy: it uses the snapshot's key, with a new grant and a new data key; the plaintext data key stays on the database host.",
                "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier secure-db --db-snapshot-identifier legacy-snap-encrypted",
                &["User → RDS: RestoreDBInstanceFromDBSnapshot", DESCRIBE_KEY, GRANT, GDK, DECRYPT, DECRYPT, LOAD],
            ),
            step(
                "Wait for the new instance, then compare: it is encrypted under the customer managed key. Point the application at it and delete the old one.",
                "aws rds wait db-instance-available --db-instance-identifier secure-db",
                &["User → RDS: DescribeDBInstances"],
            ),
        ],
    }
}

/// Seed 003's second quiz: RDS cannot change its key in place; copy the snapshot under the new key.
pub fn change_database_key() -> Scenario {
    Scenario {
        id: "rds-change-database-key",
        title: "Change an RDS database's KMS key",
        category: "RDS",
        summary: "An encrypted instance starts under the AWS managed key aws/rds. To move it to a customer managed key, copy a snapshot with the new key and restore from the copy.",
        steps: vec![
            step(
                "Create an encrypted instance without --kms-key-id: RDS uses the AWS managed key alias/aws/rds, created on first use.",
                "aws rds create-db-instance --db-instance-identifier orders-db --engine mysql --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password change-me-123 --storage-encrypted",
                &["User → RDS: CreateDBInstance", DESCRIBE_KEY, GRANT, GDK, DECRYPT, LOAD],
            ),
            wait_db("orders-db"),
            snapshot("orders-db", "orders-snap", "Snapshot it: \"Backups and snapshots of an encrypted instance are encrypted with the same KMS key\"; no KMS call is needed."),
            wait_snap("orders-snap"),
            failing(
                "A snapshot under the AWS managed key cannot be shared with another account.",
                "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-snap --attribute-name restore --values-to-add 444455556666",
                &["User → RDS: ModifyDBSnapshotAttribute (failed: InvalidParameterValue)"],
                "InvalidParameterValue",
            ),
            create_key("NEW_KEY", "prod-orders-rds", "", "Create the customer managed key to move to."),
            step(
                "Copy the snapshot under the new key: RDS decrypts the source data key (aws/rds) and encrypts the data under a new data key (the new key).",
                "aws rds copy-db-snapshot --source-db-snapshot-identifier orders-snap --target-db-snapshot-identifier orders-snap-cmk --kms-key-id $NEW_KEY",
                &["User → RDS: CopyDBSnapshot", DESCRIBE_KEY, GRANT, GDK, DECRYPT, DECRYPT, RETIRE],
            ),
            wait_snap("orders-snap-cmk"),
            step(
                "Restore the new instance from the copy: it is encrypted under the customer managed key.",
                "aws rds restore-db-instance-from-db-snapshot --db-instance-identifier orders-db-cmk --db-snapshot-identifier orders-snap-cmk",
                &["User → RDS: RestoreDBInstanceFromDBSnapshot", GRANT, GDK, DECRYPT, LOAD],
            ),
            step(
                "The copy under the customer managed key can now be shared, once the key policy lets the other account use the key.",
                "aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-snap-cmk --attribute-name restore --values-to-add 444455556666",
                &["User → RDS: ModifyDBSnapshotAttribute"],
            ),
        ],
    }
}
