//! Amazon EC2 Auto Scaling: groups that launch instances from a launch template as the
//! service-linked role `AWSServiceRoleForAutoScaling`, whose access to KMS keys seed 004 is about.

use super::error::{AwsError, AwsResult};
use super::params::Params;
use super::{Caller, Sim};
use crate::model::Handler;
use serde_json::{json, Value};

impl Sim {
    /// `CreateAutoScalingGroup`.
    pub(crate) fn create_auto_scaling_group(
        &mut self,
        caller: &Caller,
        q: &Params,
    ) -> AwsResult<Value> {
        let group_name = q.str("AutoScalingGroupName")?;
        let min_size = q.required("MinSize", q.opt_i64("MinSize")?)?;
        let max_size = q.required("MaxSize", q.opt_i64("MaxSize")?)?;
        let desired_capacity = q.opt_i64("DesiredCapacity")?;
        let availability_zones = q.opt_strs("AvailabilityZones")?;
        q.opt_str("VPCZoneIdentifier")?;
        if min_size < 0 || max_size < min_size || max_size > 20 {
            return Err(AwsError::new(
                "ValidationError",
                "MinSize and MaxSize must satisfy 0 ≤ MinSize ≤ MaxSize ≤ 20.",
            ));
        }
        let desired = desired_capacity.unwrap_or(min_size);
        if desired < min_size || desired > max_size {
            return Err(AwsError::new(
                "ValidationError",
                "Desired capacity must be between MinSize and MaxSize.",
            ));
        }
        let Some(lt) = q.raw("LaunchTemplate").cloned() else {
            return Err(AwsError::new(
                "ValidationError",
                "A launch template is required.",
            ));
        };
        if self.asgs.contains_key(&format!(
            "{}/{}/{}",
            caller.account, caller.region, group_name
        )) {
            return Err(AwsError::new("AlreadyExists", format!("AutoScalingGroup by this name already exists - A group with the name {} already exists", group_name)));
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
        for _ in 0..desired {
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
                    activities.push(json!({"StatusCode": "InProgress", "Description": format!("Launching a new EC2 instance: {}", v["Instances"][0]["InstanceId"].as_str().unwrap_or(""))}));
                    self.close_call(i, v.clone(), None);
                }
                Err(e) => {
                    activities
                        .push(json!({"StatusCode": "Failed", "StatusMessage": e.to_string()}));
                    self.close_call(i, Value::Null, Some(e.clone()));
                }
            }
        }
        self.asgs.insert(
            format!("{}/{}/{}", caller.account, caller.region, group_name),
            json!({"AutoScalingGroupName": group_name, "MinSize": min_size, "MaxSize": max_size, "DesiredCapacity": desired, "LaunchTemplate": lt, "ServiceLinkedRoleARN": slr.principal, "Activities": activities}),
        );
        Ok(json!({}))
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
            .map(|(_, g)| {
                let name = g["AutoScalingGroupName"].as_str().unwrap_or("").to_string();
                let mut g = g.clone();
                g["Instances"] = json!(self.instances.values().filter(|i| i.asg.as_deref() == Some(name.as_str())).map(|i| json!({"InstanceId": i.id, "LifecycleState": match i.state.as_str() { "running" => "InService", "pending" => "Pending", _ => "Terminated" }, "HealthStatus": if i.state.as_str() == "terminated" { "Unhealthy" } else { "Healthy" }})).collect::<Vec<_>>());
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
];
