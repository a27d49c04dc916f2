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
        &[o("AutoScalingGroupNames", StrList, "Group names.")],
    ),
];
