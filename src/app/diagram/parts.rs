//! Pieces of the diagram panel: one row's view, the data-key badge, the text alternative
//! ("Sequence of calls"), the live layout options and the SVG markers.

use super::*;

/// One message row: a full-width hit area, the arrow (or self-call loop) and its label.
pub(super) fn row_view(
    ctx: Ctx,
    r: Row,
    current: Memo<Option<usize>>,
    stepping: Memo<bool>,
) -> impl IntoView {
    let (i, seq) = (r.index, r.seq);
    let mut class = format!("msg {}", r.kind.class());
    if r.approximate {
        class.push_str(" approx");
    }
    let style = r.fresh.map(|k| {
        class.push_str(" fresh");
        format!("animation-delay:{}ms", k.min(MAX_STAGGER) * STAGGER_MS)
    });
    let arrow = match &r.loop_path {
        Some(d) => view! { <path class="dg-arrow" d=d.clone() marker-end=marker(r.kind)></path> }
            .into_any(),
        None => view! {
            <line
                class="dg-arrow"
                x1=num(r.x1)
                y1=num(r.y)
                x2=num(r.x2)
                y2=num(r.y)
                marker-end=marker(r.kind)
            ></line>
        }
        .into_any(),
    };
    view! {
        <g
            class=class
            class:current=move || current.get() == Some(i)
            class:dim=move || stepping.get() && current.get() != Some(i)
            class:selected=move || ctx.selected.get() == Some(seq)
            style=style
            data-seq=seq.to_string()
            data-index=i.to_string()
            role="button"
            tabindex=move || if current.get() == Some(i) { "0" } else { "-1" }
            aria-label=r.speech
            aria-pressed=move || (ctx.selected.get() == Some(seq)).to_string()
        >
            <title>{r.tip}</title>
            <rect class="dg-hit" x="0" y=num(r.top) width="100%" height=num(r.height)></rect>
            {arrow}
            <text class="dg-label" x=num(r.lx) y=num(r.ly) text-anchor=r.anchor>
                {r.label}
            </text>
        </g>
    }
}

/// Where the data key is after the current message: its call's key location, or the last one
/// an earlier call reported.
pub(super) fn key_badge(ctx: Ctx, lay: Memo<Layout>, current: Option<usize>) -> impl IntoView {
    let drawn = expect_context::<Drawn>();
    let found = current.and_then(|i| {
        let seq = lay.with(|l| l.messages.get(i).map(|m| m.call))?;
        drawn.with(ctx, |calls| {
            calls[..=seq.min(calls.len().checked_sub(1)?)]
                .iter()
                .rev()
                .find_map(|c| {
                    c.key_location
                        .map(|k| (k, c.seq, c.seq == seq, c.summary()))
                })
        })
    });
    match found {
        None => view! {
            <div class="dg-keys" data-testid="key-location">
                <span class="dg-keys-title">"Data key"</span>
                <span class="key-badge none">"No data key involved yet"</span>
            </div>
        }
        .into_any(),
        Some((k, seq, here, summary)) => {
            let (sym, short, long) = key_location_text(k);
            let class = format!("key-badge {}", key_location_class(k));
            let source = if here {
                "after this call".to_string()
            } else {
                format!("since call {} ({summary})", seq + 1)
            };
            view! {
                <div class="dg-keys" data-testid="key-location">
                    <span class="dg-keys-title">"Data key"</span>
                    <span class=class title=long>
                        <span class="key-sym" aria-hidden="true">{sym}</span>
                        {short}
                    </span>
                    <span class="dg-keys-long">{long}</span>
                    <span class="dg-keys-source">{source}</span>
                </div>
            }
            .into_any()
        }
    }
}

/// The diagram as an ordered list of "From → To: Operation" lines, one per call.
#[component]
pub(super) fn TextAlternative() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let drawn = expect_context::<Drawn>();
    let lines = Memo::new(move |_| drawn.with(ctx, text_alternative));
    view! {
        <div class="dg-sr">
            <ol aria-label="Sequence of calls" data-testid="sequence-text">
                <For
                    each=move || lines.get().into_iter().enumerate()
                    key=|(i, line)| (*i, line.clone())
                    children=|(_, line)| view! { <li>{line}</li> }
                />
            </ol>
        </div>
    }
}

/// Layout options of the live diagram: narrower minimum columns than the exported SVG, so the
/// usual five lifelines fit beside the side panels on a laptop (labels still widen columns).
pub(super) fn live_options() -> LayoutOptions {
    LayoutOptions {
        column_width: 118.0,
        ..LayoutOptions::default()
    }
}

/// An arrowhead (or the failure cross) used by the message lines: `d` is drawn in a 10×10 box,
/// `ref_x` is where it meets the line, `size` its size in user units.
pub(super) fn marker_def(
    id: &'static str,
    kind: &'static str,
    d: &'static str,
    ref_x: u8,
    size: u8,
) -> impl IntoView {
    view! {
        <marker
            id=id
            class=format!("dg-marker {kind}")
            viewBox="0 0 10 10"
            refX=ref_x.to_string()
            refY="5"
            markerWidth=size.to_string()
            markerHeight=size.to_string()
            orient="auto"
            markerUnits="userSpaceOnUse"
        >
            <path d=d></path>
        </marker>
    }
}
