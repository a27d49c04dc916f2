//! Forms for every operation of the console: a searchable, grouped list of operations, and for
//! the chosen one a form with one field per parameter under its AWS member name (`KmsKeyId`,
//! `Encrypted`, …), the equivalent CLI command as a live preview, inline validation by the
//! console's own parser, and Run / Edit in console.
//!
//! The components only draw: the field specs, starting values, suggestions and the command
//! line come from [`crate::views::forms`], and Run goes through [`Ctx::run`] like a typed line,
//! so the console shows it and the script replays it.

use super::Ctx;
use crate::cli::schema::Command;
use crate::views::forms::{
    build_line, commands_of, env_of, find_in, form_of, group_of, matches_query, mentions, quick_of,
    suggestions, Input, Outcome, Spec, Suggest, GROUPS,
};
use leptos::html;
use leptos::prelude::*;

/// The chosen operation, with the values a quick action preset.
#[derive(Clone, Debug, PartialEq)]
struct Choice {
    cmd: &'static Command,
    preset: Vec<(&'static str, String)>,
    /// Bumped on every choice, so choosing the same operation again starts a fresh form.
    generation: u32,
}

/// Quick actions, the operation list and the chosen operation's form.
#[component]
pub fn ActionForms() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let query = RwSignal::new(String::new());
    let choice = RwSignal::new(None::<Choice>);
    let generation = StoredValue::new(0u32);
    let choose = move |cmd: &'static Command, preset: Vec<(&'static str, String)>| {
        generation.update_value(|g| *g += 1);
        choice.set(Some(Choice {
            cmd,
            preset,
            generation: generation.get_value(),
        }));
    };
    let first_match = move || {
        let q = query.get_untracked().to_ascii_lowercase();
        let cloud = ctx.session.with_untracked(|s| s.cloud());
        commands_of(cloud).find(|c| matches_query(c, &q))
    };
    let chosen_op = move || choice.with(|c| c.as_ref().map(|c| c.cmd.operation));

    view! {
        <section class="forms" aria-label="Operations" data-testid="action-forms">
            <div class="quick" role="group" aria-label="Quick actions">
                {move || {
                    let cloud = ctx.session.with(|s| s.cloud());
                    quick_of(cloud)
                        .iter()
                        .map(|&(label, testid, service, operation, preset)| {
                            view! {
                                <button
                                    data-testid=testid
                                    on:click=move |_| {
                                        if let Some(cmd) = find_in(cloud, service, operation) {
                                            let p = preset
                                                .iter()
                                                .map(|(k, v)| (*k, v.to_string()))
                                                .collect();
                                            choose(cmd, p);
                                        }
                                    }
                                >
                                    {label}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <div class="op-search">
                <input
                    type="search"
                    aria-label="Search operations"
                    placeholder="Search operations: volume, grant, snapshot…"
                    data-testid="op-search"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            if let Some(c) = first_match() {
                                choose(c, Vec::new());
                            }
                        }
                    }
                />
            </div>
            <nav class="op-list" aria-label="All operations">
                {move || {
                    let q = query.get().to_ascii_lowercase();
                    let cloud = ctx.session.with(|s| s.cloud());
                    let mut any = false;
                    let groups = GROUPS
                        .iter()
                        .filter_map(|&(g, name)| {
                            let cmds: Vec<&'static Command> = commands_of(cloud)
                                .filter(|c| group_of(c) == g && matches_query(c, &q))
                                .collect();
                            if cmds.is_empty() {
                                return None;
                            }
                            any = true;
                            Some(
                                view! {
                                    <div class="op-group">
                                        <h3>{name}</h3>
                                        <ul>
                                            {cmds
                                                .into_iter()
                                                .map(|c| {
                                                    let op = c.operation;
                                                    view! {
                                                        <li>
                                                            <button
                                                                class="op"
                                                                class:on=move || chosen_op() == Some(op)
                                                                aria-pressed=move || {
                                                                    (chosen_op() == Some(op)).to_string()
                                                                }
                                                                title=c.help
                                                                data-testid=format!("op-{op}")
                                                                on:click=move |_| choose(c, Vec::new())
                                                            >
                                                                {op}
                                                            </button>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </div>
                                }
                                    .into_any(),
                            )
                        })
                        .collect::<Vec<_>>();
                    if any {
                        groups.into_any()
                    } else {
                        view! {
                            <p class="muted">
                                "No operation matches. Try volume, snapshot, key, grant, image, instance or play."
                            </p>
                        }
                            .into_any()
                    }
                }}
            </nav>
            {move || {
                choice
                    .get()
                    .map(|c| view! { <OpForm cmd=c.cmd preset=c.preset/> })
            }}
        </section>
    }
}

/// The form of one operation.
#[component]
fn OpForm(cmd: &'static Command, preset: Vec<(&'static str, String)>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (specs, initial) = ctx.session.with_untracked(|s| form_of(cmd, s, &preset));
    let values: Vec<RwSignal<String>> = initial.into_iter().map(RwSignal::new).collect();
    let specs = StoredValue::new(specs);
    let values = StoredValue::new(values);
    let touched = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let heading = NodeRef::<html::H3>::new();
    let result_ref = NodeRef::<html::Div>::new();

    let line = Memo::new(move |_| {
        let vals: Vec<String> = values.with_value(|vs| vs.iter().map(|v| v.get()).collect());
        specs.with_value(|sp| build_line(cmd, sp, &vals))
    });
    // What the console's parser says of the line (no execution).
    let verdict = Memo::new(move |_| {
        let l = line.get();
        ctx.session
            .with(|s| s.shell().parse_command(&l))
            .map(|_| ())
            .map_err(|e| e.message)
    });
    let field_error = move |i: usize| -> Option<String> {
        let msg = verdict.get().err()?;
        specs.with_value(|sp| sp.get(i).is_some_and(|s| mentions(&msg, s)).then_some(msg))
    };
    let form_error = move || -> Option<String> {
        let msg = verdict.get().err()?;
        let on_a_field = specs.with_value(|sp| sp.iter().any(|s| mentions(&msg, s)));
        (!on_a_field).then_some(msg)
    };
    let who = move || {
        ctx.session.with(|s| {
            let env = env_of(s);
            format!(
                "Runs as profile {} (account {}) in {}.",
                s.shell().current_profile_name(),
                env.account,
                env.region
            )
        })
    };

    let run = move || {
        touched.set(true);
        let l = line.get_untracked();
        let out = ctx.run(&l);
        outcome.set(out.map(|e| Outcome::of(&e, cmd.operation)));
    };

    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    // Bring a new result into view (the form can be taller than the panel).
    Effect::new(move |_| {
        if outcome.with(Option::is_none) {
            return;
        }
        request_animation_frame(move || {
            if let Some(el) = result_ref.get_untracked() {
                el.scroll_into_view_with_bool(false);
            }
        });
    });

    let fields = specs
        .get_value()
        .into_iter()
        .enumerate()
        .map(|(i, spec)| {
            let value = values.with_value(|v| v.get(i).copied());
            let value = value.unwrap_or_else(|| RwSignal::new(String::new()));
            view! { <FormField spec value error=Signal::derive(move || field_error(i)) touched/> }
        })
        .collect_view();

    view! {
        <form
            class="op-form"
            novalidate=true
            data-testid="op-form"
            aria-labelledby="op-form-title"
            on:submit=move |ev| {
                ev.prevent_default();
                run();
            }
        >
            <h3 id="op-form-title" tabindex="-1" node_ref=heading>
                {cmd.operation}
                <small class="op-service">{format!(" {}", cmd.service.as_str().to_ascii_uppercase())}</small>
            </h3>
            <p class="op-help">{cmd.help}</p>
            <p class="op-who muted">{who}</p>
            {(cmd.params.is_empty() && cmd.extras.is_empty() && !cmd.takes_dry_run())
                .then(|| view! { <p class="muted">"This operation takes no parameters."</p> })}
            <div class="fields">{fields}</div>
            <div class="preview">
                <span class="preview-label" id="op-preview-label">
                    {if cmd.service.cloud() == crate::model::provider::Cloud::Alibaba {
                        "Equivalent aliyun CLI command"
                    } else {
                        "Equivalent AWS CLI command"
                    }}
                </span>
                <pre aria-labelledby="op-preview-label" data-testid="form-preview">
                    <code>{move || super::console::command_words(&line.get())}</code>
                </pre>
            </div>
            <div
                class="validation"
                class:ok=move || verdict.get().is_ok()
                class:touched=move || touched.get()
                data-testid="form-validation"
                role="status"
            >
                {move || match verdict.get() {
                    Ok(()) => "✓ The CLI accepts this command.".to_string(),
                    Err(_) => match form_error() {
                        Some(m) => m,
                        None => "The CLI would reject this: see the marked field.".to_string(),
                    },
                }}
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="form-run">
                    "Run"
                </button>
                <button
                    type="button"
                    data-testid="form-edit"
                    title="Put the command into the console to edit it there"
                    on:click=move |_| ctx.console_draft.set(Some(line.get_untracked()))
                >
                    "Edit in console"
                </button>
            </div>
            <div class="result-slot" node_ref=result_ref>
            {move || {
                outcome
                    .get()
                    .map(|o| {
                        view! {
                            <div
                                class="run-result"
                                class:failed=!o.ok
                                data-testid="form-result"
                                role="status"
                            >
                                <strong>{o.title}</strong>
                                {(!o.text.is_empty()).then(|| view! { <pre>{o.text}</pre> })}
                            </div>
                        }
                    })
            }}
            </div>
        </form>
    }
}

/// One field: label (AWS member name), input, help, and the parser's message when it is about
/// this field.
#[component]
fn FormField(
    spec: Spec,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let safe: String = spec
        .label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = format!("field-{safe}");
    let help_id = format!("{id}-help");
    let err_id = format!("{id}-error");
    let list_id = format!("{id}-list");
    let testid = format!("field-{}", spec.label.trim_start_matches('-'));
    let described = format!("{help_id} {err_id}");
    let on_input = move |ev: leptos::ev::Event| {
        value.set(event_target_value(&ev));
        touched.set(true);
    };
    let suggest = spec.suggest;
    let datalist = (suggest != Suggest::None).then(|| {
        let options = Memo::new(move |_| {
            ctx.session.with(|s| {
                let env = env_of(s);
                suggestions(s, suggest, &env)
            })
        });
        view! {
            <datalist id=list_id.clone()>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, d)| view! { <option value=v>{d}</option> })
                        .collect_view()
                }}
            </datalist>
        }
    });
    let list_attr = (suggest != Suggest::None).then(|| list_id.clone());
    let required = spec.required;
    let label_view = {
        let label = spec.label;
        let option = spec.option.clone();
        let show_option = spec.ty.is_some();
        view! {
            <span class="member">{label}</span>
            {required.then(|| view! { <span class="req" title="required">" *"</span> })}
            {required.then(|| view! { <span class="sr-only">" (required)"</span> })}
            {show_option.then(|| view! { <code class="opt">{option}</code> })}
        }
    };
    let input = match spec.input {
        Input::Check => view! {
            <label class="check" for=id.clone()>
                <input
                    type="checkbox"
                    id=id.clone()
                    data-testid=testid.clone()
                    aria-describedby=described.clone()
                    prop:checked=move || value.get() == "true"
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        value.set(if on { "true".into() } else { String::new() });
                        touched.set(true);
                    }
                />
                {label_view}
            </label>
        }
        .into_any(),
        Input::Select => {
            let options = spec.choices.clone();
            view! {
                <label for=id.clone()>{label_view}</label>
                <select
                    id=id.clone()
                    data-testid=testid.clone()
                    aria-describedby=described.clone()
                    aria-required=required.to_string()
                    prop:value=move || value.get()
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        touched.set(true);
                    }
                >
                    {(!required).then(|| view! { <option value="">"(not set)"</option> })}
                    {options
                        .into_iter()
                        .map(|c| {
                            let c2 = c.clone();
                            view! {
                                <option value=c selected=move || value.get() == c2>
                                    {c.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Checks => {
            let options = spec.choices.clone();
            view! {
                <fieldset class="checks" data-testid=testid.clone() aria-describedby=described.clone()>
                    <legend>{label_view}</legend>
                    {options
                        .into_iter()
                        .map(|c| {
                            let c_on = c.clone();
                            let c_set = c.clone();
                            let has = move |v: &str, c: &str| v.split_whitespace().any(|w| w == c);
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || value.with(|v| has(v, &c_on))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            value.update(|v| {
                                                let mut words: Vec<String> = v
                                                    .split_whitespace()
                                                    .filter(|w| *w != c_set)
                                                    .map(str::to_string)
                                                    .collect();
                                                if on {
                                                    words.push(c_set.clone());
                                                }
                                                *v = words.join(" ");
                                            });
                                            touched.set(true);
                                        }
                                    />
                                    {c.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }
            .into_any()
        }
        Input::Area => view! {
            <label for=id.clone()>{label_view}</label>
            <textarea
                id=id.clone()
                data-testid=testid.clone()
                aria-describedby=described.clone()
                aria-required=required.to_string()
                rows="3"
                spellcheck="false"
                placeholder="JSON, or shorthand such as Key=Value,Other=Value"
                prop:value=move || value.get()
                on:input=on_input
            ></textarea>
        }
        .into_any(),
        Input::Number | Input::Text | Input::List => {
            let kind = if spec.input == Input::Number {
                "number"
            } else {
                "text"
            };
            let placeholder = match spec.input {
                Input::List => "one or more, separated by spaces",
                _ => "",
            };
            view! {
                <label for=id.clone()>{label_view}</label>
                <input
                    type=kind
                    id=id.clone()
                    data-testid=testid.clone()
                    aria-describedby=described.clone()
                    aria-required=required.to_string()
                    list=list_attr
                    placeholder=placeholder
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || value.get()
                    on:input=on_input
                />
            }
            .into_any()
        }
    };
    view! {
        <div
            class="field"
            class:invalid=move || error.get().is_some()
            class:touched=move || touched.get()
            class:check-field=spec.input == Input::Check
        >
            {input}
            {datalist}
            <small class="field-help" id=help_id>{spec.help}</small>
            <small class="field-error" id=err_id data-testid=format!("{testid}-error")>
                {move || error.get()}
            </small>
        </div>
    }
}
