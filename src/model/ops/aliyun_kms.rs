//! The operations of Alibaba Cloud KMS the playground answers: keys, aliases, rotation and
//! the envelope calls (Alibaba's KMS API reference).

use super::aliyun::{acs, REGION_ID};
use super::shapes::*;
use super::Ty::*;
use super::{Op, Param};

/// Key specs of symmetric keys ECS disks can use (`Aliyun_AES_256`, `Aliyun_SM4`).
pub const ALI_KEY_SPECS: &[&str] = &["Aliyun_AES_256", "Aliyun_SM4"];
const KEY: Param = r(
    "KeyId",
    Str,
    "The key: its id (key-…), ARN or alias (alias/…).",
);
const KEY_ONLY: &[Param] = &[KEY];
const CONTEXT: Param = o(
    "EncryptionContext",
    Str,
    "A JSON object of string pairs bound to the ciphertext: '{\"purpose\":\"demo\"}'.",
);

/// The rows of this product, in the order of Alibaba's API reference.
pub(super) static OPS: &[Op] = &[
    acs("kms", "CreateKey", "Creates a customer master key (CMK) in the region.", &[
        REGION_ID,
        o("Description", Str, "A description."),
        o("KeySpec", Str, "Aliyun_AES_256 (default) or Aliyun_SM4; the asymmetric specs cannot encrypt disks.").with(&["Aliyun_AES_256", "Aliyun_SM4", "RSA_2048", "EC_P256"]),
        o("KeyUsage", Str, "ENCRYPT/DECRYPT (default) or SIGN/VERIFY.").with(&["ENCRYPT/DECRYPT", "SIGN/VERIFY"]),
        o("Origin", Str, "Aliyun_KMS (default); EXTERNAL is not modelled.").with(&["Aliyun_KMS", "EXTERNAL"]),
        o("ProtectionLevel", Str, "SOFTWARE (default) or HSM.").with(&["SOFTWARE", "HSM"]),
        o("EnableAutomaticRotation", Bool, "Rotate the key material automatically."),
        o("RotationInterval", Str, "Rotation period, 7d to 730d (such as 365d)."),
    ]),
    acs("kms", "DescribeKey", "Shows a key's metadata: ARN, state, creator, spec, deletion date.", KEY_ONLY),
    acs("kms", "ListKeys", "Lists the keys of the account in the region.", &[
        o("PageNumber", Int, "Page to return, from 1."),
        o("PageSize", Int, "Entries per page, 1 to 100 (default 10)."),
    ]),
    acs("kms", "CreateAlias", "Creates an alias (alias/name) for a key.", &[
        r("AliasName", Str, "The alias, starting with alias/ (alias/acs/ is reserved)."),
        KEY,
    ]),
    acs("kms", "DeleteAlias", "Deletes an alias (the key is unaffected).", &[
        r("AliasName", Str, "The alias (alias/…)."),
    ]),
    acs("kms", "ListAliases", "Lists the aliases of the account in the region.", &[
        o("PageNumber", Int, "Page to return, from 1."),
        o("PageSize", Int, "Entries per page."),
    ]),
    acs("kms", "EnableKey", "Enables a disabled key.", KEY_ONLY),
    acs("kms", "DisableKey", "Disables a key: disks, snapshots and images under it can no longer be decrypted.", KEY_ONLY),
    acs("kms", "ScheduleKeyDeletion", "Schedules a key for deletion after 7 to 366 days.", &[
        KEY,
        r("PendingWindowInDays", Int, "Waiting period, 7 to 366 days."),
    ]),
    acs("kms", "CancelKeyDeletion", "Cancels a scheduled deletion; the key is Enabled again.", KEY_ONLY),
    acs("kms", "UpdateRotationPolicy", "Turns automatic rotation on or off.", &[
        KEY,
        r("EnableAutomaticRotation", Bool, "Rotate automatically (true|false)."),
        o("RotationInterval", Str, "Rotation period, 7d to 730d."),
    ]),
    acs("kms", "GenerateDataKey", "Returns a new data key in plaintext and encrypted under the key.", &[
        KEY,
        o("KeySpec", Str, "AES_256 (default) or AES_128.").with(DATA_KEY_SPECS),
        o("NumberOfBytes", Int, "Length of the data key, 1 to 1,024 bytes."),
        CONTEXT,
    ]),
    acs("kms", "Encrypt", "Encrypts up to 6 KB of data under a key.", &[
        KEY,
        r("Plaintext", Str, "The data to encrypt."),
        CONTEXT,
    ]),
    acs("kms", "Decrypt", "Decrypts a ciphertext; the key is read from the ciphertext.", &[
        r("CiphertextBlob", Str, "The ciphertext (base64)."),
        CONTEXT,
    ]),
];
