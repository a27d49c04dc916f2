//! The operations of Amazon EC2 Auto Scaling.

use super::shapes::*;
use super::Op;
use super::Ty::*;

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd(
        "autoscaling",
        "create-auto-scaling-group",
        "CreateAutoScalingGroup",
        "Creates an Auto Scaling group that launches instances from a launch template.",
        &[
            r("AutoScalingGroupName", Str, "Name of the group."),
            o(
                "LaunchTemplate",
                Struct(LAUNCH_TEMPLATE_SPEC),
                "LaunchTemplateName=…,Version=$Latest (quote it).",
            ),
            r("MinSize", Int, "Minimum number of instances."),
            r("MaxSize", Int, "Maximum number of instances."),
            o("DesiredCapacity", Int, "Instances to launch now."),
            o("AvailabilityZones", StrList, "Zones to launch in.").with(ZONES),
            o("LaunchConfigurationName", Str, "A launch configuration instead of a template (not modelled: refused)."),
            o("TargetGroupARNs", StrList, "Load balancer target groups (not modelled: accepted and ignored)."),
            o("HealthCheckType", Str, "EC2 or ELB (not modelled: accepted and ignored)."),
            o("HealthCheckGracePeriod", Int, "Seconds before health checks start (not modelled)."),
            o("PlacementGroup", Str, "A placement group (not modelled: accepted and ignored)."),
            o("TerminationPolicies", StrList, "How instances are chosen for termination (not modelled)."),
            o("Tags", StructList(ASG_TAG), "Key=…,Value=…,PropagateAtLaunch=true."),
            o(
                "VPCZoneIdentifier",
                Str,
                "Subnet ids, comma-separated (not modelled: accepted and ignored).",
            ),
        ],
    ),
    cmd(
        "autoscaling",
        "describe-auto-scaling-groups",
        "DescribeAutoScalingGroups",
        "Describes Auto Scaling groups and their instances.",
        &[
            o("AutoScalingGroupNames", StrList, "Group names."),
            ASG_PAGE[0],
            ASG_PAGE[1],
        ],
    )
    .paged(autoscaling_pages("AutoScalingGroups")),
    cmd(
        "autoscaling",
        "describe-scaling-activities",
        "DescribeScalingActivities",
        "Describes what a group's launches did: in progress, or failed and why (such as a KMS key the service-linked role may not use).",
        &[
            o("AutoScalingGroupName", Str, "The group."),
            o("ActivityIds", StrList, "Only these activities."),
            o("IncludeDeletedGroups", Bool, "Also activities of deleted groups (groups are never deleted in the playground)."),
            ASG_PAGE[0],
            ASG_PAGE[1],
        ],
    )
    .paged(autoscaling_pages("Activities")),
];
