//! Seed 002's conversion workflows: encrypting an existing system disk (copy the image
//! encrypted, replace the system disk) and data disk (snapshot, encrypted disk, attach).

use super::{hex, A};
use serde_json::json;
// ---------------------------------------------------------------------------------------------
// Converting an unencrypted disk (seed 002's workflow).
// ---------------------------------------------------------------------------------------------

#[test]
fn encrypt_an_existing_system_disk_by_copying_its_image() {
    // "Copy the custom image and select encryption to create an encrypted copy. … Replace the
    // operating system of the original instance with the encrypted image."
    let mut a = A::new();
    a.grant_role();
    let k = a.cmk();
    let i = a.run(json!({})).unwrap();
    let sys = a.system_disk(&i);
    a.ok(
        "play",
        "WriteData",
        json!({"InstanceId": i, "DiskId": sys, "Text": "boot data"}),
    );
    let m = a.ok("ecs", "CreateImage", json!({"InstanceId": i}))["ImageId"]
        .as_str()
        .unwrap()
        .to_string();
    a.advance(120);
    let copy = a.ok(
        "ecs",
        "CopyImage",
        json!({"ImageId": m, "Encrypted": true, "KMSKeyId": k}),
    )["ImageId"]
        .as_str()
        .unwrap()
        .to_string();
    a.advance(120);
    a.ok("ecs", "StopInstance", json!({"InstanceId": i}));
    a.ok(
        "ecs",
        "ReplaceSystemDisk",
        json!({"InstanceId": i, "ImageId": copy}),
    );
    a.ok("ecs", "StartInstance", json!({"InstanceId": i}));
    let sys2 = a.system_disk(&i);
    assert_ne!(sys, sys2);
    assert_eq!(a.key_of(&sys2), Some(k.clone()));
    assert_eq!(
        a.ok("play", "ReadData", json!({"InstanceId": i, "DiskId": sys2}))["Text"],
        "boot data"
    );
    // The key now protects the copied image's snapshot and the new disk.
    let kinds: Vec<&str> = a
        .sim
        .aliyun_key_dependents(&k)
        .iter()
        .map(|d| d.kind)
        .collect();
    assert!(kinds.contains(&"disk") && kinds.contains(&"snapshot") && kinds.contains(&"image"));
    // Or a new instance from the encrypted image.
    let j = a.run(json!({"ImageId": copy})).unwrap();
    let sj = a.system_disk(&j);
    assert_eq!(a.key_of(&sj), Some(k));
}

#[test]
fn encrypt_an_existing_data_disk_through_a_snapshot() {
    // "Data disk: Create a snapshot of the data disk. … Attach the newly created encrypted disk
    // to the original ECS instance."
    let mut a = A::new();
    let i = a.run(json!({"DataDisk": [{"Size": 40}]})).unwrap();
    let data = a.sim.aliyun().disks_of(&i)[1].id.clone();
    a.ok(
        "play",
        "WriteData",
        json!({"InstanceId": i, "DiskId": data, "Text": "payroll"}),
    );
    let s = a.snapshot(&data);
    let enc = a.disk(json!({"SnapshotId": s, "Encrypted": true})).unwrap();
    a.advance(10);
    a.ok("ecs", "AttachDisk", json!({"InstanceId": i, "DiskId": enc}));
    assert_eq!(
        a.ok("play", "ReadData", json!({"InstanceId": i, "DiskId": enc}))["Text"],
        "payroll"
    );
    let raw = a.ok("play", "ShowSector", json!({"DiskId": enc}));
    assert!(!raw["Hex"].as_str().unwrap().contains(&hex("payroll")));
    // The sector view: ciphertext on disk, the text as the instance sees it.
    let view = a.sim.aliyun_sector_view(&enc, 4);
    assert_eq!(view.len(), 1);
    assert!(!view[0].on_disk.starts_with(b"payroll"));
    assert!(view[0]
        .instance_sees
        .as_ref()
        .unwrap()
        .starts_with(b"payroll"));
    // A copy of the snapshot to another region, encrypted there under the service key.
    let c = a.ok(
        "ecs",
        "CopySnapshot",
        json!({"SnapshotId": s, "DestinationRegionId": "cn-shanghai", "Encrypted": true}),
    );
    let cid = c["SnapshotId"].as_str().unwrap();
    let copied = a
        .sim
        .aliyun()
        .snapshots()
        .find(|x| x.id == cid)
        .unwrap()
        .clone();
    assert_eq!(copied.region, "cn-shanghai");
    let key = a
        .sim
        .aliyun()
        .key(&copied.encryption.unwrap().key_id)
        .unwrap()
        .clone();
    assert!(key.service_key && key.region == "cn-shanghai");
}
