//! The cryptography layer: the 512-bit EBS data key, AES-256-XTS sector encryption (EBS volume
//! data) and AES-256-GCM sealing (how the simulated KMS wraps data keys under a KMS key).
//!
//! This module owns no algorithm of its own: AES, XTS and GCM come from the RustCrypto crates
//! `aes`, `xts-mode` and `aes-gcm`. It owns the key type, the key split, the tweak encoding and
//! the error mapping. It does not choose keys or nonces (callers bring them from the seeded
//! generator) and it does not know about KMS, volumes or the encryption context.
//!
//! **Invariant:** a [`DataKey`] never prints its bytes, is never serialized and overwrites
//! itself with zeros when dropped.
//!
//! Published vectors (IEEE Std 1619-2007 Annex B, McGrew–Viega GCM test cases) are checked in
//! `tests/crypto_vectors.rs`.

use aes::cipher::{BlockEncrypt, KeyInit};
use aes::Aes256;
use aes_gcm::aead::AeadInPlace;
use aes_gcm::Aes256Gcm;
use core::fmt;
use xts_mode::{get_tweak_default, Xts128};
use zeroize::Zeroize;

/// Bytes per simulated disk sector (the XTS data unit the model uses).
pub const SECTOR_SIZE: usize = 512;

/// EBS data keys are 512-bit: two AES-256 keys for XTS.
pub const DATA_KEY_LEN: usize = 64;

/// Length of one AES-256 key, half of a [`DataKey`].
const AES256_KEY_LEN: usize = 32;

/// Length of the AES block, the XTS granule and the GCM tag.
const BLOCK_LEN: usize = 16;

/// Length of the GCM authentication tag appended by [`gcm_seal`].
const GCM_TAG_LEN: usize = 16;

/// What can go wrong in this layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoError {
    /// XTS data is shorter than one block or not a whole number of 16-byte blocks.
    BadLength,
    /// GCM authentication failed: wrong key, wrong nonce, wrong AAD, tampered or truncated bytes.
    Authentication,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::BadLength => {
                f.write_str("data must be a non-empty whole number of 16-byte blocks")
            }
            CryptoError::Authentication => f.write_str("authentication failed"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// A plaintext 512-bit data key: bytes 0..32 are the XTS data key (key1), bytes 32..64 the
/// tweak key (key2), as IEEE 1619 splits an XTS-AES-256 key.
///
/// Not `Serialize`; `Debug` prints `DataKey(<redacted>)`; the bytes are overwritten with zeros
/// when the value is dropped. Values passed to [`DataKey::from_bytes`] are moved in by copy,
/// so the caller's own copy is the caller's to wipe.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; DATA_KEY_LEN]);

impl DataKey {
    /// A key from its 64 bytes.
    pub fn from_bytes(b: [u8; DATA_KEY_LEN]) -> Self {
        DataKey(b)
    }

    /// A key from a slice, or `None` unless the slice is exactly [`DATA_KEY_LEN`] bytes.
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        <[u8; DATA_KEY_LEN]>::try_from(b).ok().map(DataKey)
    }

    /// The XTS cipher pair: AES-256 under key1 for the data, under key2 for the tweak.
    fn xts(&self) -> Xts128<Aes256> {
        let (key1, key2) = self.0.split_at(AES256_KEY_LEN);
        // Each half of a 64-byte array is exactly 32 bytes, the AES-256 key length, so
        // `new_from_slice` cannot return InvalidLength.
        let data_cipher = Aes256::new_from_slice(key1).expect("key1 is 32 bytes");
        // Same reason as above: key2 is the other 32-byte half.
        let tweak_cipher = Aes256::new_from_slice(key2).expect("key2 is 32 bytes");
        Xts128::new(data_cipher, tweak_cipher)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl DataKey {
    /// The key check value: AES-256 under key1 of a zero block, in hex. Equal check values mean
    /// equal keys (as an HSM's KCV does), without the key itself leaving the model.
    pub fn check_value(&self) -> String {
        let (key1, _) = self.0.split_at(AES256_KEY_LEN);
        let mut block = aes::Block::default();
        // key1 is exactly 32 bytes (the array is 64), so this cannot fail; an empty check value
        // would only make two keys compare unequal.
        if let Ok(c) = Aes256::new_from_slice(key1) {
            c.encrypt_block(&mut block);
        }
        block.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl DataKey {
    /// Whether `text` contains this key's bytes in hex (lower or upper case) or base64: how an
    /// audit looks for a leaked key in an export without the key leaving the model.
    pub(crate) fn appears_in(&self, text: &str) -> bool {
        use base64::Engine;
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        let b64 = base64::engine::general_purpose::STANDARD.encode(self.0);
        let (half1, half2) = hex.split_at(hex.len() / 2);
        [hex.as_str(), half1, half2, &b64]
            .iter()
            .any(|s| text.contains(s) || text.contains(&s.to_ascii_uppercase()))
    }
}

/// The material of one KMS key version (AES-256). `Debug` prints nothing of it, it is never
/// serialized, and it is zeroed when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyMaterial([u8; 32]);

impl KeyMaterial {
    /// Material from 32 random bytes (the caller's copy is the caller's to wipe).
    pub fn new(bytes: [u8; 32]) -> Self {
        KeyMaterial(bytes)
    }

    /// The AES-256 key, for sealing and opening data keys inside KMS.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyMaterial(<redacted>)")
    }
}

impl Drop for KeyMaterial {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Checks the XTS length rule of this layer: at least one block and whole blocks only
/// (the model never needs ciphertext stealing).
fn check_xts_len(data: &[u8]) -> Result<(), CryptoError> {
    if data.len() < BLOCK_LEN || data.len() % BLOCK_LEN != 0 {
        Err(CryptoError::BadLength)
    } else {
        Ok(())
    }
}

/// AES-256-XTS (IEEE 1619 / NIST SP 800-38E) encryption of one sector in place.
///
/// The tweak is the sector number as a 128-bit little-endian integer (the IEEE 1619 data-unit
/// sequence number). `data.len()` must be a multiple of 16 and at least 16, otherwise
/// [`CryptoError::BadLength`] and `data` is untouched.
pub fn xts_encrypt_sector(key: &DataKey, sector: u64, data: &mut [u8]) -> Result<(), CryptoError> {
    check_xts_len(data)?;
    key.xts()
        .encrypt_sector(data, get_tweak_default(u128::from(sector)));
    Ok(())
}

/// AES-256-XTS decryption of one sector in place; the inverse of [`xts_encrypt_sector`].
///
/// XTS has no authentication: a wrong key or a tampered sector decrypts to garbage, not to an
/// error. Same length rule as encryption.
pub fn xts_decrypt_sector(key: &DataKey, sector: u64, data: &mut [u8]) -> Result<(), CryptoError> {
    check_xts_len(data)?;
    key.xts()
        .decrypt_sector(data, get_tweak_default(u128::from(sector)));
    Ok(())
}

/// AES-256-GCM seal: returns ciphertext ‖ 16-byte tag.
///
/// # Panics
/// Only if `plaintext` or `aad` is longer than 2^36 bytes (64 GiB), GCM's limit, which is far
/// beyond anything the simulation holds (a wasm32 memory is at most 4 GiB).
pub fn gcm_seal(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.into());
    let mut sealed = Vec::with_capacity(plaintext.len() + GCM_TAG_LEN);
    sealed.extend_from_slice(plaintext);
    // aes-gcm refuses only inputs over 2^36 bytes (see `# Panics`); no caller has such a buffer.
    let tag = cipher
        .encrypt_in_place_detached(nonce.into(), aad, &mut sealed)
        .expect("GCM input under 2^36 bytes");
    sealed.extend_from_slice(&tag);
    sealed
}

/// AES-256-GCM open of ciphertext ‖ tag.
///
/// [`CryptoError::Authentication`] on any tag mismatch (wrong key, wrong nonce, wrong AAD,
/// tampered bytes) and when `sealed` is shorter than a tag. The tag is checked before anything
/// is decrypted, and no partial plaintext is ever returned.
pub fn gcm_open(
    key: &[u8; 32],
    nonce: &[u8; 12],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let (ciphertext, tag) = sealed
        .split_last_chunk::<GCM_TAG_LEN>()
        .ok_or(CryptoError::Authentication)?;
    let cipher = Aes256Gcm::new(key.into());
    let mut buffer = ciphertext.to_vec();
    match cipher.decrypt_in_place_detached(nonce.into(), aad, &mut buffer, tag.into()) {
        Ok(()) => Ok(buffer),
        Err(_) => {
            buffer.zeroize();
            Err(CryptoError::Authentication)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_key() {
        let key = DataKey::from_bytes([0xAB; DATA_KEY_LEN]);
        let shown = format!("{key:?}");
        assert_eq!(shown, "DataKey(<redacted>)");
        assert!(!shown.to_lowercase().contains("ab"), "{shown}");
    }

    #[test]
    fn from_slice_wants_exactly_64_bytes() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for len in [0, 1, 32, 63, 65, 128] {
            assert!(DataKey::from_slice(&bytes[..len]).is_none(), "len {len}");
        }
        let key = DataKey::from_slice(&bytes[..DATA_KEY_LEN]).expect("64 bytes is a key");
        assert_eq!(&key.0[..], &bytes[..DATA_KEY_LEN]);
        assert_eq!(key.clone(), key);
        assert_ne!(key, DataKey::from_bytes([0; DATA_KEY_LEN]));
    }

    #[test]
    fn wipe_zeroes_every_byte() {
        // Drop runs `wipe` on the key's own array; the storage is gone afterwards, so the
        // observable part of that guarantee is checked here on a live buffer.
        let mut bytes = [0x5Au8; DATA_KEY_LEN];
        bytes.zeroize();
        assert_eq!(bytes, [0u8; DATA_KEY_LEN]);
    }

    #[test]
    fn drop_wipes_the_key_in_place() {
        let mut slot = core::mem::ManuallyDrop::new(DataKey::from_bytes([0xC3; DATA_KEY_LEN]));
        // SAFETY: `slot` is dropped exactly once here and not used as a `DataKey` afterwards;
        // its storage stays alive (ManuallyDrop on the stack), so reading the bytes is sound.
        unsafe { core::mem::ManuallyDrop::drop(&mut slot) };
        let after: &[u8; DATA_KEY_LEN] = &slot.0;
        assert_eq!(after, &[0u8; DATA_KEY_LEN]);
    }

    #[test]
    fn key_material_drop_zeroes_it_and_debug_shows_nothing() {
        let m = KeyMaterial::new([0x5A; 32]);
        assert_eq!(format!("{m:?}"), "KeyMaterial(<redacted>)");
        let mut slot = core::mem::ManuallyDrop::new(KeyMaterial::new([0x5A; 32]));
        // SAFETY: as in drop_wipes_the_key_in_place: dropped once, storage still alive.
        unsafe { core::mem::ManuallyDrop::drop(&mut slot) };
        assert_eq!(&slot.0, &[0u8; 32]);
    }

    #[test]
    fn check_values_tell_keys_apart_without_showing_them() {
        let a = DataKey::from_bytes([1; DATA_KEY_LEN]);
        let b = DataKey::from_bytes([2; DATA_KEY_LEN]);
        assert_eq!(a.check_value(), a.clone().check_value());
        assert_ne!(a.check_value(), b.check_value());
        assert_eq!(a.check_value().len(), 32);
        assert!(!a.check_value().contains("0101010101"));
    }

    #[test]
    fn an_audit_finds_a_data_key_in_hex_either_case_half_or_base64() {
        use base64::Engine;
        let key = DataKey::from_bytes(core::array::from_fn(|i| i as u8 * 3));
        let hex: String = key.0.iter().map(|b| format!("{b:02x}")).collect();
        let b64 = base64::engine::general_purpose::STANDARD.encode(key.0);
        for leaked in [
            format!("x{hex}y"),
            hex.to_ascii_uppercase(),
            hex[..64].to_string(),
            hex[64..].to_string(),
            format!("\"{b64}\""),
        ] {
            assert!(key.appears_in(&leaked), "{leaked}");
        }
        assert!(!key.appears_in(&hex[..60]));
        assert!(!key.appears_in("nothing here"));
    }

    #[test]
    fn xts_length_rule() {
        let key = DataKey::from_bytes([7; DATA_KEY_LEN]);
        for len in [0usize, 1, 15, 17, 31, 511, 513] {
            let mut data = vec![0x11; len];
            assert_eq!(
                xts_encrypt_sector(&key, 3, &mut data),
                Err(CryptoError::BadLength),
                "len {len}"
            );
            assert_eq!(
                xts_decrypt_sector(&key, 3, &mut data),
                Err(CryptoError::BadLength),
                "len {len}"
            );
            assert!(
                data.iter().all(|&b| b == 0x11),
                "len {len}: data changed on error"
            );
        }
        for len in [16usize, 32, 48, SECTOR_SIZE, 4096] {
            let mut data = vec![0x11; len];
            assert_eq!(xts_encrypt_sector(&key, 3, &mut data), Ok(()), "len {len}");
            assert_ne!(data, vec![0x11; len], "len {len}");
            assert_eq!(xts_decrypt_sector(&key, 3, &mut data), Ok(()), "len {len}");
            assert_eq!(data, vec![0x11; len], "len {len}");
        }
    }

    #[test]
    fn gcm_open_rejects_short_input() {
        let key = [9u8; 32];
        let nonce = [1u8; 12];
        for len in 0..GCM_TAG_LEN {
            assert_eq!(
                gcm_open(&key, &nonce, b"", &vec![0; len]),
                Err(CryptoError::Authentication),
                "len {len}"
            );
        }
    }
}
