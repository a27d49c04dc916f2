//! The operations of Alibaba Cloud RAM the playground answers: users, custom policies and the
//! role ECS needs before it may use a customer master key (Alibaba's RAM API reference).

use super::aliyun::acs;
use super::shapes::*;
use super::Op;
use super::Ty::*;

const POLICY_TYPES: &[&str] = &["System", "Custom"];

/// The rows of this product, in the order of Alibaba's API reference.
pub(super) static OPS: &[Op] = &[
    acs("ram", "CreateUser", "Creates a RAM user in the account.", &[
        r("UserName", Str, "The user name."),
        o("DisplayName", Str, "A display name."),
    ]),
    acs("ram", "ListUsers", "Lists the RAM users of the account.", NOTHING),
    acs("ram", "CreatePolicy", "Creates a custom policy from a policy document.", &[
        r("PolicyName", Str, "The policy name."),
        r("PolicyDocument", Str, "The policy as JSON text (Version \"1\", Statement, Effect, Action, Resource, Condition)."),
        o("Description", Str, "A description."),
    ]),
    acs("ram", "GetPolicy", "Shows a policy and its default version's document.", &[
        r("PolicyName", Str, "The policy name."),
        r("PolicyType", Str, "System or Custom.").with(POLICY_TYPES),
    ]),
    acs("ram", "AttachPolicyToUser", "Attaches a system or custom policy to a RAM user.", &[
        r("PolicyType", Str, "System (such as AliyunKMSReadOnlyAccess) or Custom.").with(POLICY_TYPES),
        r("PolicyName", Str, "The policy name."),
        r("UserName", Str, "The user."),
    ]),
    acs("ram", "DetachPolicyFromUser", "Detaches a policy from a RAM user.", &[
        r("PolicyType", Str, "System or Custom.").with(POLICY_TYPES),
        r("PolicyName", Str, "The policy name."),
        r("UserName", Str, "The user."),
    ]),
    acs("ram", "ListPoliciesForUser", "Lists the policies attached to a RAM user.", &[
        r("UserName", Str, "The user."),
    ]),
    acs("ram", "CreateRole", "Creates a RAM role; AliyunECSDiskEncryptDefaultRole, trusted by ecs.aliyuncs.com, lets ECS use your CMKs.", &[
        r("RoleName", Str, "The role name."),
        r("AssumeRolePolicyDocument", Str, "The trust policy as JSON text."),
        o("Description", Str, "A description."),
    ]),
    acs("ram", "GetRole", "Shows a RAM role and its trust policy.", &[
        r("RoleName", Str, "The role name."),
    ]),
    acs("ram", "ListRoles", "Lists the RAM roles of the account.", NOTHING),
    acs("ram", "AttachPolicyToRole", "Attaches a policy to a RAM role (AliyunECSDiskEncryptRolePolicy to ECS's disk-encryption role).", &[
        r("PolicyType", Str, "System or Custom.").with(POLICY_TYPES),
        r("PolicyName", Str, "The policy name."),
        r("RoleName", Str, "The role."),
    ]),
];
