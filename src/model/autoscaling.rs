//! Amazon EC2 Auto Scaling: groups that launch instances from a launch template as the
//! service-linked role `AWSServiceRoleForAutoScaling`, whose access to KMS keys seed 004 is about.

use super::codes::AutoScalingCode;
use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::{Caller, Sim};
use crate::json;
use crate::model::Handler;
use serde::Serialize;
use serde_json::Value;

/// An Auto Scaling group as DescribeAutoScalingGroups shows it (its instances are looked up).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AutoScalingGroup {
    /// The group's name, unique in its account and region.
    #[serde(rename = "AutoScalingGroupName")]
    pub name: String,
    /// MinSize.
    #[serde(rename = "MinSize")]
    pub min_size: i64,
    /// MaxSize.
    #[serde(rename = "MaxSize")]
    pub max_size: i64,
    /// DesiredCapacity.
    #[serde(rename = "DesiredCapacity")]
    pub desired_capacity: i64,
    /// The `LaunchTemplate` specification as given (id or name, version).
    #[serde(rename = "LaunchTemplate")]
    pub launch_template: Value,
    /// The service-linked role the group launches as.
    #[serde(rename = "ServiceLinkedRoleARN")]
    pub service_linked_role_arn: String,
    /// One activity per launch attempt (DescribeScalingActivities, not part of the group).
    #[serde(skip)]
    pub activities: Vec<Activity>,
}

/// A scaling activity: a launch in progress, or one that failed and why.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Activity {
    /// A stable id (derived from the group and the attempt, so it costs no randomness).
    #[serde(rename = "ActivityId")]
    pub id: String,
    /// The group.
    #[serde(rename = "AutoScalingGroupName")]
    pub group: String,
    /// Why the activity happened.
    #[serde(rename = "Cause")]
    pub cause: String,
    /// When it started.
    #[serde(rename = "StartTime")]
    pub start: String,
    /// Percent done.
    #[serde(rename = "Progress")]
    pub progress: u32,
    /// `InProgress` or `Failed`.
    #[serde(rename = "StatusCode")]
    pub status_code: &'static str,
    /// What the activity does (launches).
    #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Why it failed.
    #[serde(rename = "StatusMessage", skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
}

/// A stable, UUID-shaped activity id for a group's `attempt`-th launch (FNV-1a of both).
fn activity_id(group: &str, attempt: u64) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in group.bytes().chain(attempt.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{h:016x}{:016x}", h.rotate_left(29) ^ 0x5bd1_e995);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

impl Sim {
    /// `CreateAutoScalingGroup`.
    pub(crate) fn create_auto_scaling_group(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let group_name = q.str("AutoScalingGroupName")?;
        if q.opt_str("LaunchConfigurationName")?.is_some() {
            return Err(AwsError::new(
                AutoScalingCode::ValidationError,
                "Launch configurations are not modelled by this playground (AWS recommends launch templates): use --launch-template.",
            ));
        }
        let min_size = q.required("MinSize", q.opt_i64("MinSize")?)?;
        let max_size = q.required("MaxSize", q.opt_i64("MaxSize")?)?;
        let desired_capacity = q.opt_i64("DesiredCapacity")?;
        let availability_zones = q.opt_strs("AvailabilityZones")?;
        q.opt_str("VPCZoneIdentifier")?;
        if min_size < 0 || max_size < min_size || max_size > 20 {
            return Err(AwsError::new(
                AutoScalingCode::ValidationError,
                "MinSize and MaxSize must satisfy 0 ≤ MinSize ≤ MaxSize ≤ 20.",
            ));
        }
        let desired = desired_capacity.unwrap_or(min_size);
        if desired < min_size || desired > max_size {
            return Err(AwsError::new(
                AutoScalingCode::ValidationError,
                "Desired capacity must be between MinSize and MaxSize.",
            ));
        }
        let Some(lt) = q.raw("LaunchTemplate").cloned() else {
            return Err(AwsError::new(
                AutoScalingCode::ValidationError,
                "A launch template is required.",
            ));
        };
        if self.asgs.contains_key(&format!(
            "{}/{}/{}",
            caller.account, caller.region, group_name
        )) {
            return Err(AwsError::new(AutoScalingCode::AlreadyExists, format!("AutoScalingGroup by this name already exists - A group with the name {} already exists", group_name)));
        }
        let slr = Caller {
            account: caller.account.clone(),
            region: caller.region.clone(),
            principal: self.provider.service_linked_role_arn(
                &caller.account,
                "autoscaling",
                "AWSServiceRoleForAutoScaling",
            ),
        };
        let az = availability_zones.and_then(|z| z.into_iter().next());
        let mut activities = Vec::new();
        let cause = format!("At {} a user request created an AutoScalingGroup changing the desired capacity from 0 to {desired}.", crate::model::clock::iso(self.now).replace(".000Z", "Z"));
        for attempt in 0..desired {
            let activity_id = activity_id(&group_name, attempt as u64);
            let mut req = json!({"LaunchTemplate": lt, "MinCount": 1, "MaxCount": 1});
            if let Some(z) = &az {
                req["Placement"] = json!({"AvailabilityZone": z});
            }
            let i = self.open_call(super::CallSpec {
                from: super::trace::Participant::AutoScaling,
                to: super::trace::Participant::Ec2,
                operation: "RunInstances".into(),
                request: req.clone(),
                principal: slr.principal.clone(),
                invoked_by: Some(self.provider.service_principal("autoscaling")),
                account: slr.account.clone(),
                region: slr.region.clone(),
                ..super::CallSpec::default()
            });
            let r = self.launch_instances(&slr, &req, Some(&group_name));
            match &r {
                Ok(v) => {
                    activities.push(Activity {
                        id: activity_id,
                        group: group_name.clone(),
                        cause: cause.clone(),
                        start: crate::model::clock::iso(self.now),
                        progress: 30,
                        status_code: "InProgress",
                        description: Some(format!(
                            "Launching a new EC2 instance: {}",
                            v["Instances"][0]["InstanceId"].as_str().unwrap_or("")
                        )),
                        status_message: None,
                    });
                    self.close_call(i, v.clone(), None);
                }
                Err(e) => {
                    activities.push(Activity {
                        id: activity_id,
                        group: group_name.clone(),
                        cause: cause.clone(),
                        start: crate::model::clock::iso(self.now),
                        progress: 100,
                        status_code: "Failed",
                        description: None,
                        status_message: Some(e.to_string()),
                    });
                    self.close_call(i, Value::Null, Some(e.clone()));
                }
            }
        }
        self.asgs.insert(
            format!("{}/{}/{}", caller.account, caller.region, group_name),
            Box::new(AutoScalingGroup {
                name: group_name,
                min_size,
                max_size,
                desired_capacity: desired,
                launch_template: lt,
                service_linked_role_arn: slr.principal,
                activities,
            }),
        );
        Ok(json!({}))
    }

    /// `DescribeScalingActivities`: what each group's launches did, newest first.
    pub(crate) fn describe_scaling_activities(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let group = q.opt_str("AutoScalingGroupName")?;
        let ids = q.opt_strs("ActivityIds")?;
        let prefix = format!("{}/{}/", caller.account, caller.region);
        let list: Vec<Value> = self
            .asgs
            .iter()
            .filter(|(k, g)| k.starts_with(&prefix) && group.as_ref().is_none_or(|n| *n == g.name))
            .flat_map(|(_, g)| g.activities.iter().rev())
            .filter(|a| ids.as_ref().is_none_or(|ids| ids.contains(&a.id)))
            .map(|a| serde_json::to_value(a).unwrap_or(Value::Null))
            .collect();
        Ok(json!({ "Activities": list }))
    }

    /// `DescribeAutoScalingGroups`.
    pub(crate) fn describe_auto_scaling_groups(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let auto_scaling_group_names = q.opt_strs("AutoScalingGroupNames")?;
        let prefix = format!("{}/{}/", caller.account, caller.region);
        let groups: Vec<Value> = self
            .asgs
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| {
                auto_scaling_group_names.as_ref().is_none_or(|names| {
                    names.iter().any(|n| k.get(prefix.len()..) == Some(n.as_str()))
                })
            })
            .map(|(_, group)| {
                let name = group.name.as_str();
                let mut g = serde_json::to_value(group).unwrap_or(Value::Null);
                g["Instances"] = json!(self.instances.values().filter(|i| i.asg.as_deref() == Some(name)).map(|i| json!({"InstanceId": i.id, "LifecycleState": match i.state.as_str() { "running" => "InService", "pending" => "Pending", _ => "Terminated" }, "HealthStatus": if i.state.as_str() == "terminated" { "Unhealthy" } else { "Healthy" }})).collect::<Vec<_>>());
                g
            })
            .collect();
        Ok(json!({"AutoScalingGroups": groups}))
    }
}

/// The method that answers each Auto Scaling operation.
pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("CreateAutoScalingGroup", Sim::create_auto_scaling_group),
    (
        "DescribeAutoScalingGroups",
        Sim::describe_auto_scaling_groups,
    ),
    (
        "DescribeScalingActivities",
        Sim::describe_scaling_activities,
    ),
];
