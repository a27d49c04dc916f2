//! The operations of the playground's own commands (`play …`).

use super::shapes::*;
use super::Op;
use super::Ty::*;

/// The rows of this service, in the order the AWS CLI documents them.
pub(super) static OPS: &[Op] = &[
    cmd("play", "write", "WriteData", "Writes text through an instance to an attached volume (encrypted by the host with the data key).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("Device", Str, "The device the volume is attached as, such as /dev/sdf."),
        r("Text", Str, "The text to write."),
        o("Sector", Int, "First sector (512 bytes each; default 0)."),
    ]),
    cmd("play", "read", "ReadData", "Reads what the instance sees on a device (decrypted by the host).", &[
        r("InstanceId", Str, "The instance (i-…)."),
        r("Device", Str, "The device, such as /dev/sdf."),
        o("Sector", Int, "First sector (default 0)."),
        o("Length", Int, "Bytes to read (default: up to the end of the text)."),
    ]),
    cmd("play", "sector", "ShowSector", "Shows a raw sector as stored on the EBS side (ciphertext if encrypted).", &[
        o("VolumeId", Str, "A volume (vol-…)."),
        o("SnapshotId", Str, "Or a snapshot (snap-…)."),
        o("Sector", Int, "The sector (default 0)."),
    ]),
    Op {
        extras: &time_extras("Days to advance (key deletion waits 7 to 30 days)."),
        ..cmd("play", "advance", "AdvanceTime", "Advances simulated time (pending work such as snapshots and key deletion completes).", &[
            o("Seconds", Int, "Seconds to advance."),
        ])
    },
    cmd("play", "file put", "PutFile", "Stores a playground file (a body for s3api put-object; the page has no file system).", &[
        r("Name", Str, "The file name."),
        r("Text", Str, "The file's contents."),
    ]),
    cmd("play", "file show", "ShowFile", "Shows a playground file (for example an outfile of s3api get-object).", &[
        r("Name", Str, "The file name."),
    ]),
    cmd("play", "file list", "ListFiles", "Lists the playground files.", NOTHING),
];
