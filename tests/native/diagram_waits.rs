//! Waiting without noise: a waiter line or `play advance` folds into one mark on the lifeline
//! waited on, while describes the learner typed, and the trace itself, stay as they are.

use ebs_kms_playground::diagram::{fold_waits, layout, text_alternative, LayoutOptions};
use ebs_kms_playground::model::trace::Participant;
use ebs_kms_playground::session::Session;

fn session(lines: &[&str]) -> Session {
    let mut s = Session::new(1);
    for l in lines {
        s.run(l);
    }
    s
}

const CREATE: &str = "VOL=$(aws ec2 create-volume --size 8 --availability-zone us-east-1a --encrypted --query VolumeId --output text)";

#[test]
fn a_waiter_is_one_mark_on_the_lifeline_it_waits_on() {
    let s = session(&[CREATE, "aws ec2 wait volume-available --volume-ids $VOL"]);
    let wait = &s.entries()[1];
    let raw = &s.calls()[wait.calls.clone()];
    assert!(raw.iter().any(|c| c.operation == "AdvanceTime"));
    assert!(
        raw.iter()
            .filter(|c| c.operation == "DescribeVolumes")
            .count()
            >= 2
    );

    let folded = fold_waits(s.calls(), s.entries());
    let marks: Vec<_> = folded
        .iter()
        .filter(|c| c.operation.starts_with("wait until"))
        .collect();
    assert_eq!(marks.len(), 1, "{:?}", text_alternative(&folded));
    let m = marks[0];
    assert_eq!((m.from, m.to), (Participant::Ec2, Participant::Ec2));
    assert!(m.is_event);
    assert!(
        m.operation.starts_with("wait until available (T+"),
        "{}",
        m.operation
    );
    assert!(!folded
        .iter()
        .any(|c| c.operation == "AdvanceTime" || c.operation == "DescribeVolumes"));
    // The calls before the waiter are untouched, and the trace still has the polling.
    assert_eq!(&folded[..wait.calls.start], &s.calls()[..wait.calls.start]);
    assert!(s.calls().iter().any(|c| c.operation == "AdvanceTime"));

    // The text alternative follows the drawing.
    let text = text_alternative(&folded);
    assert!(text
        .iter()
        .any(|t| t.starts_with("EC2: wait until available")));
    assert!(!text.iter().any(|t| t.contains("AdvanceTime")));
    // And the layout draws one row for the mark.
    let l = layout(&folded, &LayoutOptions::default());
    let rows = l
        .messages
        .iter()
        .filter(|m| m.label.starts_with("wait until"))
        .count();
    assert_eq!(rows, 1);
}

#[test]
fn describes_the_learner_typed_are_drawn_as_they_are() {
    let s = session(&[CREATE, "aws ec2 describe-volumes --volume-ids $VOL"]);
    let folded = fold_waits(s.calls(), s.entries());
    assert_eq!(&folded[..], s.calls());
    assert!(folded.iter().any(|c| c.operation == "DescribeVolumes"));
}

#[test]
fn play_advance_is_time_passing_for_the_user() {
    let s = session(&[CREATE, "play advance --seconds 30", "aws kms list-keys"]);
    let folded = fold_waits(s.calls(), s.entries());
    let m = folded
        .iter()
        .find(|c| c.operation.starts_with("time passes"))
        .expect("a mark");
    assert_eq!(m.operation, "time passes (T+30 s)");
    assert_eq!(m.from, Participant::User);
    assert!(!folded.iter().any(|c| c.operation == "AdvanceTime"));
    // The line after it is kept.
    assert_eq!(
        folded.last().map(|c| c.operation.as_str()),
        Some("ListKeys")
    );
}

#[test]
fn a_failed_waiter_keeps_its_error_on_the_mark() {
    let s = session(&["aws ec2 wait volume-available --volume-ids vol-0000000000000000"]);
    let folded = fold_waits(s.calls(), s.entries());
    if let Some(m) = folded
        .iter()
        .find(|c| c.operation.starts_with("wait until"))
    {
        assert!(m.error.is_some());
    }
    assert!(!folded.iter().any(|c| c.operation == "DescribeVolumes"));
}

#[test]
fn entries_out_of_range_are_ignored() {
    let s = session(&[CREATE, "aws ec2 wait volume-available --volume-ids $VOL"]);
    // A trace shorter than the entries say (a stale memo) must not panic.
    let short = &s.calls()[..1];
    let folded = fold_waits(short, s.entries());
    assert_eq!(&folded[..], short);
}
