//! Waiting without noise: the calls a waiter line (`aws ec2 wait …`) or `play advance` made to
//! poll and to let simulated time pass are folded into one "wait until available (T+30 s)" mark
//! on the lifeline waited on. A pure function over the trace and the session's entries; the
//! polling calls stay in the trace (the diagram's "show polling" toggle draws them).

use crate::model::trace::{Call, Participant};
use crate::session::Entry;
use std::borrow::Cow;

/// What a line waits for, read from its (expanded) command.
#[derive(Clone, Debug, PartialEq)]
enum Wait {
    /// `aws ec2 wait <resource>-<state>`: the state waited for.
    Until(String),
    /// `play advance …`.
    Advance,
}

/// The wait a command line is, if it is one. Only the first words count, so a describe the
/// learner typed is never taken for a waiter.
fn wait_of(command: &str) -> Option<Wait> {
    let words: Vec<&str> = command.split_whitespace().take(4).collect();
    match words.as_slice() {
        ["aws", "ec2", "wait", name, ..] => {
            let state = name.split_once('-').map_or(*name, |(_, s)| s);
            Some(Wait::Until(state.replace('-', " ")))
        }
        ["play", "advance", ..] => Some(Wait::Advance),
        _ => None,
    }
}

/// True when `command` is a waiter or `play advance` (a line the diagram folds).
pub fn is_wait(command: &str) -> bool {
    wait_of(command).is_some()
}

/// A duration as the mark shows it: "30 s", "5 min", "2 h", "7 d".
pub fn duration_text(seconds: u64) -> String {
    match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s >= 3_600 && s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// True for the calls a wait line makes itself: the polling describes and `AdvanceTime`.
fn is_noise(c: &Call, wait: &Wait) -> bool {
    c.from == Participant::User
        && (c.operation == "AdvanceTime"
            || (matches!(wait, Wait::Until(_)) && c.operation.starts_with("Describe")))
}

/// The trace as the diagram draws it when polling is hidden: each wait line's polling calls
/// and time advances replaced by one self-call event on the lifeline waited on (EC2 for a
/// waiter, the user for `play advance`), labelled with what was waited for and how long
/// simulated time moved. Other calls (those the learner typed, and what the passing time
/// caused) are kept as they are. Borrows the trace when nothing is folded.
pub fn fold_waits<'a>(calls: &'a [Call], entries: &[Entry]) -> Cow<'a, [Call]> {
    let waits: Vec<(&Entry, Wait)> = entries
        .iter()
        .filter_map(|e| wait_of(&e.result.command).map(|w| (e, w)))
        .filter(|(e, _)| e.calls.end <= calls.len() && !e.calls.is_empty())
        .collect();
    if waits.is_empty() {
        return Cow::Borrowed(calls);
    }
    let mut out = Vec::with_capacity(calls.len());
    let mut next = 0;
    for (entry, wait) in waits {
        let range = entry.calls.clone();
        if range.start < next {
            continue;
        }
        out.extend_from_slice(&calls[next..range.start]);
        let lines = &calls[range.clone()];
        let mut marked = false;
        for c in lines {
            if !is_noise(c, &wait) {
                out.push(c.clone());
                continue;
            }
            if marked {
                continue;
            }
            marked = true;
            out.push(mark(c, lines, &wait, entry));
        }
        next = range.end;
    }
    out.extend_from_slice(&calls[next..]);
    Cow::Owned(out)
}

/// The one mark standing for a wait line's polling: made from its first polling call.
fn mark(first: &Call, lines: &[Call], wait: &Wait, entry: &Entry) -> Call {
    let seconds: u64 = lines
        .iter()
        .filter(|c| c.operation == "AdvanceTime" && c.error.is_none())
        .filter_map(|c| c.request.get("Seconds").and_then(|s| s.as_u64()))
        .sum();
    let took = duration_text(seconds);
    let (on, label) = match wait {
        Wait::Until(state) => {
            let on = lines
                .iter()
                .find(|c| c.operation.starts_with("Describe"))
                .map_or(Participant::Ec2, |c| c.to);
            (on, format!("wait until {state} (T+{took})"))
        }
        Wait::Advance => (Participant::User, format!("time passes (T+{took})")),
    };
    let mut m = first.clone();
    m.from = on;
    m.to = on;
    m.operation = label;
    m.is_event = true;
    m.end = m.seq + 1;
    m.error = entry.result.error.clone();
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_decide_what_is_a_wait() {
        assert_eq!(
            wait_of("aws ec2 wait volume-available --volume-ids vol-1"),
            Some(Wait::Until("available".into()))
        );
        assert_eq!(
            wait_of("aws ec2 wait snapshot-completed"),
            Some(Wait::Until("completed".into()))
        );
        assert_eq!(wait_of("play advance --days 7"), Some(Wait::Advance));
        assert_eq!(wait_of("aws ec2 describe-volumes"), None);
        assert_eq!(wait_of("echo aws ec2 wait volume-available"), None);
        assert_eq!(wait_of(""), None);
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_text(30), "30 s");
        assert_eq!(duration_text(90), "90 s");
        assert_eq!(duration_text(300), "5 min");
        assert_eq!(duration_text(7200), "2 h");
        assert_eq!(duration_text(7 * 86_400), "7 d");
        assert_eq!(duration_text(0), "0 s");
    }
}
