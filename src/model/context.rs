//! The encryption context: string pairs bound to a ciphertext as additional authenticated data,
//! shared by KMS (which binds it), the services that pass it (EBS's `aws:ebs:id`) and the
//! request reader.

use std::collections::BTreeMap;

/// An encryption context: string pairs bound to a ciphertext as AAD.
pub type Context = BTreeMap<String, String>;

/// Canonical AAD of an encryption context: its JSON with keys in sorted order.
pub fn context_aad(ctx: &Context) -> Vec<u8> {
    serde_json::to_vec(ctx).unwrap_or_default()
}
