//! The simulation core: a deterministic model of EC2, EBS, KMS and IAM with real envelope encryption.
//!
//! **Architecture invariant:** nothing in this module tree imports leptos, web-sys or gloo,
//! reads a clock or asks the OS for randomness. Time and the seed are inputs.
//!
//! The one entry point is [`Sim::execute`]: an operation name and AWS-shaped JSON parameters
//! in, an AWS-shaped JSON result or [`AwsError`] out, and every request that the operation
//! makes between services appended to the [`Trace`].

pub mod aliyun;
mod autoscaling;
mod call_spec;
pub mod clock;
pub mod codes;
pub mod context;
pub mod crypto;
pub mod ebs;
mod ec2;
pub mod error;
mod filters;
pub mod iam;
pub mod kms;
mod network;
pub mod ops;
mod paging;
mod params;
mod play;
pub mod policy;
pub mod provider;
pub mod rds;
pub mod rng;
pub mod s3;
mod sts;
pub mod trace;
pub mod visibility;

use crate::json;
pub(crate) use call_spec::{redact, CallSpec};
use codes::{CommonCode, Ec2Code};
use ebs::{Image, Instance, Snapshot, Volume};
pub use error::{AwsError, AwsResult};
use iam::Iam;
use kms::Kms;
use ops::Service;
use params::Params;
use provider::{Cloud, Provider, AWS};
use rng::SimRng;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use trace::{Participant, Trace};

/// Who makes a request: the account, the region it is sent to, and the principal ARN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Caller {
    /// Twelve-digit account id.
    pub account: String,
    /// Region the request goes to.
    pub region: String,
    /// Principal ARN (`arn:aws:iam::111122223333:root`, a user or a role).
    pub principal: String,
}

impl Caller {
    /// The account's root principal in a region, with AWS's ARNs (the playground's default
    /// provider); [`Caller::root_in`] names it for another.
    pub fn root(account: &str, region: &str) -> Self {
        Self::root_in(&AWS, account, region)
    }

    /// The account's root principal in a region, as `provider` names it.
    pub fn root_in(provider: &Provider, account: &str, region: &str) -> Self {
        Caller {
            account: account.to_string(),
            region: region.to_string(),
            principal: provider.root_arn(account),
        }
    }
}

/// The first account of the seeds.
pub const ACCOUNT_A: &str = "111122223333";
/// The second account of the seeds.
pub const ACCOUNT_B: &str = "444455556666";
/// The account that owns the public AMIs the playground starts with.
pub const AMAZON_ACCOUNT: &str = "137112412989";

/// Encryption-by-default settings of one account in one region.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EbsSettings {
    /// EnableEbsEncryptionByDefault.
    pub encryption_by_default: bool,
    /// ModifyEbsDefaultKmsKeyId: a key ARN, or `None` for the AWS managed key.
    pub default_kms_key: Option<String>,
}

/// Something that happens later in simulated time.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Scheduled {
    pub due: u64,
    pub what: Pending,
}

/// The kinds of delayed work.
#[derive(Clone, Debug, Serialize)]
pub(crate) enum Pending {
    VolumeReady(String),
    VolumeFailed {
        volume: String,
        cause: String,
    },
    SnapshotCompleted(String),
    SnapshotFailed {
        snapshot: String,
        cause: String,
    },
    InstanceRunning(String),
    InstanceFailed {
        instance: String,
        code: String,
        message: String,
    },
    InstanceStopped(String),
    InstanceStartFailed {
        instance: String,
        code: String,
        message: String,
    },
    InstanceTerminated(String),
    ImageAvailable(String),
    KeyDeleted(String),
    /// Delayed work of RDS (instances and snapshots becoming available, …).
    Rds(rds::RdsPending),
    /// Delayed work of Alibaba Cloud ECS and KMS.
    Aliyun(aliyun::AliPending),
}

/// The whole simulated world.
#[derive(Clone, Debug)]
pub struct Sim {
    pub(crate) provider: Provider,
    pub(crate) seed: u64,
    pub(crate) rng: SimRng,
    pub(crate) now: u64,
    pub(crate) commands: usize,
    pub(crate) trace: Trace,
    pub(crate) kms: Kms,
    pub(crate) iam: Iam,
    pub(crate) s3: s3::S3,
    pub(crate) settings: BTreeMap<(String, String), EbsSettings>,
    pub(crate) volumes: Table<Volume>,
    pub(crate) snapshots: Table<Snapshot>,
    pub(crate) images: Table<Image>,
    pub(crate) instances: Table<Instance>,
    pub(crate) launch_templates: Table<ec2::LaunchTemplate>,
    pub(crate) asgs: Table<autoscaling::AutoScalingGroup>,
    pub(crate) rds: rds::Rds,
    pub(crate) aliyun: aliyun::Aliyun,
    pub(crate) pending: Vec<Scheduled>,
    /// Calls of the command being executed that are still open (their response comes later).
    pub(crate) open: Vec<usize>,
    pub(crate) data_key_counter: u64,
}

/// A service's resources by id. The values are boxed so that every table has the same node
/// layout: the B-tree code (insert, remove, rebalancing) is then compiled once for all of them,
/// not once per resource type (about 50 KB of wasm before compression).
pub type Table<T> = BTreeMap<String, Box<T>>;

/// The outcome of [`Sim::execute`].
pub type Outcome = AwsResult<Value>;

/// The method that answers one operation, given the caller and the request read against the
/// operation table. Each service module lists its handlers in a `HANDLERS` table.
pub(crate) type Handler = fn(&mut Sim, &Caller, &Params) -> AwsResult<Value>;

/// The handler table of a service.
fn handlers(service: Service) -> &'static [(&'static str, Handler)] {
    match service {
        Service::Ec2 => ec2::HANDLERS,
        Service::Kms => kms::HANDLERS,
        Service::Iam => iam::HANDLERS,
        Service::Sts => sts::HANDLERS,
        Service::AutoScaling => autoscaling::HANDLERS,
        Service::Play => play::HANDLERS,
        Service::S3 => s3::HANDLERS,
        Service::Rds => rds::HANDLERS,
        Service::AliEcs => aliyun::ECS_HANDLERS,
        Service::AliKms => aliyun::KMS_HANDLERS,
        Service::AliRam => aliyun::RAM_HANDLERS,
        Service::AliPlay => aliyun::PLAY_HANDLERS,
    }
}

impl Sim {
    /// A new AWS world: two accounts, the regions of the provider, a public AMI per region.
    pub fn new(seed: u64) -> Self {
        Sim::new_in(Cloud::Aws, seed)
    }

    /// A new world of a cloud: AWS as [`Sim::new`] makes it, or Alibaba Cloud with its regions
    /// and a public image in each.
    pub fn new_in(cloud: Cloud, seed: u64) -> Self {
        let mut sim = Sim {
            provider: cloud.provider().clone(),
            seed,
            rng: SimRng::from_seed(seed),
            now: 0,
            commands: 0,
            trace: Trace::default(),
            kms: Kms::default(),
            iam: Iam::default(),
            s3: s3::S3::default(),
            settings: BTreeMap::new(),
            volumes: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            images: BTreeMap::new(),
            instances: BTreeMap::new(),
            launch_templates: BTreeMap::new(),
            asgs: BTreeMap::new(),
            rds: rds::Rds::default(),
            aliyun: aliyun::Aliyun::default(),
            pending: Vec::new(),
            open: Vec::new(),
            data_key_counter: 0,
        };
        if cloud == Cloud::Alibaba {
            sim.aliyun_seed();
            return sim;
        }
        for account in [ACCOUNT_A, ACCOUNT_B] {
            sim.iam.ensure_account(&sim.provider, account);
        }
        for region in sim.provider.regions {
            sim.seed_public_image(region);
        }
        sim
    }

    /// The cloud of this world.
    pub fn cloud(&self) -> Cloud {
        self.provider.cloud
    }

    /// The Alibaba Cloud state (empty in an AWS world), for views.
    pub fn aliyun(&self) -> &aliyun::Aliyun {
        &self.aliyun
    }

    /// The seed this world was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Simulated seconds since the session started.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Number of commands executed so far.
    pub fn command_count(&self) -> usize {
        self.commands
    }

    /// The trace of every call so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The provider profile.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// The one entry point: runs `service`/`operation` with AWS-shaped `params` as `caller`.
    ///
    /// Every call goes to the trace, including refused ones. Never panics on any input.
    pub fn execute(
        &mut self,
        caller: &Caller,
        service: &str,
        operation: &str,
        params: Value,
    ) -> Outcome {
        let parsed = Service::parse_in(self.provider.cloud, service);
        // Refused requests are drawn on the lifeline of the service they were sent to.
        let to = parsed.map_or(Participant::Ec2, Service::participant);
        let params = match params {
            Value::Null => json!({}),
            Value::Object(_) => params,
            _ => {
                return self.refuse_request(
                    caller,
                    to,
                    operation,
                    params,
                    AwsError::new(
                        CommonCode::ValidationException,
                        "Parameters must be a JSON object.",
                    ),
                )
            }
        };
        if !self.provider.has_region(&caller.region) {
            let e = AwsError::new(
                CommonCode::InvalidClientTokenId,
                format!(
                    "The region {} is not one this playground models (try {}).",
                    caller.region,
                    self.provider.regions.join(", ")
                ),
            );
            return self.refuse_request(caller, to, operation, params, e);
        }
        if !self.provider.valid_account(&caller.account) {
            let e = AwsError::new(
                CommonCode::InvalidClientTokenId,
                format!(
                    "The account id must be {} digits.",
                    self.provider.account_digits
                ),
            );
            return self.refuse_request(caller, to, operation, params, e);
        }
        if self.provider.cloud == Cloud::Aws {
            self.iam.ensure_account(&self.provider, &caller.account);
        }
        let Some(service) = parsed else {
            let known: Vec<&str> = Service::of(self.provider.cloud)
                .iter()
                .map(|s| s.as_str())
                .collect();
            let e = AwsError::new(
                CommonCode::UnknownService,
                format!(
                    "Unknown service '{service}'; the playground models {} here.",
                    known.join(", ")
                ),
            );
            return self.refuse_request(caller, to, operation, params, e);
        };
        self.commands += 1;
        let top = self.open_call(CallSpec {
            from: Participant::User,
            to: service.participant(),
            operation: operation.to_string(),
            request: params.clone(),
            principal: caller.principal.clone(),
            invoked_by: None,
            account: caller.account.clone(),
            region: caller.region.clone(),
            ..CallSpec::default()
        });
        let result = self.dispatch(caller, service, operation, &params);
        let recorded = match &result {
            Ok(v) => redact(v),
            Err(_) => Value::Null,
        };
        self.close_call(top, recorded, result.as_ref().err().cloned());
        // Close anything a failing path left open, so every call has its response.
        while let Some(i) = self.open.pop() {
            self.finish(i);
        }
        result
    }

    /// Reads the request against the operation table and runs the operation's handler.
    /// `DryRun` is answered here, once, for every EC2 operation.
    fn dispatch(
        &mut self,
        caller: &Caller,
        service: Service,
        operation: &str,
        params: &Value,
    ) -> Outcome {
        let q = Params::for_operation(service, operation, params)?;
        if q.dry_run() {
            let message = match self.provider.cloud {
                Cloud::Alibaba => "Request validation has been passed with DryRun flag set.",
                Cloud::Aws => "Request would have succeeded, but DryRun flag is set.",
            };
            return Err(AwsError::new(Ec2Code::DryRunOperation, message));
        }
        match handlers(service).iter().find(|(name, _)| *name == operation) {
            Some((_, handler)) => {
                let mut v = handler(self, caller, &q)?;
                if let Some(paging) = service.op(operation).and_then(|o| o.paging) {
                    paging::page(service, &paging, &q, &mut v)?;
                }
                Ok(v)
            }
            None => Err(AwsError::new(
                CommonCode::InvalidAction,
                format!("The action {operation} is not valid for the {service} service in this playground."),
            )),
        }
    }

    /// Records a request refused before any service looked at it, on the lifeline of the
    /// service it was sent to.
    fn refuse_request(
        &mut self,
        caller: &Caller,
        to: Participant,
        operation: &str,
        params: Value,
        e: AwsError,
    ) -> Outcome {
        self.commands += 1;
        let i = self.open_call(CallSpec {
            from: Participant::User,
            to,
            operation: operation.to_string(),
            request: params,
            principal: caller.principal.clone(),
            account: caller.account.clone(),
            region: caller.region.clone(),
            ..CallSpec::default()
        });
        self.close_call(i, Value::Null, Some(e.clone()));
        Err(e)
    }

    /// Stores an authorization decision on the call being made, if that call goes to `to`.
    pub(crate) fn record_auth(&mut self, to: Participant, decision: trace::AuthDecision) {
        let current = self.open.last().and_then(|&i| self.trace.get_mut(i));
        if let Some(c) = current.filter(|c| c.to == to) {
            c.auth = Some(decision);
        }
    }

    /// Notes a KMS key the call being made uses (CloudTrail `resources`), if that call goes to
    /// KMS; each key once.
    pub(crate) fn record_key(&mut self, arn: &str) {
        let current = self.open.last().and_then(|&i| self.trace.get_mut(i));
        if let Some(c) = current.filter(|c| c.to == Participant::Kms) {
            if !c.key_arns.iter().any(|a| a == arn) {
                c.key_arns.push(arn.to_string());
            }
        }
    }

    /// Records the request half of a call whose response comes after nested calls.
    pub(crate) fn open_call(&mut self, spec: CallSpec) -> usize {
        let parent = self.open.last().copied();
        let call = spec.into_call(self.commands.saturating_sub(1), self.now, parent);
        let i = self.trace.push(call);
        self.open.push(i);
        i
    }

    /// Fills in the response half of an open call.
    pub(crate) fn close_call(&mut self, i: usize, response: Value, error: Option<AwsError>) {
        let end = self.trace.len();
        if let Some(c) = self.trace.get_mut(i) {
            c.response = response;
            c.error = error;
            c.end = end;
        }
        self.finish(i);
    }

    fn finish(&mut self, i: usize) {
        if let Some(pos) = self.open.iter().rposition(|&x| x == i) {
            self.open.remove(pos);
        }
        let end = self.trace.len();
        if let Some(c) = self.trace.get_mut(i) {
            if c.end < c.seq + 1 {
                c.end = end;
            }
        }
    }

    /// Records a call and runs it: `f` gives the answer and the response to record (its
    /// plaintext redacted), or the error; a failed call says where no data key went. The one
    /// way KMS requests of either cloud are traced.
    pub(crate) fn traced<T>(
        &mut self,
        spec: CallSpec,
        f: impl FnOnce(&mut Sim) -> AwsResult<(T, Value)>,
    ) -> AwsResult<T> {
        let i = self.open_call(spec);
        match f(self) {
            Ok((t, resp)) => {
                self.close_call(i, redact(&resp), None);
                Ok(t)
            }
            Err(e) => {
                if let Some(c) = self.trace.get_mut(i) {
                    c.key_location = None;
                }
                self.close_call(i, Value::Null, Some(e.clone()));
                Err(e)
            }
        }
    }

    /// Records a complete call (request and response) with no nested calls.
    pub(crate) fn record(
        &mut self,
        spec: CallSpec,
        response: Value,
        error: Option<AwsError>,
    ) -> usize {
        let i = self.open_call(spec);
        self.close_call(i, response, error);
        i
    }

    /// Records an asynchronous event (EventBridge, state change).
    #[allow(clippy::too_many_arguments)] // endpoints, name, place, detail and note all differ per event
    pub(crate) fn event(
        &mut self,
        from: Participant,
        to: Participant,
        name: &str,
        account: &str,
        region: &str,
        detail: Value,
        note: Option<&str>,
    ) {
        let spec = CallSpec {
            from,
            to,
            operation: name.to_string(),
            request: detail,
            principal: match from {
                Participant::Kms => self.provider.service_principal("kms"),
                Participant::Rds => self.provider.rds_principal(),
                _ => self.provider.service_principal("ec2"),
            },
            invoked_by: Some(match from {
                Participant::Rds => self.provider.rds_principal(),
                _ => self.provider.service_principal("ec2"),
            }),
            account: account.into(),
            region: region.into(),
            approximation: note.map(str::to_string),
            is_event: true,
            ..CallSpec::default()
        };
        self.record(spec, Value::Null, None);
    }

    /// Schedules delayed work `delay` seconds from now.
    pub(crate) fn schedule(&mut self, delay: u64, what: Pending) {
        self.pending.push(Scheduled {
            due: self.now + delay,
            what,
        });
    }

    /// Advances simulated time by `seconds`, running everything that falls due, in order.
    pub(crate) fn advance(&mut self, seconds: u64) {
        let target = self.now.saturating_add(seconds);
        loop {
            let next = self
                .pending
                .iter()
                .enumerate()
                .filter(|(_, s)| s.due <= target)
                .min_by_key(|(i, s)| (s.due, *i))
                .map(|(i, _)| i);
            let Some(i) = next else { break };
            let item = self.pending.remove(i);
            self.now = self.now.max(item.due);
            self.run_pending(item.what);
        }
        self.now = target;
        self.kms_rotate_due();
        self.ali_rotate_due();
    }

    /// True when delayed work is waiting (a volume creating, an instance pending, …).
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Seconds until the next delayed work falls due, if any.
    pub fn next_due_in(&self) -> Option<u64> {
        self.pending
            .iter()
            .map(|s| s.due.saturating_sub(self.now))
            .min()
    }

    pub(crate) fn new_data_key_id(&mut self) -> String {
        self.data_key_counter += 1;
        format!("dk-{}", self.data_key_counter)
    }

    /// The plain (non-secret) state as JSON, for export and inspection.
    ///
    /// **Invariant:** contains no plaintext data key and no KMS key material.
    pub fn export_state(&self) -> Value {
        json!({
            "Seed": self.seed,
            "Now": self.now,
            "Commands": self.commands,
            "Kms": self.kms.export(&self.provider),
            "Iam": serde_json::to_value(&self.iam).unwrap_or(Value::Null),
            "EbsSettings": self.settings.iter().map(|((a, r), s)| json!({"Account": a, "Region": r, "EncryptionByDefault": s.encryption_by_default, "DefaultKmsKeyId": s.default_kms_key})).collect::<Vec<_>>(),
            "Volumes": serde_json::to_value(&self.volumes).unwrap_or(Value::Null),
            "Snapshots": serde_json::to_value(&self.snapshots).unwrap_or(Value::Null),
            "Images": serde_json::to_value(&self.images).unwrap_or(Value::Null),
            "Instances": serde_json::to_value(&self.instances).unwrap_or(Value::Null),
            "Pending": serde_json::to_value(&self.pending).unwrap_or(Value::Null),
            "S3": self.s3.export(),
            "Rds": serde_json::to_value(&self.rds).unwrap_or(Value::Null),
            "Aliyun": serde_json::to_value(&self.aliyun).unwrap_or(Value::Null),
        })
    }

    /// The trace as JSON.
    pub fn export_trace(&self) -> Value {
        serde_json::to_value(&self.trace).unwrap_or(Value::Null)
    }

    /// The settings of an account and region (defaults when never changed).
    pub(crate) fn settings_of(&self, account: &str, region: &str) -> EbsSettings {
        self.settings
            .get(&(account.to_string(), region.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn settings_mut(&mut self, account: &str, region: &str) -> &mut EbsSettings {
        self.settings
            .entry((account.to_string(), region.to_string()))
            .or_default()
    }

    /// Volumes, for views: all of them, each with its account and region.
    pub fn volumes(&self) -> impl Iterator<Item = &Volume> {
        self.volumes.values().map(|v| &**v)
    }

    /// Snapshots, for views.
    pub fn snapshots(&self) -> impl Iterator<Item = &Snapshot> {
        self.snapshots.values().map(|v| &**v)
    }

    /// Images, for views.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values().map(|v| &**v)
    }

    /// Instances, for views.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.instances.values().map(|v| &**v)
    }

    /// KMS keys, for views.
    pub fn keys(&self) -> impl Iterator<Item = &kms::Key> {
        self.kms.keys.values().map(|v| &**v)
    }

    /// IAM users and roles (with their identity policies), for views.
    pub fn iam_principals(&self) -> impl Iterator<Item = &iam::Principal> {
        self.iam.principals.values().map(|v| &**v)
    }

    /// The IAM user or role a principal ARN acts as (a role session acts as its role).
    pub fn acting_as(&self, principal: &str) -> Option<&iam::Principal> {
        self.iam.acting_as(&self.provider, principal)
    }

    /// Aliases that point at a key (by key id).
    pub fn aliases_of(&self, key_id: &str) -> Vec<String> {
        self.kms.aliases_of(key_id)
    }

    /// Grants on a key (by key ARN), for views.
    pub fn grants_on(&self, key_arn: &str) -> Vec<&kms::Grant> {
        self.kms.grants_on(key_arn)
    }

    /// Encryption-by-default settings of an account and region.
    pub fn ebs_settings(&self, account: &str, region: &str) -> EbsSettings {
        self.settings_of(account, region)
    }

    /// The key check value of the plaintext data key the host holds for a volume (see
    /// [`crypto::DataKey::check_value`]): equal values mean the same data key. `None` when the
    /// key is not in host memory.
    pub fn host_key_check_value(&self, volume_id: &str) -> Option<String> {
        self.volumes
            .get(volume_id)?
            .host_key
            .as_ref()
            .map(|k| k.check_value())
    }

    /// Whether `text` (an export, a trace, a page) contains any plaintext data key the host
    /// holds now, in hex or base64. The keys themselves never leave the model.
    pub fn reveals_host_key(&self, text: &str) -> bool {
        self.volumes
            .values()
            .filter_map(|v| v.host_key.as_ref())
            .chain(self.rds.host_keys())
            .chain(self.aliyun.host_keys())
            .any(|k| k.appears_in(text))
            || self.s3.reveals(text)
    }

    /// Ids of the volumes whose plaintext data key is in host memory right now.
    pub fn volumes_with_key_in_host(&self) -> Vec<String> {
        self.volumes
            .values()
            .filter(|v| v.host_key.is_some())
            .map(|v| v.id.clone())
            .collect()
    }

    /// The written sectors of a volume as the app's sector view shows them: the bytes on disk
    /// (ciphertext when encrypted) and, when the instance can read them, the bytes it sees.
    /// Encrypted sectors are readable only while the plaintext data key is in host memory
    /// (the volume is attached); nothing here calls KMS or changes state. At most `limit`
    /// sectors, in sector order.
    pub fn sector_view(&self, volume_id: &str, limit: usize) -> Vec<SectorView> {
        let Some(v) = self.volumes.get(volume_id) else {
            return Vec::new();
        };
        v.sectors
            .0
            .iter()
            .take(limit)
            .map(|(&n, disk)| {
                let seen = match (&v.encryption, &v.host_key) {
                    (None, _) => Some(disk.clone()),
                    (Some(_), Some(key)) => {
                        let mut b = disk.clone();
                        crypto::xts_decrypt_sector(key, n, &mut b).ok().map(|_| b)
                    }
                    (Some(_), None) => None,
                };
                SectorView {
                    sector: n,
                    on_disk: disk.clone(),
                    instance_sees: seen,
                }
            })
            .collect()
    }
}

/// One stored sector of a volume, for the sector view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectorView {
    /// Sector number (the XTS tweak).
    pub sector: u64,
    /// The bytes stored on disk.
    pub on_disk: Vec<u8>,
    /// The bytes the attached instance reads, when it can read them.
    pub instance_sees: Option<Vec<u8>>,
}
