//! Amazon S3: buckets, their default encryption, bucket policies and Block Public Access, and
//! objects encrypted server-side with real AES-256-GCM under a per-object data key.
//!
//! SSE-S3 wraps the data key under a key S3 owns (no KMS call). SSE-KMS asks KMS for the data
//! key (`GenerateDataKey` on PUT, `Decrypt` on GET) with the object ARN as encryption context;
//! with an S3 Bucket Key, KMS protects one bucket-level key (context: the bucket ARN) that S3
//! reuses for a while to derive per-object keys, so most KMS calls disappear. Sources:
//! AWS KMS Developer Guide `services-s3.md`, Amazon S3 User Guide `UsingKMSEncryption.md`,
//! `bucket-key.md`, `default-encryption-faq.md` (reference/aws-behaviour.md §12).

mod buckets;
mod encryption;
mod files;
mod objects;

use super::context::Context;
use super::crypto::KeyMaterial;
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::policy;
use super::trace::Participant;
use super::Table;
use super::{Caller, Sim};
use crate::json;
use crate::model::Handler;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The error codes S3 returns, as S3 spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Code {
    /// The bucket does not exist.
    NoSuchBucket,
    /// The object does not exist.
    NoSuchKey,
    /// Another account owns a bucket of that name.
    BucketAlreadyExists,
    /// The caller already owns the bucket (outside us-east-1).
    BucketAlreadyOwnedByYou,
    /// DeleteBucket on a bucket with objects.
    BucketNotEmpty,
    /// The bucket name breaks the naming rules.
    InvalidBucketName,
    /// A header or member has a value S3 does not accept.
    InvalidArgument,
    /// A request S3 refuses as a whole (copying an object onto itself unchanged).
    InvalidRequest,
    /// CreateBucket's location does not match the endpoint's Region.
    IllegalLocationConstraintException,
    /// The LocationConstraint names no Region.
    InvalidLocationConstraint,
    /// The bucket has no policy.
    NoSuchBucketPolicy,
    /// The bucket has no Block Public Access configuration.
    NoSuchPublicAccessBlockConfiguration,
    /// The policy document is not valid.
    MalformedPolicy,
    /// The request is not authorized (by S3 or, for SSE-KMS, by KMS).
    AccessDenied,
    /// The KMS key is disabled (S3 wraps KMS's DisabledException).
    KmsDisabled,
    /// The KMS key is pending deletion (KMS's KMSInvalidStateException).
    KmsInvalidState,
    /// The KMS key does not exist (KMS's NotFoundException).
    KmsNotFound,
    /// Any other KMS error, wrapped.
    KmsOther,
    /// The playground file named does not exist.
    NoSuchFile,
    /// A Range outside the object.
    InvalidRange,
}

impl S3Code {
    /// The code as S3 returns it.
    pub fn as_str(self) -> &'static str {
        match self {
            S3Code::NoSuchBucket => "NoSuchBucket",
            S3Code::NoSuchKey => "NoSuchKey",
            S3Code::BucketAlreadyExists => "BucketAlreadyExists",
            S3Code::BucketAlreadyOwnedByYou => "BucketAlreadyOwnedByYou",
            S3Code::BucketNotEmpty => "BucketNotEmpty",
            S3Code::InvalidBucketName => "InvalidBucketName",
            S3Code::InvalidArgument => "InvalidArgument",
            S3Code::InvalidRequest => "InvalidRequest",
            S3Code::IllegalLocationConstraintException => "IllegalLocationConstraintException",
            S3Code::InvalidLocationConstraint => "InvalidLocationConstraint",
            S3Code::NoSuchBucketPolicy => "NoSuchBucketPolicy",
            S3Code::NoSuchPublicAccessBlockConfiguration => "NoSuchPublicAccessBlockConfiguration",
            S3Code::MalformedPolicy => "MalformedPolicy",
            S3Code::AccessDenied => "AccessDenied",
            S3Code::KmsDisabled => "KMS.DisabledException",
            S3Code::KmsInvalidState => "KMS.KMSInvalidStateException",
            S3Code::KmsNotFound => "KMS.NotFoundException",
            S3Code::KmsOther => "KMS.Exception",
            S3Code::NoSuchFile => "NoSuchFile",
            S3Code::InvalidRange => "InvalidRange",
        }
    }

    /// An error with this code.
    pub fn err(self, message: impl Into<String>) -> AwsError {
        AwsError::new(self.as_str(), message)
    }
}

/// The error S3 returns when KMS refused its request: S3 prefixes KMS's exception with `KMS.`
/// (`KMS.DisabledException`, `KMS.KMSInvalidStateException`, `KMS.NotFoundException`, seen
/// in aws/aws-cli#4507 and the AWS-validated snapshots of localstack/localstack#7786), and
/// answers a KMS authorization failure with its own `AccessDenied`.
pub(crate) fn from_kms(e: AwsError) -> AwsError {
    let code = match e.code.as_str() {
        "DisabledException" => S3Code::KmsDisabled.as_str().to_string(),
        "KMSInvalidStateException" => S3Code::KmsInvalidState.as_str().to_string(),
        "NotFoundException" => S3Code::KmsNotFound.as_str().to_string(),
        "AccessDeniedException" => S3Code::AccessDenied.as_str().to_string(),
        other => format!("KMS.{other}"),
    };
    AwsError::new(code, e.message)
}

/// Server-side encryption of an object, or a bucket's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Sse {
    /// SSE-S3: a key S3 owns; no KMS call.
    #[serde(rename = "AES256")]
    S3,
    /// SSE-KMS: a data key from AWS KMS.
    #[serde(rename = "aws:kms")]
    Kms,
}

impl Sse {
    /// The header value (`AES256`, `aws:kms`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sse::S3 => "AES256",
            Sse::Kms => "aws:kms",
        }
    }

    fn parse(s: &str) -> AwsResult<Sse> {
        match s {
            "AES256" => Ok(Sse::S3),
            "aws:kms" => Ok(Sse::Kms),
            other => Err(S3Code::InvalidArgument.err(format!(
                "The encryption method specified is not supported: {other} (use AES256 or aws:kms)."
            ))),
        }
    }
}

/// A bucket's default encryption (since January 2023 every bucket has one: SSE-S3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefaultEncryption {
    /// SSE-S3 or SSE-KMS.
    pub algorithm: Sse,
    /// With SSE-KMS: the key as configured (`None`: the AWS managed key `alias/aws/s3`).
    pub kms_key: Option<String>,
    /// Whether new SSE-KMS objects use an S3 Bucket Key.
    pub bucket_key: bool,
}

impl Default for DefaultEncryption {
    fn default() -> Self {
        DefaultEncryption {
            algorithm: Sse::S3,
            kms_key: None,
            bucket_key: false,
        }
    }
}

/// A bucket-level key: KMS's encrypted copy, kept with the bucket.
#[derive(Clone, Debug, Serialize)]
pub struct BucketKey {
    /// The KMS key that protects it.
    pub kms_key_arn: String,
    /// The encryption context it was generated with (the bucket ARN).
    pub context: Context,
    /// When S3 generated it (simulated seconds).
    pub created: u64,
    #[serde(skip)]
    pub(crate) wrapped: Vec<u8>,
}

/// How an object's bytes are sealed. Not serialized: the export shows a preview only.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sealed {
    /// The per-object data key, wrapped (under S3's key, KMS's key, or the bucket key).
    pub wrapped_key: Vec<u8>,
    /// Nonce of the object bytes (AES-256-GCM under the data key).
    pub nonce: [u8; 12],
    /// Object bytes ‖ tag.
    pub ciphertext: Vec<u8>,
    /// Nonce of the data key's wrapping, when S3 wraps it itself (SSE-S3, Bucket Key).
    pub key_nonce: [u8; 12],
    /// With a Bucket Key: which of the bucket's keys wraps the data key.
    pub bucket_key: Option<usize>,
}

/// An object.
#[derive(Clone, Debug, Serialize)]
pub struct Object {
    /// The object key.
    pub key: String,
    /// Size of the plaintext, in bytes.
    pub size: usize,
    /// The entity tag (for encrypted objects not an MD5 of the data, as with SSE-KMS).
    pub etag: String,
    /// Media type.
    pub content_type: String,
    /// Simulated time of the last write.
    pub last_modified: u64,
    /// SSE-S3 or SSE-KMS.
    pub sse: Sse,
    /// With SSE-KMS: the key ARN.
    pub kms_key_arn: Option<String>,
    /// With SSE-KMS: whether a Bucket Key protects the data key.
    pub bucket_key: bool,
    /// The encryption context KMS bound the data key (or the bucket key) to.
    pub context: Option<Context>,
    /// The first bytes of the stored ciphertext, in hex (what is at rest).
    pub ciphertext_preview: String,
    #[serde(skip)]
    pub(crate) sealed: Sealed,
}

/// A bucket.
#[derive(Clone, Debug, Serialize)]
pub struct Bucket {
    /// The bucket name (global).
    pub name: String,
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Simulated creation time.
    pub created: u64,
    /// Default encryption of new objects.
    pub encryption: DefaultEncryption,
    /// The bucket policy, as given.
    pub policy: Option<String>,
    /// Block Public Access settings.
    pub public_access_block: Option<Value>,
    /// Objects by key.
    pub objects: Table<Object>,
    /// Bucket-level keys S3 generated.
    pub bucket_keys: Vec<BucketKey>,
}

/// A bucket key S3 holds in plaintext during its reuse window. Never serialized or printed.
#[derive(Clone, Debug)]
pub(crate) struct CachedKey {
    pub key: KeyMaterial,
    pub since: u64,
}

/// The S3 state of every account and the playground's file store.
#[derive(Clone, Debug, Default)]
pub struct S3 {
    pub(crate) buckets: Table<Bucket>,
    /// The playground's files (bodies for put-object, outfiles of get-object).
    pub(crate) files: BTreeMap<String, String>,
    /// S3's own key per Region, for SSE-S3 (never leaves S3).
    pub(crate) owned: Table<KeyMaterial>,
    /// Plaintext bucket keys in their reuse window: (bucket, index in `bucket_keys`).
    pub(crate) cache: BTreeMap<(String, usize), CachedKey>,
}

impl S3 {
    /// Buckets, objects (without key material) and files as JSON.
    pub fn export(&self) -> Value {
        json!({
            "Buckets": self.buckets.values().map(|b| serde_json::to_value(b).unwrap_or(Value::Null)).collect::<Vec<_>>(),
            "Files": self.files,
        })
    }

    /// Whether `text` contains a key S3 holds in plaintext (its own keys, cached bucket keys).
    pub(crate) fn reveals(&self, text: &str) -> bool {
        let cached = self.cache.values().map(|c| &c.key);
        self.owned
            .values()
            .map(|k| &**k)
            .chain(cached)
            .any(|k| encryption::appears_in(k.bytes(), text))
    }
}

/// The method that answers each S3 operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("CreateBucket", Sim::s3_create_bucket),
    ("ListBuckets", Sim::s3_list_buckets),
    ("DeleteBucket", Sim::s3_delete_bucket),
    ("GetBucketLocation", Sim::s3_get_bucket_location),
    ("PutBucketEncryption", Sim::s3_put_bucket_encryption),
    ("GetBucketEncryption", Sim::s3_get_bucket_encryption),
    ("DeleteBucketEncryption", Sim::s3_delete_bucket_encryption),
    ("PutBucketPolicy", Sim::s3_put_bucket_policy),
    ("GetBucketPolicy", Sim::s3_get_bucket_policy),
    ("DeleteBucketPolicy", Sim::s3_delete_bucket_policy),
    ("PutPublicAccessBlock", Sim::s3_put_public_access_block),
    ("GetPublicAccessBlock", Sim::s3_get_public_access_block),
    ("PutObject", Sim::s3_put_object),
    ("GetObject", Sim::s3_get_object),
    ("HeadObject", Sim::s3_head_object),
    ("CopyObject", Sim::s3_copy_object),
    ("DeleteObject", Sim::s3_delete_object),
    ("ListObjectsV2", Sim::s3_list_objects),
];

impl Sim {
    /// Buckets, for views.
    pub fn buckets(&self) -> impl Iterator<Item = &Bucket> {
        self.s3.buckets.values().map(|v| &**v)
    }

    /// The playground's files, for views.
    pub fn files(&self) -> impl Iterator<Item = (&String, &String)> {
        self.s3.files.iter()
    }

    fn no_such_bucket(name: &str) -> AwsError {
        S3Code::NoSuchBucket.err(format!("The specified bucket does not exist: {name}"))
    }

    pub(crate) fn bucket(&self, name: &str) -> AwsResult<&Bucket> {
        self.s3
            .buckets
            .get(name)
            .map(|b| &**b)
            .ok_or_else(|| Self::no_such_bucket(name))
    }

    pub(crate) fn bucket_mut(&mut self, name: &str) -> AwsResult<&mut Bucket> {
        self.s3
            .buckets
            .get_mut(name)
            .map(|b| &mut **b)
            .ok_or_else(|| Self::no_such_bucket(name))
    }

    /// S3's authorization of `action` on `resource` (a bucket or object ARN) of `bucket`: the
    /// bucket policy and the caller's identity policies, with the request's S3 condition keys.
    /// The decision is stored on the caller's request to S3.
    pub(crate) fn s3_authorize(
        &mut self,
        caller: &Caller,
        action: &str,
        bucket: &str,
        resource: &str,
        keys: &Context,
    ) -> AwsResult<()> {
        let b = self.bucket(bucket)?;
        let owner = b.account.clone();
        // The bucket owner's root user can always read, change and delete the bucket policy.
        let policy_action = matches!(
            action,
            "s3:GetBucketPolicy" | "s3:PutBucketPolicy" | "s3:DeleteBucketPolicy"
        );
        let root = caller.principal == self.provider.root_arn(&owner);
        let doc = match &b.policy {
            Some(_) if policy_action && root => None,
            Some(p) => serde_json::from_str::<Value>(p).ok(),
            None => None,
        };
        let identity = self
            .iam
            .identity_policies(&self.provider, &caller.principal);
        let mut req =
            policy::Request::new(&caller.principal, &caller.account, action, resource, &owner);
        req.encryption_context = keys;
        let d = policy::evaluate_bucket(&req, doc.as_ref(), &identity);
        self.s3_decided(d)
    }

    /// S3's authorization of an action no bucket governs (CreateBucket, ListBuckets).
    /// Authorizes a bucket-level action on the bucket itself (its ARN, no condition keys).
    pub(crate) fn s3_authorize_bucket(
        &mut self,
        caller: &Caller,
        action: &str,
        bucket: &str,
    ) -> AwsResult<()> {
        let arn = self.provider.s3_bucket_arn(bucket);
        self.s3_authorize(caller, action, bucket, &arn, &Context::new())
    }

    pub(crate) fn s3_authorize_account(&mut self, caller: &Caller, action: &str) -> AwsResult<()> {
        let identity = self
            .iam
            .identity_policies(&self.provider, &caller.principal);
        let req = policy::Request::new(
            &caller.principal,
            &caller.account,
            action,
            "*",
            &caller.account,
        );
        let d = policy::evaluate_identity(&req, &identity);
        self.s3_decided(d)
    }

    fn s3_decided(&mut self, d: policy::Decision) -> AwsResult<()> {
        let (allowed, reason) = (d.allowed, d.reason.clone());
        let decision = super::trace::AuthDecision {
            allowed,
            reason: d.reason,
            steps: d.steps,
        };
        self.record_auth(Participant::S3, decision);
        match allowed {
            true => Ok(()),
            false => Err(S3Code::AccessDenied.err(reason)),
        }
    }
}

/// Reads a required member and refuses it empty.
fn nonempty(q: &Params, name: &str) -> AwsResult<String> {
    let v = q.str(name)?;
    if v.is_empty() {
        return Err(S3Code::InvalidArgument.err(format!("{name} must not be empty.")));
    }
    Ok(v)
}
