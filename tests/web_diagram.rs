//! Browser tests (wasm-bindgen-test in Chromium) of the diagram and details panels: messages and
//! labels drawn from the layout, selection filling the details, "Why was this denied?", the
//! text alternative, playback controls and keyboard, live animation, and virtualization.
#![cfg(target_arch = "wasm32")]

use ebs_kms_playground::app::details::DetailsPanel;
use ebs_kms_playground::app::diagram::DiagramPanel;
use ebs_kms_playground::diagram::{layout, text_alternative, LayoutOptions, MessageKind};
use ebs_kms_playground::session::Session;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

const CREATE_VOLUME: &str =
    "aws ec2 create-volume --size 8 --availability-zone us-east-1a --encrypted";

/// Adds the panel's real stylesheet once, so the scroll container has its real height.
fn install_css() {
    let doc = document();
    if doc.get_element_by_id("web-diagram-css").is_some() {
        return;
    }
    let style = doc.create_element("style").expect("style is a valid tag");
    style.set_id("web-diagram-css");
    style.set_text_content(Some(include_str!("../style/diagram.css")));
    doc.head()
        .expect("the test page has a head")
        .append_child(&style)
        .expect("a style element can be appended");
}

/// The diagram and details panels, 900 px wide, around a session.
fn mount(id: &str, session: Session) -> Mounted {
    install_css();
    let m = web_support::mount(id, session, || {
        view! {
            <DiagramPanel/>
            <DetailsPanel/>
        }
    });
    m.host
        .set_attribute("style", "width: 900px")
        .expect("style can be set");
    m
}

fn session(lines: &[&str]) -> Session {
    let mut s = Session::new(1);
    for l in lines {
        s.run(l);
    }
    s
}

fn button(root: &web_sys::HtmlElement, label: &str) -> web_sys::HtmlElement {
    find(root, &format!("button[aria-label=\"{label}\"]"))
        .dyn_into()
        .expect("a button is an HtmlElement")
}

#[wasm_bindgen_test]
async fn draws_one_row_per_message_with_its_label_and_kind() {
    let s = session(&["aws kms create-key --description demo", CREATE_VOLUME]);
    let want = layout(s.calls(), &LayoutOptions::default());
    let m = mount("diagram-rows", s);
    settle().await;

    let diagram = find(&m.host, "[data-testid=diagram]");
    assert_eq!(diagram.id(), "diagram");
    assert!(diagram.query_selector("svg").unwrap().is_some());
    let rows = find_all(&m.host, "[data-testid=diagram] g.msg[data-seq]");
    assert_eq!(rows.len(), want.messages.len());
    for (row, msg) in rows.iter().zip(&want.messages) {
        assert_eq!(row.get_attribute("data-seq"), Some(msg.seq.to_string()));
        assert!(row.class_list().contains(msg.kind.class()), "{msg:?}");
        let label = row.query_selector(".dg-label").unwrap().expect("a label");
        assert_eq!(text(&label), msg.display_label());
    }
    // Lifelines: one participant box per lifeline in the sticky header strip.
    let heads = find_all(&m.host, ".dg-head .dg-participant text");
    let names: Vec<String> = heads.iter().map(text).collect();
    let want_names: Vec<&str> = want.lifelines.iter().map(|l| l.label).collect();
    assert_eq!(names, want_names);
    // Live mode: the last message is the current one and nothing is dimmed.
    assert!(rows.last().unwrap().class_list().contains("current"));
    assert!(find_all(&m.host, "g.msg.dim").is_empty());
    assert_eq!(
        text(&find(&m.host, "[data-testid=diagram-position]")),
        format!("{0} / {0}", want.messages.len())
    );
    // The approximated EBS step is marked.
    assert!(rows
        .iter()
        .any(|r| r.class_list().contains("approx") && text(r).contains('≈')));
}

#[wasm_bindgen_test]
async fn clicking_a_message_fills_the_details() {
    let s = session(&["aws kms create-key --description demo", CREATE_VOLUME]);
    let m = mount("diagram-select", s);
    settle().await;

    let details = find(&m.host, "[data-testid=details]");
    assert_eq!(details.tag_name().to_lowercase(), "aside");
    assert_eq!(
        details.get_attribute("aria-label").as_deref(),
        Some("Call details")
    );
    assert!(text(&details).contains("Select a message in the diagram to see its details."));

    let seq = m.ctx.session.with_untracked(|s| {
        s.calls()
            .iter()
            .position(|c| c.operation == "GenerateDataKeyWithoutPlaintext")
            .expect("an encrypted volume asks KMS for a data key")
    });
    let row = find(
        &m.host,
        &format!("g.msg.request[data-seq=\"{seq}\"] .dg-label"),
    );
    click(&row);
    settle().await;
    assert_eq!(m.ctx.selected.get_untracked(), Some(seq));
    let summary = text(&find(&m.host, "[data-testid=details-summary]"));
    assert!(summary.contains("EC2 → KMS"), "{summary}");
    assert!(
        summary.contains("GenerateDataKeyWithoutPlaintext"),
        "{summary}"
    );
    assert!(text(&find(&m.host, "[data-testid=details-request]")).contains('{'));
    assert!(text(&find(&m.host, "[data-testid=details-response]")).contains("iphertextBlob"));
    let trail = text(&find(&m.host, "[data-testid=details-cloudtrail]"));
    assert!(
        trail.contains("\"eventSource\": \"kms.amazonaws.com\""),
        "{trail}"
    );
    assert!(text(&find(&m.host, "[data-testid=details-command]")).contains("aws ec2 create-volume"));
    assert!(text(&details).contains("Encryption context"));
    assert!(text(&details).contains("Key location"));
    assert!(m
        .host
        .query_selector("[data-testid=details-auth]")
        .unwrap()
        .is_some());
    assert!(
        find_all(&m.host, "g.msg.selected").len() >= 2,
        "request and response are marked"
    );

    // Enter on another message selects it.
    let first = find(&m.host, "g.msg[data-seq=\"0\"]");
    key(&first, "Enter");
    settle().await;
    assert_eq!(m.ctx.selected.get_untracked(), Some(0));
    assert!(text(&find(&m.host, "[data-testid=details-summary]")).contains("CreateKey"));
}

#[wasm_bindgen_test]
async fn a_denied_call_explains_why() {
    let s = session(&[
        "KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)",
        "aws kms describe-key --profile partner --key-id $KEY  # expect-error AccessDeniedException",
    ]);
    let (seq, steps) = s
        .calls()
        .iter()
        .find(|c| c.operation == "DescribeKey")
        .map(|c| (c.seq, c.auth.as_ref().map_or(0, |a| a.steps.len())))
        .expect("the partner's DescribeKey is in the trace");
    assert!(steps > 0, "the evaluator explains its decision");
    let m = mount("diagram-denied", s);
    settle().await;

    let failure = find(&m.host, &format!("g.msg.failure[data-seq=\"{seq}\"]"));
    assert!(text(&failure).contains("✕ AccessDeniedException"));
    click(&failure);
    settle().await;
    let why = find(&m.host, "[data-testid=details-auth] details");
    assert!(why.has_attribute("open"), "open by default when denied");
    assert!(text(&why).contains("Why was this denied?"));
    assert_eq!(
        find_all(&m.host, "[data-testid=details-auth-steps] li").len(),
        steps
    );
    assert!(text(&why).contains("is not authorized"));
    // AccessDeniedException's message, next to the evaluation.
    let error = text(&find(
        &m.host,
        "[data-testid=details-auth] [data-testid=details-error]",
    ));
    assert!(error.contains("AccessDeniedException"), "{error}");
    assert!(
        error.contains("is not authorized to perform: kms:DescribeKey"),
        "{error}"
    );
    assert_eq!(find_all(&m.host, "[data-testid=details-error]").len(), 1);
}

#[wasm_bindgen_test]
async fn text_alternative_lists_every_call_in_order() {
    let s = session(&["aws kms create-key --description demo", CREATE_VOLUME]);
    let want = text_alternative(s.calls());
    let m = mount("diagram-text", s);
    settle().await;
    let items: Vec<String> = find_all(&m.host, "ol[aria-label=\"Sequence of calls\"] li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(items, want);
    assert!(items[0].starts_with("User → KMS: CreateKey"));
}

#[wasm_bindgen_test]
async fn playback_controls_and_keyboard_step_through_the_trace() {
    let s = session(&[CREATE_VOLUME]);
    let total = layout(s.calls(), &LayoutOptions::default()).messages.len();
    assert!(total >= 4);
    let m = mount("diagram-playback", s);
    settle().await;
    let count = |m: &Mounted| find_all(&m.host, "g.msg[data-seq]").len();
    assert_eq!(count(&m), total);

    button(&m.host, "Step back").click();
    settle().await;
    assert_eq!(m.ctx.playhead.get_untracked(), Some(total - 1));
    assert_eq!(count(&m), total - 1);
    assert_eq!(find_all(&m.host, "g.msg.current").len(), 1);
    assert_eq!(find_all(&m.host, "g.msg.dim").len(), total - 2);
    assert!(m
        .ctx
        .announce
        .get_untracked()
        .starts_with(&format!("Message {} of {total}", total - 1)));

    // The scrubber reveals any prefix.
    let scrubber: web_sys::HtmlInputElement =
        find(&m.host, "input[type=range][aria-label=Scrubber]")
            .dyn_into()
            .expect("an input");
    assert_eq!(scrubber.max(), total.to_string());
    scrubber.set_value("2");
    fire(&scrubber, "Event", "input", &[]);
    settle().await;
    assert_eq!(count(&m), 2);
    assert_eq!(scrubber.value(), "2");

    // Arrow keys step when the diagram has focus; Enter opens the current message.
    let scroll = find(&m.host, "[data-testid=diagram-scroll]");
    key(&scroll, "ArrowDown");
    settle().await;
    assert_eq!(count(&m), 3);
    key(&scroll, "ArrowUp");
    key(&scroll, "ArrowUp");
    settle().await;
    assert_eq!(count(&m), 1);
    key(&scroll, "Enter");
    settle().await;
    assert_eq!(m.ctx.selected.get_untracked(), Some(0));

    button(&m.host, "Step forward").click();
    settle().await;
    assert_eq!(count(&m), 2);

    // Play reveals messages at the chosen speed, then follows the live end.
    let speed: web_sys::HtmlSelectElement = find(&m.host, "select[aria-label=Speed]")
        .dyn_into()
        .expect("a select");
    speed.set_value("32");
    fire(&speed, "Event", "change", &[]);
    assert_eq!(m.ctx.speed.get_untracked(), 32.0);
    button(&m.host, "Play").click();
    settle().await;
    assert!(m.ctx.playing.get_untracked());
    assert!(m
        .host
        .query_selector("button[aria-label=Pause]")
        .unwrap()
        .is_some());
    for _ in 0..40 {
        if !m.ctx.playing.get_untracked() {
            break;
        }
        sleep(50).await;
    }
    settle().await;
    assert!(
        !m.ctx.playing.get_untracked(),
        "playback ends at the end of the trace"
    );
    assert_eq!(m.ctx.playhead.get_untracked(), None);
    assert_eq!(count(&m), total);
    assert!(m
        .host
        .query_selector("button[aria-label=Play]")
        .unwrap()
        .is_some());

    // Pause stops a running playback.
    button(&m.host, "Play").click();
    settle().await;
    button(&m.host, "Pause").click();
    settle().await;
    assert!(!m.ctx.playing.get_untracked());
    let at = m.ctx.playhead.get_untracked();
    sleep(150).await;
    assert_eq!(m.ctx.playhead.get_untracked(), at);
}

#[wasm_bindgen_test]
async fn new_calls_animate_in_and_the_view_follows_them() {
    let lines: Vec<String> = (0..30)
        .map(|_| "aws ec2 describe-volumes".to_string())
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let m = mount("diagram-live", session(&refs));
    settle().await;
    assert!(
        find_all(&m.host, "g.msg.fresh").is_empty(),
        "the first paint does not animate"
    );

    m.ctx.run(CREATE_VOLUME);
    settle().await;
    settle().await;
    let total = m
        .ctx
        .session
        .with_untracked(|s| layout(s.calls(), &LayoutOptions::default()).messages.len());
    let last = find(&m.host, &format!("g.msg[data-index=\"{}\"]", total - 1));
    assert!(last.class_list().contains("fresh"));
    assert!(last.class_list().contains("current"));
    let scroll = find(&m.host, "[data-testid=diagram-scroll]");
    let bottom = scroll.scroll_height() - scroll.client_height();
    assert!(bottom > 0, "60 rows overflow the viewport");
    assert!(
        (scroll.scroll_top() - bottom).abs() <= 2,
        "scrolled to the newest message"
    );
}

#[wasm_bindgen_test]
async fn a_long_trace_renders_only_the_rows_in_view() {
    let lines: Vec<String> = (0..5_000)
        .map(|_| "aws ec2 describe-volumes".to_string())
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let s = session(&refs);
    let total = layout(s.calls(), &LayoutOptions::default()).messages.len();
    assert!(total >= 10_000);
    let m = mount("diagram-long", s);
    settle().await;

    let nodes = find_all(&m.host, "[data-testid=diagram] *").len();
    let rows = find_all(&m.host, "g.msg[data-seq]");
    assert!(nodes < 1_000, "{nodes} DOM nodes for {total} messages");
    assert!(!rows.is_empty() && rows.len() < 200, "{} rows", rows.len());
    // Live: the newest message is drawn.
    assert!(m
        .host
        .query_selector(&format!("g.msg[data-index=\"{}\"]", total - 1))
        .unwrap()
        .is_some());
    // The drawing is as tall as the whole trace; scrolling brings other rows in.
    let svg = find(&m.host, "svg.dg-svg");
    let height: f64 = svg.get_attribute("height").unwrap().parse().unwrap();
    assert!(height > 28.0 * total as f64);
    let scroll = find(&m.host, "[data-testid=diagram-scroll]");
    scroll.set_scroll_top(28 * 5_000);
    fire(&scroll, "Event", "scroll", &[]);
    settle().await;
    assert!(m
        .host
        .query_selector("g.msg[data-index=\"5000\"]")
        .unwrap()
        .is_some());
    assert!(find_all(&m.host, "[data-testid=diagram] *").len() < 1_000);
    // The kinds drawn are still right.
    assert!(
        find_all(&m.host, "g.msg.response").len() + find_all(&m.host, "g.msg.request").len() > 10
    );
    let _ = MessageKind::Request;
}
