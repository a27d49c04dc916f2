//! S3 buckets: create, list, delete and locate them; their default encryption, bucket policy
//! and Block Public Access settings.

use super::*;
use crate::model::clock::iso;

/// S3's bucket naming rules (3 to 63 characters; lower-case letters, digits, dots and hyphens;
/// a letter or digit at both ends; no `..`; not shaped like an IP address).
fn valid_bucket_name(name: &str) -> bool {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ends = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let ip_like = name.split('.').count() == 4
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (3..=63).contains(&name.len())
        && ok_chars
        && ends(name.bytes().next())
        && ends(name.bytes().last())
        && !name.contains("..")
        && !ip_like
}

/// The ServerSideEncryptionConfiguration of a default encryption.
pub(crate) fn encryption_json(e: &DefaultEncryption) -> Value {
    let mut by_default = json!({"SSEAlgorithm": e.algorithm.as_str()});
    if let Some(k) = &e.kms_key {
        by_default["KMSMasterKeyID"] = json!(k);
    }
    json!({"Rules": [{"ApplyServerSideEncryptionByDefault": by_default, "BucketKeyEnabled": e.bucket_key}]})
}

impl Sim {
    /// `CreateBucket`.
    pub(crate) fn s3_create_bucket(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        let location = match q.opt_struct("CreateBucketConfiguration", &["LocationConstraint"])? {
            Some(c) => c.opt_str("LocationConstraint")?,
            None => None,
        };
        if !valid_bucket_name(&name) {
            return Err(S3Code::InvalidBucketName.err("The specified bucket is not valid."));
        }
        let region = caller.region.clone();
        match location.as_deref() {
            Some(l) if !self.provider.has_region(l) && l != "EU" => {
                return Err(S3Code::InvalidLocationConstraint
                    .err("The specified location-constraint is not valid"))
            }
            Some("us-east-1") => {
                return Err(S3Code::InvalidLocationConstraint
                    .err("The specified location-constraint is not valid"))
            }
            Some(l) if l != region => {
                return Err(S3Code::IllegalLocationConstraintException.err(format!(
                    "The {l} location constraint is incompatible for the region specific endpoint this request was sent to."
                )))
            }
            None if region != "us-east-1" => {
                return Err(S3Code::IllegalLocationConstraintException.err(
                    "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
                ))
            }
            _ => {}
        }
        self.s3_authorize_account(caller, "s3:CreateBucket")?;
        let location_out = if region == "us-east-1" {
            format!("/{name}")
        } else {
            format!("http://{name}.{}/", self.provider.service_principal("s3"))
        };
        if let Some(b) = self.s3.buckets.get(&name) {
            // In us-east-1 S3 answers 200 to the owner re-creating its bucket (a legacy rule).
            return match (b.account == caller.account, region.as_str()) {
                (true, "us-east-1") => Ok(json!({"Location": location_out})),
                (true, _) => Err(S3Code::BucketAlreadyOwnedByYou.err(
                    "Your previous request to create the named bucket succeeded and you already own it.",
                )),
                (false, _) => Err(S3Code::BucketAlreadyExists.err(
                    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                )),
            };
        }
        let bucket = Bucket {
            name: name.clone(),
            account: caller.account.clone(),
            region,
            created: self.now,
            encryption: DefaultEncryption::default(),
            policy: None,
            public_access_block: None,
            objects: BTreeMap::new(),
            bucket_keys: Vec::new(),
        };
        self.s3.buckets.insert(name, Box::new(bucket));
        Ok(json!({"Location": location_out}))
    }

    /// `ListBuckets`: the caller's account's buckets.
    pub(crate) fn s3_list_buckets(&mut self, caller: &Caller, _q: &Params) -> AwsResult<Value> {
        self.s3_authorize_account(caller, "s3:ListAllMyBuckets")?;
        let buckets: Vec<Value> = self
            .s3
            .buckets
            .values()
            .filter(|b| b.account == caller.account)
            .map(|b| json!({"Name": b.name, "CreationDate": iso(b.created)}))
            .collect();
        Ok(json!({"Buckets": buckets, "Owner": {"ID": caller.account}}))
    }

    /// `DeleteBucket`: only an empty bucket.
    pub(crate) fn s3_delete_bucket(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:DeleteBucket", &name)?;
        if !self.bucket(&name)?.objects.is_empty() {
            return Err(S3Code::BucketNotEmpty.err("The bucket you tried to delete is not empty"));
        }
        self.s3.buckets.remove(&name);
        self.s3.cache.retain(|(b, _), _| *b != name);
        Ok(Value::Null)
    }

    /// `GetBucketLocation`: null for us-east-1.
    pub(crate) fn s3_get_bucket_location(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:GetBucketLocation", &name)?;
        let region = self.bucket(&name)?.region.clone();
        let constraint = if region == "us-east-1" {
            Value::Null
        } else {
            json!(region)
        };
        Ok(json!({"LocationConstraint": constraint}))
    }

    /// `PutBucketEncryption`: one rule, SSE-S3 or SSE-KMS, with or without a Bucket Key. S3
    /// does not check the key here; a PUT that uses it does.
    pub(crate) fn s3_put_bucket_encryption(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        let config = q.opt_struct("ServerSideEncryptionConfiguration", &["Rules"])?;
        let Some(config) = config else {
            return Err(AwsError::new(
                "MissingParameter",
                "The request must contain the parameter ServerSideEncryptionConfiguration.",
            ));
        };
        let rules = config
            .opt_structs(
                "Rules",
                &["ApplyServerSideEncryptionByDefault", "BucketKeyEnabled"],
            )?
            .unwrap_or_default();
        let [rule] = rules.as_slice() else {
            return Err(S3Code::InvalidArgument
                .err("The server side encryption configuration must contain exactly one rule."));
        };
        let bucket_key = rule.opt_bool("BucketKeyEnabled")?.unwrap_or(false);
        let by_default = rule.opt_struct(
            "ApplyServerSideEncryptionByDefault",
            &["SSEAlgorithm", "KMSMasterKeyID"],
        )?;
        let (algorithm, kms_key) = match by_default {
            Some(d) => (
                Sse::parse(&d.str("SSEAlgorithm")?)?,
                d.opt_str("KMSMasterKeyID")?,
            ),
            None => (Sse::S3, None),
        };
        if algorithm == Sse::S3 && kms_key.is_some() {
            return Err(S3Code::InvalidArgument.err("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse"));
        }
        self.s3_authorize_bucket(caller, "s3:PutEncryptionConfiguration", &name)?;
        self.bucket_mut(&name)?.encryption = DefaultEncryption {
            algorithm,
            kms_key: kms_key.filter(|k| !k.is_empty()),
            bucket_key,
        };
        Ok(Value::Null)
    }

    /// `GetBucketEncryption`: every bucket has a default (SSE-S3 unless set).
    pub(crate) fn s3_get_bucket_encryption(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:GetEncryptionConfiguration", &name)?;
        let e = self.bucket(&name)?.encryption.clone();
        Ok(json!({"ServerSideEncryptionConfiguration": encryption_json(&e)}))
    }

    /// `DeleteBucketEncryption`: back to the default, SSE-S3.
    pub(crate) fn s3_delete_bucket_encryption(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:PutEncryptionConfiguration", &name)?;
        self.bucket_mut(&name)?.encryption = DefaultEncryption::default();
        Ok(Value::Null)
    }

    /// `PutBucketPolicy`: a JSON document; refused when Block Public Access blocks public
    /// policies and this one allows everyone.
    pub(crate) fn s3_put_bucket_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        let text = q.str("Policy")?;
        let doc: Value = match serde_json::from_str(&text) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                return Err(S3Code::MalformedPolicy
                    .err("Policies must be valid JSON and the first byte must be '{'"))
            }
        };
        let statements = match doc.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(o @ Value::Object(_)) => vec![o.clone()],
            _ => return Err(S3Code::MalformedPolicy.err("Missing required field Statement")),
        };
        self.s3_authorize_bucket(caller, "s3:PutBucketPolicy", &name)?;
        let blocks = self
            .bucket(&name)?
            .public_access_block
            .as_ref()
            .and_then(|p| p.get("BlockPublicPolicy"))
            .and_then(Value::as_bool)
            == Some(true);
        let public = statements.iter().any(|s| {
            let everyone = s.get("Principal") == Some(&json!("*"))
                || s.get("Principal") == Some(&json!({"AWS": "*"}));
            s.get("Effect") == Some(&json!("Allow")) && everyone && s.get("Condition").is_none()
        });
        if blocks && public {
            let arn = self.provider.s3_bucket_arn(&name);
            return Err(S3Code::AccessDenied.err(format!(
                "User: {} is not authorized to perform: s3:PutBucketPolicy on resource: \"{arn}\" because public policies are blocked by the BlockPublicPolicy block public access setting.",
                caller.principal
            )));
        }
        self.bucket_mut(&name)?.policy = Some(text);
        Ok(Value::Null)
    }

    /// `GetBucketPolicy`.
    pub(crate) fn s3_get_bucket_policy(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:GetBucketPolicy", &name)?;
        match &self.bucket(&name)?.policy {
            Some(p) => Ok(json!({"Policy": p})),
            None => Err(S3Code::NoSuchBucketPolicy.err("The bucket policy does not exist")),
        }
    }

    /// `DeleteBucketPolicy`.
    pub(crate) fn s3_delete_bucket_policy(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:DeleteBucketPolicy", &name)?;
        self.bucket_mut(&name)?.policy = None;
        Ok(Value::Null)
    }

    /// `PutPublicAccessBlock`.
    pub(crate) fn s3_put_public_access_block(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        const FLAGS: [&str; 4] = [
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
        ];
        let name = q.str("Bucket")?;
        let Some(c) = q.opt_struct("PublicAccessBlockConfiguration", &FLAGS)? else {
            return Err(AwsError::new(
                "MissingParameter",
                "The request must contain the parameter PublicAccessBlockConfiguration.",
            ));
        };
        let mut out = serde_json::Map::new();
        for f in FLAGS {
            out.insert(f.into(), json!(c.opt_bool(f)?.unwrap_or(false)));
        }
        self.s3_authorize_bucket(caller, "s3:PutBucketPublicAccessBlock", &name)?;
        self.bucket_mut(&name)?.public_access_block = Some(Value::Object(out));
        Ok(Value::Null)
    }

    /// `GetPublicAccessBlock`.
    pub(crate) fn s3_get_public_access_block(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let name = q.str("Bucket")?;
        self.s3_authorize_bucket(caller, "s3:GetBucketPublicAccessBlock", &name)?;
        match &self.bucket(&name)?.public_access_block {
            Some(p) => Ok(json!({"PublicAccessBlockConfiguration": p})),
            None => Err(S3Code::NoSuchPublicAccessBlockConfiguration
                .err("The public access block configuration was not found")),
        }
    }
}
