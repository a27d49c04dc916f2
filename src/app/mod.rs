//! The Leptos app (wasm32 only): the shared [`Ctx`] every component reads, the page layout,
//! the header toolbar (account/region, reset, share, import/export) and session persistence.
//!
//! Components hold no domain rules: every action is a command line run through
//! [`Session::run`], exactly as typed in the console, so the console shows the equivalent CLI
//! command, the session stays a replayable script, and the trace grows by the core's rules.
//!
//! Code map: `browser` (storage, URL, downloads, files), `embed` (docs embedding: theme,
//! height, host messages, service worker), `diagram` (live sequence diagram,
//! playback, text alternative), `details` (the selected call), `console` (the Command line),
//! `forms` (one form per operation), `resources` (resource lists, keys, sectors), `policy`
//! (policy editor), `scenarios` (guided scenarios and the outcomes table), `compare` (seed
//! 003's S3/EBS/RDS comparison), `cloudtrail` (the records of one key).

pub mod browser;
pub mod clouds;
pub mod cloudtrail;
pub mod compare;
pub mod console;
pub mod details;
pub mod diagram;
pub mod drawn;
pub mod ecs_card;
pub mod ecs_outcomes;
pub mod embed;
pub mod exam;
pub mod forms;
pub mod policy;
pub mod predict;
pub mod present;
pub mod rds_card;
pub mod resources;
pub mod s3_card;
pub mod scenarios;

use crate::cli::Script;
use crate::model::provider::Cloud;
use crate::session::{Entry, Session, DEFAULT_SEED};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Kind of a notice shown under the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something worked (link copied, file imported).
    Info,
    /// Something was refused; the session is unchanged.
    Error,
}

/// What part of the app an embedding page wants (from `?embed=`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    /// True when the page is embedded (`?embed=…` present): no header, no side panels.
    pub on: bool,
    /// Show the console under the diagram.
    pub console: bool,
    /// Show the details panel.
    pub details: bool,
    /// Start playing the trace from the first message on load.
    pub autoplay: bool,
}

impl Embed {
    /// Reads `?embed=diagram,console,details&autoplay` style options.
    pub fn from_query(query: &str) -> Embed {
        let mut e = Embed::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "embed" => {
                    e.on = true;
                    for part in v.split([',', '+', ' ']) {
                        match part {
                            "console" => e.console = true,
                            "details" => e.details = true,
                            _ => {}
                        }
                    }
                }
                "autoplay" => e.autoplay = v != "0" && v != "false",
                _ => {}
            }
        }
        e
    }
}

/// Everything components share. `Copy`: pass it around or take it with `expect_context`.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The session: simulation, shell, script and results.
    pub session: RwSignal<Session>,
    /// The selected call (its `seq`), shown in the details panel.
    pub selected: RwSignal<Option<usize>>,
    /// How many diagram messages are revealed; `None` follows the live end of the trace.
    pub playhead: RwSignal<Option<usize>>,
    /// Playback is running.
    pub playing: RwSignal<bool>,
    /// Playback speed (messages per second).
    pub speed: RwSignal<f64>,
    /// The side panel tab shown.
    pub tab: RwSignal<Tab>,
    /// The notice under the header.
    pub notice: RwSignal<Option<(NoticeKind, String)>>,
    /// Text for the polite live region (screen readers announce it).
    pub announce: RwSignal<String>,
    /// Embed options of this page.
    pub embed: StoredValue<Embed>,
    /// A line to put into the console's input (a form's "Edit in console").
    pub console_draft: RwSignal<Option<String>>,
    /// The diagram draws waiters' polling calls instead of one mark per wait.
    pub show_polling: RwSignal<bool>,
    /// The presenter view is on.
    pub present: RwSignal<bool>,
    /// The narration of the scenario step run last (shown under the presenter's diagram).
    pub step_text: RwSignal<Option<String>>,
    /// Runs the open scenario's next step (set while a scenario panel is open).
    pub next_step: RwSignal<Option<Callback<()>>>,
    /// Scenarios finished and prediction scores (kept in the browser; Reset clears it).
    pub progress: RwSignal<crate::views::progress::Progress>,
    /// The key the CloudTrail tab is filtered by (an ARN); `None`: the session's first key.
    pub trail_key: RwSignal<Option<String>>,
}

/// Side panel tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Operation forms.
    Act,
    /// Resources of the current account and region.
    Resources,
    /// Guided scenarios.
    Learn,
    /// The encryption outcomes table.
    Outcomes,
    /// Key policy and identity policy editor.
    Policies,
    /// CloudTrail records filtered by key.
    CloudTrail,
}

impl Tab {
    /// All tabs in display order.
    pub const ALL: [Tab; 6] = [
        Tab::Act,
        Tab::Resources,
        Tab::Learn,
        Tab::Outcomes,
        Tab::Policies,
        Tab::CloudTrail,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Act => "Act",
            Tab::Resources => "Resources",
            Tab::Learn => "Scenarios",
            Tab::Outcomes => "Outcomes",
            Tab::Policies => "Policies",
            Tab::CloudTrail => "CloudTrail",
        }
    }
}

impl Ctx {
    /// A context around a session.
    pub fn new(session: Session, embed: Embed) -> Ctx {
        Ctx {
            session: RwSignal::new(session),
            selected: RwSignal::new(None),
            playhead: RwSignal::new(if embed.autoplay { Some(0) } else { None }),
            playing: RwSignal::new(embed.autoplay),
            speed: RwSignal::new(4.0),
            tab: RwSignal::new(Tab::Act),
            notice: RwSignal::new(None),
            announce: RwSignal::new(String::new()),
            embed: StoredValue::new(embed),
            console_draft: RwSignal::new(None),
            show_polling: RwSignal::new(false),
            present: RwSignal::new(false),
            step_text: RwSignal::new(None),
            next_step: RwSignal::new(None),
            progress: RwSignal::new(crate::views::progress::Progress::parse(
                &browser::load_item(browser::PROGRESS_KEY).unwrap_or_default(),
            )),
            trail_key: RwSignal::new(None),
        }
    }

    /// Runs one command line (typed, or generated by a form or a scenario) and returns what
    /// it did. The only way components change the session.
    pub fn run(&self, line: &str) -> Option<Entry> {
        let mut out = None;
        self.session.update(|s| out = s.run(line).cloned());
        if let Some(e) = &out {
            let what = match &e.result.error {
                Some(err) => format!("{} failed: {}", e.result.command, err.code),
                None => format!("{} done, {} calls", e.result.command, e.calls.len()),
            };
            self.announce.set(what);
        }
        out
    }

    /// Runs several lines in order (a scenario step, an outcomes-table row).
    pub fn run_all(&self, lines: &[String]) -> Vec<Entry> {
        let mut out = Vec::new();
        self.session.update(|s| {
            for l in lines {
                if let Some(e) = s.run(l) {
                    out.push(e.clone());
                }
            }
        });
        out
    }

    /// Replaces the session with a script's replay (reset, import, share link).
    pub fn load(&self, script: &Script) {
        self.session.set(Session::replay(script));
        self.selected.set(None);
        self.playhead.set(None);
        self.playing.set(false);
    }

    /// Starts over with an empty session of the same cloud.
    pub fn reset(&self) {
        let cloud = self.session.with_untracked(|s| s.cloud());
        self.load(&Script::new_in(cloud, DEFAULT_SEED));
        self.progress.set(Default::default());
        self.notice
            .set(Some((NoticeKind::Info, "Started a new session.".into())));
    }

    /// Starts an empty session in another cloud's world (the provider switch).
    pub fn switch_cloud(&self, cloud: Cloud) {
        self.load(&Script::new_in(cloud, DEFAULT_SEED));
        self.notice.set(Some((
            NoticeKind::Info,
            format!("Started a new {} session.", cloud.provider().name),
        )));
    }

    /// Shows a notice.
    pub fn tell(&self, kind: NoticeKind, text: impl Into<String>) {
        self.notice.set(Some((kind, text.into())));
    }
}

/// Mounts the app on the page's body (the `playground` binary's `main`), replacing the static
/// first view of index.html (`#boot`, made by scripts/first-view.mjs) in the same task, so the
/// browser never paints the page without either.
pub fn mount() {
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let embed = Embed::from_query(&browser::query());
    let embed_opts = embed::options();
    embed::apply_theme(embed_opts.theme);
    let (session, startup_notice) =
        embed::initial_session(&embed_opts, embed.on).unwrap_or_else(browser::initial_session);
    let ctx = Ctx::new(session, embed.clone());
    if let Some(n) = startup_notice {
        ctx.notice.set(Some(n));
    }
    if browser::linked_question().is_some() || browser::linked_scenario().is_some() {
        ctx.tab.set(Tab::Learn);
    }
    provide_context(ctx);
    browser::persist(ctx);
    browser::bench_hooks(ctx);
    if embed.on {
        embed::connect(ctx, &embed_opts);
    }
    embed::register_service_worker();

    let side = !embed.on;
    let show_console = !embed.on || embed.console;
    let show_details = !embed.on || embed.details;
    view! {
        <div class="app" class:embedded=embed.on class:presenting=move || ctx.present.get()>
            <a class="skip-link" href="#diagram">"Skip to the diagram"</a>
            {side.then(|| view! { <Header/> })}
            <NoticeBar/>
            <main
                class="workspace"
                class:with-side=side
                class:with-details=show_details
                class:wide-side=move || side && matches!(ctx.tab.get(), Tab::Outcomes | Tab::Policies | Tab::CloudTrail)
            >
                {side.then(|| view! { <SidePanel/> })}
                {(embed.on && embed_opts.question.is_some()).then(|| view! { <exam::ExamChecks/> })}
                <section class="center" aria-label="Diagram and console">
                    <diagram::DiagramPanel/>
                    {show_console.then(|| view! { <console::Console/> })}
                </section>
                {show_details.then(|| view! { <details::DetailsPanel/> })}
            </main>
            <div class="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
                {move || ctx.announce.get()}
            </div>
        </div>
    }
}

/// Title, who-am-I switches and the session toolbar.
#[component]
fn Header() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let profile = move || ctx.session.with(|s| s.shell().current_profile_name());
    let region = move || ctx.session.with(|s| s.caller().region);
    let regions = move || ctx.session.with(|s| s.sim().provider().regions.to_vec());
    let profiles = move || {
        ctx.session.with(|s| {
            s.shell()
                .profiles()
                .iter()
                .map(|p| (p.name.clone(), p.account.clone()))
                .collect::<Vec<_>>()
        })
    };
    let import_ref = NodeRef::<leptos::html::Input>::new();
    view! {
        <header class="top">
            <h1>
                <svg class="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                    <rect x="4" y="10" width="16" height="11" rx="2" fill="currentColor"></rect>
                    <path
                        d="M8 10V7a4 4 0 0 1 8 0v3"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="2.2"
                    ></path>
                    <circle cx="12" cy="15.5" r="1.8" fill="var(--panel)"></circle>
                </svg>
                "EBS & KMS encryption playground"
            </h1>
            <div class="seg cloud-switch" role="radiogroup" aria-label="Cloud provider">
                {Cloud::ALL
                    .into_iter()
                    .map(|c| {
                        let on = move || ctx.session.with(|s| s.cloud()) == c;
                        view! {
                            <button
                                role="radio"
                                data-testid=format!("cloud-{}", c.as_str())
                                aria-checked=move || on().to_string()
                                class:on=on
                                title=format!("Work in {}", c.provider().name)
                                on:click=move |_| {
                                    if !on()
                                        && browser::confirm(
                                            &format!(
                                                "Start a {} session? The current session will be replaced (copy its share link first to keep it).",
                                                c.provider().name,
                                            ),
                                        )
                                    {
                                        ctx.switch_cloud(c);
                                    }
                                }
                            >
                                {c.provider().name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="who" role="group" aria-label="Act as">
                <div class="seg" role="radiogroup" aria-label="Profile (account)">
                    <For
                        each=profiles
                        key=|p| p.clone()
                        children=move |(name, account)| {
                            let n = name.clone();
                            let n2 = name.clone();
                            view! {
                                <button
                                    role="radio"
                                    aria-checked=move || (profile() == n).to_string()
                                    class:on=move || profile() == n2
                                    title=format!("Act as profile {name} (account {account})")
                                    on:click=move |_| {
                                        let var = ctx.session.with_untracked(|s| s.shell().profile_var());
                                        ctx.run(&format!("export {var}={name}"));
                                    }
                                >
                                    {name.clone()}
                                    <small>{account.clone()}</small>
                                </button>
                            }
                        }
                    />
                </div>
                <div class="seg" role="radiogroup" aria-label="Region">
                    <For
                        each=regions
                        key=|r| r.to_string()
                        children=move |r| {
                            let r2 = r;
                            view! {
                                <button
                                    role="radio"
                                    aria-checked=move || (region() == r).to_string()
                                    class:on=move || region() == r2
                                    on:click=move |_| {
                                        let var = ctx.session.with_untracked(|s| s.shell().region_var());
                                        ctx.run(&format!("export {var}={r}"));
                                    }
                                >
                                    {r}
                                </button>
                            }
                        }
                    />
                </div>
            </div>
            <nav class="toolbar" aria-label="Session">
                <button data-testid="share" on:click=move |_| browser::copy_share_link(ctx)>
                    "Copy share link"
                </button>
                <button data-testid="export-script" on:click=move |_| browser::export_script(ctx)>
                    "Export script"
                </button>
                <label class="button" data-testid="import-label">
                    "Import script"
                    <input
                        type="file"
                        accept=".sh,.txt,text/plain"
                        data-testid="import"
                        node_ref=import_ref
                        on:change=move |_| browser::import_file(ctx, import_ref)
                    />
                </label>
                <details class="menu">
                    <summary>"Export diagram"</summary>
                    <div class="menu-items">
                        <button data-testid="export-svg" on:click=move |_| browser::export_svg(ctx)>
                            "SVG"
                        </button>
                        <button
                            data-testid="export-mermaid"
                            on:click=move |_| browser::export_mermaid(ctx)
                        >
                            "Mermaid"
                        </button>
                        <button data-testid="export-json" on:click=move |_| browser::export_json(ctx)>
                            "Trace JSON"
                        </button>
                    </div>
                </details>
                <button
                    class="danger"
                    data-testid="reset"
                    on:click=move |_| {
                        if browser::confirm("Start over? The current session will be replaced.") {
                            ctx.reset();
                        }
                    }
                >
                    "Reset"
                </button>
            </nav>
        </header>
    }
}

/// The notice line (info or error), dismissible.
#[component]
fn NoticeBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let embedded = ctx.embed.get_value().on;
    move || {
        // An embedding page shows only what went wrong, not the playground's chatter.
        ctx.notice
            .get()
            .filter(|(kind, _)| !embedded || *kind == NoticeKind::Error)
            .map(|(kind, text)| {
                let error = kind == NoticeKind::Error;
                view! {
                    <div
                        class="notice"
                        class:error=error
                        role=if error { "alert" } else { "status" }
                        data-testid="notice"
                    >
                        <span>{text}</span>
                        <button aria-label="Dismiss" on:click=move |_| ctx.notice.set(None)>
                            "×"
                        </button>
                    </div>
                }
            })
    }
}

/// The tabbed side panel.
#[component]
fn SidePanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The tab body is drawn again only when the cloud changes, not on every command.
    let cloud = Memo::new(move |_| ctx.session.with(|s| s.cloud()));
    view! {
        <aside class="side" aria-label="Tools">
            <div
                class="tabs"
                role="tablist"
                aria-label="Tools"
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    // The WAI-ARIA tabs pattern: arrows move between tabs, Home/End jump.
                    let i = Tab::ALL.iter().position(|t| *t == ctx.tab.get_untracked()).unwrap_or(0);
                    let n = Tab::ALL.len();
                    let next = match ev.key().as_str() {
                        "ArrowRight" => (i + 1) % n,
                        "ArrowLeft" => (i + n - 1) % n,
                        "Home" => 0,
                        "End" => n - 1,
                        _ => return,
                    };
                    ev.prevent_default();
                    let t = Tab::ALL[next];
                    ctx.tab.set(t);
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id(&format!("tab-{}", t.label().to_ascii_lowercase())))
                    {
                        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                    }
                }
            >
                {Tab::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                role="tab"
                                id=format!("tab-{}", t.label().to_ascii_lowercase())
                                tabindex=move || if ctx.tab.get() == t { "0" } else { "-1" }
                                aria-controls="tab-panel"
                                aria-selected=move || (ctx.tab.get() == t).to_string()
                                class:on=move || ctx.tab.get() == t
                                on:click=move |_| ctx.tab.set(t)
                            >
                                {t.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div
                class="tab-body"
                role="tabpanel"
                id="tab-panel"
                tabindex="0"
                aria-labelledby=move || format!("tab-{}", ctx.tab.get().label().to_ascii_lowercase())
            >
                {move || {
                    let alibaba = cloud.get() == Cloud::Alibaba;
                    match ctx.tab.get() {
                        Tab::Act => view! { <forms::ActionForms/> }.into_any(),
                        Tab::Resources if alibaba => view! { <ecs_card::EcsResources/> }.into_any(),
                        Tab::Resources => view! { <resources::ResourcesPanel/> }.into_any(),
                        Tab::Learn => view! { <scenarios::ScenariosPanel/> }.into_any(),
                        Tab::Outcomes if alibaba => {
                            view! {
                                <clouds::CloudsCompare/>
                                <ecs_outcomes::EcsOutcomes/>
                            }
                                .into_any()
                        }
                        Tab::Outcomes => {
                            view! {
                                <compare::CompareTable/>
                                <clouds::CloudsCompare/>
                                <scenarios::OutcomesTable/>
                            }
                                .into_any()
                        }
                        Tab::Policies if alibaba => view! { <ecs_card::RamPanel/> }.into_any(),
                        Tab::Policies => view! { <policy::PolicyEditor/> }.into_any(),
                        Tab::CloudTrail => view! { <cloudtrail::CloudTrailPanel/> }.into_any(),
                    }
                }}
            </div>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::Embed;

    #[test]
    fn embed_options_parse() {
        let e = Embed::from_query("?embed=diagram,console&autoplay");
        assert!(e.on && e.console && !e.details && e.autoplay);
        assert_eq!(Embed::from_query(""), Embed::default());
    }
}
