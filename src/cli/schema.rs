//! The CLI's view of the operation table: the model's one description of every operation
//! ([`crate::model::ops`], re-exported here), the services the `aws` program takes, the EC2
//! waiters, and "did you mean" suggestions. It holds data only; parsing lives in `args.rs`.

pub use crate::model::ops::{
    all as commands, cli_name, commands_of, find, find_operation, Extra, Member, Op as Command,
    Param, Service, Ty,
};

/// Services reachable after `aws` that map to the backend, sorted.
pub const AWS_SERVICES: &[&str] = &["autoscaling", "ec2", "iam", "kms", "rds", "s3api", "sts"];

/// Every word accepted after `aws` (backend services plus local ones), sorted.
pub const AWS_CHOICES: &[&str] = &[
    "autoscaling",
    "configure",
    "ec2",
    "iam",
    "kms",
    "rds",
    "s3",
    "s3api",
    "sts",
];

/// What a waiter acceptor looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// Every element of the JMESPath list result equals `expected` (and there is one).
    PathAll(&'static str, &'static str),
    /// At least one element of the list result equals `expected`.
    PathAny(&'static str, &'static str),
    /// The result equals the JSON literal `expected`.
    Path(&'static str, &'static str),
    /// The call failed with this error code.
    Error(&'static str),
}

/// What a matching acceptor means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitState {
    /// The waiter is done.
    Success,
    /// The condition can no longer be reached.
    Failure,
    /// Keep polling.
    Retry,
}

/// One acceptor of a waiter (botocore's waiter model).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acceptor {
    /// What matching means.
    pub state: WaitState,
    /// What is matched.
    pub matcher: Matcher,
}

/// An EC2 waiter as the AWS CLI defines it (botocore `ec2/waiters-2.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter {
    /// The CLI name (`volume-available`).
    pub name: &'static str,
    /// The botocore name used in messages (`VolumeAvailable`).
    pub waiter_name: &'static str,
    /// The describe command polled.
    pub describe: &'static str,
    /// Seconds between polls.
    pub delay: u64,
    /// Polls before giving up.
    pub max_attempts: u32,
    /// Acceptors, tried in order.
    pub acceptors: &'static [Acceptor],
    /// One line of help.
    pub help: &'static str,
}

const fn acc(state: WaitState, matcher: Matcher) -> Acceptor {
    Acceptor { state, matcher }
}

use Matcher::{Error as ErrorCode, Path, PathAll, PathAny};
use WaitState::{Failure, Retry, Success};

const INSTANCE_STATE: &str = "Reservations[].Instances[].State.Name";

/// The EC2 waiters the console supports.
pub static WAITERS: &[Waiter] = &[
    Waiter {
        name: "volume-available",
        waiter_name: "VolumeAvailable",
        describe: "describe-volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Volumes[].State", "available")),
            acc(Failure, PathAny("Volumes[].State", "deleted")),
        ],
        help: "Waits until the volumes are available.",
    },
    Waiter {
        name: "volume-in-use",
        waiter_name: "VolumeInUse",
        describe: "describe-volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Volumes[].State", "in-use")),
            acc(Failure, PathAny("Volumes[].State", "deleted")),
        ],
        help: "Waits until the volumes are attached (in-use).",
    },
    Waiter {
        name: "volume-deleted",
        waiter_name: "VolumeDeleted",
        describe: "describe-volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Volumes[].State", "deleted")),
            acc(Success, ErrorCode("InvalidVolume.NotFound")),
        ],
        help: "Waits until the volumes are deleted.",
    },
    Waiter {
        name: "snapshot-completed",
        waiter_name: "SnapshotCompleted",
        describe: "describe-snapshots",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Snapshots[].State", "completed")),
            acc(Failure, PathAny("Snapshots[].State", "error")),
        ],
        help: "Waits until the snapshots are completed.",
    },
    Waiter {
        name: "instance-exists",
        waiter_name: "InstanceExists",
        describe: "describe-instances",
        delay: 5,
        max_attempts: 40,
        acceptors: &[
            acc(Success, Path("length(Reservations[]) > `0`", "true")),
            acc(Retry, ErrorCode("InvalidInstanceID.NotFound")),
        ],
        help: "Waits until the instances exist.",
    },
    Waiter {
        name: "instance-running",
        waiter_name: "InstanceRunning",
        describe: "describe-instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll(INSTANCE_STATE, "running")),
            acc(Failure, PathAny(INSTANCE_STATE, "shutting-down")),
            acc(Failure, PathAny(INSTANCE_STATE, "terminated")),
            acc(Failure, PathAny(INSTANCE_STATE, "stopping")),
            acc(Retry, ErrorCode("InvalidInstanceID.NotFound")),
        ],
        help: "Waits until the instances are running.",
    },
    Waiter {
        name: "instance-stopped",
        waiter_name: "InstanceStopped",
        describe: "describe-instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll(INSTANCE_STATE, "stopped")),
            acc(Failure, PathAny(INSTANCE_STATE, "pending")),
            acc(Failure, PathAny(INSTANCE_STATE, "terminated")),
        ],
        help: "Waits until the instances are stopped.",
    },
    Waiter {
        name: "instance-terminated",
        waiter_name: "InstanceTerminated",
        describe: "describe-instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll(INSTANCE_STATE, "terminated")),
            acc(Failure, PathAny(INSTANCE_STATE, "pending")),
            acc(Failure, PathAny(INSTANCE_STATE, "stopping")),
        ],
        help: "Waits until the instances are terminated.",
    },
    Waiter {
        name: "image-exists",
        waiter_name: "ImageExists",
        describe: "describe-images",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, Path("length(Images[]) > `0`", "true")),
            acc(Retry, ErrorCode("InvalidAMIID.NotFound")),
        ],
        help: "Waits until the AMIs exist.",
    },
    Waiter {
        name: "image-available",
        waiter_name: "ImageAvailable",
        describe: "describe-images",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            acc(Success, PathAll("Images[].State", "available")),
            acc(Failure, PathAny("Images[].State", "failed")),
        ],
        help: "Waits until the AMIs are available.",
    },
    Waiter {
        name: "db-instance-available",
        waiter_name: "DBInstanceAvailable",
        describe: "describe-db-instances",
        delay: 30,
        max_attempts: 60,
        acceptors: &[
            acc(Success, PathAll(DB_STATUS, "available")),
            acc(Failure, PathAny(DB_STATUS, "deleted")),
            acc(Failure, PathAny(DB_STATUS, "deleting")),
            acc(Failure, PathAny(DB_STATUS, "failed")),
            acc(Failure, PathAny(DB_STATUS, "incompatible-restore")),
            acc(Failure, PathAny(DB_STATUS, "incompatible-parameters")),
        ],
        help: "Waits until the DB instances are available.",
    },
    Waiter {
        name: "db-snapshot-available",
        waiter_name: "DBSnapshotAvailable",
        describe: "describe-db-snapshots",
        delay: 30,
        max_attempts: 60,
        acceptors: &[
            acc(Success, PathAll("DBSnapshots[].Status", "available")),
            acc(Failure, PathAny("DBSnapshots[].Status", "deleted")),
            acc(Failure, PathAny("DBSnapshots[].Status", "deleting")),
            acc(Failure, PathAny("DBSnapshots[].Status", "failed")),
            acc(
                Failure,
                PathAny("DBSnapshots[].Status", "incompatible-restore"),
            ),
            acc(
                Failure,
                PathAny("DBSnapshots[].Status", "incompatible-parameters"),
            ),
        ],
        help: "Waits until the DB snapshots are available.",
    },
];

const DB_STATUS: &str = "DBInstances[].DBInstanceStatus";

impl Waiter {
    /// The CLI service whose describe command the waiter polls (`ec2`, `rds`).
    pub fn service(&self) -> &'static str {
        commands()
            .find(|c| c.name == self.describe)
            .map_or("ec2", |c| c.cli_service)
    }
}

/// The waiters of a CLI service.
pub fn waiters_of(service: &str) -> impl Iterator<Item = &'static Waiter> + '_ {
    WAITERS.iter().filter(move |w| w.service() == service)
}

/// Whether a CLI service has waiters (`aws SERVICE wait`).
pub fn has_waiters(service: &str) -> bool {
    waiters_of(service).next().is_some()
}

/// The waiter with this CLI name.
pub fn find_waiter(name: &str) -> Option<&'static Waiter> {
    // Waiter names are unique across services.
    WAITERS.iter().find(|w| w.name == name)
}

/// Up to `n` names from `choices` closest to `typed` (edit distance, then prefix/substring),
/// closest first; used for "maybe you meant" lists.
pub fn closest<'a>(typed: &str, choices: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let typed_l = typed.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = choices
        .map(|c| {
            let d = edit_distance(&typed_l, c);
            let bonus = if !typed_l.is_empty() && (c.starts_with(&typed_l) || c.contains(&typed_l))
            {
                0
            } else {
                d
            };
            (bonus.min(d), c)
        })
        .collect();
    crate::sort::sort(&mut scored);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Levenshtein distance (the first 200 characters of `a`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(200).collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}
