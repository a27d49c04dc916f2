//! The operations of Amazon RDS the playground answers: DB instances and DB snapshots with
//! storage encryption (members and names as botocore's `rds` model spells them).

use super::shapes::*;
use super::Ty::*;
use super::{Op, Param};

const ENGINES: &[&str] = &["postgres", "mysql", "mariadb"];
const CLASSES: &[&str] = &["db.t3.micro", "db.t3.small", "db.m5.large"];
const SNAPSHOT_TYPES: &[&str] = &["manual", "automated", "shared", "public"];
const DB_INSTANCE_ID: Param = r(
    "DBInstanceIdentifier",
    Str,
    "Name of the DB instance (a letter first; letters, digits and single hyphens).",
);

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd("rds", "create-db-instance", "CreateDBInstance", "Creates a DB instance; encryption is chosen here and only here (--storage-encrypted, --kms-key-id).", &[
        DB_INSTANCE_ID,
        r("DBInstanceClass", Str, "Compute class, such as db.t3.micro.").with(CLASSES),
        r("Engine", Str, "postgres, mysql or mariadb.").with(ENGINES),
        o("AllocatedStorage", Int, "Storage in GiB (20 to 65536)."),
        o("MasterUsername", Str, "Name of the master user."),
        o("MasterUserPassword", Str, "Password of the master user (never echoed)."),
        o("DBName", Str, "Name of the first database."),
        o("EngineVersion", Str, "Engine version (default: the latest the playground knows)."),
        o("BackupRetentionPeriod", Int, "Days of automated backups (0 turns them off; default 1)."),
        o("StorageEncrypted", Bool, "Encrypt the storage, its automated backups and snapshots (cannot be changed later)."),
        o("KmsKeyId", Str, "KMS key for storage encryption (default alias/aws/rds)."),
        o("AvailabilityZone", Str, "Zone of the instance.").with(ZONES),
        o("Tags", StructList(TAG), "Key=team,Value=finance …"),
        o("OptionGroupName", Str, "An option group (not modelled: accepted and ignored)."),
        o("DBParameterGroupName", Str, "A parameter group (not modelled: accepted and ignored)."),
        o("VpcSecurityGroupIds", StrList, "VPC security groups (not modelled: accepted and ignored)."),
    ]),
    cmd("rds", "describe-db-instances", "DescribeDBInstances", "Describes DB instances: status, encryption, key, resource id.", &[
        o("DBInstanceIdentifier", Str, "One DB instance (default: all of the account in this region)."),
        o("MaxRecords", Int, "Largest number of records to return (20 to 100)."),
    ]),
    cmd("rds", "modify-db-instance", "ModifyDBInstance", "Changes a DB instance's class, storage or backups. There is no option to turn encryption on or change the key: snapshot, copy the snapshot with --kms-key-id, restore.", &[
        DB_INSTANCE_ID,
        o("DBInstanceClass", Str, "New compute class.").with(CLASSES),
        o("AllocatedStorage", Int, "New storage size in GiB (only larger)."),
        o("OptionGroupName", Str, "An option group (not modelled: accepted and ignored)."),
        o("DBParameterGroupName", Str, "A parameter group (not modelled: accepted and ignored)."),
        o("VpcSecurityGroupIds", StrList, "VPC security groups (not modelled: accepted and ignored)."),
        o("BackupRetentionPeriod", Int, "Days of automated backups."),
        o("MasterUserPassword", Str, "New master password."),
        o("ApplyImmediately", Bool, "Apply now rather than in the next maintenance window."),
    ]),
    cmd("rds", "delete-db-instance", "DeleteDBInstance", "Deletes a DB instance (with a final snapshot unless --skip-final-snapshot).", &[
        DB_INSTANCE_ID,
        o("SkipFinalSnapshot", Bool, "Do not take a final DB snapshot."),
        o("FinalDBSnapshotIdentifier", Str, "Name of the final DB snapshot (needed without --skip-final-snapshot)."),
        o("DeleteAutomatedBackups", Bool, "Delete the automated backups too (the default)."),
    ]),
    cmd("rds", "stop-db-instance", "StopDBInstance", "Stops a DB instance (the host forgets the data key).", &[
        DB_INSTANCE_ID,
        o("DBSnapshotIdentifier", Str, "Take a DB snapshot before stopping."),
    ]),
    cmd("rds", "start-db-instance", "StartDBInstance", "Starts a stopped DB instance (RDS asks KMS for the data key again).", &[
        DB_INSTANCE_ID,
    ]),
    cmd("rds", "create-db-snapshot", "CreateDBSnapshot", "Snapshots a DB instance; an encrypted instance gives a snapshot under the same key.", &[
        r("DBSnapshotIdentifier", Str, "Name of the DB snapshot."),
        DB_INSTANCE_ID,
        o("Tags", StructList(TAG), "Key=team,Value=finance …"),
    ]),
    cmd("rds", "describe-db-snapshots", "DescribeDBSnapshots", "Describes DB snapshots: status, encryption, key, type.", &[
        o("DBInstanceIdentifier", Str, "Snapshots of this DB instance."),
        o("DBSnapshotIdentifier", Str, "One DB snapshot (its ARN for a shared one)."),
        o("SnapshotType", Str, "manual, automated, shared or public.").with(SNAPSHOT_TYPES),
        o("IncludeShared", Bool, "Include snapshots other accounts shared with you."),
        o("MaxRecords", Int, "Largest number of records to return (20 to 100)."),
    ]),
    cmd("rds", "copy-db-snapshot", "CopyDBSnapshot", "Copies a DB snapshot (into --region); --kms-key-id encrypts or re-encrypts the copy.", &[
        r("SourceDBSnapshotIdentifier", Str, "The snapshot to copy (its ARN when it is in another region or account)."),
        r("TargetDBSnapshotIdentifier", Str, "Name of the copy."),
        o("KmsKeyId", Str, "Key for the copy, in the destination region (needed across regions and for shared encrypted snapshots)."),
        o("CopyTags", Bool, "Copy the snapshot's tags."),
        o("SourceRegion", Str, "Region of the source snapshot (the CLI makes the pre-signed URL).").with(REGIONS),
        o("PreSignedUrl", Str, "Pre-signed URL of the source (the CLI makes it from --source-region)."),
        o("Tags", StructList(TAG), "Key=team,Value=finance …"),
    ]),
    cmd("rds", "delete-db-snapshot", "DeleteDBSnapshot", "Deletes a manual DB snapshot.", &[
        r("DBSnapshotIdentifier", Str, "The DB snapshot."),
    ]),
    cmd("rds", "restore-db-instance-from-db-snapshot", "RestoreDBInstanceFromDBSnapshot", "Creates a DB instance from a DB snapshot, encrypted as the snapshot is and under its key (to change the key, copy the snapshot first).", &[
        DB_INSTANCE_ID,
        o("DBSnapshotIdentifier", Str, "The DB snapshot (its ARN for a shared one)."),
        o("DBInstanceClass", Str, "Compute class (default: the snapshot's).").with(CLASSES),
        o("AvailabilityZone", Str, "Zone of the instance.").with(ZONES),
        o("Tags", StructList(TAG), "Key=team,Value=finance …"),
    ]),
    cmd("rds", "modify-db-snapshot-attribute", "ModifyDBSnapshotAttribute", "Shares a manual DB snapshot with accounts (--attribute-name restore --values-to-add ID).", &[
        r("DBSnapshotIdentifier", Str, "The DB snapshot."),
        r("AttributeName", Str, "restore.").with(&["restore"]),
        o("ValuesToAdd", StrList, "Account ids (or all, refused for encrypted snapshots)."),
        o("ValuesToRemove", StrList, "Account ids (or all)."),
    ]),
    cmd("rds", "describe-db-snapshot-attributes", "DescribeDBSnapshotAttributes", "Shows which accounts may restore a manual DB snapshot.", &[
        r("DBSnapshotIdentifier", Str, "The DB snapshot."),
    ]),
];
