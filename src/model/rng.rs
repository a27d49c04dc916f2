//! Seeded randomness for the model: resource ids, key ids, key material and nonces.
//!
//! The model never touches OS randomness: every random byte comes from a ChaCha20 stream
//! seeded by the session's seed, so the same seed and commands give the same state.

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// The model's random source. Cloning it forks the stream (used only by tests).
#[derive(Clone, Debug)]
pub struct SimRng(ChaCha20Rng);

impl SimRng {
    /// A generator determined entirely by `seed`.
    pub fn from_seed(seed: u64) -> Self {
        SimRng(ChaCha20Rng::seed_from_u64(seed))
    }

    /// Fills `buf` with the next bytes of the stream.
    pub fn fill(&mut self, buf: &mut [u8]) {
        self.0.fill_bytes(buf);
    }

    /// `n` random bytes.
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        self.0.fill_bytes(&mut b);
        b
    }

    /// A resource id such as `vol-0a1b2c3d4e5f67890`: the prefix, a dash and 17 hex digits.
    pub fn resource_id(&mut self, prefix: &str) -> String {
        let b: [u8; 9] = self.bytes();
        let hex = to_hex(&b);
        // 17 hex digits, the first forced to 0 as in EC2's ids.
        format!("{prefix}-0{}", &hex[..16])
    }

    /// A KMS key id: a version-4-shaped UUID.
    pub fn uuid(&mut self) -> String {
        let mut b: [u8; 16] = self.bytes();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = to_hex(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// A 64-hex-digit token (grant ids, grant tokens).
    pub fn token(&mut self) -> String {
        let b: [u8; 32] = self.bytes();
        to_hex(&b)
    }
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0x0f) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids_and_shapes() {
        let mut a = SimRng::from_seed(7);
        let mut b = SimRng::from_seed(7);
        let id = a.resource_id("vol");
        assert_eq!(id, b.resource_id("vol"));
        assert_eq!(id.len(), "vol-".len() + 17);
        assert!(id.starts_with("vol-0"));
        let u = a.uuid();
        assert_eq!(u, b.uuid());
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(SimRng::from_seed(8).resource_id("vol"), id);
    }
}
