//! The operations of AWS STS.

use super::shapes::*;
use super::Op;
use super::Ty::*;

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd("sts", "get-caller-identity", "GetCallerIdentity", "Shows the account, ARN and user id of the caller.", NOTHING),
    cmd("sts", "assume-role", "AssumeRole", "Starts a role session, if the role's trust policy and your identity policies allow it (root users cannot). To act as the session: play profile add NAME --role-arn ARN --source-profile P.", &[
        r("RoleArn", Str, "ARN of the role, such as arn:aws:iam::111122223333:role/app."),
        r("RoleSessionName", Str, "Name of the session (2-64 of A-Z a-z 0-9 +=,.@_-)."),
        o("DurationSeconds", Int, "900 to 43200 (default 3600)."),
        o("ExternalId", Str, "The external id the trust policy may require."),
        o("Policy", Str, "A session policy (not modelled: refused)."),
        o("PolicyArns", StructList(POLICY_ARN), "Managed session policies (not modelled: refused)."),
    ]),
];
