//! The Alibaba Cloud half of the operation table: how its rows are written, how the `aliyun`
//! CLI finds them, and the playground's own commands in an Alibaba Cloud world.
//!
//! The `aliyun` CLI names operations by their API name (`aliyun ecs CreateDisk`) and options by
//! their parameter name (`--KMSKeyId`, `--SystemDisk.Encrypted`), so a row's command name is its
//! operation and every option is `--` + a member name.

use super::shapes::*;
use super::Ty::*;
use super::{Op, Param, Service};

/// A row of the Alibaba Cloud table: `product` is the word after `aliyun` (`ecs`, `kms`, `ram`)
/// or `play`; the command is the API name.
pub(super) const fn acs(
    product: &'static str,
    operation: &'static str,
    help: &'static str,
    params: &'static [Param],
) -> Op {
    let service = match product.as_bytes() {
        b"ecs" => Service::AliEcs,
        b"kms" => Service::AliKms,
        b"ram" => Service::AliRam,
        _ => Service::AliPlay,
    };
    Op {
        cli_service: product,
        name: operation,
        service,
        operation,
        help,
        params,
        extras: &[],
        hidden: &[],
        paging: None,
    }
}

/// `RegionId`, which almost every ECS and KMS request carries.
pub(super) const REGION_ID: Param = o(
    "RegionId",
    Str,
    "The region (cn-hangzhou, cn-shanghai, ap-southeast-1, …); default: the profile's.",
);

/// Every Alibaba Cloud operation, product by product.
pub fn all() -> impl Iterator<Item = &'static Op> {
    Service::ALIBABA.into_iter().flat_map(|s| s.ops().iter())
}

/// The operations of one product (`ecs`, `kms`, `ram`, `play`).
pub fn commands_of(product: &str) -> impl Iterator<Item = &'static Op> + '_ {
    all().filter(move |c| c.cli_service == product)
}

/// The operation `aliyun PRODUCT NAME` (or `play NAME`) runs. The `aliyun` CLI matches API
/// names without regard to case (`createdisk` runs CreateDisk).
pub fn find(product: &str, name: &str) -> Option<&'static Op> {
    commands_of(product).find(|c| c.name.eq_ignore_ascii_case(name))
}

/// A row of the playground's own commands: `play NAME` runs `operation`.
const fn play(
    name: &'static str,
    operation: &'static str,
    help: &'static str,
    params: &'static [Param],
) -> Op {
    Op {
        name,
        ..acs("play", operation, help, params)
    }
}

/// The products of the `aliyun` CLI the playground models.
pub const PRODUCTS: &[&str] = &["ecs", "kms", "ram"];

/// The playground's own commands in an Alibaba Cloud world.
pub(super) static PLAY_OPS: &[Op] = &[
    play("write", "WriteData", "Writes text through an instance to one of its disks (encrypted by the host with the disk's data key).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("DiskId", Str, "The disk, attached to that instance (d-…)."),
        r("Text", Str, "The text to write."),
        o("Sector", Int, "First sector (512 bytes each; default 0)."),
    ]),
    play("read", "ReadData", "Reads what the instance sees on one of its disks (decrypted by the host).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("DiskId", Str, "The disk (d-…)."),
        o("Sector", Int, "First sector (default 0)."),
        o("Length", Int, "Bytes to read (default: up to the end of the text)."),
    ]),
    play("sector", "ShowSector", "Shows a raw sector as stored on the disk (ciphertext if encrypted).", &[
        r("DiskId", Str, "The disk (d-…)."),
        o("Sector", Int, "The sector (default 0)."),
    ]),
    play("share-snapshot", "ShareSnapshot", "Shares a snapshot with another account (Alibaba shares snapshots in its console; the playground's command stands in for it).", &[
        r("SnapshotId", Str, "The snapshot (s-…)."),
        r("AccountId", Str, "The 16-digit account UID to share with."),
    ]),
    Op {
        extras: &time_extras("Days to advance (key deletion waits 7 to 366 days)."),
        ..play("advance", "AdvanceTime", "Advances simulated time (disks, snapshots, images and key deletion complete).", &[
            o("Seconds", Int, "Seconds to advance."),
        ])
    },
];
