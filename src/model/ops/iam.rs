//! The operations of AWS IAM.

use super::shapes::*;
use super::Op;
use super::Ty::*;

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd(
        "iam",
        "create-user",
        "CreateUser",
        "Creates an IAM user.",
        &[
            r("UserName", Str, "Name of the user."),
            o("Path", Str, "Path, such as /division_abc/."),
            o("PermissionsBoundary", Str, "ARN of a managed policy that bounds the user's permissions (not modelled: refused)."),
            o("Tags", StructList(IAM_TAG), "Key=…,Value=… pairs."),
        ],
    ),
    cmd(
        "iam",
        "create-role",
        "CreateRole",
        "Creates an IAM role with a trust policy.",
        &[
            r("RoleName", Str, "Name of the role."),
            r(
                "AssumeRolePolicyDocument",
                Str,
                "Trust policy as JSON text.",
            ),
            o("Path", Str, "Path, such as /."),
            o("Description", Str, "A description of the role."),
        o("MaxSessionDuration", Int, "Longest session, 3600 to 43200 seconds."),
        o("PermissionsBoundary", Str, "ARN of a managed policy that bounds the role's permissions (not modelled: refused)."),
        o("Tags", StructList(IAM_TAG), "Key=…,Value=… pairs."),
        ],
    ),
    cmd(
        "iam",
        "get-role",
        "GetRole",
        "Shows a role and its trust policy.",
        &[r("RoleName", Str, "Name of the role.")],
    ),
    cmd(
        "iam",
        "update-assume-role-policy",
        "UpdateAssumeRolePolicy",
        "Replaces a role's trust policy: who may assume it.",
        &[
            r("RoleName", Str, "Name of the role."),
            r("PolicyDocument", Str, "The trust policy as JSON text."),
        ],
    ),
    cmd(
        "iam",
        "create-service-linked-role",
        "CreateServiceLinkedRole",
        "Creates the service-linked role of an AWS service.",
        &[
            r("AWSServiceName", Str, "Such as autoscaling.amazonaws.com.")
                .with(&["autoscaling.amazonaws.com"]),
            o("Description", Str, "A description of the role."),
            o("CustomSuffix", Str, "A suffix for the role name (services that allow several)."),
        ],
    ),
    cmd(
        "iam",
        "put-role-policy",
        "PutRolePolicy",
        "Adds or replaces an inline policy of a role.",
        &[
            r("RoleName", Str, "Name of the role."),
            r("PolicyName", Str, "Name of the inline policy."),
            r("PolicyDocument", Str, "The policy as JSON text."),
        ],
    ),
    cmd(
        "iam",
        "put-user-policy",
        "PutUserPolicy",
        "Adds or replaces an inline policy of a user.",
        &[
            r("UserName", Str, "Name of the user."),
            r("PolicyName", Str, "Name of the inline policy."),
            r("PolicyDocument", Str, "The policy as JSON text."),
        ],
    ),
    cmd(
        "iam",
        "attach-role-policy",
        "AttachRolePolicy",
        "Attaches a managed policy to a role.",
        &[
            r("RoleName", Str, "Name of the role."),
            r("PolicyArn", Str, "ARN of the managed policy."),
        ],
    ),
    cmd(
        "iam",
        "attach-user-policy",
        "AttachUserPolicy",
        "Attaches a managed policy to a user.",
        &[
            r("UserName", Str, "Name of the user."),
            r("PolicyArn", Str, "ARN of the managed policy."),
        ],
    ),
    cmd(
        "iam",
        "list-roles",
        "ListRoles",
        "Lists the account's roles.",
        &[IAM_PAGE[0], IAM_PAGE[1]],
    )
    .paged(iam_pages("Roles")),
    cmd(
        "iam",
        "list-users",
        "ListUsers",
        "Lists the account's users.",
        &[IAM_PAGE[0], IAM_PAGE[1]],
    )
    .paged(iam_pages("Users")),
];
