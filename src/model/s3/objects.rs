//! S3 objects: put (with the encryption the request or the bucket default asks for), get
//! (into a playground file), head, copy (re-encryption, also onto itself), delete and list.

use super::encryption::{parse_user_context, Plan};
use super::*;
use crate::model::clock::iso;

/// Largest object body the playground stores.
const MAX_BODY: usize = 1 << 20;

/// The encryption members of a PutObject or CopyObject request.
struct Asked {
    sse: Option<String>,
    kms_key: Option<String>,
    context_b64: Option<String>,
    bucket_key: Option<bool>,
}

impl Asked {
    fn read(q: &Params) -> AwsResult<Asked> {
        Ok(Asked {
            sse: q.opt_str("ServerSideEncryption")?,
            kms_key: q.opt_str("SSEKMSKeyId")?,
            context_b64: q.opt_str("SSEKMSEncryptionContext")?,
            bucket_key: q.opt_bool("BucketKeyEnabled")?,
        })
    }

    fn any(&self) -> bool {
        self.sse.is_some()
            || self.kms_key.is_some()
            || self.context_b64.is_some()
            || self.bucket_key.is_some()
    }

    /// The condition keys S3 puts in the request context for a bucket policy.
    fn condition_keys(&self) -> Context {
        let mut keys = Context::new();
        if let Some(s) = &self.sse {
            keys.insert("s3:x-amz-server-side-encryption".into(), s.clone());
        }
        if let Some(k) = &self.kms_key {
            keys.insert(
                "s3:x-amz-server-side-encryption-aws-kms-key-id".into(),
                k.clone(),
            );
        }
        keys
    }

    /// The request's headers over the bucket's default encryption (seed 003; S3 User Guide,
    /// default-bucket-encryption: a request's own headers win, else the bucket default).
    fn plan(&self, default: &DefaultEncryption) -> AwsResult<Plan> {
        let user_context = parse_user_context(self.context_b64.as_deref())?;
        let sse = match &self.sse {
            Some(s) => Sse::parse(s)?,
            None => {
                if self.kms_key.is_some() || self.context_b64.is_some() {
                    return Err(S3Code::InvalidArgument.err("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"));
                }
                default.algorithm
            }
        };
        if sse == Sse::S3 && (self.kms_key.is_some() || self.context_b64.is_some()) {
            return Err(S3Code::InvalidArgument.err("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"));
        }
        let from_default = self.sse.is_none();
        let kms_key = match (&self.kms_key, from_default) {
            (Some(k), _) => Some(k.clone()),
            (None, true) => default.kms_key.clone(),
            // `aws:kms` without a key id: the AWS managed key.
            (None, false) => None,
        };
        let bucket_key = sse == Sse::Kms && self.bucket_key.unwrap_or(default.bucket_key);
        Ok(Plan {
            sse,
            kms_key,
            bucket_key,
            user_context,
        })
    }
}

/// The encryption members of a response (PutObject, GetObject, HeadObject, CopyObject).
fn encryption_members(o: &Object, out: &mut Value) {
    out["ServerSideEncryption"] = json!(o.sse.as_str());
    if let Some(k) = &o.kms_key_arn {
        out["SSEKMSKeyId"] = json!(k);
    }
    if o.bucket_key {
        out["BucketKeyEnabled"] = json!(true);
    }
}

fn metadata(o: &Object) -> Value {
    let mut out = json!({
        "AcceptRanges": "bytes",
        "LastModified": iso(o.last_modified),
        "ContentLength": o.size,
        "ETag": o.etag,
        "ContentType": o.content_type,
    });
    encryption_members(o, &mut out);
    out["Metadata"] = json!({});
    out
}

impl Sim {
    fn s3_store(&mut self, bucket: &str, obj: Object) -> AwsResult<()> {
        self.bucket_mut(bucket)?
            .objects
            .insert(obj.key.clone(), Box::new(obj));
        Ok(())
    }

    /// `PutObject`: the body from a playground file (or empty), encrypted as asked.
    pub(crate) fn s3_put_object(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let bucket = q.str("Bucket")?;
        let key = nonempty(q, "Key")?;
        let body_file = q.opt_str("Body")?;
        let content_type = q.opt_str("ContentType")?;
        let asked = Asked::read(q)?;
        let arn = self.provider.s3_object_arn(&bucket, &key);
        self.s3_authorize(
            caller,
            "s3:PutObject",
            &bucket,
            &arn,
            &asked.condition_keys(),
        )?;
        let body = match &body_file {
            Some(f) => self.file_bytes(f)?,
            None => Vec::new(),
        };
        if body.len() > MAX_BODY {
            return Err(S3Code::InvalidArgument.err("The playground stores objects up to 1 MiB."));
        }
        let plan = asked.plan(&self.bucket(&bucket)?.encryption)?;
        let mut obj = self.s3_seal(caller, &bucket, &key, &plan, &body)?;
        if let Some(t) = content_type {
            obj.content_type = t;
        }
        let mut out = json!({"ETag": obj.etag});
        encryption_members(&obj, &mut out);
        if let Some(c) = &asked.context_b64 {
            out["SSEKMSEncryptionContext"] = json!(c);
        }
        self.s3_store(&bucket, obj)?;
        Ok(out)
    }

    /// `GetObject`: S3 decrypts the object; its bytes go to the outfile (a playground file).
    pub(crate) fn s3_get_object(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let bucket = q.str("Bucket")?;
        let key = q.str("Key")?;
        let outfile = q.str("Outfile")?;
        files::check_name(&outfile)?;
        let arn = self.provider.s3_object_arn(&bucket, &key);
        self.s3_authorize(caller, "s3:GetObject", &bucket, &arn, &Context::new())?;
        let meta = self.s3_head(&bucket, &key)?;
        let range = q.opt_str("Range")?;
        let body = self.s3_open(caller, &bucket, &key)?;
        let (body, meta) = match range {
            None => (body, meta),
            Some(r) => {
                // `bytes=FIRST-LAST` (RFC 9110), inclusive; S3 answers the part and its range.
                let (first, last) = r
                    .strip_prefix("bytes=")
                    .and_then(|s| s.split_once('-'))
                    .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
                    .filter(|(a, b)| a <= b && *a < body.len().max(1))
                    .ok_or_else(|| {
                        S3Code::InvalidRange.err("The requested range is not satisfiable")
                    })?;
                let last = last.min(body.len().saturating_sub(1));
                let part =
                    zeroize::Zeroizing::new(body.get(first..=last).unwrap_or_default().to_vec());
                let mut meta = meta;
                meta["ContentLength"] = json!(part.len());
                meta["ContentRange"] = json!(format!("bytes {first}-{last}/{}", body.len()));
                (part, meta)
            }
        };
        let text = String::from_utf8_lossy(&body).into_owned();
        self.s3.files.insert(outfile, text);
        Ok(meta)
    }

    fn s3_head(&self, bucket: &str, key: &str) -> AwsResult<Value> {
        let b = self.bucket(bucket)?;
        let o = b
            .objects
            .get(key)
            .ok_or_else(|| S3Code::NoSuchKey.err("The specified key does not exist."))?;
        Ok(metadata(o))
    }

    /// `HeadObject`: metadata and encryption, no KMS call.
    pub(crate) fn s3_head_object(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let bucket = q.str("Bucket")?;
        let key = q.str("Key")?;
        let arn = self.provider.s3_object_arn(&bucket, &key);
        self.s3_authorize(caller, "s3:GetObject", &bucket, &arn, &Context::new())?;
        self.s3_head(&bucket, &key)
    }

    /// `CopyObject`: reads (decrypts) the source and writes it encrypted as asked, or with the
    /// destination bucket's default; copying onto itself needs a change of encryption.
    pub(crate) fn s3_copy_object(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let bucket = q.str("Bucket")?;
        let key = nonempty(q, "Key")?;
        let source = q.str("CopySource")?;
        let asked = Asked::read(q)?;
        let source = source.trim_start_matches('/');
        let Some((src_bucket, src_key)) = source.split_once('/') else {
            return Err(
                S3Code::InvalidArgument.err("Invalid copy source object key: use bucket/key.")
            );
        };
        let (src_bucket, src_key) = (src_bucket.to_string(), src_key.to_string());
        if src_bucket == bucket && src_key == key && !asked.any() {
            return Err(S3Code::InvalidRequest.err("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."));
        }
        let src_arn = self.provider.s3_object_arn(&src_bucket, &src_key);
        self.s3_authorize(
            caller,
            "s3:GetObject",
            &src_bucket,
            &src_arn,
            &Context::new(),
        )?;
        let dst_arn = self.provider.s3_object_arn(&bucket, &key);
        self.s3_authorize(
            caller,
            "s3:PutObject",
            &bucket,
            &dst_arn,
            &asked.condition_keys(),
        )?;
        let content_type = {
            let b = self.bucket(&src_bucket)?;
            let o = b
                .objects
                .get(&src_key)
                .ok_or_else(|| S3Code::NoSuchKey.err("The specified key does not exist."))?;
            o.content_type.clone()
        };
        let plan = asked.plan(&self.bucket(&bucket)?.encryption)?;
        let body = self.s3_open(caller, &src_bucket, &src_key)?;
        let mut obj = self.s3_seal(caller, &bucket, &key, &plan, &body)?;
        drop(body);
        obj.content_type = content_type;
        let mut out =
            json!({"CopyObjectResult": {"ETag": obj.etag, "LastModified": iso(obj.last_modified)}});
        encryption_members(&obj, &mut out);
        self.s3_store(&bucket, obj)?;
        Ok(out)
    }

    /// `DeleteObject` (deleting a missing key succeeds, as in S3).
    pub(crate) fn s3_delete_object(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let bucket = q.str("Bucket")?;
        let key = q.str("Key")?;
        let arn = self.provider.s3_object_arn(&bucket, &key);
        self.s3_authorize(caller, "s3:DeleteObject", &bucket, &arn, &Context::new())?;
        self.bucket_mut(&bucket)?.objects.remove(&key);
        Ok(Value::Null)
    }

    /// `ListObjectsV2`.
    pub(crate) fn s3_list_objects(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let bucket = q.str("Bucket")?;
        let prefix = q.opt_str("Prefix")?.unwrap_or_default();
        let max = q.opt_i64("MaxKeys")?.unwrap_or(1000).clamp(0, 1000) as usize;
        let arn = self.provider.s3_bucket_arn(&bucket);
        self.s3_authorize(caller, "s3:ListBucket", &bucket, &arn, &Context::new())?;
        let b = self.bucket(&bucket)?;
        let matching: Vec<&Object> = b
            .objects
            .values()
            .filter(|o| o.key.starts_with(&prefix))
            .map(|o| &**o)
            .collect();
        let contents: Vec<Value> = matching
            .iter()
            .take(max)
            .map(|o| json!({"Key": o.key, "LastModified": iso(o.last_modified), "ETag": o.etag, "Size": o.size, "StorageClass": "STANDARD"}))
            .collect();
        let mut out = json!({
            "IsTruncated": matching.len() > max,
            "Name": bucket,
            "Prefix": prefix,
            "MaxKeys": max,
            "KeyCount": contents.len(),
        });
        if !contents.is_empty() {
            out["Contents"] = json!(contents);
        }
        Ok(out)
    }
}
