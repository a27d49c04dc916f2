//! Which snapshots and images each view lists for the current account and region, with the
//! reason the account sees them. The reasons come from the model ([`Sim::snapshot_access`],
//! [`Sim::image_access`]); this file only says which reasons each view shows.

use crate::model::ebs::{Image, Snapshot};
use crate::model::visibility::Access;
use crate::model::Sim;

/// The snapshots card: the account's own snapshots and those shared with it by id.
pub const SNAPSHOTS_CARD: &[Access] = &[Access::Owner, Access::Shared];

/// The images card: the account's own images and public ones.
pub const IMAGES_CARD: &[Access] = &[Access::Owner, Access::Public];

/// Form suggestions for a snapshot id: everything listed plus public snapshots.
pub const SNAPSHOT_SUGGESTIONS: &[Access] = &[Access::Owner, Access::Shared, Access::Public];

/// Form suggestions for an image id: every image the account may launch.
pub const IMAGE_SUGGESTIONS: &[Access] = &[Access::Owner, Access::Shared, Access::Public];

/// Snapshots of `region` that `account` sees for one of the `reasons`, with the reason.
pub fn snapshots<'a>(
    sim: &'a Sim,
    account: &'a str,
    region: &'a str,
    reasons: &'a [Access],
) -> impl Iterator<Item = (&'a Snapshot, Access)> + 'a {
    sim.snapshots()
        .filter(move |s| s.region == region)
        .filter_map(move |s| sim.snapshot_access(s, account).map(|a| (s, a)))
        .filter(move |(_, a)| reasons.contains(a))
}

/// Images of `region` that `account` sees for one of the `reasons`, with the reason.
pub fn images<'a>(
    sim: &'a Sim,
    account: &'a str,
    region: &'a str,
    reasons: &'a [Access],
) -> impl Iterator<Item = (&'a Image, Access)> + 'a {
    sim.images()
        .filter(move |i| i.region == region)
        .filter_map(move |i| sim.image_access(i, account).map(|a| (i, a)))
        .filter(move |(_, a)| reasons.contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    const OWNER: &str = "111122223333";
    const PARTNER: &str = "444455556666";

    /// Snapshots: OWN (private), SHARED (with the partner), PUBLIC, IMG (behind an AMI shared
    /// with the partner); images: AMI (shared with the partner), PRIV (not shared).
    fn world() -> Session {
        let mut s = Session::new(3);
        let snap = |var: &str| {
            format!("{var}=$(aws ec2 create-snapshot --volume-id $VOL --query SnapshotId --output text)")
        };
        let lines = [
            "VOL=$(aws ec2 create-volume --availability-zone us-east-1a --size 1 --query VolumeId --output text)".to_string(),
            "aws ec2 wait volume-available --volume-ids $VOL".into(),
            snap("OWN"),
            snap("SHARED"),
            snap("PUBLIC"),
            snap("IMG"),
            snap("PRIVIMG"),
            "aws ec2 wait snapshot-completed --snapshot-ids $OWN $SHARED $PUBLIC $IMG $PRIVIMG".into(),
            format!("aws ec2 modify-snapshot-attribute --snapshot-id $SHARED --attribute createVolumePermission --operation-type add --user-ids {PARTNER}"),
            "aws ec2 modify-snapshot-attribute --snapshot-id $PUBLIC --attribute createVolumePermission --operation-type add --group-names all".into(),
            "AMI=$(aws ec2 register-image --name shared --root-device-name /dev/xvda --block-device-mappings DeviceName=/dev/xvda,Ebs={SnapshotId=$IMG} --query ImageId --output text)".into(),
            format!("aws ec2 modify-image-attribute --image-id $AMI --attribute launchPermission --operation-type add --user-ids {PARTNER}"),
            "PRIV=$(aws ec2 register-image --name private --root-device-name /dev/xvda --block-device-mappings DeviceName=/dev/xvda,Ebs={SnapshotId=$PRIVIMG} --query ImageId --output text)".into(),
        ];
        for l in &lines {
            let e = s.run(l).and_then(|e| e.result.error.clone());
            assert_eq!(e, None, "{l}");
        }
        s
    }

    fn var(s: &Session, name: &str) -> String {
        s.shell().var(name).unwrap_or_default().to_string()
    }

    #[test]
    fn snapshot_access_table() {
        let s = world();
        let table: &[(&str, &str, Option<Access>)] = &[
            ("OWN", OWNER, Some(Access::Owner)),
            ("OWN", PARTNER, None),
            ("SHARED", OWNER, Some(Access::Owner)),
            ("SHARED", PARTNER, Some(Access::Shared)),
            ("PUBLIC", PARTNER, Some(Access::Public)),
            ("IMG", OWNER, Some(Access::Owner)),
            ("IMG", PARTNER, Some(Access::ViaImage)),
            ("PRIVIMG", PARTNER, None),
        ];
        for &(name, account, want) in table {
            let id = var(&s, name);
            let snap = s.sim().snapshots().find(|x| x.id == id).expect("snapshot");
            assert_eq!(
                s.sim().snapshot_access(snap, account),
                want,
                "{name} as {account}"
            );
        }
    }

    #[test]
    fn image_access_table() {
        let s = world();
        let table: &[(&str, &str, Option<Access>)] = &[
            ("AMI", OWNER, Some(Access::Owner)),
            ("AMI", PARTNER, Some(Access::Shared)),
            ("PRIV", OWNER, Some(Access::Owner)),
            ("PRIV", PARTNER, None),
        ];
        for &(name, account, want) in table {
            let id = var(&s, name);
            let im = s.sim().images().find(|x| x.id == id).expect("image");
            assert_eq!(
                s.sim().image_access(im, account),
                want,
                "{name} as {account}"
            );
        }
        // The public Amazon Linux image of the seed is public to everyone.
        let amazon = s.sim().images().find(|i| i.public).expect("a public image");
        assert_eq!(s.sim().image_access(amazon, PARTNER), Some(Access::Public));
    }

    /// The access rule agrees with EC2 itself: describing a snapshot or image by id succeeds
    /// exactly for the accounts the rule says can see it.
    #[test]
    fn access_agrees_with_describe_by_id() {
        let mut s = world();
        let snaps: Vec<(String, Option<Access>, Option<Access>)> = s
            .sim()
            .snapshots()
            .filter(|x| x.region == "us-east-1")
            .map(|x| {
                (
                    x.id.clone(),
                    s.sim().snapshot_access(x, OWNER),
                    s.sim().snapshot_access(x, PARTNER),
                )
            })
            .collect();
        assert!(snaps.len() >= 5);
        for (id, owner, partner) in snaps {
            for (profile, access) in [("default", owner), ("partner", partner)] {
                let line =
                    format!("aws ec2 describe-snapshots --snapshot-ids {id} --profile {profile}");
                let ok = s.run(&line).is_some_and(|e| e.result.error.is_none());
                assert_eq!(ok, access.is_some(), "{line}: {access:?}");
            }
        }
        let images: Vec<(String, Option<Access>)> = s
            .sim()
            .images()
            .filter(|i| i.region == "us-east-1")
            .map(|i| (i.id.clone(), s.sim().image_access(i, PARTNER)))
            .collect();
        for (id, access) in images {
            let line = format!("aws ec2 describe-images --image-ids {id} --profile partner --query 'length(Images)'");
            let n = s.run(&line).and_then(|e| e.result.output.clone());
            let seen = n == Some(crate::json!(1));
            assert_eq!(seen, access.is_some(), "{line}: {n:?}");
        }
    }

    #[test]
    fn each_view_lists_the_reasons_it_names() {
        let s = world();
        let ids = |account: &str, reasons: &[Access]| -> Vec<String> {
            let mut v: Vec<String> = snapshots(s.sim(), account, "us-east-1", reasons)
                .map(|(x, _)| x.id.clone())
                .collect();
            v.sort();
            v
        };
        let named = |names: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = names.iter().map(|n| var(&s, n)).collect();
            v.sort();
            v
        };
        assert_eq!(ids(PARTNER, SNAPSHOTS_CARD), named(&["SHARED"]));
        let mut suggested = ids(PARTNER, SNAPSHOT_SUGGESTIONS);
        suggested.retain(|id| named(&["SHARED", "PUBLIC", "OWN", "IMG", "PRIVIMG"]).contains(id));
        assert_eq!(suggested, named(&["SHARED", "PUBLIC"]));
        assert_eq!(ids(OWNER, SNAPSHOTS_CARD).len(), 5);
        assert!(ids(OWNER, SNAPSHOTS_CARD).iter().all(|id| {
            snapshots(s.sim(), OWNER, "us-west-2", SNAPSHOTS_CARD).all(|(x, _)| x.id != *id)
        }));
        let partner_images: Vec<Access> = images(s.sim(), PARTNER, "us-east-1", IMAGES_CARD)
            .map(|(_, a)| a)
            .collect();
        assert!(partner_images.iter().all(|a| *a == Access::Public));
        assert!(images(s.sim(), PARTNER, "us-east-1", IMAGE_SUGGESTIONS)
            .any(|(i, _)| i.id == var(&s, "AMI")));
    }
}
