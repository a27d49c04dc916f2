//! The exam checks of the Scenarios tab: the chapter's quizzes (answer, then every choice is
//! explained), its key-term cards (click to flip) and its thought exercise (write, then compare
//! with the reference design). Each explanation offers to run the scenario that shows it.
//! The questions are data, `public/questions.json`, fetched the first time the checks open.

use super::{browser, Ctx, NoticeKind};
use crate::scenarios;
use crate::session::Session;
use crate::views::exam::{Exam, Question};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Fetches and parses the questions file.
async fn fetch_exam() -> Result<Exam, String> {
    let w = web_sys::window().ok_or("no window")?;
    let fail = |_| "the questions file could not be loaded".to_string();
    let resp: web_sys::Response = JsFuture::from(w.fetch_with_str("public/questions.json"))
        .await
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("the questions file answered {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    Exam::parse(&text)
}

/// Buttons that run each scenario that exists (on a fresh session); pending ids are skipped.
fn run_buttons(ctx: Ctx, ids: Vec<String>) -> impl IntoView {
    ids.into_iter()
        .filter_map(|id| scenarios::by_id(&id))
        .map(|sc| {
            let lines: Vec<String> = sc.steps.iter().map(|s| s.command.clone()).collect();
            let title = sc.title;
            view! {
                <button
                    class="exam-run"
                    data-run-scenario=sc.id
                    on:click=move |_| {
                        let fresh = ctx.session.with_untracked(|s| s.entries().is_empty());
                        if !fresh
                            && !browser::confirm(
                                "Running the scenario replaces the current session. Go on?",
                            )
                        {
                            return;
                        }
                        ctx.session.set(Session::default());
                        ctx.selected.set(None);
                        ctx.playhead.set(None);
                        ctx.run_all(&lines);
                        ctx.tell(NoticeKind::Info, format!("Ran “{title}”: its calls are in the diagram."));
                    }
                >
                    {format!("Run it: {title}")}
                </button>
            }
        })
        .collect_view()
}

/// One quiz question.
fn question_view(ctx: Ctx, q: Question, linked: bool) -> impl IntoView {
    let chosen = RwSignal::new(None::<usize>);
    let answer = q.answer();
    let choices = q
        .choices
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let (text, why, right) = (c.text.clone(), c.why.clone(), c.right);
            let letter = char::from(b'A' + (k % 26) as u8);
            view! {
                <li>
                    <button
                        data-option=k.to_string()
                        class:right=move || chosen.get().is_some() && right
                        class:wrong=move || chosen.get() == Some(k) && !right
                        aria-pressed=move || (chosen.get() == Some(k)).to_string()
                        on:click=move |_| chosen.set(Some(k))
                    >
                        {format!("{letter}) {text}")}
                    </button>
                    {move || chosen.get().is_some().then(|| view! { <p class="hint">{why.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let (explanation, scenarios) = (q.explanation.clone(), q.scenarios.clone());
    view! {
        <article class="exam-q" data-question=q.id.clone() class:linked=linked>
            <h4>{q.title.clone()}</h4>
            <p>{q.prompt.clone()}</p>
            <ul class="exam-choices">{choices}</ul>
            {move || {
                chosen
                    .get()
                    .map(|k| {
                        let right = Some(k) == answer;
                        view! {
                            <div class="exam-verdict" data-testid="exam-verdict" class:ok=right class:bad=!right>
                                <p>
                                    <strong>{if right { "✓ Right. " } else { "✕ Not this one. " }}</strong>
                                    {explanation.clone()}
                                </p>
                                <p>{run_buttons(ctx, scenarios.clone())}</p>
                            </div>
                        }
                    })
            }}
        </article>
    }
}

/// The exam checks, loaded when first opened (or right away when a link names a question).
#[component]
pub fn ExamChecks() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // An embed's `view=question:ID` shows that question alone.
    let only = ctx
        .embed
        .get_value()
        .on
        .then(|| super::embed::options().question)
        .flatten();
    let linked = browser::linked_question().or_else(|| only.clone());
    let alone = only.is_some();
    let exam = RwSignal::new(None::<Result<Exam, String>>);
    let load = move || {
        if exam.get_untracked().is_none() {
            exam.set(Some(Err("Loading…".into())));
            leptos::task::spawn_local(async move { exam.set(Some(fetch_exam().await)) });
        }
    };
    if linked.is_some() {
        load();
    }
    let open = linked.is_some();
    // A linked question scrolls into view once the file is in.
    let target = linked.clone();
    Effect::new(move |_| {
        if !matches!(exam.get(), Some(Ok(_))) {
            return;
        }
        let Some(id) = target.clone() else { return };
        request_animation_frame(move || {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                d.query_selector(&format!("[data-question=\"{id}\"]"))
                    .ok()
                    .flatten()
            }) {
                el.scroll_into_view();
            }
        });
    });
    let body = move || {
        let linked = linked.clone();
        exam.get().map(|r| match r {
            Err(e) => view! { <p class="hint">{e}</p> }.into_any(),
            Ok(x) => {
                let questions = x
                    .questions
                    .into_iter()
                    .filter(|q| !alone || linked.as_deref() == Some(q.id.as_str()))
                    .map(|q| {
                        let l = linked.as_deref() == Some(q.id.as_str());
                        question_view(ctx, q, l)
                    })
                    .collect_view();
                // Cards and the reference design open with <details>: no state to keep.
                let cards = x
                    .cards
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li>
                                <details class="card-flip">
                                    <summary>{c.term}</summary>
                                    <p>{c.definition}</p>
                                    {run_buttons(ctx, c.scenarios)}
                                </details>
                            </li>
                        }
                    })
                    .collect_view();
                let exercises = x
                    .exercises
                    .into_iter()
                    .map(|e| {
                        let tasks = e
                            .tasks
                            .into_iter()
                            .map(|t| view! { <li>{t}</li> })
                            .collect_view();
                        view! {
                            <article class="exam-ex" data-exercise=e.id>
                                <h4>{e.title}</h4>
                                <p>{e.prompt}</p>
                                <ol>{tasks}</ol>
                                <p class="hint">{format!("Hint: {}", e.hints.join(" "))}</p>
                                <textarea aria-label="Your design" rows="4"></textarea>
                                <details>
                                    <summary>"Compare with the reference design"</summary>
                                    <p class="exam-verdict">{e.reference}</p>
                                    {run_buttons(ctx, e.scenarios)}
                                </details>
                            </article>
                        }
                    })
                    .collect_view();
                if alone {
                    return questions.into_any();
                }
                view! {
                    {questions}
                    <h4>"Key terms (click a card to flip it)"</h4>
                    <ul class="exam-cards">{cards}</ul>
                    {exercises}
                }
                .into_any()
            }
        })
    };
    view! {
        <details
            class="exam"
            data-testid="exam"
            open=open
            on:toggle=move |_| load()
        >
            <summary>"Exam checks: chapter 8 quizzes, key terms, thought exercise"</summary>
            {body}
        </details>
    }
}
