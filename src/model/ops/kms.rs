//! The operations of AWS KMS.

use super::shapes::*;
use super::Op;
use super::Ty::*;
use crate::model::kms::{GRANT_OPERATIONS, KEY_SPECS};

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd("kms", "create-key", "CreateKey", "Creates a KMS key (symmetric by default) in the caller's account and region.", &[
        o("Description", Str, "A description of the key."),
        o("KeySpec", Str, "Type of key material (SYMMETRIC_DEFAULT; EBS cannot use the others).").with(KEY_SPECS),
        o("KeyUsage", Str, "ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC.").with(KEY_USAGES),
        o("Policy", Str, "Key policy as JSON text (default: the account may use and manage the key)."),
        o("BypassPolicyLockoutSafetyCheck", Bool, "Skip the check that the caller can still manage the key."),
        o("CustomerMasterKeySpec", Str, "Deprecated name of KeySpec.").with(KEY_SPECS),
        o("Tags", StructList(KMS_TAG), "TagKey=project,TagValue=finance."),
        o("MultiRegion", Bool, "Create a multi-Region primary key (not modelled: refused)."),
        o("Origin", Str, "Where the key material comes from: AWS_KMS (the default; the others are not modelled: refused).").with(&["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"]),
        o("CustomKeyStoreId", Str, "A custom key store (not modelled: refused)."),
        o("XksKeyId", Str, "The key in an external key store (not modelled: refused)."),
    ]),
    cmd("kms", "describe-key", "DescribeKey", "Shows a key's metadata: ARN, state, spec, manager, deletion date.", KEY_ONLY),
    cmd("kms", "list-keys", "ListKeys", "Lists the keys of the account in the region.", &[KMS_PAGE[0], KMS_PAGE[1]]).paged(kms_pages("Keys")),
    cmd("kms", "create-alias", "CreateAlias", "Creates an alias (alias/name) for a key.", &[
        r("AliasName", Str, "The alias, starting with alias/ (alias/aws/ is reserved)."),
        r("TargetKeyId", Str, "The key the alias points to."),
    ]),
    cmd("kms", "delete-alias", "DeleteAlias", "Deletes an alias (the key is unaffected).", &[
        r("AliasName", Str, "The alias to delete (alias/…)."),
    ]),
    cmd("kms", "list-aliases", "ListAliases", "Lists aliases, optionally only those of one key.", &[
        o("KeyId", Str, "Only aliases pointing to this key."),
        KMS_PAGE[0],
        KMS_PAGE[1],
    ]).paged(kms_pages("Aliases")),
    cmd("kms", "enable-key", "EnableKey", "Enables a disabled key.", KEY_ONLY),
    cmd("kms", "disable-key", "DisableKey", "Disables a key: cryptographic operations fail with DisabledException.", KEY_ONLY),
    cmd("kms", "schedule-key-deletion", "ScheduleKeyDeletion", "Schedules a key for deletion after 7 to 30 days (default 30).", &[
        KEY_ID,
        o("PendingWindowInDays", Int, "Waiting period, 7 to 30 days."),
    ]),
    cmd("kms", "cancel-key-deletion", "CancelKeyDeletion", "Cancels a scheduled deletion; the key stays Disabled.", KEY_ONLY),
    cmd("kms", "enable-key-rotation", "EnableKeyRotation", "Turns on automatic rotation of the key material.", &[
        KEY_ID,
        o("RotationPeriodInDays", Int, "Days between rotations, 90 to 2560 (default 365)."),
    ]),
    cmd("kms", "disable-key-rotation", "DisableKeyRotation", "Turns off automatic rotation.", KEY_ONLY),
    cmd("kms", "get-key-rotation-status", "GetKeyRotationStatus", "Shows whether automatic rotation is on.", KEY_ONLY),
    cmd("kms", "rotate-key-on-demand", "RotateKeyOnDemand", "Rotates the key material now (old material still decrypts).", KEY_ONLY),
    cmd("kms", "generate-data-key-without-plaintext", "GenerateDataKeyWithoutPlaintext", "Returns a new data key encrypted under the KMS key only (what EBS asks for).", DATA_KEY_PARAMS),
    cmd("kms", "generate-data-key", "GenerateDataKey", "Returns a new data key in plaintext and encrypted under the KMS key.", DATA_KEY_PARAMS),
    cmd("kms", "encrypt", "Encrypt", "Encrypts a small plaintext (up to 4 KiB) under a KMS key.", &[
        KEY_ID,
        r("Plaintext", Str, "The data to encrypt (passed as given)."),
        ENCRYPTION_CONTEXT,
    ]),
    cmd("kms", "decrypt", "Decrypt", "Decrypts a ciphertext blob; the encryption context must match.", &[
        o("CiphertextBlob", Str, "The ciphertext (base64), as Encrypt or GenerateDataKey returned it."),
        o("KeyId", Str, "The key expected to have encrypted it (IncorrectKeyException otherwise)."),
        ENCRYPTION_CONTEXT,
        o("EncryptionAlgorithm", Str, "SYMMETRIC_DEFAULT for symmetric keys.").with(&["SYMMETRIC_DEFAULT"]),
        GRANT_TOKENS,
    ]),
    cmd("kms", "re-encrypt", "ReEncrypt", "Decrypts and re-encrypts a ciphertext under another key, inside KMS.", &[
        o("CiphertextBlob", Str, "The ciphertext (base64)."),
        r("DestinationKeyId", Str, "The key to encrypt under."),
        o("SourceKeyId", Str, "The key expected to have encrypted it."),
        o("SourceEncryptionContext", Map, "Encryption context of the source ciphertext."),
        o("DestinationEncryptionContext", Map, "Encryption context for the new ciphertext."),
    ]),
    cmd("kms", "create-grant", "CreateGrant", "Lets a grantee principal use a key for the listed operations.", &[
        KEY_ID,
        o("GranteePrincipal", Str, "ARN of the principal that gets the permissions (KMS requires it)."),
        r("Operations", StrList, "Operations the grant allows: Decrypt Encrypt GenerateDataKey… CreateGrant RetireGrant DescribeKey.").with(GRANT_OPERATIONS),
        o("RetiringPrincipal", Str, "ARN of a principal that may retire the grant."),
        o("Constraints", Struct(GRANT_CONSTRAINTS), "EncryptionContextSubset={aws:ebs:id=vol-…} or EncryptionContextEquals={…}."),
        o("Name", Str, "A friendly name for the grant."),
        GRANT_TOKENS,
    ]),
    cmd("kms", "list-grants", "ListGrants", "Lists the grants on a key.", &[
        KEY_ID,
        o("GrantId", Str, "Only this grant."),
        o("GranteePrincipal", Str, "Only grants to this principal."),
        KMS_PAGE[0],
        KMS_PAGE[1],
    ]).paged(kms_pages("Grants")),
    cmd("kms", "retire-grant", "RetireGrant", "Retires a grant (by token, or by key and grant id).", &[
        o("GrantToken", Str, "The grant token CreateGrant returned."),
        o("KeyId", Str, "Key of the grant (with --grant-id)."),
        o("GrantId", Str, "Grant id (with --key-id)."),
    ]),
    cmd("kms", "revoke-grant", "RevokeGrant", "Revokes a grant on a key.", &[
        KEY_ID,
        r("GrantId", Str, "The grant to revoke."),
    ]),
    cmd("kms", "get-key-policy", "GetKeyPolicy", "Shows a key's policy document.", &[
        KEY_ID,
        o("PolicyName", Str, "Always default.").with(&["default"]),
    ]),
    cmd("kms", "put-key-policy", "PutKeyPolicy", "Replaces a key's policy document.", &[
        KEY_ID,
        r("Policy", Str, "The policy as JSON text (in single quotes)."),
        o("PolicyName", Str, "Always default.").with(&["default"]),
        o("BypassPolicyLockoutSafetyCheck", Bool, "Skip the check that the caller can still manage the key."),
    ]),
    cmd("kms", "tag-resource", "TagResource", "Adds or overwrites tags on a customer managed key.", &[
        KEY_ID,
        r("Tags", StructList(KMS_TAG), "TagKey=project,TagValue=finance."),
    ]),
    cmd("kms", "untag-resource", "UntagResource", "Removes tags from a customer managed key.", &[
        KEY_ID,
        r("TagKeys", StrList, "The tag keys to remove."),
    ]),
    cmd("kms", "list-resource-tags", "ListResourceTags", "Lists the tags of a key.", KEY_ONLY),
];
