//! Property tests: the data types round-trip, and no string makes the API panic.

use mist_scorm::runtime::{
    LaunchData, Mode, Runtime, Version, format_cmi_timespan, format_iso, parse_cmi_timespan,
    parse_iso,
};
use proptest::prelude::*;

proptest! {
    #[test]
    fn iso_durations_round_trip(cs in 0u64..10_000_000_000) {
        prop_assert_eq!(parse_iso(&format_iso(cs)), Some(cs));
    }

    #[test]
    fn cmi_timespans_round_trip(cs in 0u64..(9_999 * 3_600 * 100)) {
        prop_assert_eq!(parse_cmi_timespan(&format_cmi_timespan(cs), false), Some(cs));
    }

    #[test]
    fn parsers_never_panic(text in ".{0,40}") {
        let _ = parse_iso(&text);
        let _ = parse_cmi_timespan(&text, true);
    }

    #[test]
    fn any_element_and_value_is_answered_without_panic(
        element in "(cmi|adl)\\.[a-z_.0-9{}=]{0,40}",
        value in ".{0,60}",
        scorm12 in any::<bool>(),
    ) {
        let version = if scorm12 { Version::Scorm12 } else { Version::Scorm2004 };
        let mut api = Runtime::new(version, LaunchData::default(), Mode::Strict);
        api.initialize("");
        let stored = api.set_value(&element, &value);
        prop_assert_eq!(stored, api.last_error_code() == 0);
        let read = api.get_value(&element);
        prop_assert!(api.last_error_code() == 0 || read.is_empty(), "a failed GetValue answers \"\"");
    }

    #[test]
    fn stored_text_reads_back(value in "\\PC{0,200}") {
        let mut api = Runtime::new(Version::Scorm2004, LaunchData::default(), Mode::Strict);
        api.initialize("");
        prop_assert!(api.set_value("cmi.location", &value));
        prop_assert_eq!(api.get_value("cmi.location"), value);
    }
}
