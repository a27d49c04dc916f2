//! The Scenarios tab (the library of guided scenarios, each narrated step by step, where the
//! learner clicks "Next" or types the step in the console) and the Outcomes tab (seed 000's
//! encryption outcomes table, each cell runnable, the row the last CreateVolume matched
//! highlighted). Scenario content and row matching live in [`crate::scenarios`] and
//! [`crate::outcomes`]; this file only presents them and runs their command lines.

use super::predict::{question_view, reveal_view, Reveal};
use super::{Ctx, NoticeKind};
use crate::diagram::is_wait;
use crate::outcomes;
use crate::scenarios::{self, Scenario};
use crate::session::Session;
use crate::views::predict::{explanation, predict, preview, Prediction};
use crate::views::progress::Progress;
use leptos::prelude::*;

/// The seed of the choices of step `i` of scenario `id` (the same question every time).
fn question_seed(id: &str, i: usize) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }) ^ i as u64
}

/// What happened when a step ran.
#[derive(Clone, Debug, PartialEq)]
struct StepOutcome {
    /// The error code, if the step failed.
    error: Option<String>,
    /// Whether the step did what the scenario says (outcome and calls in order).
    as_expected: bool,
    /// What differs, when it did not.
    problem: Option<String>,
    /// How many calls the step caused.
    calls: usize,
    /// The first of those calls, to select in the diagram.
    first_call: Option<usize>,
}

/// The guided scenarios library and the open scenario.
#[component]
pub fn ScenariosPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = RwSignal::new(None::<&'static str>);
    let step = RwSignal::new(0usize);
    let outcomes = RwSignal::new(Vec::<StepOutcome>::new());
    let all = StoredValue::new(scenarios::all());
    let predicting = RwSignal::new(false);
    let reveal = RwSignal::new(None::<Reveal>);
    let progress = ctx.progress;
    // The question about the step to come: its calls previewed in a scratch session.
    let question = Memo::new(move |_| {
        if !predicting.get() {
            return None;
        }
        let sc = open.get().and_then(scenarios::by_id)?;
        let i = step.get();
        let st = sc.steps.get(i)?;
        if is_wait(&st.command) {
            return None;
        }
        let calls = ctx.session.with(|s| preview(s, &st.command));
        let p = predict(&calls, question_seed(sc.id, i))?;
        let why = explanation(&calls, &p, &st.narration);
        Some((i, p, why))
    });

    let start = move |id: &'static str| {
        let fresh = ctx.session.with_untracked(|s| s.entries().is_empty());
        if !fresh
            && !super::browser::confirm(
                "Scenarios start from a fresh session. Replace the current session? (Export it first to keep it.)",
            )
        {
            return;
        }
        let cloud = scenarios::by_id(id)
            .map(|sc| sc.cloud())
            .unwrap_or_default();
        ctx.session
            .set(Session::new_in(cloud, crate::session::DEFAULT_SEED));
        ctx.selected.set(None);
        ctx.playhead.set(None);
        open.set(Some(id));
        step.set(0);
        outcomes.set(Vec::new());
        reveal.set(None);
        progress.update(|p| p.restart(id));
    };

    // Records what the step's line did, checked against the scenario's expectations.
    let record = move |sc: &Scenario, i: usize, entries_before: usize| {
        let Some(st) = sc.steps.get(i) else { return };
        let out = ctx.session.with_untracked(|s| {
            let entry = s.entries().get(entries_before..).and_then(|e| e.last());
            let verdict = st.check(entry, s.calls());
            let range = entry.map(|e| e.calls.clone()).unwrap_or(0..0);
            StepOutcome {
                error: entry.and_then(|e| e.result.error.as_ref().map(|e| e.code.clone())),
                as_expected: verdict.is_ok(),
                problem: verdict.err(),
                calls: range.len(),
                first_call: (!range.is_empty()).then_some(range.start),
            }
        });
        if let Some(seq) = out.first_call {
            ctx.selected.set(Some(seq));
        }
        outcomes.update(|o| {
            o.truncate(i);
            o.push(out);
        });
        ctx.step_text.set(Some(st.narration.clone()));
        step.set(i + 1);
        if i + 1 == sc.steps.len() {
            progress.update(|p| p.finish(sc.id));
        }
    };
    let next = move || {
        let Some(sc) = open.get_untracked().and_then(scenarios::by_id) else {
            return;
        };
        let i = step.get_untracked();
        let Some(st) = sc.steps.get(i) else { return };
        let before = ctx.session.with_untracked(|s| s.entries().len());
        ctx.run(&st.command);
        ctx.announce.set(format!(
            "Step {} of {}: {}",
            i + 1,
            sc.steps.len(),
            st.narration
        ));
        record(&sc, i, before);
    };
    // A prediction answered: score it, run the step, reveal the call that proves the answer.
    if let Some(sc) = super::browser::linked_scenario().and_then(|id| scenarios::by_id(&id)) {
        if ctx.session.with_untracked(|s| s.entries().is_empty()) {
            open.set(Some(sc.id));
        }
    }
    let pick = move |k: usize| {
        let Some((i, p, why)) = question.get_untracked() else {
            return;
        };
        let Some(id) = open.get_untracked() else {
            return;
        };
        let Prediction {
            choices,
            answer,
            proof,
            ..
        } = p;
        let right = k == answer;
        progress.update(|p| p.answered(id, right));
        next();
        let seq = outcomes
            .with_untracked(|o| o.get(i).and_then(|o| o.first_call))
            .map(|s| s + proof);
        let proof = seq.and_then(|seq| {
            ctx.session
                .with_untracked(|s| s.calls().get(seq).map(|c| (seq, c.summary())))
        });
        if let Some((seq, _)) = proof {
            ctx.selected.set(Some(seq));
        }
        reveal.set(Some(Reveal {
            step: i,
            chosen: choices.get(k).cloned().unwrap_or_default(),
            answer: choices.get(answer).cloned().unwrap_or_default(),
            proof,
            why,
        }));
    };
    let pending = move || question.with(|q| q.as_ref().is_some_and(|(i, _, _)| *i == step.get()));
    // Presenter view: Space / → runs the next step when the diagram shows everything.
    ctx.next_step.set(Some(Callback::new(move |_| {
        if !pending() {
            next();
        }
    })));
    on_cleanup(move || ctx.next_step.set(None));
    // "Do it yourself": the step's command goes to the console; when the learner runs it
    // there, the step counts as done.
    let watched = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let len = ctx.session.with(|s| s.entries().len());
        let Some(before) = watched.get_untracked() else {
            return;
        };
        if len <= before {
            return;
        }
        let Some(sc) = open.get_untracked().and_then(scenarios::by_id) else {
            return;
        };
        let i = step.get_untracked();
        let Some(st) = sc.steps.get(i) else { return };
        let typed = ctx
            .session
            .with_untracked(|s| s.entries().last().map(|e| e.result.line.clone()));
        if typed.is_some_and(|t| scenarios::same_command(&st.command, &t)) {
            watched.set(None);
            record(&sc, i, before);
        }
    });
    let yourself = move || {
        let Some(sc) = open.get_untracked().and_then(scenarios::by_id) else {
            return;
        };
        if let Some(st) = sc.steps.get(step.get_untracked()) {
            watched.set(Some(ctx.session.with_untracked(|s| s.entries().len())));
            ctx.console_draft.set(Some(st.command.clone()));
            ctx.tell(
                NoticeKind::Info,
                "The step's command is in the console: edit it if you like, then press Enter.",
            );
        }
    };

    let library = move || {
        // The scenarios of the world's cloud (the provider switch changes the list).
        let cloud = ctx.session.with(|s| s.cloud());
        let list: Vec<Scenario> = all
            .get_value()
            .into_iter()
            .filter(|s| s.cloud() == cloud)
            .collect();
        let mut cats: Vec<&'static str> = Vec::new();
        for s in &list {
            if !cats.contains(&s.category) {
                cats.push(s.category);
            }
        }
        cats.into_iter()
            .map(|cat| {
                let items = list
                    .iter()
                    .filter(|s| s.category == cat)
                    .map(|s| {
                        let id = s.id;
                        let badge = move || progress.with(|p| p.badge(id));
                        view! {
                            <li>
                                <button data-scenario=id on:click=move |_| start(id)>
                                    <strong>{s.title}</strong>
                                    <small>
                                        {format!("{} · {} steps", s.summary, s.steps.len())}
                                    </small>
                                    {move || badge().map(|b| view! { <span class="progress-badge" data-testid="progress-badge">{b}</span> })}
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <h3 class="category">{cat}</h3>
                    <ul class="scenario-list">{items}</ul>
                }
            })
            .collect_view()
    };

    let scenario_view = move |sc: Scenario| {
        let total = sc.steps.len();
        let steps = sc
            .steps
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let narration = st.narration.clone();
                let command = st.command.clone();
                let expect_error = st.expect_error;
                let trail = st.trail;
                view! {
                    <li
                        class:current=move || step.get() == i
                        class:done=move || { step.get() > i }
                        aria-current=move || (step.get() == i).then_some("step")
                    >
                        <p>{narration}</p>
                        <code>{command}</code>
                        {move || {
                            question
                                .get()
                                .filter(|(q, _, _)| *q == i && step.get() == i)
                                .map(|(_, p, _)| question_view(p, pick))
                        }}
                        {move || reveal.get().filter(|r| r.step == i).map(|r| reveal_view(ctx, r))}
                        {move || {
                            (!trail.is_empty() && step.get() > i)
                                .then(|| view! { <super::cloudtrail::StepTrail keys=trail/> })
                        }}
                        {expect_error
                            .map(|c| {
                                view! {
                                    <p class="hint">{format!("This step is meant to fail with {c}.")}</p>
                                }
                            })}
                        {move || {
                            outcomes
                                .with(|o| o.get(i).cloned())
                                .map(|o| {
                                    let seq = o.first_call;
                                    view! {
                                        <div class="step-result" class:ok=o.as_expected class:bad=!o.as_expected>
                                            {match (&o.error, o.as_expected) {
                                                (None, true) => "✓ Done".to_string(),
                                                (Some(c), true) => format!("✓ Failed as documented: {c}"),
                                                (_, false) => {
                                                    format!("✕ Not as the scenario says: {}", o.problem.clone().unwrap_or_default())
                                                }
                                            }}
                                            {format!(" — {} call(s)", o.calls)}
                                            {seq
                                                .map(|seq| {
                                                    view! {
                                                        " "
                                                        <button on:click=move |_| ctx.selected.set(Some(seq))>
                                                            "Show in diagram"
                                                        </button>
                                                    }
                                                })}
                                        </div>
                                    }
                                })
                        }}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="scenario" data-testid="scenario">
                <button on:click=move |_| open.set(None)>"← All scenarios"</button>
                <h2>{sc.title}</h2>
                <p class="hint">{sc.summary}</p>
                <p aria-live="polite" data-testid="scenario-progress">
                    {move || {
                        let s = step.get();
                        if s >= total {
                            "Scenario complete.".to_string()
                        } else {
                            format!("Step {} of {total}", s + 1)
                        }
                    }}
                </p>
                <label class="predict-mode">
                    <input
                        type="checkbox"
                        data-testid="predict-mode"
                        prop:checked=move || predicting.get()
                        on:change=move |ev| predicting.set(event_target_checked(&ev))
                    />
                    "Predict each call before it runs"
                </label>
                <div class="actions">
                    <button
                        class="primary"
                        data-testid="scenario-next"
                        disabled=move || { step.get() >= total || pending() }
                        on:click=move |_| next()
                    >
                        "Next"
                    </button>
                    <button disabled=move || { step.get() >= total } on:click=move |_| yourself()>
                        "Do it yourself"
                    </button>
                    <button
                        disabled=move || { step.get() >= total }
                        on:click=move |_| {
                            while step.get_untracked() < total {
                                next();
                            }
                        }
                    >
                        "Run to the end"
                    </button>
                </div>
                <ol class="steps">{steps}</ol>
            </div>
        }
    };

    view! {
        <div class="scenarios" data-testid="scenarios">
            {move || match open.get().and_then(scenarios::by_id) {
                Some(sc) => scenario_view(sc).into_any(),
                None => {
                    view! {
                        <div>
                            <h2>"Guided scenarios"</h2>
                            <p class="hint">
                                "Each scenario starts from a fresh session and is narrated step by step: press Next, or do the step yourself in the console."
                            </p>
                            {library}
                            <super::exam::ExamChecks/>
                            <button
                                data-testid="progress-reset"
                                on:click=move |_| progress.set(Progress::default())
                            >
                                "Reset progress"
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// Seed 000's encryption outcomes table, runnable cell by cell.
#[component]
pub fn OutcomesTable() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let matched = Memo::new(move |_| ctx.session.with(outcomes::matched_row));
    let yes_no = |b: bool| if b { "Yes" } else { "No" };
    let run = move |index: usize, custom: bool| {
        let lines = outcomes::row_commands(index, custom);
        ctx.run_all(&lines);
        let m = ctx.session.with_untracked(outcomes::matched_row);
        ctx.announce.set(match m {
            Some((r, c)) => format!(
                "The last CreateVolume matched row {r}{}.",
                if c { ", KmsKeyId given" } else { "" }
            ),
            None => "No CreateVolume matched a row.".into(),
        });
    };
    view! {
        <div class="outcomes-panel" data-testid="outcomes">
            <h2>"Encryption outcomes"</h2>
            <p class="hint">
                "What CreateVolume produces, from seed 000's table. Run a cell to set up its situation and create the volume; the row the last CreateVolume matched is highlighted."
            </p>
            <p aria-live="polite" data-testid="matched-row">
                {move || match matched.get() {
                    Some((r, c)) => format!(
                        "Last CreateVolume: row {r} ({} column).",
                        if c { "KmsKeyId" } else { "no KmsKeyId" },
                    ),
                    None => "No CreateVolume yet.".to_string(),
                }}
            </p>
            <table class="outcomes">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Encrypted set?"</th>
                        <th scope="col">"Encryption by default?"</th>
                        <th scope="col">"Source of volume"</th>
                        <th scope="col">"Default (no KmsKeyId)"</th>
                        <th scope="col">"Custom (KmsKeyId)"</th>
                    </tr>
                </thead>
                <tbody>
                    {outcomes::rows()
                        .into_iter()
                        .map(|r| {
                            let i = r.index;
                            let is_row = move || matched.get().map(|m| m.0) == Some(i);
                            let is_cell = move |c: bool| matched.get() == Some((i, c));
                            view! {
                                <tr class:matched=is_row data-row=i>
                                    <th scope="row">{i}</th>
                                    <td>{yes_no(r.encrypted_param)}</td>
                                    <td>{yes_no(r.by_default)}</td>
                                    <td>{r.source}</td>
                                    <td class:cell-matched=move || is_cell(false)>
                                        {r.default_result}
                                        " "
                                        <button
                                            aria-label=format!("Run row {i} without KmsKeyId")
                                            on:click=move |_| run(i, false)
                                        >
                                            "Run"
                                        </button>
                                    </td>
                                    <td class:cell-matched=move || is_cell(true)>
                                        {r.custom_result}
                                        " "
                                        <button
                                            aria-label=format!("Run row {i} with KmsKeyId")
                                            on:click=move |_| run(i, true)
                                        >
                                            "Run"
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
