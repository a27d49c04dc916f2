//! Starting values of the Alibaba Cloud forms: the region's first zone, a public image and an
//! instance type that can attach encrypted disks, the newest disk, instance, snapshot, image or
//! CMK of the account for fields that name one, and the role and policy seed 002 needs.
//!
//! Conveniences only: the console's parser and the model judge what the form makes.

use super::forms::{Env, Spec};
use crate::cli::schema::Command;
use crate::model::provider::Cloud;
use crate::session::Session;

/// The trust policy of the role ECS assumes to use a CMK.
pub const ECS_TRUST_POLICY: &str = r#"{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#;

/// The newest of `ids` (they are created in order, so the last one listed in creation order).
fn newest(ids: impl Iterator<Item = (u64, String)>) -> String {
    ids.max_by_key(|(t, _)| *t)
        .map(|(_, id)| id)
        .unwrap_or_default()
}

/// The starting value of an Alibaba Cloud form field, or `None` for an AWS form.
pub fn default_value(cmd: &Command, spec: &Spec, env: &Env, s: &Session) -> Option<String> {
    if cmd.service.cloud() != Cloud::Alibaba {
        return None;
    }
    let a = s.sim().aliyun();
    let mine = |account: &str, region: &str| account == env.account && region == env.region;
    let op = cmd.operation;
    let v = match spec.label {
        "ZoneId" => env.zones.first().cloned().unwrap_or_default(),
        "RegionId" | "DestinationRegionId" => env.region.clone(),
        "ImageId" if matches!(op, "RunInstances" | "ReplaceSystemDisk") => a
            .images()
            .filter(|i| {
                i.region == env.region && (i.account == env.account || i.owner_alias == "system")
            })
            .max_by_key(|i| (i.account == env.account, i.created))
            .map(|i| i.id.clone())
            .unwrap_or_default(),
        "ImageId" => newest(
            a.images()
                .filter(|i| mine(&i.account, &i.region))
                .map(|i| (i.created, i.id.clone())),
        ),
        "InstanceType" => "ecs.g7.large".into(),
        "DiskCategory" => "cloud_essd".into(),
        "Size" if op == "CreateDisk" => "40".into(),
        "DiskId" => newest(
            a.disks()
                .filter(|d| mine(&d.account, &d.region))
                .map(|d| (d.created, d.id.clone())),
        ),
        "InstanceId" => newest(
            a.instances()
                .filter(|i| mine(&i.account, &i.region))
                .map(|i| (i.created, i.id.clone())),
        ),
        "SnapshotId" if op != "CreateDisk" => newest(
            a.snapshots()
                .filter(|x| mine(&x.account, &x.region))
                .map(|x| (x.created, x.id.clone())),
        ),
        "KeyId" => newest(
            a.keys()
                .filter(|k| mine(&k.account, &k.region) && !k.service_key)
                .map(|k| (k.created, k.id.clone())),
        ),
        "PendingWindowInDays" => "7".into(),
        "Description" if op == "CreateKey" => "disk key".into(),
        "Text" => "Hello from an encrypted disk".into(),
        "Seconds" => "60".into(),
        "UserName" => "learner".into(),
        "RoleName" => "AliyunECSDiskEncryptDefaultRole".into(),
        "AssumeRolePolicyDocument" => ECS_TRUST_POLICY.into(),
        "PolicyType" => "System".into(),
        "PolicyName" if op == "AttachPolicyToRole" => "AliyunECSDiskEncryptRolePolicy".into(),
        "PolicyName" if op == "AttachPolicyToUser" => "AliyunKMSReadOnlyAccess".into(),
        "AliasName" => "alias/my-key".into(),
        _ => String::new(),
    };
    Some(v)
}

#[cfg(test)]
mod tests {
    use crate::model::ops::aliyun;
    use crate::model::provider::Cloud;
    use crate::session::Session;
    use crate::views::forms::{build_line, form_of};

    fn form_line(s: &Session, product: &str, api: &str) -> String {
        let cmd = aliyun::find(product, api).expect("an operation");
        let (specs, values) = form_of(cmd, s, &[]);
        build_line(cmd, &specs, &values)
    }

    #[test]
    fn a_fresh_alibaba_session_can_run_the_forms_as_they_start() {
        let mut s = Session::new_in(Cloud::Alibaba, 1);
        for (product, api) in [
            ("ram", "CreateRole"),
            ("ram", "AttachPolicyToRole"),
            ("kms", "CreateKey"),
            ("ecs", "CreateDisk"),
            ("ecs", "RunInstances"),
            ("ecs", "CreateSnapshot"),
            ("kms", "DescribeKey"),
        ] {
            let line = form_line(&s, product, api);
            let e = s.run(&line).cloned().expect("an entry");
            assert!(e.result.error.is_none(), "{line}: {}", e.result.text);
            if api == "CreateDisk" || api == "RunInstances" {
                s.run("play advance --minutes 1");
            }
        }
        // Options are member names, booleans true/false.
        let line = form_line(&s, "ecs", "CreateDisk");
        assert!(
            line.starts_with("aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId cn-hangzhou-h"),
            "{line}"
        );
    }
}
