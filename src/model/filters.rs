//! EC2 `Filters` on the describe operations: the filter names each resource type supports,
//! where each one reads its values in the resource's JSON, and how values match (any value of a
//! filter, every filter; `*` and `?` wildcards; case-sensitive), including the tag filters
//! every describe of a taggable resource takes: `tag:<key>` (the value of that tag),
//! `tag-key` and `tag-value` (DescribeVolumes, DescribeSnapshots, DescribeImages and
//! DescribeInstances in the EC2 API reference).

use super::codes::Ec2Code;
use super::params::Params;
use super::policy::wildcard_match;
use super::{AwsError, AwsResult};
use serde_json::Value;

/// Filter name → path in the resource's JSON (`Attachments[].InstanceId`: every attachment's).
pub(crate) type FilterTable = &'static [(&'static str, &'static str)];

/// DescribeVolumes.
pub(crate) const VOLUME_FILTERS: FilterTable = &[
    ("attachment.device", "Attachments[].Device"),
    ("attachment.instance-id", "Attachments[].InstanceId"),
    ("attachment.status", "Attachments[].State"),
    ("availability-zone", "AvailabilityZone"),
    ("create-time", "CreateTime"),
    ("encrypted", "Encrypted"),
    ("size", "Size"),
    ("snapshot-id", "SnapshotId"),
    ("status", "State"),
    ("tag-key", "Tags[].Key"),
    ("tag-value", "Tags[].Value"),
    ("volume-id", "VolumeId"),
    ("volume-type", "VolumeType"),
];

/// DescribeSnapshots.
pub(crate) const SNAPSHOT_FILTERS: FilterTable = &[
    ("description", "Description"),
    ("encrypted", "Encrypted"),
    ("owner-id", "OwnerId"),
    ("progress", "Progress"),
    ("snapshot-id", "SnapshotId"),
    ("start-time", "StartTime"),
    ("status", "State"),
    ("tag-key", "Tags[].Key"),
    ("tag-value", "Tags[].Value"),
    ("volume-id", "VolumeId"),
    ("volume-size", "VolumeSize"),
];

/// DescribeImages.
pub(crate) const IMAGE_FILTERS: FilterTable = &[
    (
        "block-device-mapping.device-name",
        "BlockDeviceMappings[].DeviceName",
    ),
    (
        "block-device-mapping.encrypted",
        "BlockDeviceMappings[].Ebs.Encrypted",
    ),
    (
        "block-device-mapping.snapshot-id",
        "BlockDeviceMappings[].Ebs.SnapshotId",
    ),
    (
        "block-device-mapping.volume-size",
        "BlockDeviceMappings[].Ebs.VolumeSize",
    ),
    ("description", "Description"),
    ("image-id", "ImageId"),
    ("is-public", "Public"),
    ("name", "Name"),
    ("owner-id", "OwnerId"),
    ("root-device-name", "RootDeviceName"),
    ("state", "State"),
    ("tag-key", "Tags[].Key"),
    ("tag-value", "Tags[].Value"),
];

/// DescribeInstances.
pub(crate) const INSTANCE_FILTERS: FilterTable = &[
    ("availability-zone", "Placement.AvailabilityZone"),
    (
        "block-device-mapping.device-name",
        "BlockDeviceMappings[].DeviceName",
    ),
    (
        "block-device-mapping.status",
        "BlockDeviceMappings[].Ebs.Status",
    ),
    (
        "block-device-mapping.volume-id",
        "BlockDeviceMappings[].Ebs.VolumeId",
    ),
    ("image-id", "ImageId"),
    ("instance-id", "InstanceId"),
    ("instance-state-name", "State.Name"),
    ("instance-type", "InstanceType"),
    ("private-ip-address", "PrivateIpAddress"),
    ("subnet-id", "SubnetId"),
    ("tag-key", "Tags[].Key"),
    ("tag-value", "Tags[].Value"),
    ("vpc-id", "VpcId"),
];

/// DescribeTags, over its entries (`{Key, ResourceId, ResourceType, Value}`).
pub(crate) const TAG_FILTERS: FilterTable = &[
    ("key", "Key"),
    ("resource-id", "ResourceId"),
    ("resource-type", "ResourceType"),
    ("value", "Value"),
];

/// What one filter looks at.
enum Target {
    /// The values at a path of the resource's JSON.
    Path(&'static str),
    /// The value of the resource's tag with this key (`tag:<key>`).
    Tag(String),
}

/// The request's filters: (what each looks at, accepted values).
pub(crate) struct Filters(Vec<(Target, Vec<String>)>);

impl Filters {
    /// Reads `Filters` (`[{Name, Values}]`) against the names `table` supports.
    pub(crate) fn read(q: &Params, table: FilterTable) -> AwsResult<Self> {
        let mut out = Vec::new();
        for f in q
            .opt_structs("Filters", &["Name", "Values"])?
            .unwrap_or_default()
        {
            let name = f.str("Name")?;
            let tagged = table.iter().any(|(n, _)| *n == "tag-key");
            let tag_entries = table.iter().any(|(n, _)| *n == "resource-type");
            if let Some(key) = name.strip_prefix("tag:") {
                if tagged {
                    out.push((Target::Tag(key.to_string()), f.strs("Values")?));
                    continue;
                }
                // DescribeTags: `tag:Stack` with `Test` keeps the entries of tag Stack=Test
                // (the AWS CLI's describe-tags example calls it an alternate syntax for
                // Name=key,Values=Stack Name=value,Values=Test).
                if tag_entries {
                    out.push((Target::Path("Key"), vec![key.to_string()]));
                    out.push((Target::Path("Value"), f.strs("Values")?));
                    continue;
                }
            }
            let Some(&(_, path)) = table.iter().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
                return Err(AwsError::new(
                    Ec2Code::InvalidParameterValue,
                    format!(
                        "The filter '{name}' is invalid (the playground supports {})",
                        known.join(", ")
                    ),
                ));
            };
            out.push((Target::Path(path), f.strs("Values")?));
        }
        Ok(Filters(out))
    }

    /// Whether a resource (as its describe JSON) passes every filter: for each filter, one of
    /// its values matches one of the resource's values at the filter's path.
    pub(crate) fn pass(&self, resource: &Value) -> bool {
        self.0.iter().all(|(target, wanted)| {
            let have = match target {
                Target::Path(path) => values_at(resource, path),
                Target::Tag(key) => tag_values(resource, key),
            };
            wanted
                .iter()
                .any(|w| have.iter().any(|h| wildcard_match(w, h, false)))
        })
    }
}

/// The value of the resource's tag `key`, if it has that tag (keys match exactly).
fn tag_values(v: &Value, key: &str) -> Vec<String> {
    v["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["Key"] == key)
        .filter_map(|t| t["Value"].as_str().map(str::to_string))
        .collect()
}

/// The values at `path` as text: `a.b` walks objects, `a[]` fans out over a list.
fn values_at(v: &Value, path: &str) -> Vec<String> {
    let mut here = vec![v];
    for step in path.split('.') {
        let (key, fan) = match step.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (step, false),
        };
        here = here
            .into_iter()
            .filter_map(|x| x.get(key))
            .flat_map(|x| match (fan, x) {
                (true, Value::Array(items)) => items.iter().collect::<Vec<_>>(),
                _ => vec![x],
            })
            .collect();
    }
    here.into_iter()
        .filter_map(|x| match x {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn filters(f: Value, table: FilterTable) -> AwsResult<Filters> {
        let req = json!({ "Filters": f });
        let q = Params::new("ec2", &req, &["Filters"])?;
        Filters::read(&q, table)
    }

    #[test]
    fn values_are_read_along_paths_and_lists() {
        let v = json!({"State": "in-use", "Size": 8, "Encrypted": true,
            "Attachments": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}], "Placement": {"AvailabilityZone": "us-east-1a"}});
        assert_eq!(values_at(&v, "State"), ["in-use"]);
        assert_eq!(values_at(&v, "Size"), ["8"]);
        assert_eq!(values_at(&v, "Encrypted"), ["true"]);
        assert_eq!(values_at(&v, "Attachments[].InstanceId"), ["i-1", "i-2"]);
        assert_eq!(values_at(&v, "Placement.AvailabilityZone"), ["us-east-1a"]);
        assert!(values_at(&v, "Missing[].X").is_empty());
    }

    #[test]
    fn filters_and_across_names_or_across_values_with_wildcards() {
        let vol = json!({"Encrypted": false, "Size": 8, "VolumeType": "gp3",
            "Attachments": [{"InstanceId": "i-0abc"}]});
        let table = [
            (json!([{"Name": "encrypted", "Values": ["false"]}]), true),
            (json!([{"Name": "encrypted", "Values": ["true"]}]), false),
            (json!([{"Name": "size", "Values": ["4", "8"]}]), true),
            (
                json!([{"Name": "encrypted", "Values": ["false"]}, {"Name": "volume-type", "Values": ["io2"]}]),
                false,
            ),
            (
                json!([{"Name": "attachment.instance-id", "Values": ["i-0a*"]}]),
                true,
            ),
            (
                json!([{"Name": "attachment.instance-id", "Values": ["I-0A*"]}]),
                false,
            ),
            (json!([{"Name": "volume-type", "Values": ["gp?"]}]), true),
            (json!([]), true),
        ];
        for (f, pass) in table {
            let got = filters(f.clone(), VOLUME_FILTERS).unwrap().pass(&vol);
            assert_eq!(got, pass, "{f}");
        }
    }

    #[test]
    fn unknown_or_malformed_filters_are_refused() {
        let e = filters(
            json!([{"Name": "colour", "Values": ["red"]}]),
            VOLUME_FILTERS,
        )
        .err()
        .unwrap();
        assert_eq!(e.code, "InvalidParameterValue");
        assert!(
            e.message.starts_with("The filter 'colour' is invalid"),
            "{}",
            e.message
        );
        assert_eq!(
            filters(json!([{"Name": "size"}]), VOLUME_FILTERS)
                .err()
                .unwrap()
                .code,
            "MissingParameter"
        );
        assert_eq!(
            filters(json!([{"Name": "size", "Values": "8"}]), VOLUME_FILTERS)
                .err()
                .unwrap()
                .code,
            "InvalidParameterValue"
        );
    }

    #[test]
    fn every_table_is_sorted_and_unique() {
        for t in [
            VOLUME_FILTERS,
            SNAPSHOT_FILTERS,
            IMAGE_FILTERS,
            INSTANCE_FILTERS,
            TAG_FILTERS,
        ] {
            assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "{t:?}");
        }
    }

    /// `tag:<key>` matches the value of that tag, `tag-key` any key, `tag-value` any value
    /// (the describe operations' filter lists in the EC2 API reference).
    #[test]
    fn tag_filters_read_the_resources_tags() {
        let vol = json!({"VolumeId": "vol-1", "Tags": [
            {"Key": "Name", "Value": "web-data"}, {"Key": "team", "Value": "finance"}, {"Key": "empty", "Value": ""}]});
        let untagged = json!({"VolumeId": "vol-2"});
        let table = [
            (
                json!([{"Name": "tag:Name", "Values": ["web-data"]}]),
                true,
                false,
            ),
            (
                json!([{"Name": "tag:Name", "Values": ["web-*"]}]),
                true,
                false,
            ),
            (
                json!([{"Name": "tag:Name", "Values": ["finance"]}]),
                false,
                false,
            ),
            (
                json!([{"Name": "tag:name", "Values": ["web-data"]}]),
                false,
                false,
            ),
            (
                json!([{"Name": "tag:team", "Values": ["db", "finance"]}]),
                true,
                false,
            ),
            (json!([{"Name": "tag:empty", "Values": [""]}]), true, false),
            (json!([{"Name": "tag:empty", "Values": ["*"]}]), true, false),
            (
                json!([{"Name": "tag-key", "Values": ["team"]}]),
                true,
                false,
            ),
            (
                json!([{"Name": "tag-key", "Values": ["owner"]}]),
                false,
                false,
            ),
            (
                json!([{"Name": "tag-value", "Values": ["fin*"]}]),
                true,
                false,
            ),
            (
                json!([{"Name": "tag:Name", "Values": ["web-data"]}, {"Name": "tag-key", "Values": ["owner"]}]),
                false,
                false,
            ),
            (
                json!([{"Name": "volume-id", "Values": ["vol-*"]}]),
                true,
                true,
            ),
        ];
        for (f, tagged, plain) in table {
            let fs = filters(f.clone(), VOLUME_FILTERS).unwrap();
            assert_eq!(fs.pass(&vol), tagged, "{f}");
            assert_eq!(fs.pass(&untagged), plain, "{f} (untagged)");
        }
        for t in [
            VOLUME_FILTERS,
            SNAPSHOT_FILTERS,
            IMAGE_FILTERS,
            INSTANCE_FILTERS,
        ] {
            assert!(filters(json!([{"Name": "tag:x", "Values": ["y"]}]), t).is_ok());
        }
        let entry = json!({"Key": "Stack", "ResourceId": "i-1", "ResourceType": "instance", "Value": "Test"});
        for (f, pass) in [
            (json!([{"Name": "tag:Stack", "Values": ["Test"]}]), true),
            (json!([{"Name": "tag:Stack", "Values": ["Prod"]}]), false),
            (json!([{"Name": "tag:Owner", "Values": ["Test"]}]), false),
            (
                json!([{"Name": "key", "Values": ["Stack"]}, {"Name": "value", "Values": ["Test"]}]),
                true,
            ),
            (
                json!([{"Name": "resource-type", "Values": ["volume"]}]),
                false,
            ),
        ] {
            assert_eq!(
                filters(f.clone(), TAG_FILTERS).unwrap().pass(&entry),
                pass,
                "{f}"
            );
        }
        let e = filters(json!([{"Name": "tag-key", "Values": ["y"]}]), TAG_FILTERS)
            .err()
            .unwrap();
        assert_eq!(e.code, "InvalidParameterValue");
    }
}
