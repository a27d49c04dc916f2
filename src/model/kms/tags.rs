//! KMS key tags: CreateKey's `Tags`, TagResource, UntagResource and ListResourceTags.
//!
//! Rules from "Tags in AWS KMS" (KMS developer guide) and API_Tag: a tag key of 1 to 128
//! characters, a value of up to 256 (empty allowed), keys beginning with `aws:` reserved for
//! AWS (TagException), at most 50 tags per key; AWS managed keys cannot be tagged.

use super::*;

/// Tags a key may carry.
const MAX_TAGS: usize = 50;

fn tag_error(message: impl Into<String>) -> AwsError {
    AwsError::new(KmsCode::TagException, message.into())
}

/// A request's `Tags` (`[{TagKey, TagValue}]`), checked.
pub(super) fn read_tags(q: &Params) -> AwsResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for t in q
        .opt_structs("Tags", &["TagKey", "TagValue"])?
        .unwrap_or_default()
    {
        let (k, v) = (t.str("TagKey")?, t.str("TagValue")?);
        if k.is_empty() || k.chars().count() > 128 || v.chars().count() > 256 {
            return Err(tag_error(format!(
                "Tag key must be 1 to 128 characters and its value at most 256: '{k}'"
            )));
        }
        if k.starts_with("aws:") {
            return Err(tag_error("Tags beginning with aws: are reserved"));
        }
        out.insert(k, v);
    }
    if out.len() > MAX_TAGS {
        return Err(tag_error(format!(
            "A key can have at most {MAX_TAGS} tags."
        )));
    }
    Ok(out)
}

impl Sim {
    /// The customer managed key a tag operation names, after the caller's permission check.
    fn taggable_key(&mut self, caller: &Caller, q: &Params, action: &str) -> AwsResult<String> {
        let ctx = KmsCtx::user(caller);
        let key_id = q.str("KeyId")?;
        let id = self.authorized_key(&ctx, &key_id, action)?;
        let k = self.key(&id).ok_or_else(|| not_found_key(&id))?;
        if k.aws_managed && action != "kms:ListResourceTags" {
            return Err(AwsError::new(
                KmsCode::NotAuthorizedException,
                "AWS managed keys cannot be tagged.",
            ));
        }
        if k.state == KeyState::PendingDeletion && action != "kms:ListResourceTags" {
            return Err(AwsError::new(
                KmsCode::KmsInvalidStateException,
                format!("{} is pending deletion.", k.arn),
            ));
        }
        Ok(id)
    }

    /// `TagResource`: adds tags, overwriting the value of a key the key already has.
    pub(crate) fn tag_resource(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = self.taggable_key(caller, q, "kms:TagResource")?;
        let new = read_tags(q)?;
        if let Some(k) = self.kms.keys.get_mut(&id) {
            let added = new.keys().filter(|t| !k.tags.contains_key(*t)).count();
            if k.tags.len() + added > MAX_TAGS {
                return Err(tag_error(format!(
                    "A key can have at most {MAX_TAGS} tags."
                )));
            }
            k.tags.extend(new);
        }
        Ok(json!({}))
    }

    /// `UntagResource`: removes the named tag keys (absent keys are no error).
    pub(crate) fn untag_resource(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = self.taggable_key(caller, q, "kms:UntagResource")?;
        let keys = q.strs("TagKeys")?;
        if let Some(k) = self.kms.keys.get_mut(&id) {
            for t in &keys {
                k.tags.remove(t);
            }
        }
        Ok(json!({}))
    }

    /// `ListResourceTags`: `Tags` as `[{TagKey, TagValue}]`, sorted by key, and `Truncated`.
    pub(crate) fn list_resource_tags(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let id = self.taggable_key(caller, q, "kms:ListResourceTags")?;
        let tags: Vec<Value> = self
            .key(&id)
            .map(|k| {
                k.tags
                    .iter()
                    .map(|(t, v)| json!({"TagKey": t, "TagValue": v}))
                    .collect()
            })
            .unwrap_or_default();
        Ok(json!({"Tags": tags, "Truncated": false}))
    }
}
