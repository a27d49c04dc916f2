//! Throughput and memory numbers for the simulation core (`src/model`): prints, asserts nothing.
//!
//! Run with `cargo run --release --example core_bench`. Measured, in order:
//! 1. a mixed EC2/EBS/KMS workload through `Sim::execute` (calls/s, trace calls produced, µs per op);
//! 2. AES-256-XTS sector encryption with `crypto::xts_{en,de}crypt_sector` (sectors/s, MiB/s);
//! 3. AES-256-GCM data-key wrapping, with `crypto::gcm_{seal,open}` and through KMS
//!    GenerateDataKeyWithoutPlaintext + Decrypt;
//! 4. live heap bytes per written sector of a sparse 16 TiB volume (a counting global allocator);
//! 5. CopySnapshot of a snapshot holding 1 GiB to a new key (full decrypt + re-encrypt);
//! 6. determinism: same seed + same commands give the same `export_trace` hash (FNV-1a 64).
//!
//! Wall-clock time is read here only; the model itself never reads a clock. The release profile
//! of this crate is `opt-level = "z"` (size, for wasm), so these are size-optimised numbers.

use ebs_kms_playground::model::crypto::{
    gcm_open, gcm_seal, xts_decrypt_sector, xts_encrypt_sector, DataKey, SECTOR_SIZE,
};
use ebs_kms_playground::model::{Caller, Sim, ACCOUNT_A};
use ebs_kms_playground::session::Session;
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting live bytes (as requested, without malloc's own overhead).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Counts `n` new live bytes when the allocation `p` succeeded.
fn counted(p: *mut u8, n: usize) -> *mut u8 {
    if !p.is_null() {
        PEAK.fetch_max(LIVE.fetch_add(n, Relaxed) + n, Relaxed);
    }
    p
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged and only
// updates two counters, so `System`'s guarantees carry over.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded unchanged.
        counted(unsafe { System.alloc(layout) }, layout.size())
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded unchanged.
        counted(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        counted(p, new_size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live() -> usize {
    LIVE.load(Relaxed)
}

fn secs(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

const MIB: f64 = 1024.0 * 1024.0;

/// A Sim driven as account A's root in us-east-1, timing every call by operation.
struct Driver {
    sim: Sim,
    who: Caller,
    per_op: BTreeMap<String, (u64, Duration)>,
}

impl Driver {
    fn new(seed: u64) -> Self {
        Driver {
            sim: Sim::new(seed),
            who: Caller::root(ACCOUNT_A, "us-east-1"),
            per_op: BTreeMap::new(),
        }
    }

    /// Runs one operation; a failure aborts the benchmark (the workload must be valid).
    fn call(&mut self, service: &str, op: &str, params: Value) -> Value {
        let t = Instant::now();
        let out = self.sim.execute(&self.who, service, op, params);
        let e = self.per_op.entry(op.to_string()).or_default();
        e.0 += 1;
        e.1 += t.elapsed();
        out.unwrap_or_else(|err| panic!("{service} {op} failed: {err}"))
    }

    fn advance(&mut self, seconds: u64) {
        self.call("play", "AdvanceTime", json!({ "Seconds": seconds }));
    }

    fn calls(&self) -> u64 {
        self.per_op.values().map(|(n, _)| n).sum()
    }

    fn key(&mut self) -> String {
        text(&self.call("kms", "CreateKey", json!({}))["KeyMetadata"]["Arn"])
    }

    /// A running instance and its availability zone.
    fn instance(&mut self) -> (String, String) {
        let imgs = self.call("ec2", "DescribeImages", json!({ "Owners": ["amazon"] }));
        let ami = text(&imgs["Images"][0]["ImageId"]);
        let p = json!({ "ImageId": ami, "InstanceType": "t3.micro" });
        let inst = self.call("ec2", "RunInstances", p)["Instances"][0].clone();
        self.advance(30);
        (
            text(&inst["InstanceId"]),
            text(&inst["Placement"]["AvailabilityZone"]),
        )
    }

    /// An encrypted volume under `key`, created, made available and attached as /dev/sdf.
    fn attached_volume(&mut self, inst: &str, az: &str, gib: u64, key: &str) -> String {
        let p = json!({ "AvailabilityZone": az, "Size": gib, "Encrypted": true, "KmsKeyId": key });
        let vol = text(&self.call("ec2", "CreateVolume", p)["VolumeId"]);
        self.advance(2);
        let p = json!({ "VolumeId": vol, "InstanceId": inst, "Device": "/dev/sdf" });
        self.call("ec2", "AttachVolume", p);
        vol
    }

    fn write(&mut self, inst: &str, sector: u64, data: String) {
        let p = json!({ "InstanceId": inst, "Device": "/dev/sdf", "Text": data, "Sector": sector });
        self.call("play", "WriteData", p);
    }

    /// CopySnapshot in the same region, re-encrypted under `key`.
    fn copy_snapshot(&mut self, snap: &str, key: &str) -> String {
        let p = json!({ "SourceSnapshotId": snap, "SourceRegion": "us-east-1", "Encrypted": true, "KmsKeyId": key });
        text(&self.call("ec2", "CopySnapshot", p)["SnapshotId"])
    }

    fn detach_and_delete(&mut self, vol: &str) {
        self.call("ec2", "DetachVolume", json!({ "VolumeId": vol }));
        self.call("ec2", "DeleteVolume", json!({ "VolumeId": vol }));
    }
}

fn text(v: &Value) -> String {
    v.as_str().expect("a string in the result").to_string()
}

/// FNV-1a, 64-bit: a stable hash to print (std's hasher is not stable across Rust releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn trace_hash(sim: &Sim) -> u64 {
    let json = serde_json::to_string(&sim.export_trace()).unwrap_or_default();
    fnv1a(json.as_bytes())
}

/// ASCII text of `sectors` full sectors, varied by `seed`.
fn payload(seed: u64, sectors: usize) -> String {
    const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    let (len, start) = (sectors * SECTOR_SIZE, (seed % 36) as usize);
    ALPHABET.repeat(len / ALPHABET.len() + 2)[start..start + len].to_string()
}

/// `iters` rounds of the key → volume → write → snapshot → copy → cleanup life cycle.
fn mixed_workload(seed: u64, iters: u64) -> (Driver, f64) {
    let mut d = Driver::new(seed);
    let t = Instant::now();
    let (inst, az) = d.instance();
    let copy_key = d.key();
    for i in 0..iters {
        let key = d.key();
        let vol = d.attached_volume(&inst, &az, 8, &key);
        let sector = i % 1000;
        d.write(&inst, sector, payload(i, 8));
        let p = json!({ "InstanceId": inst, "Device": "/dev/sdf", "Sector": sector, "Length": 64 });
        d.call("play", "ReadData", p);
        let snap = text(&d.call("ec2", "CreateSnapshot", json!({ "VolumeId": vol }))["SnapshotId"]);
        d.advance(5);
        let copy = d.copy_snapshot(&snap, &copy_key);
        d.advance(5);
        d.detach_and_delete(&vol);
        for s in [snap, copy] {
            d.call("ec2", "DeleteSnapshot", json!({ "SnapshotId": s }));
        }
        let p = json!({ "KeyId": key, "PendingWindowInDays": 7 });
        d.call("kms", "ScheduleKeyDeletion", p);
    }
    (d, secs(t))
}

fn mixed() {
    let iters = 2000;
    let (d, took) = mixed_workload(1, iters);
    let (calls, trace) = (d.calls(), d.sim.trace().len());
    let (rate, heap) = (calls as f64 / took, live() as f64 / MIB);
    let per_call = trace as f64 / calls as f64;
    println!("1. Mixed workload: {iters} rounds of CreateKey, CreateVolume (8 GiB, encrypted),");
    println!(
        "   AttachVolume, WriteData (8 sectors), ReadData, CreateSnapshot, CopySnapshot to another"
    );
    println!(
        "   key, DetachVolume, DeleteVolume, DeleteSnapshot x2, ScheduleKeyDeletion, AdvanceTime"
    );
    println!("   {calls} execute calls in {took:.3} s = {rate:.0} calls/s");
    println!("   trace: {trace} calls recorded ({per_call:.1} per execute call); live heap at the end {heap:.1} MiB");
    println!("   per operation:                  count    mean µs");
    for (op, (n, t)) in &d.per_op {
        let mean = t.as_secs_f64() * 1e6 / *n as f64;
        println!("     {op:<28} {n:>6}  {mean:>9.1}");
    }
}

fn xts() {
    let key = DataKey::from_bytes(std::array::from_fn(|i| i as u8 * 3 + 1));
    let n: u64 = 400_000;
    let mut buf = vec![0x5au8; SECTOR_SIZE];
    let t = Instant::now();
    for s in 0..n {
        xts_encrypt_sector(&key, s, &mut buf).expect("512-byte sector");
    }
    let enc = secs(t);
    let t = Instant::now();
    for s in (0..n).rev() {
        xts_decrypt_sector(&key, s, &mut buf).expect("512-byte sector");
    }
    let dec = secs(t);
    assert!(buf.iter().all(|b| *b == 0x5a), "XTS round trip");
    let mut block = [0u8; 16];
    let t = Instant::now();
    for s in 0..n {
        xts_encrypt_sector(&key, s, black_box(&mut block)).expect("one block");
    }
    let (tiny_us, sector_us) = (secs(t) * 1e6 / n as f64, enc * 1e6 / n as f64);
    let (mib, n) = ((n as usize * SECTOR_SIZE) as f64 / MIB, n as f64);
    println!("2. AES-256-XTS: {n} sectors of {SECTOR_SIZE} bytes, one crypto call per sector (as the model does)");
    for (what, s) in [("encrypt", enc), ("decrypt", dec)] {
        println!("   {what}: {:>9.0} sectors/s {:>7.1} MiB/s", n / s, mib / s);
    }
    println!("   a 16-byte call (≈ the per-call key setup) takes {tiny_us:.2} µs of the {sector_us:.2} µs per sector");
}

fn gcm() {
    let (kek, dk, n) = ([0x42u8; 32], [7u8; 64], 200_000u32);
    let aad = br#"{"aws:ebs:id":"vol-0123456789abcdef0"}"#;
    let nonce = |i: u32| std::array::from_fn(|b| i.to_le_bytes().get(b).copied().unwrap_or(0));
    let mut sealed = Vec::new();
    let t = Instant::now();
    for i in 0..n {
        sealed = gcm_seal(&kek, &nonce(i), aad, black_box(&dk));
    }
    let seal = f64::from(n) / secs(t);
    let t = Instant::now();
    for _ in 0..n {
        black_box(gcm_open(&kek, &nonce(n - 1), aad, black_box(&sealed)).expect("authentic"));
    }
    let open = f64::from(n) / secs(t);
    println!(
        "3. AES-256-GCM wrapping of a 64-byte data key, crypto functions directly ({n} each):"
    );
    println!("   gcm_seal {seal:.0} wraps/s, gcm_open {open:.0} unwraps/s");

    let mut d = Driver::new(3);
    let key = d.key();
    let (pairs, before) = (20_000, d.sim.trace().len());
    let t = Instant::now();
    for i in 0..pairs {
        let ctx = json!({ "aws:ebs:id": format!("vol-{i:017x}") });
        let p = json!({ "KeyId": key, "NumberOfBytes": 64, "EncryptionContext": ctx });
        let blob = d.call("kms", "GenerateDataKeyWithoutPlaintext", p)["CiphertextBlob"].clone();
        let p = json!({ "CiphertextBlob": blob, "EncryptionContext": ctx });
        d.call("kms", "Decrypt", p);
    }
    let (rate, traced) = (f64::from(pairs) / secs(t), d.sim.trace().len() - before);
    println!("   through Sim::execute, {pairs} GenerateDataKeyWithoutPlaintext + Decrypt pairs:");
    let calls = 2.0 * rate;
    println!("   {rate:.0} pairs/s = {calls:.0} KMS calls/s, {traced} trace calls recorded");
}

fn sparse() {
    let mut d = Driver::new(4);
    let (inst, az) = d.instance();
    let key = d.key();
    let vol = d.attached_volume(&inst, &az, 16_384, &key);
    let logical = (16_384u64 << 30) / SECTOR_SIZE as u64;
    let runs = 1024u64; // WriteData calls of 64 sectors each, spread evenly over the 16 TiB
    let w = (runs * 64) as f64;
    let state_size = |d: &Driver| serde_json::to_vec(&d.sim.export_state()).map_or(0, |s| s.len());
    let (state0, heap0, trace0) = (state_size(&d), live(), d.sim.trace().len());
    let t = Instant::now();
    for r in 0..runs {
        d.write(&inst, r * (logical / runs), payload(r, 64));
    }
    let rate = w / secs(t);
    let grown = (live() - heap0) as f64 / w;
    let traced = d.sim.trace().len() - trace0;
    let json = (state_size(&d) - state0) as f64 / w;
    d.call("ec2", "DetachVolume", json!({ "VolumeId": vol }));
    let before_delete = live();
    d.call("ec2", "DeleteVolume", json!({ "VolumeId": vol }));
    let freed = before_delete.saturating_sub(live()) as f64 / w;
    println!("4. Sparse storage: {w} sectors ({:.0} MiB) written as {runs} runs of 64 spread over a 16 TiB", w / 2048.0);
    println!("   encrypted volume ({logical} logical sectors), {rate:.0} sectors/s via WriteData");
    println!("   heap freed by DeleteVolume (sector map + changed set): {freed:.1} bytes/sector");
    println!("   heap growth while writing, incl. {traced} trace calls that keep the request text: {grown:.1} bytes/sector");
    println!("   export_state JSON growth (sectors as hex): {json:.1} bytes/sector");
}

fn copy() {
    let mut d = Driver::new(5);
    let (inst, az) = d.instance();
    let (key1, key2) = (d.key(), d.key());
    let vol = d.attached_volume(&inst, &az, 2, &key1);
    let (runs, budget) = (32_768u64, 45.0); // 32,768 WriteData calls × 32 KiB = 1 GiB
    let t = Instant::now();
    let mut done = 0;
    while done < runs && secs(t) < budget {
        d.write(&inst, done * 64, payload(done, 64));
        done += 1;
    }
    let (write_s, mib) = (secs(t), done as f64 / 32.0);
    let t = Instant::now();
    let snap = text(&d.call("ec2", "CreateSnapshot", json!({ "VolumeId": vol }))["SnapshotId"]);
    let snap_s = secs(t);
    d.advance(5);
    d.detach_and_delete(&vol);
    let heap0 = live();
    PEAK.store(heap0, Relaxed);
    let t = Instant::now();
    let copy = d.copy_snapshot(&snap, &key2);
    let copy_s = secs(t);
    let peak = (PEAK.load(Relaxed) - heap0) as f64 / MIB;
    let copied = d.sim.snapshots().find(|s| s.id == copy);
    let blocks = copied.map_or(0, |s| s.blocks.0.len());
    d.advance(5);
    // The copy must decrypt under the new key: restore it and read a run back.
    let p = json!({ "AvailabilityZone": az, "SnapshotId": copy });
    let restored = text(&d.call("ec2", "CreateVolume", p)["VolumeId"]);
    d.advance(2);
    let p = json!({ "VolumeId": restored, "InstanceId": inst, "Device": "/dev/sdf" });
    d.call("ec2", "AttachVolume", p);
    let probe = done / 2;
    let p = json!({ "InstanceId": inst, "Device": "/dev/sdf", "Sector": probe * 64, "Length": 64 });
    let ok = text(&d.call("play", "ReadData", p)["Text"]) == payload(probe, 64)[..64];
    let partial = done < runs;
    println!(
        "5. CopySnapshot to a new key (full re-encrypt: decrypt + encrypt each stored sector)"
    );
    if partial {
        println!("   NOTE: writing stopped at the {budget} s budget with {mib:.0} MiB, not 1 GiB: 1 GiB is extrapolated");
    }
    let write_rate = mib / write_s;
    println!("   wrote {mib:.0} MiB with {done} WriteData calls in {write_s:.2} s ({write_rate:.1} MiB/s)");
    println!("   CreateSnapshot of the volume: {snap_s:.2} s");
    println!("   CopySnapshot: {blocks} sectors re-encrypted in {copy_s:.2} s = {:.1} MiB/s, heap peak +{peak:.0} MiB", mib / copy_s);
    let extra = if partial { " (extrapolated)" } else { "" };
    let gib_s = copy_s * 1024.0 / mib;
    println!("   1 GiB copy: {gib_s:.2} s{extra}; restored copy reads back correctly: {ok}");
}

const SCRIPT: &[&str] = &[
    "KEY=$(aws kms create-key --description bench --query KeyMetadata.Arn --output text)",
    "AMI=$(aws ec2 describe-images --owners amazon --query 'Images[0].ImageId' --output text)",
    "INST=$(aws ec2 run-instances --image-id $AMI --instance-type t3.micro --query 'Instances[0].InstanceId' --output text)",
    "AZ=$(aws ec2 describe-instances --instance-ids $INST --query 'Reservations[0].Instances[0].Placement.AvailabilityZone' --output text)",
    "play advance --seconds 30",
    "VOL=$(aws ec2 create-volume --size 8 --availability-zone $AZ --encrypted --kms-key-id $KEY --query VolumeId --output text)",
    "play advance --seconds 5",
    "aws ec2 attach-volume --volume-id $VOL --instance-id $INST --device /dev/sdf",
    "play write --instance-id $INST --device /dev/sdf --text 'hello determinism' --sector 3",
    "SNAP=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)",
    "play advance --seconds 10",
    "aws ec2 copy-snapshot --source-snapshot-id $SNAP --source-region us-east-1 --encrypted --kms-key-id alias/aws/ebs",
    "play advance --seconds 10",
    "aws ec2 detach-volume --volume-id $VOL",
];

fn determinism() {
    let run = |seed: u64| {
        let mut s = Session::new(seed);
        for line in SCRIPT {
            s.run(line);
        }
        let bad: Vec<_> = s.unexpected().map(|e| e.result.text.clone()).collect();
        assert!(bad.is_empty(), "script lines failed: {bad:?}");
        s
    };
    let (a, b, other) = (run(9), run(9), run(10));
    let replayed = Session::replay(a.script());
    let [ha, hb, hr, ho] = [&a, &b, &replayed, &other].map(|s| trace_hash(s.sim()));
    let (lines, calls, same) = (SCRIPT.len(), a.calls().len(), ha == hb && hb == hr);
    println!("6. Determinism: FNV-1a 64 of the serialized export_trace");
    println!("   CLI script ({lines} lines, {calls} trace calls), seed 9: run 1 {ha:016x}, run 2 {hb:016x}, replay {hr:016x}");
    let differs = ha != ho;
    println!("   identical: {same}; seed 10 gives {ho:016x} (differs: {differs})");
    let (m1, m2) = (mixed_workload(7, 200).0, mixed_workload(7, 200).0);
    let (h1, h2) = (trace_hash(&m1.sim), trace_hash(&m2.sim));
    let n = m1.sim.trace().len();
    println!("   mixed workload, 200 rounds, seed 7 ({n} trace calls): {h1:016x} / {h2:016x}; identical: {}", h1 == h2);
}

fn main() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo.lines().find(|l| l.starts_with("model name"));
    let cpu = cpu.and_then(|l| l.split(':').nth(1)).unwrap_or("?").trim();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    let debug = cfg!(debug_assertions);
    println!("core_bench (debug assertions: {debug}), single-threaded; {threads} hardware threads");
    println!("CPU: {cpu}");
    let load = load.join(" ");
    println!("load average at start: {load} (other processes on these cores make numbers noisy)");
    let benches: [fn(); 6] = [mixed, xts, gcm, sparse, copy, determinism];
    for bench in benches {
        println!();
        bench();
    }
}
