//! Fuzzes `SetValue`/`GetValue` with arbitrary element names and values on both
//! SCORM versions: no input may panic, and the boolean answer must agree with the
//! error register. Run with `cargo fuzz run set_value` from `mist-scorm/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mist_scorm::runtime::{LaunchData, Mode, Runtime, Version};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first line is the element; the rest is the value. A `cmi.` prefix is
    // added to half the inputs so the fuzzer reaches the data model quickly.
    let (element, value) = text.split_once('\n').unwrap_or((&text, ""));
    let element = if data.first().is_some_and(|b| b % 2 == 0) {
        format!("cmi.{element}")
    } else {
        element.to_owned()
    };
    for version in [Version::Scorm12, Version::Scorm2004] {
        let mut api = Runtime::new(version, LaunchData::default(), Mode::Strict);
        api.initialize("");
        let stored = api.set_value(&element, value);
        assert_eq!(stored, api.last_error_code() == 0);
        let read = api.get_value(&element);
        assert!(api.last_error_code() == 0 || read.is_empty());
        let _ = api.get_diagnostic("");
        api.commit("");
        api.terminate("");
    }
});
