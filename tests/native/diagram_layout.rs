//! Tests of the sequence diagram as pure functions: layout geometry, virtualization arithmetic,
//! SVG export (well-formed, escaped, nothing outside the viewBox), Mermaid export and the text
//! alternative. Traces are built by hand with the `C` helper below.

use ebs_kms_playground::diagram::{
    layout, message_at, result_summary, text_alternative, to_mermaid, to_svg, visible_range,
    Layout, LayoutOptions, MessageKind, SvgTheme,
};
use ebs_kms_playground::model::error::AwsError;
use ebs_kms_playground::model::trace::{Approximation, Call, Participant};
use proptest::prelude::*;
use serde_json::{json, Value};

use Participant::{AutoScaling, Ebs, Ec2, EventBridge, Host, Iam, Kms, User};

mod mermaid;

// ---------------------------------------------------------------------------------------------
// Building traces by hand.

/// A call under construction: `C::new(seq, command, from, to, op)` then modifiers.
struct C(Call);

impl C {
    fn new(seq: usize, command: usize, from: Participant, to: Participant, op: &str) -> C {
        C(Call::sketch(seq, command, from, to, op))
    }
    /// The response is drawn after calls `seq+1 .. end`.
    fn nest(mut self, end: usize) -> C {
        self.0.end = end;
        self
    }
    fn resp(mut self, v: Value) -> C {
        self.0.response = v;
        self
    }
    fn fail(mut self, code: &str) -> C {
        self.0.error = Some(AwsError::new(code, "it failed"));
        self
    }
    fn approx(mut self) -> C {
        self.0.approximation = Some(Approximation {
            note: "not settled by the public record".into(),
        });
        self
    }
    fn event(mut self) -> C {
        self.0.is_event = true;
        self
    }
}

fn trace(cs: Vec<C>) -> Vec<Call> {
    cs.into_iter().map(|c| c.0).collect()
}

/// CreateVolume from an encrypted snapshot, then a refused Decrypt, then an event.
fn sample() -> Vec<Call> {
    trace(vec![
        C::new(0, 0, User, Ec2, "CreateVolume")
            .nest(3)
            .resp(json!({"VolumeId": "vol-1", "Size": 8, "Encrypted": true})),
        C::new(1, 0, Ec2, Kms, "GenerateDataKeyWithoutPlaintext")
            .approx()
            .resp(json!({"CiphertextBlob": "AQID", "KeyId": "arn:aws:kms:k"})),
        C::new(2, 0, Ec2, Kms, "CreateGrant").resp(json!({"GrantToken": "t", "GrantId": "g-1"})),
        C::new(3, 1, User, Kms, "Decrypt").fail("InvalidCiphertextException"),
        C::new(4, 1, Ec2, EventBridge, "createVolume").event(),
    ])
}

fn default_layout(calls: &[Call]) -> Layout {
    layout(calls, &LayoutOptions::default())
}

/// The participant whose lifeline is at `x`.
fn name_at(l: &Layout, x: f64) -> &'static str {
    l.lifelines
        .iter()
        .find(|ll| ll.x == x)
        .map_or("?", |ll| ll.label)
}

/// One line per message: index, kind, direction, label, marks.
fn dump(l: &Layout) -> String {
    l.messages
        .iter()
        .map(|m| {
            format!(
                "{} c{} #{} {:?} {}→{} {}{}\n",
                m.index,
                m.command,
                m.seq,
                m.kind,
                name_at(l, m.x1),
                name_at(l, m.x2),
                m.label,
                if m.approximate { " (≈)" } else { "" }
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Layout.

#[test]
fn lifelines_only_for_participants_in_the_trace_in_fixed_order() {
    let cases: Vec<(Vec<Call>, Vec<Participant>)> = vec![
        (vec![], vec![User]),
        (sample(), vec![User, Ec2, Kms, EventBridge]),
        (
            trace(vec![
                C::new(0, 0, Iam, Kms, "GetKeyPolicy"),
                C::new(1, 0, Host, Ebs, "ReadBlock"),
                C::new(2, 0, AutoScaling, Ec2, "RunInstances"),
            ]),
            // No User lifeline when the user takes no part (a services-only export).
            vec![AutoScaling, Ec2, Ebs, Host, Kms, Iam],
        ),
    ];
    for (calls, want) in cases {
        let l = default_layout(&calls);
        let got: Vec<Participant> = l.lifelines.iter().map(|ll| ll.participant).collect();
        assert_eq!(got, want);
        let labels: Vec<&str> = l.lifelines.iter().map(|ll| ll.label).collect();
        let names: Vec<&str> = want.iter().map(|p| p.name()).collect();
        assert_eq!(labels, names);
        for pair in l.lifelines.windows(2) {
            assert!(pair[0].x < pair[1].x, "lifelines left to right");
        }
    }
}

#[test]
fn messages_pair_requests_with_responses_after_nested_calls() {
    let l = default_layout(&sample());
    assert_eq!(
        dump(&l),
        "0 c0 #0 Request User→EC2 CreateVolume
1 c0 #1 Request EC2→KMS GenerateDataKeyWithoutPlaintext (≈)
2 c0 #1 Response KMS→EC2 CiphertextBlob (≈)
3 c0 #2 Request EC2→KMS CreateGrant
4 c0 #2 Response KMS→EC2 GrantId
5 c0 #0 Response EC2→User VolumeId, …
6 c1 #3 Request User→KMS Decrypt
7 c1 #3 Failure KMS→User InvalidCiphertextException
8 c1 #4 Event EC2→EventBridge createVolume
"
    );
}

#[test]
fn rows_have_fixed_height_and_y_strictly_increases() {
    let opts = LayoutOptions::default();
    let l = layout(&sample(), &opts);
    for (i, m) in l.messages.iter().enumerate() {
        assert_eq!(m.index, i);
        assert_eq!(m.y, opts.header_height + i as f64 * opts.row_height);
        assert_eq!(l.row_y(i), m.y);
    }
    for w in l.messages.windows(2) {
        assert!(w[0].y < w[1].y);
    }
    // The header boxes end above the first row; the footer boxes start below the last.
    assert!(l.top_box_y + opts.box_height <= l.rows_top());
    assert!(l.rows_bottom() <= l.bottom_box_y);
    assert!(l.bottom_box_y + opts.box_height <= l.height);
}

#[test]
fn failures_events_and_approximations_are_marked() {
    let calls = trace(vec![
        C::new(0, 0, User, Kms, "CreateGrant")
            .approx()
            .fail("DisabledException"),
        C::new(1, 0, Kms, EventBridge, "KeyStateChange")
            .event()
            .approx(),
    ]);
    let l = default_layout(&calls);
    let got: Vec<(MessageKind, &str, bool, String)> = l
        .messages
        .iter()
        .map(|m| (m.kind, m.label.as_str(), m.approximate, m.display_label()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                MessageKind::Request,
                "CreateGrant",
                true,
                "≈ CreateGrant".into()
            ),
            (
                MessageKind::Failure,
                "DisabledException",
                true,
                "≈ ✕ DisabledException".into()
            ),
            (
                MessageKind::Event,
                "KeyStateChange",
                true,
                "≈ KeyStateChange".into()
            ),
        ]
    );
}

#[test]
fn result_summaries_name_what_comes_back() {
    let cases: Vec<(&str, Value, Option<&str>, &str)> = vec![
        (
            "CreateGrant",
            json!({"GrantToken": "t", "GrantId": "g"}),
            None,
            "GrantId",
        ),
        (
            "CreateGrant",
            json!({"grantToken": "t", "grantId": "g"}),
            None,
            "GrantId",
        ),
        (
            "Encrypt",
            json!({"CiphertextBlob": "x", "KeyId": "k"}),
            None,
            "CiphertextBlob",
        ),
        (
            "GenerateDataKeyWithoutPlaintext",
            json!({"keyId": "k", "ciphertextBlob": "<136 bytes>"}),
            None,
            "CiphertextBlob",
        ),
        (
            "Decrypt",
            json!({"KeyId": "k", "Plaintext": "<redacted>", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
            None,
            "Plaintext (data key)",
        ),
        (
            "GenerateDataKey",
            json!({"CiphertextBlob": "x", "Plaintext": "p", "KeyId": "k"}),
            None,
            "Plaintext (data key), CiphertextBlob",
        ),
        (
            "CreateVolume",
            json!({"AvailabilityZone": "a", "Size": 8, "SnapshotId": "", "VolumeId": "vol-1", "Attachments": [], "KmsKeyId": "k"}),
            None,
            "VolumeId, …",
        ),
        (
            "AttachVolume",
            json!({"Device": "/dev/sdf", "InstanceId": "i-1", "VolumeId": "vol-1"}),
            None,
            "VolumeId, …",
        ),
        (
            "DescribeVolumes",
            json!({"Volumes": [1, 2, 3]}),
            None,
            "Volumes (3)",
        ),
        (
            "RunInstances",
            json!({"Groups": [], "Instances": [{}], "OwnerId": "1", "ReservationId": "r"}),
            None,
            "Instances (1), …",
        ),
        (
            "StopInstances",
            json!({"State": "x", "InstanceId": "i"}),
            None,
            "InstanceId, …",
        ),
        (
            "CreateKey",
            json!({"KeyMetadata": {"KeyId": "k"}}),
            None,
            "KeyMetadata",
        ),
        ("DisableKey", json!({"KeyId": "k"}), None, "KeyId"),
        ("LoadDataKey", json!({"Loaded": true}), None, "Loaded"),
        ("Op", json!({"a": null}), None, "A"),
        ("Op", json!({}), None, "OK"),
        ("Op", Value::Null, None, "OK"),
        ("Op", json!(""), None, "OK"),
        ("Op", json!("done"), None, "done"),
        ("Op", json!([1, 2]), None, "2 items"),
        (
            "Op",
            Value::Null,
            Some("AccessDeniedException"),
            "AccessDeniedException",
        ),
    ];
    for (op, response, error, want) in cases {
        let mut c = C::new(0, 0, Ec2, Kms, op).resp(response.clone());
        if let Some(code) = error {
            c = c.fail(code);
        }
        assert_eq!(result_summary(&c.0), want, "{op} {response}");
    }
}

#[test]
fn inconsistent_nesting_still_gives_every_call_its_response() {
    // `end` past the trace, `end` before the call, and a child outliving its parent.
    let calls = trace(vec![
        C::new(0, 0, User, Ec2, "A").nest(99),
        C::new(1, 0, Ec2, Kms, "B").nest(0),
        C::new(2, 0, Ec2, Ebs, "C").nest(4),
        C::new(3, 0, Ebs, Kms, "D").nest(50),
        C::new(4, 0, Ec2, Host, "E"),
    ]);
    let l = default_layout(&calls);
    let order: Vec<String> = l
        .messages
        .iter()
        .map(|m| {
            format!(
                "{}{}",
                m.seq,
                if m.kind == MessageKind::Request {
                    ">"
                } else {
                    "<"
                }
            )
        })
        .collect();
    assert_eq!(
        order.join(" "),
        "0> 1> 1< 2> 3> 3< 2< 4> 4< 0<",
        "D is clamped to C's end; A closes at the end of the trace"
    );
}

#[test]
fn bands_group_rows_by_command() {
    let calls = trace(vec![
        C::new(0, 0, User, Ec2, "A"),
        C::new(1, 1, User, Ec2, "B").nest(3),
        C::new(2, 1, Ec2, Kms, "C"),
        C::new(3, 4, User, Kms, "D"),
    ]);
    let l = default_layout(&calls);
    let got: Vec<(usize, f64, f64, std::ops::Range<usize>)> = l
        .bands
        .iter()
        .map(|b| (b.command, b.y0, b.y1, b.messages.clone()))
        .collect();
    let top = l.rows_top();
    let rh = l.options.row_height;
    assert_eq!(
        got,
        vec![
            (0, top, top + 2.0 * rh, 0..2),
            (1, top + 2.0 * rh, top + 6.0 * rh, 2..6),
            (4, top + 6.0 * rh, top + 8.0 * rh, 6..8),
        ]
    );
}

#[test]
fn short_labels_keep_the_column_width() {
    let l = default_layout(&trace(vec![
        C::new(0, 0, User, Ec2, "RunInstances").nest(2),
        C::new(1, 0, Ec2, Kms, "CreateGrant").fail("DisabledException"),
        C::new(2, 0, Kms, EventBridge, "KeyStateChange").event(),
    ]));
    assert_eq!(l.lifelines.len(), 4);
    let xs: Vec<f64> = l.lifelines.iter().map(|ll| ll.x).collect();
    for w in xs.windows(2) {
        assert_eq!(w[1] - w[0], 150.0);
    }
}

#[test]
fn long_labels_widen_the_spacing() {
    let opts = LayoutOptions {
        max_label_chars: 200,
        ..LayoutOptions::default()
    };
    let long = "X".repeat(60);
    let width = 60.0 * opts.char_width;
    // Between neighbours: that gap grows, the other stays.
    let l = layout(
        &trace(vec![
            C::new(0, 0, User, Ec2, &long),
            C::new(1, 0, Ec2, Kms, "Decrypt"),
        ]),
        &opts,
    );
    let x: Vec<f64> = l.lifelines.iter().map(|ll| ll.x).collect();
    assert!(x[1] - x[0] >= width + 2.0 * opts.label_padding);
    assert_eq!(x[2] - x[1], 150.0);
    // Across two gaps: together they hold the label.
    let wide = "Y".repeat(80);
    let l = layout(
        &trace(vec![
            C::new(0, 0, User, Ec2, "A"),
            C::new(1, 0, User, Kms, &wide),
        ]),
        &opts,
    );
    let x: Vec<f64> = l.lifelines.iter().map(|ll| ll.x).collect();
    assert!(x[2] - x[0] >= 80.0 * opts.char_width + 2.0 * opts.label_padding);
    // Every label lies inside the span of its arrow and inside the drawing.
    for m in &l.messages {
        let (a, b) = l.label_placement(m).extent();
        assert!(a >= m.x1.min(m.x2) && b <= m.x1.max(m.x2), "{}", m.label);
    }
}

#[test]
fn overlong_labels_are_cut_with_an_ellipsis() {
    let op = "Z".repeat(100);
    let l = default_layout(&trace(vec![C::new(0, 0, User, Ec2, &op)]));
    let label = &l.messages[0].label;
    assert_eq!(label.chars().count(), 48);
    assert!(label.ends_with('…'));
}

#[test]
fn self_calls_loop_to_the_right_inside_the_drawing() {
    let calls = trace(vec![
        C::new(0, 0, Kms, Kms, "RotateKeyOnSchedule").event(),
        C::new(1, 0, User, User, "Think"),
    ]);
    let l = default_layout(&calls);
    assert_eq!(l.messages.len(), 3);
    for m in &l.messages {
        assert!(m.is_self());
        let pts = l.self_loop(m);
        assert_eq!(pts[0].0, m.x1);
        assert_eq!(pts[3].0, m.x1);
        assert!(pts[1].0 > m.x1 && pts[1].0 <= l.width);
        assert!(pts[0].1 < m.y && pts[3].1 > m.y, "the loop spans its row");
        let (a, b) = l.label_placement(m).extent();
        assert!(
            a > pts[1].0 && b <= l.width,
            "label right of the loop, inside"
        );
    }
}

#[test]
fn options_that_cannot_be_used_fall_back_to_defaults() {
    let bad = LayoutOptions {
        row_height: f64::NAN,
        column_width: -1.0,
        header_height: 0.0,
        char_width: f64::INFINITY,
        ..LayoutOptions::default()
    };
    assert_eq!(layout(&sample(), &bad), default_layout(&sample()));
}

// ---------------------------------------------------------------------------------------------
// Virtualization and hit testing.

fn n_calls(n: usize) -> Vec<Call> {
    (0..n)
        .map(|i| C::new(i, i / 4, User, Kms, "Decrypt").0)
        .collect()
}

#[test]
fn visible_range_covers_the_viewport_and_clamps() {
    let l = default_layout(&n_calls(50)); // 100 rows of 28 px from y = 42.
    assert_eq!(l.messages.len(), 100);
    let top = l.rows_top();
    let rh = l.options.row_height;
    let cases: Vec<(f64, f64, usize, std::ops::Range<usize>)> = vec![
        (0.0, 280.0, 0, 0..9),      // rows start at 42: 238 px show 8.5 rows
        (0.0, 280.0, 3, 0..12),     // overscan clamped at the top
        (top, 10.0 * rh, 0, 0..10), // exactly ten rows
        (top + 40.0 * rh, 10.0 * rh, 0, 40..50), // the middle
        (top + 40.5 * rh, 10.0 * rh, 0, 40..51), // partial rows at both ends
        (top + 40.0 * rh, 10.0 * rh, 5, 35..55), // overscan both sides
        (top + 95.0 * rh, 10.0 * rh, 0, 95..100), // the end
        (top + 95.0 * rh, 10.0 * rh, 8, 87..100), // overscan clamped at the end
        (1e9, 500.0, 2, 98..100),   // past the end: only the overscan
        (-500.0, 100.0, 2, 0..2),   // above the rows: only the overscan
        (f64::NAN, f64::NAN, 0, 0..0),
        (top, -5.0, 0, 0..0),
    ];
    for (scroll, h, over, want) in cases {
        assert_eq!(
            visible_range(&l, scroll, h, over),
            want,
            "{scroll} {h} {over}"
        );
    }
    let empty = default_layout(&[]);
    assert_eq!(visible_range(&empty, 0.0, 1000.0, 10), 0..0);
}

#[test]
fn message_at_is_the_inverse_of_y() {
    let l = default_layout(&sample());
    let rh = l.options.row_height;
    for m in &l.messages {
        assert_eq!(message_at(&l, m.y), Some(m.index));
        assert_eq!(message_at(&l, m.y - rh / 2.0), Some(m.index), "top edge");
        assert_eq!(
            message_at(&l, m.y + rh / 2.0 - 0.01),
            Some(m.index),
            "bottom edge"
        );
    }
    assert_eq!(message_at(&l, l.rows_top() - 0.01), None);
    assert_eq!(message_at(&l, l.rows_bottom()), None);
    assert_eq!(message_at(&l, f64::NAN), None);
    assert_eq!(message_at(&l, -1.0), None);
}

#[test]
fn ten_thousand_calls_lay_out_in_one_pass() {
    let calls = n_calls(10_000);
    let l = default_layout(&calls);
    assert_eq!(l.messages.len(), 20_000);
    assert_eq!(l.messages.last().map(|m| m.y), Some(l.row_y(19_999)));
    assert_eq!(visible_range(&l, l.row_y(10_000), 560.0, 0), 10_000..10_021);
}

// ---------------------------------------------------------------------------------------------
// SVG.

/// Checks that every element is closed in order and there is one root; returns the tag count.
fn check_tags(svg: &str) -> usize {
    let mut stack: Vec<String> = Vec::new();
    let mut count = 0;
    let mut roots = 0;
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("unclosed tag");
        let tag = &after[..end];
        rest = &after[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            continue;
        }
        count += 1;
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if stack.is_empty() {
            roots += 1;
        }
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1);
    count
}

/// Attribute values of `attr="…"` in `svg`, everywhere.
fn attr_values<'a>(svg: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    svg.match_indices(&pat)
        .map(|(i, _)| {
            let v = &svg[i + pat.len()..];
            &v[..v.find('"').unwrap_or(v.len())]
        })
        .collect()
}

fn numbers(v: &str) -> Vec<f64> {
    v.split(|c: char| c.is_whitespace() || c == ',' || c.is_ascii_alphabetic())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f64>()
                .unwrap_or_else(|_| panic!("not a number: {t}"))
        })
        .collect()
}

#[test]
fn svg_is_a_complete_document() {
    let calls = sample();
    let l = default_layout(&calls);
    for theme in [SvgTheme::Light, SvgTheme::Dark] {
        let svg = to_svg(&l, &calls, theme);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        let tags = check_tags(&svg);
        assert!(tags > 20);
        for part in [
            "<title id=\"seq-title\">Sequence of calls</title>",
            "<desc id=\"seq-desc\">5 calls (9 arrows) between User, EC2, KMS, EventBridge.",
            "<style>",
            "<marker id=\"seq-arrow\"",
            "<marker id=\"seq-fail\"",
            "marker-end=\"url(#seq-fail)\"",
            ">✕ InvalidCiphertextException</text>",
            ">≈ GenerateDataKeyWithoutPlaintext</text>",
            "class=\"msg request approx\"",
            "class=\"msg failure\"",
            "class=\"msg event\"",
            "class=\"lifeline\"",
        ] {
            assert!(svg.contains(part), "{theme:?}: missing {part}");
        }
        // Participant boxes at top and bottom.
        assert_eq!(
            svg.matches("<g class=\"participant\">").count(),
            2 * l.lifelines.len()
        );
        assert_eq!(svg.matches("<g class=\"msg ").count(), l.messages.len());
        assert_eq!(svg.matches("marker-end=\"url(#seq-fail)\"").count(), 1);
        let w = format!("width=\"{}\"", l.width);
        assert!(svg.contains(&w), "{w}");
    }
}

#[test]
fn svg_escapes_labels() {
    let calls = trace(vec![C::new(0, 0, User, Ec2, "A<B&C").fail("Bad\"Quote'<x>")]);
    let svg = to_svg(&default_layout(&calls), &calls, SvgTheme::Light);
    check_tags(&svg);
    assert!(svg.contains(">A&lt;B&amp;C</text>"));
    assert!(svg.contains(">✕ Bad&quot;Quote&apos;&lt;x&gt;</text>"));
    assert!(!svg.contains("A<B"));
    assert!(!svg.contains("&C"));
}

/// Every number in a coordinate attribute lies inside the viewBox.
fn assert_inside(svg: &str, l: &Layout) {
    // The root's viewBox comes first; the markers' own (0 0 10 10) follow.
    let vb = attr_values(svg, "viewBox");
    assert_eq!(vb.len(), 3);
    assert_eq!(numbers(vb[0]), vec![0.0, 0.0, l.width, l.height]);
    let (w, h) = (l.width, l.height);
    let inside = |v: f64, max: f64, what: &str| {
        assert!(
            v.is_finite() && (0.0..=max).contains(&v),
            "{what} = {v} outside 0..={max}"
        );
    };
    for a in ["x", "x1", "x2", "width"] {
        for v in attr_values(svg, a) {
            inside(numbers(v)[0], w, a);
        }
    }
    for a in ["y", "y1", "y2", "height"] {
        for v in attr_values(svg, a) {
            inside(numbers(v)[0], h, a);
        }
    }
    for d in attr_values(svg, "d") {
        for (i, v) in numbers(d).into_iter().enumerate() {
            inside(v, if i % 2 == 0 { w } else { h }, "d");
        }
    }
    // Estimated label text too.
    for m in &l.messages {
        let (a, b) = l.label_placement(m).extent();
        assert!(
            a >= 0.0 && b <= w,
            "label {} spans {a}..{b} of {w}",
            m.label
        );
    }
}

#[test]
fn svg_keeps_every_coordinate_inside_the_view_box() {
    let wide = trace(vec![
        C::new(0, 0, EventBridge, EventBridge, &"W".repeat(45)).event(),
        C::new(1, 0, User, EventBridge, &"V".repeat(45)).fail(&"E".repeat(45)),
        C::new(2, 0, User, User, "SelfAtTheLeft").approx(),
    ]);
    for calls in [vec![], sample(), wide, n_calls(30)] {
        let l = default_layout(&calls);
        let svg = to_svg(&l, &calls, SvgTheme::Light);
        assert_inside(&svg, &l);
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn arb_calls() -> impl Strategy<Value = Vec<Call>> {
    let one = (
        0..8usize,
        0..8usize,
        "[A-Za-z<&;#:]{0,60}",
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0..6usize,
        0..2usize,
    );
    prop::collection::vec(one, 0..40).prop_map(|specs| {
        let mut command = 0;
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (f, t, op, event, failed, approx, nested, next))| {
                command += next;
                let mut c = C::new(i, command, Participant::ALL[f], Participant::ALL[t], &op)
                    .nest(i + 1 + nested);
                if event {
                    c = c.event();
                }
                if failed {
                    c = c.fail("SomeError");
                }
                if approx {
                    c = c.approx();
                }
                c.0
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn every_message_joins_lifelines_inside_the_drawing(calls in arb_calls()) {
        let l = default_layout(&calls);
        let xs: Vec<f64> = l.lifelines.iter().map(|ll| ll.x).collect();
        let events = calls.iter().filter(|c| c.is_event).count();
        prop_assert_eq!(l.messages.len(), 2 * calls.len() - events);
        for ll in &l.lifelines {
            prop_assert!(ll.x - ll.box_width / 2.0 >= 0.0 && ll.x + ll.box_width / 2.0 <= l.width);
        }
        for m in &l.messages {
            prop_assert!(xs.contains(&m.x1) && xs.contains(&m.x2));
            prop_assert!(m.y > l.rows_top() && m.y < l.rows_bottom() && l.rows_bottom() <= l.height);
            let (a, b) = l.label_placement(m).extent();
            prop_assert!(a >= 0.0 && b <= l.width);
            if m.is_self() {
                let pts = l.self_loop(m);
                prop_assert!(pts[1].0 <= l.width && pts[0].1 >= 0.0 && pts[2].1 <= l.height);
            }
        }
        for w in l.messages.windows(2) {
            prop_assert!(w[0].y < w[1].y);
        }
        // Each call's request comes before its response.
        let mut seen = vec![0u8; calls.len()];
        for m in &l.messages {
            let s = &mut seen[m.call];
            match m.kind {
                MessageKind::Request | MessageKind::Event => { prop_assert_eq!(*s, 0); *s = 1; }
                MessageKind::Response | MessageKind::Failure => { prop_assert_eq!(*s, 1); *s = 2; }
            }
        }
        let svg = to_svg(&l, &calls, SvgTheme::Light);
        assert_inside(&svg, &l);
        check_tags(&svg);
    }
}
