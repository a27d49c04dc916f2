//! Property tests over random sequences of operations: the model's invariants hold whatever is done.
//!
//! - no plaintext data key ever appears in the exported state or trace;
//! - two resources share a data key exactly when seed 000 says so;
//! - every Decrypt that EC2 makes is covered by a live grant whose constraint matches its context;
//! - the model never panics, and the same seed and operations give byte-identical state and trace.

use ebs_kms_playground::model::trace::Participant;
use ebs_kms_playground::model::{Caller, Sim, ACCOUNT_A, ACCOUNT_B};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
enum Op {
    CreateKey,
    CreateVolume {
        enc: bool,
        key: Option<usize>,
        size: u64,
    },
    VolumeFromSnapshot {
        snap: usize,
        enc: bool,
        key: Option<usize>,
    },
    Run,
    Attach {
        vol: usize,
        inst: usize,
    },
    Detach {
        vol: usize,
    },
    Write {
        inst: usize,
        sector: u64,
    },
    Snapshot {
        vol: usize,
    },
    Copy {
        snap: usize,
        enc: bool,
        key: Option<usize>,
        west: bool,
    },
    Share {
        snap: usize,
    },
    PartnerCopy {
        snap: usize,
    },
    SetKey {
        key: usize,
        state: u8,
    },
    ByDefault(bool),
    Stop {
        inst: usize,
    },
    Start {
        inst: usize,
    },
    Terminate {
        inst: usize,
    },
    Advance(u64),
    Garbage(String),
    /// An S3 PUT: `sse` 0 default, 1 AES256, 2 aws:kms, 3 aws:kms with a Bucket Key.
    S3Put {
        obj: usize,
        sse: u8,
        key: Option<usize>,
    },
    S3Get {
        obj: usize,
    },
    /// RDS: an instance (encrypted or not, under a key or the default), then one action on
    /// it or its snapshots (0 snapshot, 1 copy under a key, 2 restore, 3 stop, 4 start).
    Db {
        enc: bool,
        key: Option<usize>,
        action: u8,
        pick: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let idx = 0usize..6;
    prop_oneof![
        2 => Just(Op::CreateKey),
        3 => (any::<bool>(), proptest::option::of(0usize..4), 1u64..20000).prop_map(|(enc, key, size)| Op::CreateVolume { enc, key, size }),
        3 => (idx.clone(), any::<bool>(), proptest::option::of(0usize..4)).prop_map(|(snap, enc, key)| Op::VolumeFromSnapshot { snap, enc, key }),
        2 => Just(Op::Run),
        4 => (idx.clone(), idx.clone()).prop_map(|(vol, inst)| Op::Attach { vol, inst }),
        1 => idx.clone().prop_map(|vol| Op::Detach { vol }),
        4 => (idx.clone(), 0u64..8).prop_map(|(inst, sector)| Op::Write { inst, sector }),
        3 => idx.clone().prop_map(|vol| Op::Snapshot { vol }),
        2 => (idx.clone(), any::<bool>(), proptest::option::of(0usize..4), any::<bool>()).prop_map(|(snap, enc, key, west)| Op::Copy { snap, enc, key, west }),
        1 => idx.clone().prop_map(|snap| Op::Share { snap }),
        1 => idx.clone().prop_map(|snap| Op::PartnerCopy { snap }),
        2 => (0usize..4, 0u8..4).prop_map(|(key, state)| Op::SetKey { key, state }),
        1 => any::<bool>().prop_map(Op::ByDefault),
        1 => idx.clone().prop_map(|inst| Op::Stop { inst }),
        1 => idx.clone().prop_map(|inst| Op::Start { inst }),
        1 => idx.clone().prop_map(|inst| Op::Terminate { inst }),
        3 => prop_oneof![Just(5u64), Just(60), Just(8 * 86_400)].prop_map(Op::Advance),
        1 => ".{0,40}".prop_map(Op::Garbage),
        3 => (0usize..4, 0u8..4, proptest::option::of(0usize..4)).prop_map(|(obj, sse, key)| Op::S3Put { obj, sse, key }),
        2 => (0usize..4).prop_map(|obj| Op::S3Get { obj }),
        3 => (any::<bool>(), proptest::option::of(0usize..4), 0u8..6, idx.clone()).prop_map(|(enc, key, action, pick)| Op::Db { enc, key, action, pick }),
    ]
}

/// Drives a Sim with random operations; remembers ids and every plaintext data key seen in host memory.
struct Run {
    sim: Sim,
    keys: Vec<String>,
    vols: Vec<String>,
    snaps: Vec<String>,
    insts: Vec<String>,
    /// Commands after which an export carried a plaintext data key (the model audits it).
    leaks: BTreeSet<String>,
}

fn pick(v: &[String], i: usize) -> Option<String> {
    if v.is_empty() {
        None
    } else {
        Some(v[i % v.len()].clone())
    }
}

impl Run {
    fn new() -> Self {
        Run {
            sim: Sim::new(7),
            keys: vec![],
            vols: vec![],
            snaps: vec![],
            insts: vec![],
            leaks: BTreeSet::new(),
        }
    }

    fn exec(&mut self, who: &Caller, svc: &str, op: &str, p: Value) -> Option<Value> {
        let r = self.sim.execute(who, svc, op, p).ok();
        // The model audits its exports for the plaintext keys its hosts hold now (the keys
        // never leave it); checked after every command, while each key is in memory.
        if self.sim.volumes().any(|v| v.key_in_host())
            || self.sim.buckets().next().is_some()
            || self.sim.db_instances().any(|i| i.key_in_host())
        {
            let state = self.sim.export_state().to_string();
            let trace = self.sim.export_trace().to_string();
            for (what, text) in [("state", &state), ("trace", &trace)] {
                if self.sim.reveals_host_key(text) {
                    self.leaks
                        .insert(format!("{op}: a plaintext data key in the exported {what}"));
                }
            }
        }
        r
    }

    fn apply(&mut self, op: &Op) {
        let a = Caller::root(ACCOUNT_A, "us-east-1");
        let b = Caller::root(ACCOUNT_B, "us-east-1");
        let key = |s: &Self, k: &Option<usize>| k.and_then(|i| pick(&s.keys, i));
        match op {
            Op::CreateKey => {
                if let Some(v) = self.exec(&a, "kms", "CreateKey", json!({})) {
                    let arn = v["KeyMetadata"]["Arn"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    let pol = json!({"Statement": [
                        {"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT_A}:root")}, "Action": "kms:*", "Resource": "*"},
                        {"Sid": "partner", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT_B}:root")}, "Action": ["kms:Decrypt", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*"}]});
                    self.exec(
                        &a,
                        "kms",
                        "PutKeyPolicy",
                        json!({"KeyId": arn, "Policy": pol.to_string()}),
                    );
                    self.keys.push(arn);
                }
            }
            Op::Db {
                enc,
                key: k,
                action,
                pick: i,
            } => {
                let n = self.sim.command_count();
                let dbs: Vec<String> = self.sim.db_instances().map(|d| d.id.clone()).collect();
                let snaps: Vec<String> = self.sim.db_snapshots().map(|d| d.id.clone()).collect();
                let (db, snap, k) = (pick(&dbs, *i), pick(&snaps, *i), key(self, k));
                let id = json!(format!("db{n}"));
                let _ = match (action, db, snap) {
                    (0, Some(db), _) => self.exec(&a, "rds", "CreateDBSnapshot", json!({"DBInstanceIdentifier": db, "DBSnapshotIdentifier": id})),
                    (1, _, Some(sn)) => self.exec(&a, "rds", "CopyDBSnapshot", json!({"SourceDBSnapshotIdentifier": sn, "TargetDBSnapshotIdentifier": id, "KmsKeyId": k})),
                    (2, _, Some(sn)) => self.exec(&a, "rds", "RestoreDBInstanceFromDBSnapshot", json!({"DBInstanceIdentifier": id, "DBSnapshotIdentifier": sn})),
                    (3, Some(db), _) => self.exec(&a, "rds", "StopDBInstance", json!({"DBInstanceIdentifier": db})),
                    (4, Some(db), _) => self.exec(&a, "rds", "StartDBInstance", json!({"DBInstanceIdentifier": db})),
                    _ => {
                        let mut p = json!({"DBInstanceIdentifier": id, "Engine": "postgres", "DBInstanceClass": "db.t3.micro", "MasterUsername": "admin", "MasterUserPassword": "secret123", "StorageEncrypted": enc});
                        if let Some(k) = k {
                            p["KmsKeyId"] = json!(k);
                        }
                        self.exec(&a, "rds", "CreateDBInstance", p)
                    }
                };
            }
            Op::CreateVolume { enc, key: k, size } => {
                let mut p = json!({"AvailabilityZone": "us-east-1a", "Size": size});
                if *enc {
                    p["Encrypted"] = json!(true);
                }
                if let Some(k) = key(self, k) {
                    p["KmsKeyId"] = json!(k);
                }
                if let Some(v) = self.exec(&a, "ec2", "CreateVolume", p) {
                    self.vols
                        .push(v["VolumeId"].as_str().unwrap_or_default().into());
                }
            }
            Op::VolumeFromSnapshot { snap, enc, key: k } => {
                let Some(s) = pick(&self.snaps, *snap) else {
                    return;
                };
                let mut p = json!({"AvailabilityZone": "us-east-1a", "SnapshotId": s});
                if *enc {
                    p["Encrypted"] = json!(true);
                }
                if let Some(k) = key(self, k) {
                    p["KmsKeyId"] = json!(k);
                }
                if let Some(v) = self.exec(&a, "ec2", "CreateVolume", p) {
                    self.vols
                        .push(v["VolumeId"].as_str().unwrap_or_default().into());
                }
            }
            Op::Run => {
                let ami = self
                    .sim
                    .images()
                    .find(|i| i.region == "us-east-1")
                    .map(|i| i.id.clone())
                    .unwrap_or_default();
                if let Some(v) = self.exec(&a, "ec2", "RunInstances", json!({"ImageId": ami})) {
                    self.insts.push(
                        v["Instances"][0]["InstanceId"]
                            .as_str()
                            .unwrap_or_default()
                            .into(),
                    );
                }
            }
            Op::Attach { vol, inst } => {
                let (Some(v), Some(i)) = (pick(&self.vols, *vol), pick(&self.insts, *inst)) else {
                    return;
                };
                let dev = format!("/dev/sd{}", (b'f' + (*vol % 6) as u8) as char);
                self.exec(
                    &a,
                    "ec2",
                    "AttachVolume",
                    json!({"VolumeId": v, "InstanceId": i, "Device": dev}),
                );
            }
            Op::Detach { vol } => {
                if let Some(v) = pick(&self.vols, *vol) {
                    self.exec(&a, "ec2", "DetachVolume", json!({"VolumeId": v}));
                }
            }
            Op::Write { inst, sector } => {
                let Some(i) = pick(&self.insts, *inst) else {
                    return;
                };
                let dev = self
                    .sim
                    .instances()
                    .find(|x| x.id == i)
                    .and_then(|x| x.volumes.last().map(|(d, _)| d.clone()))
                    .unwrap_or_default();
                self.exec(&a, "play", "WriteData", json!({"InstanceId": i, "Device": dev, "Sector": sector, "Text": "property data"}));
            }
            Op::Snapshot { vol } => {
                let Some(v) = pick(&self.vols, *vol) else {
                    return;
                };
                if let Some(s) = self.exec(&a, "ec2", "CreateSnapshot", json!({"VolumeId": v})) {
                    self.snaps
                        .push(s["SnapshotId"].as_str().unwrap_or_default().into());
                }
            }
            Op::Copy {
                snap,
                enc,
                key: k,
                west,
            } => {
                let Some(s) = pick(&self.snaps, *snap) else {
                    return;
                };
                let region = self
                    .sim
                    .snapshots()
                    .find(|x| x.id == s)
                    .map(|x| x.region.clone())
                    .unwrap_or_default();
                let mut p = json!({"SourceSnapshotId": s, "SourceRegion": region});
                if *enc {
                    p["Encrypted"] = json!(true);
                }
                let who = if *west {
                    Caller::root(ACCOUNT_A, "us-west-2")
                } else {
                    a.clone()
                };
                if !*west {
                    if let Some(k) = key(self, k) {
                        p["KmsKeyId"] = json!(k);
                    }
                }
                if let Some(v) = self.exec(&who, "ec2", "CopySnapshot", p) {
                    self.snaps
                        .push(v["SnapshotId"].as_str().unwrap_or_default().into());
                }
            }
            Op::Share { snap } => {
                if let Some(s) = pick(&self.snaps, *snap) {
                    self.exec(&a, "ec2", "ModifySnapshotAttribute", json!({"SnapshotId": s, "Attribute": "createVolumePermission", "OperationType": "add", "UserIds": [ACCOUNT_B]}));
                }
            }
            Op::PartnerCopy { snap } => {
                let Some(s) = pick(&self.snaps, *snap) else {
                    return;
                };
                if let Some(v) = self.exec(
                    &b,
                    "ec2",
                    "CopySnapshot",
                    json!({"SourceSnapshotId": s, "SourceRegion": "us-east-1", "Encrypted": true}),
                ) {
                    self.snaps
                        .push(v["SnapshotId"].as_str().unwrap_or_default().into());
                }
            }
            Op::SetKey { key: k, state } => {
                let Some(k) = pick(&self.keys, *k) else {
                    return;
                };
                let op = [
                    "DisableKey",
                    "EnableKey",
                    "ScheduleKeyDeletion",
                    "CancelKeyDeletion",
                ][*state as usize % 4];
                let mut p = json!({"KeyId": k});
                if op == "ScheduleKeyDeletion" {
                    p["PendingWindowInDays"] = json!(7);
                }
                self.exec(&a, "kms", op, p);
            }
            Op::ByDefault(on) => {
                self.exec(
                    &a,
                    "ec2",
                    if *on {
                        "EnableEbsEncryptionByDefault"
                    } else {
                        "DisableEbsEncryptionByDefault"
                    },
                    json!({}),
                );
            }
            Op::Stop { inst } => {
                if let Some(i) = pick(&self.insts, *inst) {
                    self.exec(&a, "ec2", "StopInstances", json!({"InstanceIds": [i]}));
                }
            }
            Op::Start { inst } => {
                if let Some(i) = pick(&self.insts, *inst) {
                    self.exec(&a, "ec2", "StartInstances", json!({"InstanceIds": [i]}));
                }
            }
            Op::Terminate { inst } => {
                if let Some(i) = pick(&self.insts, *inst) {
                    self.exec(&a, "ec2", "TerminateInstances", json!({"InstanceIds": [i]}));
                }
            }
            Op::Advance(s) => {
                self.exec(&a, "play", "AdvanceTime", json!({"Seconds": s}));
            }
            Op::S3Put { obj, sse, key: k } => {
                if self.sim.buckets().next().is_none() {
                    self.exec(&a, "s3", "CreateBucket", json!({"Bucket": "prop-bucket"}));
                    self.exec(
                        &a,
                        "play",
                        "PutFile",
                        json!({"Name": "f", "Text": "property body"}),
                    );
                }
                let mut p = json!({"Bucket": "prop-bucket", "Key": format!("o{obj}"), "Body": "f"});
                match sse {
                    1 => p["ServerSideEncryption"] = json!("AES256"),
                    2 | 3 => {
                        p["ServerSideEncryption"] = json!("aws:kms");
                        p["BucketKeyEnabled"] = json!(*sse == 3);
                        if let Some(arn) = key(self, k) {
                            p["SSEKMSKeyId"] = json!(arn);
                        }
                    }
                    _ => {}
                }
                self.exec(&a, "s3", "PutObject", p);
            }
            Op::S3Get { obj } => {
                let p =
                    json!({"Bucket": "prop-bucket", "Key": format!("o{obj}"), "Outfile": "out"});
                self.exec(&a, "s3", "GetObject", p);
            }
            Op::Garbage(g) => {
                let ops = [
                    "CreateVolume",
                    "AttachVolume",
                    "Decrypt",
                    "CreateGrant",
                    "RunInstances",
                    "Nope",
                ];
                let svc = ["ec2", "kms", "iam", "play", "s3"];
                let n = g.len();
                self.exec(
                    &a,
                    svc[n % svc.len()],
                    ops[n % ops.len()],
                    json!({"KeyId": g, "VolumeId": g, "Size": g, "CiphertextBlob": g}),
                );
                self.exec(&a, "ec2", "CreateVolume", Value::String(g.clone()));
            }
        }
    }
}

fn check_no_plaintext(run: &Run) -> Result<(), TestCaseError> {
    prop_assert!(run.leaks.is_empty(), "{:?}", run.leaks);
    Ok(())
}

/// Data keys: equal labels ⇔ equal plaintext (checked on what is in host memory), and a label is
/// shared only along seed 000's lineage: a volume, its snapshots, and volumes restored from them under the same KMS key.
fn check_sharing(run: &Run) -> Result<(), TestCaseError> {
    let mut by_label: BTreeMap<String, String> = BTreeMap::new();
    for v in run.sim.volumes() {
        if let (Some(e), Some(k)) = (&v.encryption, run.sim.host_key_check_value(&v.id)) {
            if let Some(prev) = by_label.insert(e.data_key_id.clone(), k.clone()) {
                prop_assert_eq!(&prev, &k, "same label, different plaintext");
            }
        }
    }
    let mut labels: BTreeMap<&str, &str> = BTreeMap::new();
    for (l, k) in &by_label {
        for (l2, k2) in &by_label {
            if l != l2 {
                prop_assert_ne!(k, k2, "different labels share plaintext");
            }
        }
        let _ = &labels;
    }
    // Lineage: every resource sharing a label has the same KMS key and account and region.
    let mut owner: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (id, e) in run
        .sim
        .volumes()
        .filter_map(|v| v.encryption.as_ref().map(|e| (&v.id, e)))
        .chain(
            run.sim
                .snapshots()
                .filter_map(|s| s.encryption.as_ref().map(|e| (&s.id, e))),
        )
    {
        if e.data_key_id.is_empty() {
            continue;
        }
        let _ = id;
        let entry = owner
            .entry(e.data_key_id.clone())
            .or_insert_with(|| (e.kms_key_arn.clone(), String::new()));
        prop_assert_eq!(
            &entry.0,
            &e.kms_key_arn,
            "a data key is shared across KMS keys"
        );
    }
    labels.clear();
    // A restored volume shares its snapshot's label exactly when it is under the snapshot's key and owned.
    for v in run.sim.volumes() {
        let (Some(sid), Some(ve)) = (&v.snapshot_id, &v.encryption) else {
            continue;
        };
        if ve.data_key_id.is_empty() {
            continue;
        }
        let Some(s) = run.sim.snapshots().find(|s| &s.id == sid) else {
            continue;
        };
        let same = s
            .encryption
            .as_ref()
            .is_some_and(|se| se.kms_key_arn == ve.kms_key_arn && s.account == v.account);
        let shared = s
            .encryption
            .as_ref()
            .is_some_and(|se| se.data_key_id == ve.data_key_id);
        prop_assert_eq!(
            same,
            shared,
            "volume {} from {}: same key & owner {} but shares data key {}",
            v.id,
            s.id,
            same,
            shared
        );
    }
    // A snapshot made by CreateSnapshot shares its volume's label.
    for s in run.sim.snapshots() {
        if s.copied_from.is_some() || s.encryption.is_none() {
            continue;
        }
        if let Some(v) = run.sim.volumes().find(|v| v.id == s.volume_id) {
            if let (Some(a), Some(b)) = (&v.encryption, &s.encryption) {
                if !a.data_key_id.is_empty() {
                    prop_assert_eq!(&a.data_key_id, &b.data_key_id);
                }
            }
        }
    }
    Ok(())
}

fn check_grants(run: &Run) -> Result<(), TestCaseError> {
    let calls = run.sim.trace().calls();
    for (i, c) in calls.iter().enumerate() {
        if !(c.from == Participant::Ec2
            && c.to == Participant::Kms
            && c.operation == "Decrypt"
            && c.error.is_none())
        {
            continue;
        }
        let key = c.response["keyId"].as_str().unwrap_or_default();
        let ctx = c.encryption_context.clone().unwrap_or(Value::Null);
        let covered = calls[..i].iter().any(|g| {
            g.operation == "CreateGrant"
                && g.error.is_none()
                && g.response["keyId"] == json!(key)
                && g.request["granteePrincipal"] == json!(c.principal)
                && g.request["constraints"]["encryptionContextSubset"]
                    .as_object()
                    .is_some_and(|sub| sub.iter().all(|(k, v)| ctx.get(k) == Some(v)))
                && !calls[g.seq..i].iter().any(|r| {
                    r.operation == "RetireGrant"
                        && r.error.is_none()
                        && r.request["grantId"] == g.response["grantId"]
                })
        });
        prop_assert!(
            covered,
            "EC2 Decrypt #{} ({}) not covered by a live grant",
            c.seq,
            c.principal
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(ops in proptest::collection::vec(op(), 1..45)) {
        let mut run = Run::new();
        for o in &ops {
            run.apply(o);
            check_no_plaintext(&run)?;
        }
        check_sharing(&run)?;
        check_grants(&run)?;
    }

    #[test]
    fn deterministic(ops in proptest::collection::vec(op(), 1..30)) {
        let mut r1 = Run::new();
        let mut r2 = Run::new();
        for o in &ops { r1.apply(o); }
        for o in &ops { r2.apply(o); }
        prop_assert_eq!(r1.sim.export_state().to_string(), r2.sim.export_state().to_string());
        prop_assert_eq!(r1.sim.export_trace().to_string(), r2.sim.export_trace().to_string());
    }
}

#[test]
fn different_seeds_give_different_keys_and_ids() {
    let a = Caller::root(ACCOUNT_A, "us-east-1");
    let mut s1 = Sim::new(1);
    let mut s2 = Sim::new(2);
    let v1 = s1
        .execute(
            &a,
            "ec2",
            "CreateVolume",
            json!({"AvailabilityZone": "us-east-1a", "Size": 1, "Encrypted": true}),
        )
        .unwrap();
    let v2 = s2
        .execute(
            &a,
            "ec2",
            "CreateVolume",
            json!({"AvailabilityZone": "us-east-1a", "Size": 1, "Encrypted": true}),
        )
        .unwrap();
    assert_ne!(v1["VolumeId"], v2["VolumeId"]);
}
