//! Property tests of the Alibaba Cloud model over random sequences drawn from its operation
//! table (`model::ops::aliyun::all()`), with members filled from the resources that exist:
//!
//! - no plaintext data key the hosts hold ever appears in the exported state or trace;
//! - the model never panics, whatever the members (ids, garbage, wrong types);
//! - the same seed and operations give byte-identical state and trace.

use ebs_kms_playground::model::ops::{aliyun, Op, Ty};
use ebs_kms_playground::model::provider::Cloud;
use ebs_kms_playground::model::{Caller, Sim};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const UID: &str = "1234567890123456";
const OTHER: &str = "9876543210987654";

/// A small deterministic generator for one step's choices.
struct Pick(u64);

impl Pick {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.next() % one_in == 0
    }
    fn of<T: Clone>(&mut self, list: &[T]) -> Option<T> {
        (!list.is_empty()).then(|| list[self.below(list.len())].clone())
    }
}

struct Run {
    sim: Sim,
}

impl Run {
    fn new() -> Self {
        let mut sim = Sim::new_in(Cloud::Alibaba, 11);
        let root = caller(UID, "root");
        let trust = json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ecs.aliyuncs.com"]}}]});
        let _ = sim.execute(&root, "ram", "CreateRole", json!({"RoleName": "AliyunECSDiskEncryptDefaultRole", "AssumeRolePolicyDocument": trust.to_string()}));
        let _ = sim.execute(&root, "ram", "AttachPolicyToRole", json!({"PolicyType": "System", "PolicyName": "AliyunECSDiskEncryptRolePolicy", "RoleName": "AliyunECSDiskEncryptDefaultRole"}));
        let _ = sim.execute(&root, "ram", "CreateUser", json!({"UserName": "alice"}));
        Run { sim }
    }

    fn ids(&self) -> Pools {
        let a = self.sim.aliyun();
        Pools {
            keys: a.keys().map(|k| k.id.clone()).collect(),
            disks: a.disks().map(|d| d.id.clone()).collect(),
            instances: a.instances().map(|i| i.id.clone()).collect(),
            snapshots: a.snapshots().map(|s| s.id.clone()).collect(),
            images: a.images().map(|i| i.id.clone()).collect(),
        }
    }

    fn step(&mut self, op: &Op, seed: u64) {
        let mut p = Pick(seed);
        let pools = self.ids();
        let who = match p.below(6) {
            0 => caller(OTHER, "root"),
            1 => caller(UID, "user/alice"),
            _ => caller(UID, "root"),
        };
        let mut who = who;
        if p.chance(5) {
            who.region = p
                .of(&["cn-shanghai", "cn-fuzhou", "cn-nanjing", "ap-southeast-1"])
                .unwrap()
                .into();
        }
        let mut req = Map::new();
        for param in op.params {
            if !param.required && !p.chance(2) {
                continue;
            }
            req.insert(
                param.name.into(),
                value(param.name, param.ty, &pools, &mut p),
            );
        }
        if p.chance(25) {
            req.insert("Bogus".into(), json!(1));
        }
        let service = if op.cli_service == "play" {
            "play"
        } else {
            op.cli_service
        };
        let _ = self
            .sim
            .execute(&who, service, op.operation, Value::Object(req));
    }
}

fn caller(account: &str, who: &str) -> Caller {
    Caller {
        account: account.into(),
        region: "cn-hangzhou".into(),
        principal: format!("acs:ram::{account}:{who}"),
    }
}

struct Pools {
    keys: Vec<String>,
    disks: Vec<String>,
    instances: Vec<String>,
    snapshots: Vec<String>,
    images: Vec<String>,
}

/// A value for a member: mostly a plausible one (an existing id, a valid choice), sometimes
/// garbage or the wrong type.
fn value(name: &str, ty: Ty, pools: &Pools, p: &mut Pick) -> Value {
    if p.chance(12) {
        return p
            .of(&[
                json!(null),
                json!(-1),
                json!("zz"),
                json!([1]),
                json!({"x": 1}),
                json!(true),
            ])
            .unwrap();
    }
    let id = |list: &[String], p: &mut Pick| json!(p.of(list).unwrap_or("nope".into()));
    match (name, ty) {
        ("KeyId" | "KMSKeyId", _) => match p.below(4) {
            0 => json!("alias/acs/ecs"),
            1 => json!("key-hzz000000000000000000"),
            _ => id(&pools.keys, p),
        },
        ("DiskId", _) => id(&pools.disks, p),
        ("InstanceId", _) => id(&pools.instances, p),
        ("SnapshotId", _) => id(&pools.snapshots, p),
        ("ImageId", _) => match p.below(3) {
            0 => json!("aliyun_3_x64_20G_alibase_20240819.vhd"),
            _ => id(&pools.images, p),
        },
        ("DiskIds", _) => json!(json!([p.of(&pools.disks).unwrap_or_default()]).to_string()),
        ("InstanceIds", _) => json!(json!([p.of(&pools.instances).unwrap_or_default()]).to_string()),
        ("SnapshotIds", _) => json!(json!([p.of(&pools.snapshots).unwrap_or_default()]).to_string()),
        ("ZoneId", _) => json!(p.of(&["cn-hangzhou-i", "cn-hangzhou-h", "cn-shanghai-e", "xx"]).unwrap()),
        ("RegionId" | "DestinationRegionId", _) => {
            json!(p.of(&["cn-hangzhou", "cn-shanghai", "cn-fuzhou", "cn-nanjing", "mars-1"]).unwrap())
        }
        ("AccountId", _) => json!(p.of(&[OTHER, UID, "12"]).unwrap()),
        ("AddAccount" | "RemoveAccount", _) => json!([OTHER]),
        ("PolicyDocument" | "AssumeRolePolicyDocument", _) => json!(p
            .of(&[
                json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}).to_string(),
                json!({"Version": "1", "Statement": [{"Effect": "Deny", "Action": "ecs:CreateDisk", "Resource": "*", "Condition": {"Bool": {"ecs:IsDiskEncrypted": ["false"]}}}]}).to_string(),
                "{not json".to_string(),
            ])
            .unwrap()),
        ("PolicyName", _) => json!(p
            .of(&["AliyunECSFullAccess", "AliyunKMSReadOnlyAccess", "AdministratorAccess", "custom1"])
            .unwrap()),
        ("UserName", _) => json!(p.of(&["alice", "bob"]).unwrap()),
        ("RoleName", _) => json!(p.of(&["AliyunECSDiskEncryptDefaultRole", "other"]).unwrap()),
        ("EncryptionContext", _) => json!(p.of(&["{\"a\":\"b\"}", "[]"]).unwrap()),
        ("CiphertextBlob", _) => json!("QUxLMQ=="),
        ("Seconds", _) => json!(p.of(&[5u64, 60, 86_400, 8 * 86_400]).unwrap()),
        ("PendingWindowInDays", _) => json!(p.of(&[7, 30, 3, 400]).unwrap()),
        ("DiskCategory" | "Category", _) => json!(p.of(ebs_kms_playground::model::ops::DISK_CATEGORIES).unwrap()),
        ("InstanceType", _) => json!(p.of(ebs_kms_playground::model::ops::ALI_INSTANCE_TYPES).unwrap()),
        ("Size", _) => json!(p.of(&[20u64, 40, 0, 70_000]).unwrap()),
        (_, Ty::Bool) => json!(p.chance(2)),
        (_, Ty::Int) => json!(p.below(5) as u64),
        (_, Ty::Str) => json!(p.of(&["a", "x-1", ""]).unwrap()),
        (_, Ty::StrList) => json!(["a"]),
        (_, Ty::Map) => json!({"k": "v"}),
        (_, Ty::Struct(members)) => {
            let mut m = Map::new();
            for mem in members {
                if p.chance(2) {
                    m.insert(mem.name.into(), value(mem.name, mem.ty, pools, p));
                }
            }
            Value::Object(m)
        }
        (_, Ty::StructList(members)) => {
            let n = p.below(3);
            Value::Array(
                (0..n)
                    .map(|_| value(name, Ty::Struct(members), pools, p))
                    .collect(),
            )
        }
    }
}

fn ops() -> Vec<&'static Op> {
    aliyun::all().collect()
}

fn step() -> impl Strategy<Value = (usize, u64)> {
    (0..ops().len(), any::<u64>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_plaintext_data_key_in_any_export(steps in proptest::collection::vec(step(), 1..60)) {
        let table = ops();
        let mut run = Run::new();
        for (i, seed) in &steps {
            run.step(table[*i], *seed);
            let state = run.sim.export_state().to_string();
            let trace = run.sim.export_trace().to_string();
            prop_assert!(!run.sim.reveals_host_key(&state), "state reveals a host key");
            prop_assert!(!run.sim.reveals_host_key(&trace), "trace reveals a host key");
            let debug = format!("{:?}", run.sim.aliyun());
            prop_assert!(!run.sim.reveals_host_key(&debug), "Debug reveals a host key");
        }
    }

    #[test]
    fn deterministic_byte_for_byte(steps in proptest::collection::vec(step(), 1..40)) {
        let table = ops();
        let mut r1 = Run::new();
        let mut r2 = Run::new();
        for (i, seed) in &steps { r1.step(table[*i], *seed); }
        for (i, seed) in &steps { r2.step(table[*i], *seed); }
        prop_assert_eq!(r1.sim.export_state().to_string(), r2.sim.export_state().to_string());
        prop_assert_eq!(r1.sim.export_trace().to_string(), r2.sim.export_trace().to_string());
    }
}

/// Sequences that reach the interesting states (encrypted disks attached and running) often,
/// so the audit above is not only over refusals.
#[test]
fn a_guided_run_holds_host_keys_and_reveals_none() {
    let mut run = Run::new();
    let root = caller(UID, "root");
    let k = run
        .sim
        .execute(&root, "kms", "CreateKey", json!({}))
        .unwrap()["KeyMetadata"]["KeyId"]
        .clone();
    let i = run
        .sim
        .execute(&root, "ecs", "RunInstances", json!({"ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large", "SystemDisk": {"Encrypted": true, "KMSKeyId": k}, "DataDisk": [{"Size": 40, "Encrypted": true}]}))
        .unwrap();
    let i = i["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(run.sim.aliyun_disks_with_key_in_host().len(), 2);
    let table = ops();
    for n in 0..400u64 {
        let op = table[(n as usize * 7) % table.len()];
        run.step(op, n);
        for s in [
            run.sim.export_state().to_string(),
            run.sim.export_trace().to_string(),
        ] {
            assert!(!run.sim.reveals_host_key(&s));
        }
    }
    let _ = i;
}
