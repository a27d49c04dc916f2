//! The exam checks file (`public/questions.json`): it parses, every question has exactly one
//! right answer, and every scenario it refers to exists or is listed as pending; the validator
//! catches what an instructor's edit could break.

use ebs_kms_playground::scenarios;
use ebs_kms_playground::views::exam::Exam;

fn file() -> Exam {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/questions.json"
    ))
    .expect("public/questions.json");
    Exam::parse(&text).expect("parses")
}

#[test]
fn the_questions_file_is_valid() {
    let exam = file();
    let problems = exam.problems(|id| scenarios::by_id(id).is_some());
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(exam.questions.len(), 2, "seed 003's two quizzes");
    assert_eq!(exam.cards.len(), 10, "seed 003's ten key-term cards");
    assert_eq!(exam.exercises.len(), 1, "seed 003's thought exercise");
    for q in &exam.questions {
        assert_eq!(q.choices.len(), 4, "{}", q.id);
        assert!(q.answer().is_some());
        assert!(!q.explanation.is_empty());
    }
}

#[test]
fn referenced_scenarios_exist_or_are_pending() {
    let exam = file();
    let (exist, pending): (Vec<&str>, Vec<&str>) = exam
        .referenced()
        .into_iter()
        .partition(|id| scenarios::by_id(id).is_some());
    println!("scenarios the checks run: {exist:?}");
    println!("scenarios still pending: {pending:?}");
    assert!(exist.len() >= 8, "{exist:?}");
    for id in &pending {
        assert!(exam.pending_scenarios.iter().any(|p| p == id), "{id}");
    }
    // A pending id that has landed should leave the pending list.
    for id in &exam.pending_scenarios {
        assert!(
            scenarios::by_id(id).is_none(),
            "{id} exists now: remove it from pending_scenarios"
        );
    }
}

#[test]
fn the_validator_catches_broken_edits() {
    let two_right = r#"{"questions":[{"id":"a","prompt":"?","choices":[{"text":"x","right":true},{"text":"y","right":true}]}]}"#;
    let p = Exam::parse(two_right).unwrap().problems(|_| true);
    assert!(p.iter().any(|s| s.contains("2 right choices")), "{p:?}");

    let none_right = r#"{"questions":[{"id":"a","prompt":"?","choices":[{"text":"x"},{"text":"x"}]},{"id":"a","prompt":"?","choices":[{"text":"z","right":true}]}]}"#;
    let p = Exam::parse(none_right).unwrap().problems(|_| true);
    assert!(p.iter().any(|s| s.contains("0 right choices")), "{p:?}");
    assert!(p.iter().any(|s| s.contains("repeats a choice")), "{p:?}");
    assert!(p.iter().any(|s| s.contains("used twice")), "{p:?}");
    assert!(p.iter().any(|s| s.contains("fewer than two")), "{p:?}");

    let missing = r#"{"cards":[{"term":"t","definition":"d","scenarios":["nope"]}]}"#;
    let p = Exam::parse(missing).unwrap().problems(|_| false);
    assert_eq!(p.len(), 1, "{p:?}");
    let pending = r#"{"pending_scenarios":["nope"],"cards":[{"term":"t","definition":"d","scenarios":["nope"]}]}"#;
    assert!(Exam::parse(pending).unwrap().problems(|_| false).is_empty());

    assert!(Exam::parse("not json").is_err());
    assert!(Exam::parse(r#"{"questions":[{"id":1}]}"#).is_err());
    assert_eq!(Exam::parse("{}").unwrap(), Exam::default());
}
