//! A learner's progress through the guided scenarios: which ones they finished and their
//! "predict the next call" score in each, kept in the browser (localStorage) as JSON. Parsing
//! is tolerant: a missing or damaged record is an empty progress, never an error.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One scenario's record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Every step ran.
    pub finished: bool,
    /// Predictions answered right.
    pub right: u32,
    /// Predictions answered.
    pub asked: u32,
}

/// Progress by scenario id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress(pub BTreeMap<String, Record>);

impl Progress {
    /// Reads the stored JSON; anything unreadable is an empty progress.
    pub fn parse(text: &str) -> Progress {
        let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text) else {
            return Progress::default();
        };
        let n = |r: &Value, k: &str| {
            r.get(k)
                .and_then(Value::as_u64)
                .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        Progress(
            m.iter()
                .filter(|(_, r)| r.is_object())
                .map(|(id, r)| {
                    let rec = Record {
                        finished: r.get("finished").and_then(Value::as_bool).unwrap_or(false),
                        right: n(r, "right"),
                        asked: n(r, "asked"),
                    };
                    (id.clone(), rec)
                })
                .collect(),
        )
    }

    /// The JSON to store.
    pub fn to_json(&self) -> String {
        let m: Map<String, Value> = self
            .0
            .iter()
            .map(|(id, r)| {
                let mut o = Map::new();
                o.insert("finished".into(), Value::Bool(r.finished));
                o.insert("right".into(), Value::from(r.right));
                o.insert("asked".into(), Value::from(r.asked));
                (id.clone(), Value::Object(o))
            })
            .collect();
        Value::Object(m).to_string()
    }

    /// Counts one prediction in scenario `id`.
    pub fn answered(&mut self, id: &str, right: bool) {
        let r = self.0.entry(id.to_string()).or_default();
        r.asked = r.asked.saturating_add(1);
        r.right = r.right.saturating_add(u32::from(right));
    }

    /// Marks scenario `id` finished.
    pub fn finish(&mut self, id: &str) {
        self.0.entry(id.to_string()).or_default().finished = true;
    }

    /// Starts scenario `id` over: its score goes back to zero (finished stays).
    pub fn restart(&mut self, id: &str) {
        if let Some(r) = self.0.get_mut(id) {
            r.right = 0;
            r.asked = 0;
        }
    }

    /// What the scenarios list shows next to a scenario: "✓ finished · 3/4 predicted".
    pub fn badge(&self, id: &str) -> Option<String> {
        let r = self.0.get(id)?;
        let mut parts = Vec::new();
        if r.finished {
            parts.push("✓ finished".to_string());
        }
        if r.asked > 0 {
            parts.push(format!("{}/{} predicted", r.right, r.asked));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_bad_input_is_empty() {
        let mut p = Progress::default();
        p.answered("a", true);
        p.answered("a", false);
        p.finish("a");
        assert_eq!(p.badge("a").as_deref(), Some("✓ finished · 1/2 predicted"));
        assert_eq!(p.badge("b"), None);
        assert_eq!(Progress::parse(&p.to_json()), p);
        assert_eq!(Progress::parse("not json"), Progress::default());
        assert_eq!(Progress::parse("{\"x\":{}}").badge("x"), None);
        p.restart("a");
        assert_eq!(p.badge("a").as_deref(), Some("✓ finished"));
    }
}
