//! Fuzz target: script files and share links are hostile input and must never panic.
#![no_main]

use ebs_kms_playground::cli::Script;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = Script::parse(s);
        let _ = Script::from_link_fragment(s);
        if let Ok(script) = Script::parse(s) {
            // What parses must survive a round trip through a share link.
            let back = Script::from_link_fragment(&script.to_link_fragment());
            assert_eq!(back.as_ref(), Ok(&script));
        }
    }
    // Raw bytes as the deflated payload of a link.
    use base64::Engine;
    let link = format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    );
    let _ = Script::from_link_fragment(&link);
});
