//! Exam checks: the chapter's quizzes, key-term cards and thought exercises as data (one JSON
//! file, `public/questions.json`, fetched on first use so an instructor can add questions
//! without code), parsed and validated here: unique ids, exactly one right choice per
//! question, and every scenario a check refers to either exists or is listed as pending.

use serde::Deserialize;
use std::collections::HashSet;

/// One choice of a question.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Choice {
    /// What the learner reads.
    pub text: String,
    /// True for the one right choice.
    #[serde(default)]
    pub right: bool,
    /// Why this choice is right or wrong.
    #[serde(default)]
    pub why: String,
}

/// A multiple-choice question.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Question {
    /// Stable id, used in links (`?q=ID`).
    pub id: String,
    /// Heading ("Quiz: …").
    #[serde(default)]
    pub title: String,
    /// The question.
    pub prompt: String,
    /// The choices, in the order shown.
    pub choices: Vec<Choice>,
    /// The explanation shown once answered.
    #[serde(default)]
    pub explanation: String,
    /// Scenarios that show the answer.
    #[serde(default)]
    pub scenarios: Vec<String>,
}

impl Question {
    /// Index of the right choice (validation makes sure there is one).
    pub fn answer(&self) -> Option<usize> {
        self.choices.iter().position(|c| c.right)
    }
}

/// A key-term card (term on the front, definition on the back).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Card {
    /// The term.
    pub term: String,
    /// Its definition.
    pub definition: String,
    /// Scenarios that show it.
    #[serde(default)]
    pub scenarios: Vec<String>,
}

/// A thought exercise with a reference design to compare with.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Exercise {
    /// Stable id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// The situation.
    pub prompt: String,
    /// What to decide.
    #[serde(default)]
    pub tasks: Vec<String>,
    /// Hints.
    #[serde(default)]
    pub hints: Vec<String>,
    /// The reference design.
    pub reference: String,
    /// Scenarios that show it.
    #[serde(default)]
    pub scenarios: Vec<String>,
}

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Exam {
    /// Scenario ids referred to before they exist (shown without a "run it" button).
    #[serde(default)]
    pub pending_scenarios: Vec<String>,
    /// Quizzes.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Key-term cards.
    #[serde(default)]
    pub cards: Vec<Card>,
    /// Thought exercises.
    #[serde(default)]
    pub exercises: Vec<Exercise>,
}

impl Exam {
    /// Reads the file; a syntax or shape error is a sentence, never a panic.
    pub fn parse(text: &str) -> Result<Exam, String> {
        serde_json::from_str(text).map_err(|e| format!("questions file: {e}"))
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
