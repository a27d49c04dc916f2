//! The append-only trace: every request one participant makes to another, with its response or error.
//!
//! The trace is what the sequence diagram draws, what the CLI runner prints under `calls`,
//! and what CloudTrail would have recorded. Entries are never edited or removed.

use super::error::AwsError;
use super::provider::Provider;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A lifeline in the sequence diagram: who sends or receives a request.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Participant {
    /// The person (or script) acting through the console, the CLI or the UI forms.
    #[default]
    User,
    /// The EC2 control plane (RunInstances, CreateVolume, AttachVolume, …).
    #[serde(rename = "EC2")]
    Ec2,
    /// EBS storage: volume and snapshot data and metadata.
    #[serde(rename = "EBS")]
    Ebs,
    /// AWS Key Management Service.
    #[serde(rename = "KMS")]
    Kms,
    /// The EC2 host (Nitro card / hypervisor) whose memory holds plaintext data keys.
    Host,
    /// IAM: users, roles and their policies.
    #[serde(rename = "IAM")]
    Iam,
    /// AWS STS: who is calling, and role sessions (AssumeRole).
    #[serde(rename = "STS")]
    Sts,
    /// EC2 Auto Scaling, acting through its service-linked role.
    AutoScaling,
    /// Amazon RDS: DB instances and DB snapshots (storage on EBS-style encrypted volumes).
    #[serde(rename = "RDS")]
    Rds,
    /// Amazon EventBridge, which carries asynchronous results (createVolume failed, …).
    EventBridge,
    /// Amazon S3: buckets and objects, encrypted server-side.
    #[serde(rename = "S3")]
    S3,
    /// Alibaba Cloud ECS: instances and their disks (Elastic Block Storage), snapshots, images.
    #[serde(rename = "ECS")]
    Ecs,
    /// Alibaba Cloud RAM: users, roles, policies, and the role ECS needs to use a CMK.
    #[serde(rename = "RAM")]
    Ram,
}

impl Participant {
    /// Every participant, in the order the diagram draws lifelines from left to right.
    pub const ALL: [Participant; 13] = [
        Participant::User,
        Participant::S3,
        Participant::Ecs,
        Participant::AutoScaling,
        Participant::Rds,
        Participant::Ec2,
        Participant::Ebs,
        Participant::Host,
        Participant::Kms,
        Participant::Iam,
        Participant::Sts,
        Participant::Ram,
        Participant::EventBridge,
    ];

    /// The name used in the diagram, in JSON (`from`/`to`) and in Mermaid output.
    pub fn name(self) -> &'static str {
        match self {
            Participant::User => "User",
            Participant::Ec2 => "EC2",
            Participant::Ebs => "EBS",
            Participant::Kms => "KMS",
            Participant::Host => "Host",
            Participant::Iam => "IAM",
            Participant::Sts => "STS",
            Participant::AutoScaling => "AutoScaling",
            Participant::Rds => "RDS",
            Participant::EventBridge => "EventBridge",
            Participant::S3 => "S3",
            Participant::Ecs => "ECS",
            Participant::Ram => "RAM",
        }
    }

    /// The service that answers requests sent to this lifeline, as its service principal
    /// names it (`kms`, `ec2`, …): EBS and the host are EC2's; the user's events are EventBridge's.
    pub fn service(self) -> &'static str {
        match self {
            Participant::Kms => "kms",
            Participant::Ec2 | Participant::Ebs | Participant::Host => "ec2",
            Participant::Iam => "iam",
            Participant::Sts => "sts",
            Participant::AutoScaling => "autoscaling",
            Participant::EventBridge | Participant::User => "events",
            Participant::S3 => "s3",
            Participant::Rds => "rds",
            Participant::Ecs => "ecs",
            Participant::Ram => "ram",
        }
    }
}

/// Where a data key exists in plaintext right after this call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyLocation {
    /// The data key exists only encrypted (in volume or snapshot metadata); nowhere in plaintext.
    EncryptedAtRest,
    /// KMS returned the plaintext data key; it is in transit to the host.
    InTransitToHost,
    /// The plaintext data key is in the host's (hypervisor) memory while the volume is attached.
    HostMemory,
    /// The plaintext was used briefly by EBS to encrypt data being restored, then discarded.
    EbsTransient,
    /// The plaintext data key was dropped from host memory (detach, stop, terminate).
    Discarded,
    /// S3 used the plaintext data key for this one request and discarded it (SSE-KMS without
    /// a Bucket Key); only the encrypted copy is kept, in the object's metadata.
    S3PerRequest,
    /// S3 holds the plaintext bucket-level key (S3 Bucket Key) for a limited time and derives
    /// per-object data keys from it; then it discards it.
    S3BucketKey,
}

/// How the public record supports a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approximation {
    /// Why this step is an approximation: what the public record leaves unsettled.
    pub note: String,
}

/// The authorization decision KMS made for a call (filled by the policy evaluator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthDecision {
    /// True when the call was allowed.
    pub allowed: bool,
    /// What allowed it (a statement Sid, a grant id) or why it was denied.
    pub reason: String,
    /// The evaluation step by step, for "Why was this denied?".
    pub steps: Vec<String>,
}

/// One request from one participant to another, with its outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// Position in the trace, from 0.
    pub seq: usize,
    /// Index of the user command that caused this call (0-based position in the session script).
    pub command: usize,
    /// Simulated time in seconds since the session started.
    pub time: u64,
    /// Who sent the request.
    pub from: Participant,
    /// Who received it.
    pub to: Participant,
    /// The API operation or event name (`GenerateDataKeyWithoutPlaintext`, `AttachVolume`, `createVolume`).
    pub operation: String,
    /// Request parameters as AWS (and CloudTrail `requestParameters`) spell them.
    pub request: Value,
    /// Response elements, or `null` when the call failed or returns nothing.
    pub response: Value,
    /// The error, when the call failed.
    pub error: Option<AwsError>,
    /// The principal ARN the call is made as (CloudTrail `userIdentity.arn`).
    pub principal: String,
    /// CloudTrail `userIdentity.invokedBy`, when a service made the call on the principal's behalf.
    pub invoked_by: Option<String>,
    /// Account and region the call happened in.
    pub account: String,
    /// Region of the call.
    pub region: String,
    /// The encryption context passed with the call, if any.
    pub encryption_context: Option<Value>,
    /// Where the plaintext data key concerned by this call is after it, if one is concerned.
    pub key_location: Option<KeyLocation>,
    /// Set when the public record does not settle this step.
    pub approximation: Option<Approximation>,
    /// The sentence of AWS documentation this step corresponds to, if any.
    pub doc: Option<String>,
    /// KMS's authorization decision, for calls to KMS.
    pub auth: Option<AuthDecision>,
    /// The ARNs of the KMS keys a call to KMS used (CloudTrail `resources`), in the order KMS
    /// resolved them; empty for other calls and for KMS calls that named no existing key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_arns: Vec<String>,
    /// True for asynchronous events (EventBridge, state changes) rather than request/response pairs.
    pub is_event: bool,
    /// The call during which this call was made (a User→EC2 request is the parent of EC2→KMS calls).
    pub parent: Option<usize>,
    /// One past the last call nested in this one: the response is drawn after calls `seq+1 .. end`.
    pub end: usize,
}

impl Call {
    /// A call with only its place in the trace, its ends and its operation; everything else
    /// empty (made by the root of account 111122223333 in us-east-1, answered right away). For
    /// building traces by hand in tests and benchmarks.
    pub fn sketch(
        seq: usize,
        command: usize,
        from: Participant,
        to: Participant,
        operation: &str,
    ) -> Call {
        Call {
            seq,
            command,
            time: seq as u64,
            from,
            to,
            operation: operation.to_string(),
            request: Value::Object(serde_json::Map::new()),
            response: Value::Null,
            error: None,
            principal: super::provider::AWS.root_arn(super::ACCOUNT_A),
            invoked_by: None,
            account: super::ACCOUNT_A.into(),
            region: "us-east-1".into(),
            encryption_context: None,
            key_location: None,
            approximation: None,
            doc: None,
            auth: None,
            key_arns: Vec::new(),
            is_event: false,
            parent: None,
            end: seq + 1,
        }
    }

    /// A one-line text form: `EC2 → KMS: CreateGrant`, used by the diagram's text alternative.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} → {}: {}",
            self.from.name(),
            self.to.name(),
            self.operation
        );
        if let Some(e) = &self.error {
            s.push_str(&format!(" (failed: {})", e.code));
        }
        s
    }

    /// The CloudTrail record this call would produce (for calls that CloudTrail logs), with
    /// AWS's names (the playground's default provider); [`Call::cloudtrail_in`] for another.
    pub fn cloudtrail(&self) -> Value {
        self.cloudtrail_in(&super::provider::AWS)
    }

    /// The CloudTrail record this call would produce, with `provider`'s event sources.
    pub fn cloudtrail_in(&self, provider: &Provider) -> Value {
        if provider.cloud == super::provider::Cloud::Alibaba {
            return self.actiontrail(provider);
        }
        let source = provider.event_source(self.to.service());
        let identity_type = if self.principal.contains(":assumed-role/") {
            "AssumedRole"
        } else if self.principal.ends_with(":root") {
            "Root"
        } else if self.principal.contains(":role/") {
            "AssumedRole"
        } else if self.principal.contains(":user/") {
            "IAMUser"
        } else {
            "AWSService"
        };
        let mut identity = crate::json!({
            "type": identity_type,
            "arn": self.principal,
            "accountId": self.account,
        });
        if let Some(by) = &self.invoked_by {
            identity["invokedBy"] = Value::String(by.clone());
        }
        let op = self.operation.clone();
        let event_name = {
            let mut c = op.chars();
            match c.next() {
                Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
                None => String::new(),
            }
        };
        // CloudTrail writes times without milliseconds.
        let time = super::clock::iso(self.time).replace(".000Z", "Z");
        let source_ip = match (&self.invoked_by, self.from) {
            (Some(by), _) => by.clone(),
            (None, Participant::User) => "203.0.113.10".to_string(),
            (None, p) => provider.service_principal(&p.name().to_ascii_lowercase()),
        };
        let mut rec = crate::json!({
            "eventVersion": "1.08",
            "userIdentity": identity,
            "eventTime": time,
            "eventSource": source,
            "eventName": if self.is_event { event_name } else { op },
            "awsRegion": self.region,
            "sourceIPAddress": source_ip,
            "requestParameters": self.request,
            "responseElements": self.response,
            "readOnly": matches!(self.operation.as_str(),
                "GenerateDataKeyWithoutPlaintext" | "GenerateDataKey" | "Decrypt" | "DescribeKey"
                | "ListGrants" | "ListAliases" | "GetKeyPolicy" | "DescribeVolumes" | "DescribeSnapshots"
                | "DescribeInstances" | "DescribeImages" | "GetObject" | "HeadObject"
                | "ListBuckets" | "ListObjectsV2" | "GetBucketEncryption" | "GetBucketPolicy"
                | "DescribeDBInstances" | "DescribeDBSnapshots" | "DescribeDBSnapshotAttributes"),
        });
        if let Some(e) = &self.error {
            // EC2 records its API errors with a "Client." (or "Server.") prefix; KMS does not.
            let code = if self.to.service() == "ec2"
                && !self.is_event
                && !e.code.starts_with("Client.")
                && !e.code.starts_with("Server.")
            {
                format!("Client.{}", e.code)
            } else {
                e.code.clone()
            };
            rec["errorCode"] = Value::String(code);
            rec["errorMessage"] = Value::String(e.message.clone());
        }
        rec["eventType"] = Value::String(
            if self.is_event {
                "AwsServiceEvent"
            } else {
                "AwsApiCall"
            }
            .into(),
        );
        rec["recipientAccountId"] = Value::String(self.account.clone());
        if !self.key_arns.is_empty() {
            let resources: Vec<Value> = self
                .key_arns
                .iter()
                .map(|arn| {
                    let account = arn.split(':').nth(4).unwrap_or_default();
                    crate::json!({"accountId": account, "type": provider.key_resource_type(), "ARN": arn})
                })
                .collect();
            rec["resources"] = Value::Array(resources);
        }
        // S3 object-level requests are CloudTrail data events; bucket-level ones are management.
        let data_event = self.to == Participant::S3
            && matches!(
                self.operation.as_str(),
                "PutObject" | "GetObject" | "HeadObject" | "CopyObject" | "DeleteObject"
            );
        let category = if data_event { "Data" } else { "Management" };
        rec["eventCategory"] = Value::String(category.into());
        rec
    }
}

impl Call {
    /// The ActionTrail event an Alibaba Cloud call would produce: `eventSource`
    /// (`ecs.aliyuncs.com`), `acsRegion`, `userIdentity` (`root-account`, `ram-user`,
    /// `assumed-role`, or `system` for a cloud service), `eventType` (`ApiCall`, or
    /// `AliyunServiceEvent` for the calls ECS makes to KMS and RAM) and `requestId` (the
    /// response's, or one derived from the call's place for internal calls).
    pub fn actiontrail(&self, provider: &Provider) -> Value {
        let product = match self.to {
            Participant::Host => "ecs",
            // Role sessions come from STS, which the diagram draws on the RAM lifeline.
            Participant::Ram if self.operation == "AssumeRole" => "sts",
            p => p.service(),
        };
        let by_service = self.from != Participant::User;
        let p = self.principal.as_str();
        // A role session, `acs:ram::UID:role/ROLE/SESSION`: (ROLE, SESSION).
        let session = p
            .split(":role/")
            .nth(1)
            .and_then(|rest| rest.split_once('/'));
        let (kind, principal_id, user_name) = if let Some((role, name)) = session {
            let who = format!("{role}:{name}");
            ("assumed-role", who.clone(), who)
        } else if by_service {
            ("system", p.to_string(), p.to_string())
        } else if p.ends_with(":root") {
            ("root-account", self.account.clone(), "root".to_string())
        } else if let Some((_, name)) = provider.ram_user_of(p) {
            (
                "ram-user",
                format!("{}:{name}", self.account),
                name.to_string(),
            )
        } else {
            ("system", p.to_string(), p.to_string())
        };
        let mut identity = crate::json!({
            "type": kind,
            "principalId": principal_id,
            "accountId": self.account,
            "userName": user_name,
        });
        if let Some(by) = &self.invoked_by {
            identity["sessionContext"] =
                crate::json!({"attributes": {"mfaAuthenticated": "false"}});
            identity["invokedBy"] = Value::String(by.clone());
        }
        let request_id = self
            .response
            .get("RequestId")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("00000000-0000-4000-8000-{:012}", self.seq));
        let mut rec = crate::json!({
            "eventVersion": 1,
            "eventId": format!("{:08X}-{:04X}-4{:03X}-A000-{:012X}", self.seq, self.command, self.seq % 4096, self.time),
            "eventSource": provider.actiontrail_source(product),
            "eventName": self.operation,
            "eventType": if by_service { "AliyunServiceEvent" } else { "ApiCall" },
            "eventTime": super::clock::iso(self.time).replace(".000Z", "Z"),
            "acsRegion": self.region,
            "requestId": request_id,
            "serviceName": match product { "ecs" => "Ecs", "kms" => "Kms", "ram" => "Ram", other => other },
            "sourceIpAddress": if by_service { provider.actiontrail_source("ecs") } else { "203.0.113.10".into() },
            "userIdentity": identity,
            "requestParameters": self.request,
            "responseElements": self.response,
            "recipientAccountId": self.account,
            "isGlobal": matches!(self.to, Participant::Ram),
            "eventCategory": "Management",
            "eventRW": if ["Describe", "List", "Get"].iter().any(|x| self.operation.starts_with(x)) { "Read" } else { "Write" },
        });
        if let Some(e) = &self.error {
            rec["errorCode"] = Value::String(e.code.clone());
            rec["errorMessage"] = Value::String(e.message.clone());
        }
        rec
    }
}

/// The append-only list of calls.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    calls: Vec<Call>,
}

impl Trace {
    /// All calls, oldest first.
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// Number of calls.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// True when nothing has happened yet.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// Appends a call, numbering it. The only way calls enter the trace.
    pub(crate) fn push(&mut self, mut call: Call) -> usize {
        call.seq = self.calls.len();
        self.calls.push(call);
        self.calls.len() - 1
    }

    /// Mutable access while a command is still running (to fill a response after nested calls).
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut Call> {
        self.calls.get_mut(i)
    }

    /// The calls caused by the command at index `command`.
    pub fn for_command(&self, command: usize) -> impl Iterator<Item = &Call> {
        self.calls.iter().filter(move |c| c.command == command)
    }
}
