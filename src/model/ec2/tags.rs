//! EC2 tags: the `TagSpecifications` of the create operations, and CreateTags, DeleteTags and
//! DescribeTags on volumes, snapshots, images, instances and launch templates.
//!
//! Rules from "Tag your Amazon EC2 resources" (EC2 user guide, "Tag restrictions"): at most 50
//! tags per resource, keys of 1 to 128 characters and values of up to 256, each key once per
//! resource, and keys beginning with `aws:` reserved for AWS.

use super::*;
use crate::model::ebs::Tags;
use crate::model::filters::TAG_FILTERS;

/// Tags a resource may carry ("Tag restrictions").
const MAX_TAGS: usize = 50;

/// The resource types DescribeTags names, by id prefix.
fn resource_type(id: &str) -> Option<&'static str> {
    match id.split_once('-')?.0 {
        "vol" => Some("volume"),
        "snap" => Some("snapshot"),
        "ami" => Some("image"),
        "i" => Some("instance"),
        "lt" => Some("launch-template"),
        _ => None,
    }
}

/// Checks one tag's key and value against the restrictions.
fn check_tag(key: &str, value: &str) -> AwsResult<()> {
    if key.is_empty() || key.chars().count() > 128 {
        return Err(AwsError::new(
            Ec2Code::InvalidParameterValue,
            format!("Tag key exceeds the maximum length of 128 characters or is empty: '{key}'"),
        ));
    }
    if value.chars().count() > 256 {
        return Err(AwsError::new(
            Ec2Code::InvalidParameterValue,
            format!("Tag value exceeds the maximum length of 256 characters for key '{key}'"),
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(AwsError::new(
            Ec2Code::InvalidParameterValue,
            "Tag keys starting with 'aws:' are reserved for internal use",
        ));
    }
    Ok(())
}

/// One tag of a request: its key, and its value if one was given.
type RequestTag = (String, Option<String>);

/// A request's `Tags` list (`[{Key, Value}]`); `Value` may be missing (`None`).
fn tag_list(q: &Params, name: &str) -> AwsResult<Option<Vec<RequestTag>>> {
    let Some(items) = q.opt_structs(name, &["Key", "Value"])? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|t| Ok((t.str("Key")?, t.opt_str("Value")?)))
        .collect::<AwsResult<_>>()
        .map(Some)
}

/// Adds tags to a resource's tags (a key that is there already gets the new value).
fn apply(tags: &mut Tags, new: &Tags) -> AwsResult<()> {
    let added = new.keys().filter(|k| !tags.contains_key(*k)).count();
    if tags.len() + added > MAX_TAGS {
        return Err(AwsError::new(
            Ec2Code::TagLimitExceeded,
            format!("The maximum number of tags ({MAX_TAGS}) for a resource has been reached."),
        ));
    }
    tags.extend(new.iter().map(|(k, v)| (k.clone(), v.clone())));
    Ok(())
}

/// A request's `TagSpecifications`: the tags for each resource type it names.
#[derive(Debug, Default)]
pub(crate) struct TagSpecs(Vec<(String, Tags)>);

impl TagSpecs {
    /// Reads `TagSpecifications`, refusing resource types the operation does not create
    /// (`allowed`), a type named twice, and tags that break the restrictions.
    pub(crate) fn read(q: &Params, allowed: &[&str]) -> AwsResult<Self> {
        let mut out: Vec<(String, Tags)> = Vec::new();
        for spec in q
            .opt_structs("TagSpecifications", &["ResourceType", "Tags"])?
            .unwrap_or_default()
        {
            let Some(rt) = spec.opt_str("ResourceType")? else {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    "Tag specification resource type must have a value",
                ));
            };
            if !allowed.contains(&rt.as_str()) {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!("'{rt}' is not a valid taggable resource type for this operation."),
                ));
            }
            if out.iter().any(|(t, _)| *t == rt) {
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!("The same resource type may not be specified more than once in tag specifications: '{rt}'"),
                ));
            }
            let mut tags = Tags::new();
            for (k, v) in tag_list(&spec, "Tags")?.unwrap_or_default() {
                let v = v.unwrap_or_default();
                check_tag(&k, &v)?;
                if tags.insert(k.clone(), v).is_some() {
                    return Err(AwsError::new(
                        Ec2Code::InvalidParameterValue,
                        format!("The tag '{k}' is specified more than once."),
                    ));
                }
            }
            if tags.len() > MAX_TAGS {
                return Err(AwsError::new(
                    Ec2Code::TagLimitExceeded,
                    format!(
                        "The maximum number of tags ({MAX_TAGS}) for a resource has been reached."
                    ),
                ));
            }
            out.push((rt, tags));
        }
        Ok(TagSpecs(out))
    }

    /// The tags for resources of type `rt` (none when the request names no such spec).
    pub(crate) fn get(&self, rt: &str) -> Tags {
        self.0
            .iter()
            .find(|(t, _)| t == rt)
            .map(|(_, tags)| tags.clone())
            .unwrap_or_default()
    }

    /// These specs with `later`'s tags on top, type by type (a launch template's specs under
    /// the request's: the request's value wins for a key both give).
    pub(crate) fn merged(mut self, later: TagSpecs) -> TagSpecs {
        for (rt, tags) in later.0 {
            match self.0.iter_mut().find(|(t, _)| *t == rt) {
                Some((_, mine)) => mine.extend(tags),
                None => self.0.push((rt, tags)),
            }
        }
        self
    }
}

impl Sim {
    /// The tags of a resource of the caller's account and region, for CreateTags and DeleteTags.
    fn tags_mut(&mut self, caller: &Caller, id: &str) -> AwsResult<&mut Tags> {
        let mine =
            |account: &str, region: &str| account == caller.account && region == caller.region;
        let not_found = |code: Ec2Code, what: &str| {
            AwsError::new(code, format!("The {what} '{id}' does not exist."))
        };
        match resource_type(id) {
            Some("volume") => match self.volumes.get_mut(id) {
                Some(v) if mine(&v.account, &v.region) => Ok(&mut v.tags),
                _ => Err(not_found(Ec2Code::InvalidVolumeNotFound, "volume")),
            },
            Some("snapshot") => match self.snapshots.get_mut(id) {
                Some(s) if mine(&s.account, &s.region) => Ok(&mut s.tags),
                _ => Err(not_found(Ec2Code::InvalidSnapshotNotFound, "snapshot")),
            },
            Some("image") => match self.images.get_mut(id) {
                Some(i) if mine(&i.account, &i.region) => Ok(&mut i.tags),
                _ => Err(AwsError::new(
                    Ec2Code::InvalidAmiIdNotFound,
                    format!("The image id '[{id}]' does not exist"),
                )),
            },
            Some("instance") => match self.instances.get_mut(id) {
                Some(i) if mine(&i.account, &i.region) => Ok(&mut i.tags),
                _ => Err(AwsError::new(
                    Ec2Code::InvalidInstanceIdNotFound,
                    format!("The instance ID '{id}' does not exist"),
                )),
            },
            Some(_) => match self.launch_templates.get_mut(id) {
                Some(t) if mine(&t.account, &t.region) => Ok(&mut t.tags),
                _ => Err(AwsError::new(
                    Ec2Code::InvalidLaunchTemplateIdNotFound,
                    format!(
                        "The specified launch template, with template ID {id}, does not exist."
                    ),
                )),
            },
            None => Err(AwsError::new(
                Ec2Code::InvalidId,
                format!("The ID '{id}' is not valid"),
            )),
        }
    }

    /// Checks every resource before changing any (CreateTags and DeleteTags change all or none).
    fn tag_targets(&mut self, caller: &Caller, q: &Params) -> AwsResult<Vec<String>> {
        let resources = q.strs("Resources")?;
        if resources.is_empty() {
            return Err(AwsError::new(
                Ec2Code::MissingParameter,
                "The request must contain the parameter resourceIdSet",
            ));
        }
        for id in &resources {
            self.tags_mut(caller, id)?;
        }
        Ok(resources)
    }

    /// `CreateTags`: adds or overwrites tags on each resource (API_CreateTags: "If you specify a
    /// tag key that is already associated with the resource, the new tag value you specify
    /// overwrites the previous tag value").
    pub(crate) fn create_tags(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let resources = self.tag_targets(caller, q)?;
        let mut new = Tags::new();
        for (k, v) in q.required("Tags", tag_list(q, "Tags")?)? {
            let v = v.unwrap_or_default();
            check_tag(&k, &v)?;
            new.insert(k, v);
        }
        for id in &resources {
            let mut tags = self.tags_mut(caller, id)?.clone();
            apply(&mut tags, &new)?;
        }
        for id in &resources {
            apply(self.tags_mut(caller, id)?, &new)?;
        }
        Ok(json!({}))
    }

    /// `DeleteTags`: without `Tags`, every tag of each resource; a tag without a value, that key
    /// whatever its value; a tag with a value (even empty), that key only with that value
    /// (API_DeleteTags).
    pub(crate) fn delete_tags(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let resources = self.tag_targets(caller, q)?;
        let which = tag_list(q, "Tags")?;
        for id in &resources {
            let tags = self.tags_mut(caller, id)?;
            match &which {
                None => tags.clear(),
                Some(list) => {
                    for (k, v) in list {
                        if k.to_ascii_lowercase().starts_with("aws:") {
                            return Err(AwsError::new(
                                Ec2Code::InvalidParameterValue,
                                "Tag keys starting with 'aws:' are reserved for internal use",
                            ));
                        }
                        if v.as_ref().is_none_or(|v| tags.get(k) == Some(v)) {
                            tags.remove(k);
                        }
                    }
                }
            }
        }
        Ok(json!({}))
    }

    /// `DescribeTags`: the tags of the caller's resources in the region, one entry per tag,
    /// ordered by resource id and key, with the `key`, `resource-id`, `resource-type` and
    /// `value` filters (API_DescribeTags).
    pub(crate) fn describe_tags(&mut self, caller: &Caller, q: &Params) -> AwsResult<Value> {
        let filters = Filters::read(q, TAG_FILTERS)?;
        let mine =
            |account: &str, region: &str| account == caller.account && region == caller.region;
        let mut all: Vec<(&str, &Tags)> = Vec::new();
        all.extend(
            self.volumes
                .values()
                .filter(|v| mine(&v.account, &v.region))
                .map(|v| (v.id.as_str(), &v.tags)),
        );
        all.extend(
            self.snapshots
                .values()
                .filter(|v| mine(&v.account, &v.region))
                .map(|v| (v.id.as_str(), &v.tags)),
        );
        all.extend(
            self.images
                .values()
                .filter(|v| mine(&v.account, &v.region))
                .map(|v| (v.id.as_str(), &v.tags)),
        );
        all.extend(
            self.instances
                .values()
                .filter(|v| mine(&v.account, &v.region))
                .map(|v| (v.id.as_str(), &v.tags)),
        );
        all.extend(
            self.launch_templates
                .values()
                .filter(|v| mine(&v.account, &v.region))
                .map(|v| (v.id.as_str(), &v.tags)),
        );
        crate::sort::sort_by(&mut all, |a, b| a.0 < b.0);
        let list: Vec<Value> = all
            .into_iter()
            .flat_map(|(id, tags)| {
                tags.iter().map(move |(k, v)| {
                    json!({"Key": k, "ResourceId": id, "ResourceType": resource_type(id).unwrap_or(""), "Value": v})
                })
            })
            .filter(|t| filters.pass(t))
            .collect();
        Ok(json!({ "Tags": list }))
    }
}
