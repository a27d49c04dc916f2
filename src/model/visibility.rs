//! Who may see a snapshot or an image, and why: the owner, an account it is shared with,
//! everyone (public), or, for a snapshot, anyone who may launch an image built on it.
//!
//! These are the rules EC2 applies when a request names a snapshot or an image by id; the app's
//! lists and suggestions read them from here instead of restating them.

use super::ebs::{Image, Snapshot};
use super::Sim;

/// Why an account can see a snapshot or an image. Variants are ordered from the strongest
/// reason to the weakest; the first that applies is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// The account owns it.
    Owner,
    /// Shared with the account by id (`createVolumePermission` / `launchPermission`).
    Shared,
    /// Shared with everyone (group `all`).
    Public,
    /// A snapshot the account may use because an image it may launch is built on it.
    ViaImage,
}

impl Access {
    /// How a view names the reason (`owned`, `shared with you`, `public`, `via an image`).
    pub fn label(self) -> &'static str {
        match self {
            Access::Owner => "owned",
            Access::Shared => "shared with you",
            Access::Public => "public",
            Access::ViaImage => "via an image",
        }
    }
}

impl Sim {
    /// Why `account` can see `snapshot`, or `None` when it cannot (regions are not compared).
    pub fn snapshot_access(&self, snapshot: &Snapshot, account: &str) -> Option<Access> {
        if snapshot.account == account {
            Some(Access::Owner)
        } else if snapshot.shared_with.contains(account) {
            Some(Access::Shared)
        } else if snapshot.public {
            Some(Access::Public)
        } else if self.images().any(|i| {
            // As EC2 decides it: an image shared with the account or public (not one it owns).
            matches!(
                self.image_access(i, account),
                Some(Access::Shared | Access::Public)
            ) && i.mappings.iter().any(|m| m.snapshot_id == snapshot.id)
        }) {
            Some(Access::ViaImage)
        } else {
            None
        }
    }

    /// Why `account` can see (and launch) `image`, or `None` when it cannot.
    pub fn image_access(&self, image: &Image, account: &str) -> Option<Access> {
        if image.account == account {
            Some(Access::Owner)
        } else if image.launch_permissions.contains(account) {
            Some(Access::Shared)
        } else if image.public {
            Some(Access::Public)
        } else {
            None
        }
    }
}
