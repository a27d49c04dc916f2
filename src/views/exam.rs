//! Exam checks: the chapter's quizzes, key-term cards and thought exercises as data (one JSON
//! file, `public/questions.json`, fetched on first use so an instructor can add questions
//! without code), parsed and validated here: unique ids, exactly one right choice per
//! question, and every scenario a check refers to either exists or is listed as pending.

use serde_json::Value;
use std::collections::HashSet;

/// One choice of a question.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// What the learner reads.
    pub text: String,
    /// True for the one right choice.
    pub right: bool,
    /// Why this choice is right or wrong.
    pub why: String,
}

/// A multiple-choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Stable id, used in links (`?q=ID`).
    pub id: String,
    /// Heading ("Quiz: …").
    pub title: String,
    /// The question.
    pub prompt: String,
    /// The choices, in the order shown.
    pub choices: Vec<Choice>,
    /// The explanation shown once answered.
    pub explanation: String,
    /// Scenarios that show the answer.
    pub scenarios: Vec<String>,
}

impl Question {
    /// Index of the right choice (validation makes sure there is one).
    pub fn answer(&self) -> Option<usize> {
        self.choices.iter().position(|c| c.right)
    }
}

/// A key-term card (term on the front, definition on the back).
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The term.
    pub term: String,
    /// Its definition.
    pub definition: String,
    /// Scenarios that show it.
    pub scenarios: Vec<String>,
}

/// A thought exercise with a reference design to compare with.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// Stable id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// The situation.
    pub prompt: String,
    /// What to decide.
    pub tasks: Vec<String>,
    /// Hints.
    pub hints: Vec<String>,
    /// The reference design.
    pub reference: String,
    /// Scenarios that show it.
    pub scenarios: Vec<String>,
}

/// The array under `key`, or none.
fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

/// The strings of the array under `key` (other values are skipped).
fn strings(v: &Value, key: &str) -> Vec<String> {
    items(v, key)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The string under `key`, or "".
fn opt(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The string under `key`, which a `what` must have.
fn req(v: &Value, key: &str, what: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("questions file: a {what} has no \"{key}\" string"))
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exam {
    /// Scenario ids referred to before they exist (shown without a "run it" button).
    pub pending_scenarios: Vec<String>,
    /// Quizzes.
    pub questions: Vec<Question>,
    /// Key-term cards.
    pub cards: Vec<Card>,
    /// Thought exercises.
    pub exercises: Vec<Exercise>,
}

impl Exam {
    /// Reads the file; a syntax or shape error is a sentence, never a panic. Read through
    /// `serde_json::Value` (no derived deserializers: the wasm stays small).
    pub fn parse(text: &str) -> Result<Exam, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("questions file: {e}"))?;
        if !v.is_object() {
            return Err("questions file: not a JSON object".into());
        }
        let questions = items(&v, "questions")
            .iter()
            .map(|q| {
                Ok(Question {
                    id: req(q, "id", "question")?,
                    title: opt(q, "title"),
                    prompt: req(q, "prompt", "question")?,
                    choices: items(q, "choices")
                        .iter()
                        .map(|c| {
                            Ok(Choice {
                                text: req(c, "text", "choice")?,
                                right: c.get("right").and_then(Value::as_bool).unwrap_or(false),
                                why: opt(c, "why"),
                            })
                        })
                        .collect::<Result<_, String>>()?,
                    explanation: opt(q, "explanation"),
                    scenarios: strings(q, "scenarios"),
                })
            })
            .collect::<Result<_, String>>()?;
        let cards = items(&v, "cards")
            .iter()
            .map(|c| {
                Ok(Card {
                    term: req(c, "term", "card")?,
                    definition: req(c, "definition", "card")?,
                    scenarios: strings(c, "scenarios"),
                })
            })
            .collect::<Result<_, String>>()?;
        let exercises = items(&v, "exercises")
            .iter()
            .map(|e| {
                Ok(Exercise {
                    id: req(e, "id", "exercise")?,
                    title: req(e, "title", "exercise")?,
                    prompt: req(e, "prompt", "exercise")?,
                    tasks: strings(e, "tasks"),
                    hints: strings(e, "hints"),
                    reference: req(e, "reference", "exercise")?,
                    scenarios: strings(e, "scenarios"),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Exam {
            pending_scenarios: strings(&v, "pending_scenarios"),
            questions,
            cards,
            exercises,
        })
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Every scenario id the checks refer to, once each, in file order.
    pub fn referenced(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.questions
            .iter()
            .flat_map(|q| &q.scenarios)
            .chain(self.cards.iter().flat_map(|c| &c.scenarios))
            .chain(self.exercises.iter().flat_map(|e| &e.scenarios))
            .map(String::as_str)
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// What is wrong with the file, one sentence each (empty when it is usable).
    /// `exists` says whether a scenario id is in the library.
    pub fn problems(&self, exists: impl Fn(&str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut ids = HashSet::new();
        for q in &self.questions {
            if !ids.insert(q.id.as_str()) {
                out.push(format!("question id {} is used twice", q.id));
            }
            if q.id.trim().is_empty() || q.prompt.trim().is_empty() {
                out.push("a question has no id or no prompt".into());
            }
            let right = q.choices.iter().filter(|c| c.right).count();
            if right != 1 {
                out.push(format!(
                    "question {} has {right} right choices, not one",
                    q.id
                ));
            }
            if q.choices.len() < 2 {
                out.push(format!("question {} has fewer than two choices", q.id));
            }
            let texts: HashSet<&str> = q.choices.iter().map(|c| c.text.as_str()).collect();
            if texts.len() != q.choices.len() {
                out.push(format!("question {} repeats a choice", q.id));
            }
        }
        for id in self.referenced() {
            if !exists(id) && !self.pending_scenarios.iter().any(|p| p == id) {
                out.push(format!(
                    "scenario {id} does not exist and is not listed in pending_scenarios"
                ));
            }
        }
        out
    }
}
