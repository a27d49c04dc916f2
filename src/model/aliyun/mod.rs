//! Alibaba Cloud (seed 002): ECS instances and disks, snapshots, images, account-level default
//! encryption, Alibaba Cloud KMS and RAM — a second provider of the same model, with its own
//! rules, names and error codes. Nothing here is read by the AWS services, and nothing of
//! theirs is read here.
//!
//! Its handlers are reached through [`crate::model::Sim::execute`] when the world's provider
//! is [`crate::model::provider::ALIBABA`].

use super::{Handler, Sim};
use serde::Serialize;

/// The state of an Alibaba Cloud world.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Aliyun {}

/// Delayed work of Alibaba Cloud (disks and snapshots becoming ready, key deletion, …).
#[derive(Clone, Debug, Serialize)]
pub enum AliPending {}

/// The handlers of `aliyun ecs`.
pub(crate) static ECS_HANDLERS: &[(&str, Handler)] = &[];
/// The handlers of `aliyun kms`.
pub(crate) static KMS_HANDLERS: &[(&str, Handler)] = &[];
/// The handlers of `aliyun ram`.
pub(crate) static RAM_HANDLERS: &[(&str, Handler)] = &[];
/// The handlers of `play` in an Alibaba Cloud world.
pub(crate) static PLAY_HANDLERS: &[(&str, Handler)] = &[];

impl Sim {
    /// Sets up a new Alibaba Cloud world (public images in each region).
    pub(crate) fn aliyun_seed(&mut self) {}

    /// Runs delayed Alibaba Cloud work.
    pub(crate) fn aliyun_run_pending(&mut self, what: AliPending) {
        match what {}
    }
}
