//! Starting values of the RDS forms: names for new resources, the newest DB instance or DB
//! snapshot of the account for fields that name an existing one, and a working engine setup.

use super::forms::{Env, Spec};
use crate::cli::schema::Command;
use crate::session::Session;

/// The starting value of an RDS form field, or `None` to leave it to the generic rules.
pub fn default_value(cmd: &Command, spec: &Spec, env: &Env, s: &Session) -> Option<String> {
    if cmd.cli_service != "rds" {
        return None;
    }
    let op = cmd.operation;
    let creates_instance = matches!(op, "CreateDBInstance" | "RestoreDBInstanceFromDBSnapshot");
    let v = match spec.label {
        "DBInstanceIdentifier" if op == "CreateDBInstance" => "app-db".to_string(),
        "DBInstanceIdentifier" if op == "RestoreDBInstanceFromDBSnapshot" => {
            "app-db-restored".into()
        }
        "DBInstanceIdentifier" if spec.required => newest_instance(s, env),
        "DBInstanceClass" if op == "CreateDBInstance" => "db.t3.micro".into(),
        "Engine" if op == "CreateDBInstance" => "postgres".into(),
        "AllocatedStorage" if op == "CreateDBInstance" => "20".into(),
        "MasterUsername" if op == "CreateDBInstance" => "admin".into(),
        "MasterUserPassword" if op == "CreateDBInstance" => "change-me-123".into(),
        "DBSnapshotIdentifier" if op == "CreateDBSnapshot" => {
            format!("{}-snap", newest_instance(s, env))
        }
        "DBSnapshotIdentifier" if spec.required || creates_instance => newest_snapshot(s, env),
        "SourceDBSnapshotIdentifier" => newest_snapshot(s, env),
        "TargetDBSnapshotIdentifier" => format!("{}-copy", newest_snapshot(s, env)),
        "AttributeName" => "restore".into(),
        "AvailabilityZone" | "SourceRegion" | "FinalDBSnapshotIdentifier" | "KmsKeyId" => {
            String::new()
        }
        _ => return None,
    };
    Some(v)
}

fn newest_instance(s: &Session, env: &Env) -> String {
    s.sim()
        .db_instances()
        .filter(|i| i.account == env.account && i.region == env.region)
        .max_by_key(|i| i.created)
        .map(|i| i.id.clone())
        .unwrap_or_default()
}

fn newest_snapshot(s: &Session, env: &Env) -> String {
    s.sim()
        .db_snapshots()
        .filter(|x| x.account == env.account && x.region == env.region)
        .max_by_key(|x| x.created)
        .map(|x| x.id.clone())
        .unwrap_or_default()
}
