//! Tests of what documentation pages rely on, natively: the embed URL options, the
//! postMessage protocol and the playback changes it asks for, plain scripts and the
//! `#script=` fragment, script titles, the services-only view and the exported SVG.

use ebs_kms_playground::cli::script::{HEADER, MAX_LINK_CHARS};
use ebs_kms_playground::cli::ScriptError;
use ebs_kms_playground::diagram::{
    export_svg, layout, services_only, ExportOptions, LayoutOptions, SvgTheme,
};
use ebs_kms_playground::embed::plain::{
    from_fragment, parse_script, percent_decode, title_of, to_fragment, FragmentError,
};
use ebs_kms_playground::embed::{
    parse_host_message, EmbedOptions, HostMessage, Playback, ProtocolError, Theme, WidgetMessage,
};
use ebs_kms_playground::model::trace::Participant;
use ebs_kms_playground::scenarios;
use ebs_kms_playground::session::Session;
use serde_json::json;

#[test]
fn embed_options_read_theme_height_step_views_and_provider() {
    let o = EmbedOptions::from_query(
        "?embed=diagram,scenario:asg-service-linked-role,question:q7&theme=dark&height=auto&step=3&provider=aws",
    );
    assert_eq!(o.theme, Some(Theme::Dark));
    assert!(o.fit);
    assert_eq!(o.step, Some(3));
    assert_eq!(o.scenario.as_deref(), Some("asg-service-linked-role"));
    assert_eq!(o.question.as_deref(), Some("q7"));
    assert_eq!(o.provider.as_deref(), Some("aws"));

    // Percent-encoded separators, as URLSearchParams writes them.
    let o = EmbedOptions::from_query("embed=diagram%2Cscenario%3Adeleted-key&theme=LIGHT");
    assert_eq!(o.scenario.as_deref(), Some("deleted-key"));
    assert_eq!(o.theme, Some(Theme::Light));

    // Unknown and malformed values are ignored, never an error.
    let o =
        EmbedOptions::from_query("theme=sepia&height=400&step=-1&embed=scenario:&x=%zz&provider=");
    assert_eq!(o, EmbedOptions::default());
    assert_eq!(EmbedOptions::from_query(""), EmbedOptions::default());
}

fn host(v: serde_json::Value) -> Result<HostMessage, ProtocolError> {
    parse_host_message(&v.to_string())
}

#[test]
fn host_messages_are_read_by_protocol_version_and_type() {
    let p = "ebs-kms-playground";
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "play"})),
        Ok(HostMessage::Play)
    );
    assert_eq!(
        host(json!({"protocol": p, "type": "pause"})),
        Ok(HostMessage::Pause)
    );
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "step", "index": 4})),
        Ok(HostMessage::Step { index: 4 })
    );
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "theme", "theme": "dark"})),
        Ok(HostMessage::Theme(Some(Theme::Dark)))
    );
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "theme", "theme": "auto"})),
        Ok(HostMessage::Theme(None))
    );
    // Other scripts' messages are not ours; a newer protocol is refused; bad fields named.
    assert_eq!(host(json!({"type": "play"})), Err(ProtocolError::NotOurs));
    assert_eq!(parse_host_message("not json"), Err(ProtocolError::NotOurs));
    assert_eq!(parse_host_message("\"play\""), Err(ProtocolError::NotOurs));
    assert_eq!(
        host(json!({"protocol": p, "version": 2, "type": "play"})),
        Err(ProtocolError::TooNew(2))
    );
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "step", "index": -1})),
        Err(ProtocolError::BadField("index"))
    );
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "theme", "theme": "sepia"})),
        Err(ProtocolError::BadField("theme"))
    );
    assert_eq!(
        host(json!({"protocol": p, "version": "1", "type": "play"})),
        Err(ProtocolError::BadField("version"))
    );
    assert_eq!(
        host(json!({"protocol": p, "version": 1, "type": "explode"})),
        Err(ProtocolError::UnknownType("explode".into()))
    );
    assert_eq!(
        parse_host_message(&"x".repeat(70_000)),
        Err(ProtocolError::NotOurs)
    );
}

#[test]
fn widget_messages_carry_protocol_and_version() {
    assert_eq!(
        WidgetMessage::Resized { height: 431 }.to_json(),
        json!({"protocol": "ebs-kms-playground", "version": 1, "type": "resized", "height": 431})
    );
    assert_eq!(
        WidgetMessage::Step { index: 2, total: 9 }.to_json(),
        json!({"protocol": "ebs-kms-playground", "version": 1, "type": "step", "index": 2, "total": 9})
    );
    assert_eq!(
        WidgetMessage::Ready { total: 9 }.to_json()["type"],
        json!("ready")
    );
}

#[test]
fn playback_follows_host_messages() {
    let all = Playback::default();
    // Play with everything shown starts again from the first message.
    let p = all.apply(&HostMessage::Play, 10);
    assert_eq!(
        p,
        Playback {
            playhead: Some(0),
            playing: true
        }
    );
    // Play in the middle continues from there.
    let mid = Playback {
        playhead: Some(4),
        playing: false,
    };
    assert_eq!(
        mid.apply(&HostMessage::Play, 10),
        Playback {
            playhead: Some(4),
            playing: true
        }
    );
    // Nothing to play in an empty trace.
    assert_eq!(all.apply(&HostMessage::Play, 0), all);
    assert_eq!(
        p.apply(&HostMessage::Pause, 10),
        Playback {
            playhead: Some(0),
            playing: false
        }
    );
    // Step pauses; reaching the end shows all (the live end).
    assert_eq!(
        p.apply(&HostMessage::Step { index: 3 }, 10),
        Playback {
            playhead: Some(3),
            playing: false
        }
    );
    assert_eq!(
        p.apply(&HostMessage::Step { index: 10 }, 10),
        Playback::default()
    );
    assert_eq!(
        p.apply(&HostMessage::Step { index: usize::MAX }, 10),
        Playback::default()
    );
    assert_eq!(p.apply(&HostMessage::Theme(Some(Theme::Dark)), 10), p);
    assert_eq!(Playback::at_step(3, 10).shown(10), 3);
    assert_eq!(Playback::at_step(30, 10).shown(10), 10);
}

const TUTORIAL: &str = "\
#!/bin/bash
# Create an encrypted volume under a customer managed key.
# seed: 42

KEY=$(aws kms create-key \\
    --description \"tutorial key\" \\
    --query KeyMetadata.KeyId --output text)
aws ec2 create-volume \\
    --availability-zone us-east-1a \\
    --size 8 --encrypted --kms-key-id $KEY   # the volume
";

#[test]
fn plain_scripts_need_no_header_and_read_the_seed_from_leading_comments() {
    let p = parse_script(TUTORIAL).expect("a tutorial script parses");
    assert!(!p.has_header);
    assert_eq!(p.first_line, 1);
    assert_eq!(p.script.seed, 42);
    let commands = p.script.commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    // Same replay as the same commands with the header: the same trace.
    let with_header = format!("{HEADER}\n# seed: 42\n{TUTORIAL}");
    let h = parse_script(&with_header).expect("with the header too");
    assert!(h.has_header);
    assert_eq!(h.first_line, 3);
    let a = Session::replay(&p.script);
    let b = Session::replay(&h.script);
    assert_eq!(a.calls(), b.calls());
    assert!(a
        .calls()
        .iter()
        .any(|c| c.operation == "GenerateDataKeyWithoutPlaintext"));

    // No seed line: seed 1. A seed after the first command is only a comment.
    assert_eq!(
        parse_script("aws kms list-keys\n").map(|p| p.script.seed),
        Ok(1)
    );
    assert_eq!(
        parse_script("aws kms list-keys\n# seed: 9\n").map(|p| p.script.seed),
        Ok(1)
    );
    assert_eq!(parse_script("").map(|p| p.script.commands().len()), Ok(0));
}

#[test]
fn plain_script_errors_use_the_files_line_numbers() {
    assert_eq!(
        parse_script("# intro\n# seed: lots\naws kms list-keys\n"),
        Err(ScriptError::BadSeed {
            line: 2,
            text: "lots".into()
        })
    );
    assert_eq!(
        parse_script("aws kms list-keys\naws kms create-key --description 'open\n"),
        Err(ScriptError::Unterminated { line: 2 })
    );
    // A header of a newer version is still refused as such.
    assert_eq!(
        parse_script("# ebs-kms-playground script v9\n# seed: 1\n"),
        Err(ScriptError::TooNew { version: 9 })
    );
    assert!(matches!(
        parse_script(&"#".repeat(300 * 1024)),
        Err(ScriptError::TooLarge { .. })
    ));
}

#[test]
fn script_fragments_round_trip_and_refuse_damage() {
    let frag = to_fragment(TUTORIAL);
    assert!(frag.starts_with("script="));
    assert!(!frag.contains(['\n', ' ', '#', '$', '"']), "{frag}");
    let back = from_fragment(&format!("#{frag}")).expect("a script fragment");
    assert_eq!(back, parse_script(TUTORIAL).map_err(FragmentError::Script));
    // Other fragments are not ours (share links keep their own reader).
    assert_eq!(from_fragment("#v1.abc"), None);
    assert_eq!(from_fragment(""), None);
    assert_eq!(
        from_fragment("#script=%E"),
        Some(Err(FragmentError::BadEscape))
    );
    assert_eq!(
        from_fragment("#script=%FF%FE"),
        Some(Err(FragmentError::BadEscape))
    );
    let long = format!("script={}", "a".repeat(MAX_LINK_CHARS + 1));
    assert!(matches!(
        from_fragment(&long),
        Some(Err(FragmentError::Script(ScriptError::LinkTooLong { .. })))
    ));
    assert_eq!(percent_decode("a%20b+c%E2%86%92"), Some("a b+c→".into()));
}

#[test]
fn titles_come_from_a_title_line_or_the_first_comment_sentence() {
    assert_eq!(
        title_of(TUTORIAL).as_deref(),
        Some("Create an encrypted volume under a customer managed key.")
    );
    let text = format!("{HEADER}\n# seed: 3\n#\n# Encrypt existing data by restoring it: write to\n# a volume. Then more.\n");
    assert_eq!(
        title_of(&text).as_deref(),
        Some("Encrypt existing data by restoring it: write to a volume.")
    );
    assert_eq!(
        title_of("# title: Auto Scaling <fix>\n# Other words.\n").as_deref(),
        Some("Auto Scaling <fix>")
    );
    assert_eq!(title_of("aws kms list-keys\n# Late comment.\n"), None);
    let long = format!("# {}\n", "word ".repeat(60));
    let t = title_of(&long).unwrap_or_default();
    assert_eq!(t.chars().count(), 120);
    assert!(t.ends_with('…'));
}

fn tutorial_session() -> Session {
    // A guided scenario ending in an attach: EC2 → KMS calls nested in User → EC2 requests.
    let scenario = scenarios::by_id("volume-from-encrypted-snapshot").expect("the scenario exists");
    let mut s = Session::new(1);
    for step in &scenario.steps {
        let e = s.run(&step.command).cloned();
        assert!(
            step.check(e.as_ref(), s.calls()).is_ok(),
            "{}",
            step.command
        );
    }
    s
}

#[test]
fn services_only_keeps_service_calls_renumbered_with_their_nesting() {
    let s = tutorial_session();
    let all = s.calls();
    let only = services_only(all);
    let expected: Vec<String> = all
        .iter()
        .filter(|c| c.from != Participant::User && c.to != Participant::User)
        .map(|c| c.summary())
        .collect();
    assert!(expected.len() >= 4, "{expected:?}");
    assert_eq!(
        only.iter().map(|c| c.summary()).collect::<Vec<_>>(),
        expected
    );
    for (i, c) in only.iter().enumerate() {
        assert_eq!(c.seq, i);
        assert!(c.end > c.seq && c.end <= only.len(), "{i}: end {}", c.end);
        if let Some(p) = c.parent {
            assert!(p < i, "the parent comes first");
            assert!(only[p].end > i, "the parent's span covers its child");
        }
    }
    // The layout of the filtered trace has no User lifeline and one request per call.
    let l = layout(&only, &LayoutOptions::default());
    assert!(l.lifelines.iter().all(|ll| ll.label != "User"));
    assert_eq!(
        services_only(&only),
        only,
        "filtering twice changes nothing"
    );
    assert!(services_only(&[]).is_empty());
}

#[test]
fn exported_svg_is_titled_themable_and_light_and_dark() {
    let s = tutorial_session();
    let svg = export_svg(
        s.calls(),
        &ExportOptions {
            title: Some("Attach <an> encrypted volume".into()),
            ..ExportOptions::default()
        },
    );
    assert!(svg.contains("<title id=\"seq-title\">Attach &lt;an&gt; encrypted volume</title>"));
    assert!(svg.contains("<desc id=\"seq-desc\">"));
    assert!(svg.contains("class=\"seq-diagram\""));
    assert!(svg.contains(":where(.seq-diagram){--seq-bg:#ffffff"));
    assert!(
        svg.contains("@media (prefers-color-scheme: dark){:where(.seq-diagram){--seq-bg:#16191d")
    );
    assert!(svg.contains(".seq-diagram .bg{fill:var(--seq-bg)}"));
    // No colour outside the variables: every fill and stroke of the rules is a var().
    let rules = svg.split("</style>").next().unwrap_or_default();
    let rules = rules.rsplit("}}").next().unwrap_or_default();
    assert!(!rules.contains(":#"), "{rules}");
    // Forced themes have no media query.
    let dark = export_svg(
        s.calls(),
        &ExportOptions {
            theme: Some(SvgTheme::Dark),
            ..Default::default()
        },
    );
    assert!(dark.contains(":where(.seq-diagram){--seq-bg:#16191d"));
    assert!(!dark.contains("prefers-color-scheme"));
    // Services only: fewer arrows, no User box.
    let full_msgs = svg.matches("<g class=\"msg ").count();
    let only = export_svg(
        s.calls(),
        &ExportOptions {
            services_only: true,
            ..Default::default()
        },
    );
    let only_msgs = only.matches("<g class=\"msg ").count();
    assert!(
        only_msgs > 0 && only_msgs < full_msgs,
        "{only_msgs} of {full_msgs}"
    );
    assert!(!only.contains(">User</text>"));
    assert!(svg.contains(">User</text>"));
}
