//! The live sequence-diagram panel: playback controls, the data-key location badge, the
//! virtualized SVG drawing of [`crate::diagram::layout`] (only the rows in the viewport are in
//! the DOM, participant headers in a sticky strip) and the "Sequence of calls" text alternative.
//!
//! Draws only what the layout computes; the playhead (`ctx.playhead`) decides how many messages
//! are revealed, `ctx.selected` which call the details panel shows.

mod parts;
mod rows;
pub use parts::*;
pub use rows::*;

use super::drawn::Drawn;
use super::Ctx;
use crate::diagram::{
    layout, num, text_alternative, visible_range, Layout, LayoutOptions, Message, MessageKind,
    TextAnchor,
};
use crate::model::trace::{Call, KeyLocation};
use crate::views::commands;
use leptos::prelude::*;
use std::ops::Range;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 12;
/// Speeds offered (messages per second).
/// The speeds offered, in messages per second. Shown and read back with `num` (the same
/// text as `{}` for these), which keeps float formatting and parsing out of the wasm.
const SPEEDS: [f64; 7] = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];
/// Reveals larger than this appear at once (a loaded session), without animation.
const MAX_ANIMATED: usize = 40;
/// Delay between the entrance animations of messages revealed together.
const STAGGER_MS: usize = 70;
/// Later messages of one reveal share the last delay.
const MAX_STAGGER: usize = 12;
/// Room above row 0 taken by the sticky participant strip (below the boxes).
const HEAD_GAP: f64 = 4.0;

/// The playback actions shared by the buttons, the scrubber, the keyboard and the timer.
#[derive(Clone, Copy)]
struct Player {
    ctx: Ctx,
    lay: Memo<Layout>,
    total: Memo<usize>,
    drawn: Drawn,
}

impl Player {
    /// Reveals `n` messages (clamped), announcing the new current message.
    fn reveal(self, n: usize) {
        let total = self.total.get_untracked();
        let n = n.min(total);
        self.ctx.playhead.set(playhead_for(n, total));
        let text = match n.checked_sub(1) {
            None => format!("Start of the trace: 0 of {total} messages shown."),
            Some(i) => {
                let what = self.lay.with_untracked(|l| {
                    self.drawn.with_untracked(self.ctx, |calls| {
                        l.messages
                            .get(i)
                            .map(|m| speech(calls, m))
                            .unwrap_or_default()
                    })
                });
                format!("Message {n} of {total}: {what}")
            }
        };
        self.ctx.announce.set(text);
    }

    fn shown(self) -> usize {
        revealed(
            self.ctx.playhead.get_untracked(),
            self.total.get_untracked(),
        )
    }

    /// One step forward (+1) or back (-1); stops playback.
    fn step(self, delta: isize) {
        self.ctx.playing.set(false);
        let n = self.shown().saturating_add_signed(delta);
        self.reveal(n);
    }

    fn play(self) {
        let total = self.total.get_untracked();
        if total == 0 {
            return;
        }
        if self.shown() >= total {
            self.reveal(0);
        }
        self.ctx.playing.set(true);
    }

    fn toggle(self) {
        if self.ctx.playing.get_untracked() {
            self.ctx.playing.set(false);
        } else {
            self.play();
        }
    }

    /// One timer tick: reveal the next message; at the end, stop and follow the live end.
    fn tick(self) {
        let total = self.total.get_untracked();
        let n = self.shown();
        if n >= total {
            self.ctx.playing.set(false);
            self.ctx.playhead.set(None);
            return;
        }
        self.reveal(n + 1);
        if n + 1 >= total {
            self.ctx.playing.set(false);
        }
    }

    /// Opens the details of call `seq`.
    fn select(self, seq: usize) {
        self.ctx.selected.set(Some(seq));
        let what = self
            .ctx
            .session
            .with_untracked(|s| s.calls().get(seq).map(Call::summary))
            .unwrap_or_default();
        self.ctx
            .announce
            .set(format!("Details of call {}: {what}", seq + 1));
    }

    /// Opens the details of the current message's call.
    fn select_current(self) {
        let Some(i) = self.shown().checked_sub(1) else {
            return;
        };
        if let Some(seq) = self
            .lay
            .with_untracked(|l| l.messages.get(i).map(|m| m.seq))
        {
            self.select(seq);
        }
    }
}

/// A small icon for a playback button (the button carries the accessible name).
fn icon(d: &'static str) -> impl IntoView {
    view! {
        <svg class="dg-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d=d></path>
        </svg>
    }
}

const ICON_PLAY: &str = "M4 2.5 L13.5 8 L4 13.5 Z";
const ICON_PAUSE: &str = "M3.5 2.5 H6.5 V13.5 H3.5 Z M9.5 2.5 H12.5 V13.5 H9.5 Z";
const ICON_BACK: &str = "M3 2.5 H5 V13.5 H3 Z M13 2.5 L5.5 8 L13 13.5 Z";
const ICON_FORWARD: &str = "M11 2.5 H13 V13.5 H11 Z M3 2.5 L10.5 8 L3 13.5 Z";

/// The diagram panel: controls, key location, the virtualized diagram and its text alternative.
#[component]
pub fn DiagramPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let drawn = Drawn::new(ctx);
    provide_context(drawn);
    let lay = Memo::new(move |_| drawn.with(ctx, |calls| layout(calls, &live_options())));
    let total = Memo::new(move |_| lay.with(|l| l.messages.len()));
    let shown = Memo::new(move |_| revealed(ctx.playhead.get(), total.get()));
    let current = Memo::new(move |_| shown.get().checked_sub(1));
    let stepping = Memo::new(move |_| ctx.playhead.get().is_some());
    let player = Player {
        ctx,
        lay,
        total,
        drawn,
    };

    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_h = RwSignal::new(0.0f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport_h.set(f64::from(el.client_height()));
        }
    };

    // Rows in the viewport (with overscan), clipped to the revealed messages.
    let window = Memo::new(move |_| {
        let (top, h, n) = (scroll_top.get(), viewport_h.get(), shown.get());
        // Before the first measurement, assume a tall viewport rather than none.
        let h = if h > 0.0 { h } else { 1200.0 };
        lay.with(|l| {
            let r = visible_range(l, top, h, OVERSCAN);
            r.start.min(n)..r.end.min(n)
        })
    });

    // Which messages were revealed last (they animate in): (previously shown, first fresh).
    let anim = StoredValue::new((None::<usize>, 0usize));
    let fresh_from = Memo::new(move |_| {
        let n = shown.get();
        let (prev, from) = anim.get_value();
        let from = match prev {
            None => n,
            Some(p) if p == n => from,
            Some(p) if n > p && n - p <= MAX_ANIMATED => p,
            Some(_) => n,
        };
        anim.set_value((Some(n), from));
        from
    });

    let rows = Memo::new(move |_| {
        let w = window.get();
        let from = fresh_from.get();
        lay.with(|l| {
            drawn.with(ctx, |calls| {
                l.messages[w]
                    .iter()
                    .map(|m| {
                        let fresh = (m.index >= from).then(|| m.index - from);
                        Row::new(l, m, calls, fresh)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

    // Bands (one per command) meeting the drawn rows.
    let bands = Memo::new(move |_| {
        let w: Range<usize> = window.get();
        let n = shown.get();
        lay.with(|l| {
            // A band reaches no further than the last revealed row.
            let bottom = l.rows_top() + n as f64 * l.options.row_height;
            let first = l.bands.partition_point(|b| b.messages.end <= w.start);
            l.bands[first..]
                .iter()
                .enumerate()
                .take_while(|(_, b)| b.messages.start < w.end)
                .map(|(k, b)| (first + k, b.command, b.y0, b.y1.min(bottom)))
                .collect::<Vec<_>>()
        })
    });

    // Follow the newest message live; keep the current one in view while stepping.
    Effect::new(move |_| {
        let n = shown.get();
        let live = ctx.playhead.get().is_none();
        let _ = total.get();
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else {
                return;
            };
            let view_h = f64::from(el.client_height());
            let target = lay.with_untracked(|l| {
                let head = l.top_box_y + l.options.box_height + HEAD_GAP;
                if live {
                    Some(l.height - view_h)
                } else {
                    let i = n.checked_sub(1)?;
                    let y = l.row_y(i);
                    let top = f64::from(el.scroll_top());
                    let rh = l.options.row_height;
                    let visible = y - rh >= top + head && y + rh <= top + view_h;
                    (!visible).then(|| y - (view_h + head) / 2.0)
                }
            });
            if let Some(t) = target {
                el.set_scroll_top(t.max(0.0).round() as i32);
            }
            measure();
        });
    });

    // New calls while stepping or paused: go back to following the live end.
    Effect::new(move |prev: Option<usize>| {
        let t = total.get();
        if let Some(p) = prev {
            if t > p && !ctx.playing.get_untracked() && ctx.playhead.get_untracked().is_some() {
                ctx.playhead.set(None);
            }
        }
        t
    });

    // The playback timer: one message per 1/speed seconds while playing.
    let timer = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(None);
        if !ctx.playing.get() {
            return;
        }
        let speed = ctx.speed.get();
        let speed = if speed.is_finite() && speed > 0.0 {
            speed.clamp(0.1, 100.0)
        } else {
            4.0
        };
        let period = Duration::from_millis((1000.0 / speed).round() as u64);
        if let Ok(h) = set_interval_with_handle(move || player.tick(), period) {
            timer.set_value(Some(h));
        }
    });
    on_cleanup(move || {
        if let Some(Some(h)) = timer.try_get_value() {
            h.clear();
        }
    });

    // The viewport's height, whenever the panel is resized.
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>);
    Effect::new(move |_| {
        let Some(el) = scroller.get() else { return };
        measure();
        let cb = Closure::<dyn FnMut()>::new(measure);
        if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&el);
            observer.set_value(Some((obs, cb)));
        }
    });
    on_cleanup(move || {
        let _ = observer.try_update_value(|o| {
            if let Some((obs, _)) = o.take() {
                obs.disconnect();
            }
        });
    });

    // Presenter keys: past the last message, → runs the open scenario's next step and plays it.
    super::present::listen(ctx, move |d| {
        let total = total.get_untracked();
        match ctx.next_step.get_untracked() {
            Some(next) if d > 0 && player.shown() >= total => {
                next.run(());
                if player.total.get_untracked() > total {
                    ctx.playhead.set(Some(total));
                    ctx.playing.set(true);
                }
            }
            _ => player.step(d),
        }
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ctx.present.get_untracked() {
            return;
        }
        // The toolbar's own controls keep their keys (the scrubber and the select use arrows).
        let in_toolbar = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".dg-toolbar").ok().flatten())
            .is_some();
        if in_toolbar {
            return;
        }
        let on_row = row_of(ev.target());
        match ev.key().as_str() {
            "ArrowDown" | "ArrowRight" => player.step(1),
            "ArrowUp" | "ArrowLeft" => player.step(-1),
            "Home" => {
                ctx.playing.set(false);
                player.reveal(1);
            }
            "End" => {
                ctx.playing.set(false);
                player.reveal(usize::MAX);
            }
            "Enter" => match on_row {
                Some((_, _, seq)) => player.select(seq),
                None => player.select_current(),
            },
            " " => player.toggle(),
            "Escape" => ctx.selected.set(None),
            _ => return,
        }
        ev.prevent_default();
        // Keep the keyboard focus on a row when it was on one (the row may have been hidden).
        if on_row.is_some() {
            request_animation_frame(move || {
                let Some(el) = scroller.get_untracked() else {
                    return;
                };
                let cur = current.get_untracked();
                let row = cur.and_then(|i| {
                    el.query_selector(&format!("[data-index=\"{i}\"]"))
                        .ok()
                        .flatten()
                });
                match row {
                    Some(r) => {
                        let _ = r.unchecked_into::<web_sys::SvgElement>().focus();
                    }
                    None => {
                        let _ = el.focus();
                    }
                }
            });
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if let Some((_, _, seq)) = row_of(ev.target()) {
            player.select(seq);
        }
    };

    let head_h = move || lay.with(|l| l.top_box_y + l.options.box_height + HEAD_GAP);
    let width = move || lay.with(|l| num(l.width));
    let height = move || lay.with(|l| num(l.height));

    let key_badge = move || key_badge(ctx, lay, current.get());

    view! {
        <section
            class="diagram-panel"
            id="diagram"
            data-testid="diagram"
            aria-label="Sequence diagram"
            tabindex="-1"
            on:keydown=on_keydown
        >
            <div class="dg-toolbar" role="toolbar" aria-label="Playback">
                <button
                    class="dg-btn"
                    aria-label="Step back"
                    title="Step back (←)"
                    aria-disabled=move || (shown.get() == 0).to_string()
                    on:click=move |_| player.step(-1)
                >
                    {icon(ICON_BACK)}
                </button>
                <button
                    class="dg-btn dg-play"
                    aria-label=move || if ctx.playing.get() { "Pause" } else { "Play" }
                    title=move || if ctx.playing.get() { "Pause (space)" } else { "Play (space)" }
                    aria-disabled=move || (total.get() == 0).to_string()
                    on:click=move |_| player.toggle()
                >
                    {move || if ctx.playing.get() { icon(ICON_PAUSE) } else { icon(ICON_PLAY) }}
                </button>
                <button
                    class="dg-btn"
                    aria-label="Step forward"
                    title="Step forward (→)"
                    aria-disabled=move || (ctx.playhead.get().is_none()).to_string()
                    on:click=move |_| player.step(1)
                >
                    {icon(ICON_FORWARD)}
                </button>
                <input
                    class="dg-scrubber"
                    type="range"
                    min="0"
                    step="1"
                    aria-label="Scrubber"
                    max=move || total.get().to_string()
                    prop:value=move || shown.get().to_string()
                    aria-valuetext=move || format!("{} of {} messages", shown.get(), total.get())
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                            player.reveal(n);
                        }
                    }
                />
                <span class="dg-position" data-testid="diagram-position">
                    {move || format!("{} / {}", shown.get(), total.get())}
                </span>
                <label class="dg-speed">
                    <span>"Speed"</span>
                    <select
                        aria-label="Speed"
                        prop:value=move || num(ctx.speed.get())
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if let Some(v) = SPEEDS.into_iter().find(|s| num(*s) == value) {
                                ctx.speed.set(v);
                            }
                        }
                    >
                        {SPEEDS
                            .iter()
                            .map(|s| {
                                view! {
                                    <option value=num(*s)>{format!("{} msg/s", num(*s))}</option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button
                    class="dg-btn dg-live"
                    aria-label="Go live"
                    title="Show every message and follow new ones (End)"
                    aria-pressed=move || ctx.playhead.get().is_none().to_string()
                    on:click=move |_| {
                        ctx.playing.set(false);
                        player.reveal(usize::MAX);
                    }
                >
                    <span class="dg-live-dot" aria-hidden="true"></span>
                    "Live"
                </button>
                <label class="dg-polling" title="Draw the describe calls and time advances of waiters">
                    <input
                        type="checkbox"
                        data-testid="show-polling"
                        prop:checked=move || ctx.show_polling.get()
                        on:change=move |ev| ctx.show_polling.set(event_target_checked(&ev))
                    />
                    "Show polling"
                </label>
                <super::present::PresentButton/>
            </div>
            {key_badge}
            <div
                class="dg-scroll"
                class:dg-is-empty=move || total.get() == 0
                data-testid="diagram-scroll"
                tabindex="0"
                role="group"
                aria-label="Sequence diagram: arrow keys step through the messages, Enter opens the current one, space plays or pauses"
                node_ref=scroller
                style:zoom=move || {
                    ctx.present.get().then(|| super::present::zoom(lay.with(|l| l.width)))
                }
                on:scroll=move |_| measure()
                on:click=on_click
            >
                <div
                    class="dg-head"
                    aria-hidden="true"
                    style=move || format!("width:{}px;height:{}px", width(), num(head_h()))
                >
                    <svg
                        class="dg-head-svg"
                        width=width
                        height=move || num(head_h())
                        focusable="false"
                    >
                        {move || {
                            lay.with(|l| {
                                let bh = l.options.box_height;
                                let h = l.top_box_y + bh + HEAD_GAP;
                                l.lifelines
                                    .iter()
                                    .map(|ll| {
                                        view! {
                                            <line
                                                class="dg-lifeline"
                                                x1=num(ll.x)
                                                x2=num(ll.x)
                                                y1=num(l.top_box_y + bh)
                                                y2=num(h)
                                            ></line>
                                            <g class="dg-participant">
                                                <rect
                                                    x=num(ll.x - ll.box_width / 2.0)
                                                    y=num(l.top_box_y)
                                                    width=num(ll.box_width)
                                                    height=num(bh)
                                                    rx="4"
                                                ></rect>
                                                <text x=num(ll.x) y=num(l.top_box_y + bh / 2.0 + 4.0)>
                                                    {ll.label}
                                                </text>
                                            </g>
                                        }
                                    })
                                    .collect_view()
                            })
                        }}
                    </svg>
                </div>
                <svg
                    class="dg-svg"
                    width=width
                    height=height
                    style=move || format!("margin-top:-{}px", num(head_h()))
                    role="group"
                    aria-label=move || format!("{} messages", total.get())
                >
                    <defs>
                        {marker_def("dg-arrow-request", "request", "M 0 0 L 10 5 L 0 10 Z", 9, 8)}
                        {marker_def("dg-arrow-response", "response", "M 0 0 L 10 5 L 0 10", 9, 8)}
                        {marker_def("dg-arrow-event", "event", "M 0 0 L 10 5 L 0 10 Z", 9, 8)}
                        {marker_def("dg-arrow-failure", "failure", "M 1 1 L 9 9 M 9 1 L 1 9", 5, 11)}
                    </defs>
                    <g class="dg-bands">
                        <For
                            each=move || bands.get()
                            key=|b| (b.0, b.2.to_bits(), b.3.to_bits())
                            children=move |(i, command, y0, y1)| {
                                view! {
                                    <g class="dg-band" class:odd=i % 2 == 1>
                                        <rect x="0" y=num(y0) width="100%" height=num(y1 - y0)>
                                            <title>{format!("command {}", command + 1)}</title>
                                        </rect>
                                        {(i > 0)
                                            .then(|| {
                                                view! {
                                                    <line class="dg-sep" x1="0" x2="100%" y1=num(y0) y2=num(y0)></line>
                                                }
                                            })}
                                    </g>
                                }
                            }
                        />
                    </g>
                    <g class="dg-lifelines">
                        {move || {
                            lay.with(|l| {
                                l.lifelines
                                    .iter()
                                    .map(|ll| {
                                        view! {
                                            <line
                                                class="dg-lifeline"
                                                x1=num(ll.x)
                                                x2=num(ll.x)
                                                y1=num(l.top_box_y + l.options.box_height)
                                                y2=num(l.bottom_box_y)
                                            ></line>
                                            <g class="dg-participant">
                                                <rect
                                                    x=num(ll.x - ll.box_width / 2.0)
                                                    y=num(l.bottom_box_y)
                                                    width=num(ll.box_width)
                                                    height=num(l.options.box_height)
                                                    rx="4"
                                                ></rect>
                                                <text
                                                    x=num(ll.x)
                                                    y=num(l.bottom_box_y + l.options.box_height / 2.0 + 4.0)
                                                >
                                                    {ll.label}
                                                </text>
                                            </g>
                                        }
                                    })
                                    .collect_view()
                            })
                        }}
                    </g>
                    <g class="dg-messages">
                        <For
                            each=move || rows.get()
                            key=Row::key
                            children=move |r| row_view(ctx, r, current, stepping)
                        />
                    </g>
                </svg>
                {move || {
                    (total.get() == 0)
                        .then(|| {
                            view! {
                                <div class="dg-empty">
                                    <p>
                                        "No calls yet. Run a command in the console or use a form: every call EC2, EBS and KMS make appears here."
                                    </p>
                                    {(!ctx.embed.get_value().on)
                                        .then(|| {
                                            view! {
                                                <p class="dg-empty-actions">
                                                    <button
                                                        class="primary"
                                                        on:click=move |_| ctx.tab.set(super::Tab::Learn)
                                                    >
                                                        "Start a guided scenario"
                                                    </button>
                                                    <button on:click=move |_| {
                                                        let zone = ctx.session.with_untracked(|s| s.default_zone());
                                                        ctx.run(&commands::create_encrypted_volume(8, &zone));
                                                    }>"Create an encrypted volume"</button>
                                                </p>
                                            }
                                        })}
                                </div>
                            }
                        })
                }}
            </div>
        </section>
        <super::present::PresentBar/>
        <TextAlternative/>
    }
}
