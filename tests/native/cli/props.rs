//! Property tests: nothing typed or decoded can panic.
use super::*;

// ---------------------------------------------------------------------------------------------
// Nothing panics.

fn shellish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("aws ".to_string()),
            Just("ec2 ".to_string()),
            Just("kms ".to_string()),
            Just("play ".to_string()),
            Just("create-volume ".to_string()),
            Just("create-grant ".to_string()),
            Just("run-instances ".to_string()),
            Just("wait ".to_string()),
            Just("volume-available ".to_string()),
            Just("--size ".to_string()),
            Just("--encrypted ".to_string()),
            Just("--query ".to_string()),
            Just("--output ".to_string()),
            Just("--block-device-mappings ".to_string()),
            Just("--constraints ".to_string()),
            Just("--cli-input-json ".to_string()),
            Just("--profile ".to_string()),
            Just("partner ".to_string()),
            Just("text ".to_string()),
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("$".to_string()),
            Just("$(".to_string()),
            Just(")".to_string()),
            Just("${".to_string()),
            Just("}".to_string()),
            Just("{".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("=".to_string()),
            Just(",".to_string()),
            Just("#".to_string()),
            Just("VOL=".to_string()),
            Just("$VOL".to_string()),
            Just("`".to_string()),
            Just("|".to_string()),
            Just(" ".to_string()),
            "[a-zA-Z0-9:/._-]{0,8}",
            any::<char>().prop_map(|c| c.to_string()),
        ],
        0..24,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn parse_line_never_panics(s in any::<String>()) {
        let _ = parse_line(&s);
    }

    #[test]
    fn shellish_lines_never_panic(s in shellish()) {
        let _ = parse_line(&s);
        let _ = parse_command(&s);
        let mut sh = Shell::new();
        sh.set_var("VOL", "vol-1");
        let mut b = canned();
        let r = sh.run_line(&mut b, &s);
        // Errors always come with the text shown for them.
        if r.error.is_some() {
            prop_assert!(!r.text.is_empty());
        }
        let _ = sh.complete(&s);
        let _ = sh.help(&s);
    }

    #[test]
    fn link_and_script_decoding_never_panic(s in any::<String>(), t in shellish()) {
        let _ = Script::from_link_fragment(&s);
        let _ = Script::from_link_fragment(&format!("v1.{s}"));
        let _ = Script::parse(&s);
        for body in [s, t] {
            // Whatever parses reads back the same from its text and from its link.
            if let Ok(script) = Script::parse(&format!("# ebs-kms-playground script v1\n# seed: 1\n{body}")) {
                prop_assert_eq!(Script::parse(&script.to_text()), Ok(script.clone()));
                prop_assert_eq!(Script::from_link_fragment(&script.to_link_fragment()), Ok(script));
            }
        }
    }

    #[test]
    fn random_bytes_as_links_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        use base64::Engine;
        let link = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        let _ = Script::from_link_fragment(&link);
    }

    #[test]
    fn shorthand_and_query_never_panic(s in shellish()) {
        let _ = ebs_kms_playground::cli::shorthand::parse(&s);
        let _ = output::apply_query(&describe_volumes(), &s);
    }

    #[test]
    fn to_cli_round_trips_any_strings(desc in any::<String>(), az in "[ -~]{1,20}", ids in prop::collection::vec("[ -~]{1,12}", 1..4)) {
        let params = json!({"AvailabilityZone": az, "Description": desc});
        // CreateVolume has no Description: it travels in --cli-input-json.
        let line = to_cli("ec2", "CreateVolume", &params);
        match parse_command(&line) {
            Ok(p) => match p.invocation {
                Invocation::Api { .. } => prop_assert!(false, "Description is not a CreateVolume member: {}", line),
                _ => prop_assert!(false, "{}", line),
            },
            Err(e) => prop_assert!(e.message.contains("Unknown parameter in input: \"Description\""), "{}", e.message),
        }
        let params = json!({"VolumeId": az, "Description": desc});
        let line = to_cli("ec2", "CreateSnapshot", &params);
        let (_, _, parsed) = api(&line);
        prop_assert_eq!(parsed, params);
        let params = json!({"VolumeIds": ids});
        let (_, _, parsed) = api(&to_cli("ec2", "DescribeVolumes", &params));
        prop_assert_eq!(parsed, params);
    }

    #[test]
    fn script_link_round_trip(seed in any::<u64>(), lines in prop::collection::vec("[a-z $=#'\"-]{0,30}", 0..10)) {
        let mut s = Script::new(seed);
        for l in &lines {
            s.push(l);
        }
        // Only scripts whose quotes close are valid; others must be refused, not mangled.
        match Script::parse(&s.to_text()) {
            Ok(parsed) => {
                let back = Script::from_link_fragment(&parsed.to_link_fragment());
                prop_assert_eq!(back, Ok(parsed));
            }
            Err(e) => prop_assert!(matches!(e, ScriptError::Unterminated { .. }), "{e}"),
        }
    }
}
