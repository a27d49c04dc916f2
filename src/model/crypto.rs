//! Temporary crypto layer (replaced by the vetted one).
use aes::cipher::KeyInit;
use aes::Aes256;
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use xts_mode::{get_tweak_default, Xts128};
pub const SECTOR_SIZE: usize = 512;
pub const DATA_KEY_LEN: usize = 64;
pub struct DataKey([u8; 64]);
impl DataKey { pub fn from_bytes(b: [u8;64]) -> Self { DataKey(b) } pub fn from_slice(b:&[u8]) -> Option<Self> { b.try_into().ok().map(DataKey) } pub fn as_bytes(&self) -> &[u8;64] { &self.0 } }
impl Clone for DataKey { fn clone(&self) -> Self { DataKey(self.0) } }
impl std::fmt::Debug for DataKey { fn fmt(&self, f:&mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "DataKey(<redacted>)") } }
#[derive(Debug, Clone, Copy, PartialEq, Eq)] pub enum CryptoError { BadLength, Authentication }
fn xts(key:&DataKey) -> Xts128<Aes256> { let c1 = Aes256::new_from_slice(&key.0[..32]).unwrap(); let c2 = Aes256::new_from_slice(&key.0[32..]).unwrap(); Xts128::new(c1, c2) }
pub fn xts_encrypt_sector(key:&DataKey, sector:u64, data:&mut [u8]) -> Result<(), CryptoError> { if data.len() < 16 || data.len() % 16 != 0 { return Err(CryptoError::BadLength) } xts(key).encrypt_sector(data, get_tweak_default(sector as u128)); Ok(()) }
pub fn xts_decrypt_sector(key:&DataKey, sector:u64, data:&mut [u8]) -> Result<(), CryptoError> { if data.len() < 16 || data.len() % 16 != 0 { return Err(CryptoError::BadLength) } xts(key).decrypt_sector(data, get_tweak_default(sector as u128)); Ok(()) }
pub fn gcm_seal(key:&[u8;32], nonce:&[u8;12], aad:&[u8], plaintext:&[u8]) -> Vec<u8> { Aes256Gcm::new(key.into()).encrypt(Nonce::from_slice(nonce), Payload { msg: plaintext, aad }).unwrap_or_default() }
pub fn gcm_open(key:&[u8;32], nonce:&[u8;12], aad:&[u8], sealed:&[u8]) -> Result<Vec<u8>, CryptoError> { Aes256Gcm::new(key.into()).decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad }).map_err(|_| CryptoError::Authentication) }
