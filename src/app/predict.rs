//! The "predict the next call" card of a scenario step: the question (from
//! [`crate::views::predict`]) before the step runs, and once answered, the verdict with the call
//! that proves it and the documentation sentence it comes from.

use super::Ctx;
use crate::views::predict::Prediction;
use leptos::prelude::*;

/// An answered prediction, shown under the step it was about.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    /// The step's index.
    pub step: usize,
    /// The learner's choice.
    pub chosen: String,
    /// The right choice.
    pub answer: String,
    /// The proving call: its seq and summary.
    pub proof: Option<(usize, String)>,
    /// The documentation sentence (or the step's narration).
    pub why: String,
}

/// The question, with one button per choice; `pick` gets the chosen index.
pub fn question_view(p: Prediction, pick: impl Fn(usize) + Copy + 'static) -> impl IntoView {
    let buttons = p
        .choices
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            view! {
                <li>
                    <button data-choice=k.to_string() on:click=move |_| pick(k)>{c}</button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="predict" data-testid="predict" role="group" aria-label="Predict the next call">
            <p class="predict-q"><strong>"Predict: "</strong>{p.prompt}</p>
            <ul class="predict-choices">{buttons}</ul>
        </div>
    }
}

/// The verdict of an answered prediction.
pub fn reveal_view(ctx: Ctx, r: Reveal) -> impl IntoView {
    let right = r.chosen == r.answer;
    view! {
        <div class="predict-reveal" class:ok=right class:bad=!right data-testid="predict-reveal">
            <p>
                <strong>{if right { "✓ Right: " } else { "✕ Not quite. The answer: " }}</strong>
                {r.answer.clone()}
            </p>
            {(!right).then(|| view! { <p class="hint">{format!("You chose: {}", r.chosen)}</p> })}
            {r
                .proof
                .map(|(seq, summary)| {
                    view! {
                        <p>
                            "Proof: "
                            <button on:click=move |_| ctx.selected.set(Some(seq))>{summary}</button>
                        </p>
                    }
                })}
            <p class="predict-why">{r.why}</p>
        </div>
    }
}
