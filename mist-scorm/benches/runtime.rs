//! Runtime throughput: simple `SetValue`/`GetValue` calls per second, and the size
//! of a typical commit delta. Run with `cargo bench -p mist-scorm --bench runtime`.

use std::hint::black_box;
use std::time::Instant;

use mist_scorm::runtime::{LaunchData, Mode, Runtime, Version};

const CALLS: u32 = 2_000_000;

fn per_second(label: &str, calls: u32, mut call: impl FnMut(u32)) {
    let start = Instant::now();
    for i in 0..calls {
        call(i);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{label}: {:.2} M calls/s ({:.0} ns/call)",
        f64::from(calls) / seconds / 1e6,
        seconds * 1e9 / f64::from(calls)
    );
}

fn main() {
    for version in [Version::Scorm2004, Version::Scorm12] {
        let (location, status) = match version {
            Version::Scorm2004 => ("cmi.location", "cmi.completion_status"),
            Version::Scorm12 => ("cmi.core.lesson_location", "cmi.core.lesson_status"),
        };
        let mut api = Runtime::new(version, LaunchData::default(), Mode::Strict);
        api.initialize("");
        per_second(&format!("{version:?} SetValue({location})"), CALLS, |i| {
            black_box(api.set_value(location, if i % 2 == 0 { "page-1" } else { "page-2" }));
        });
        per_second(&format!("{version:?} GetValue({location})"), CALLS, |_| {
            black_box(api.get_value(black_box(location)));
        });
        per_second(&format!("{version:?} GetValue({status})"), CALLS, |_| {
            black_box(api.get_value(black_box(status)));
        });
        per_second(
            &format!("{version:?} SetValue(cmi.interactions.0.id)"),
            CALLS,
            |_| {
                black_box(api.set_value("cmi.interactions.0.id", "q1"));
            },
        );
    }

    // A typical 2004 commit: location, suspend data, progress, score, status, one
    // interaction, session time and exit.
    let mut api = Runtime::new(Version::Scorm2004, LaunchData::default(), Mode::Strict);
    api.initialize("");
    api.commit("");
    drop(api.take_commit());
    let suspend = "x".repeat(200);
    for (element, value) in [
        ("cmi.location", "module-2/page-4"),
        ("cmi.suspend_data", suspend.as_str()),
        ("cmi.progress_measure", "0.6"),
        ("cmi.score.scaled", "0.85"),
        ("cmi.completion_status", "incomplete"),
        ("cmi.interactions.0.id", "q-phishing-1"),
        ("cmi.interactions.0.type", "choice"),
        ("cmi.interactions.0.learner_response", "b"),
        ("cmi.interactions.0.result", "correct"),
        ("cmi.session_time", "PT4M30S"),
        ("cmi.exit", "suspend"),
    ] {
        assert!(api.set_value(element, value), "{element}");
    }
    api.terminate("");
    let delta = api.take_commit().unwrap_or_default();
    let json = serde_json::to_string(&delta).unwrap_or_default();
    println!(
        "typical commit delta: {} values, {} bytes of JSON ({} without the 200-character suspend data)",
        delta.values.len(),
        json.len(),
        json.len() - suspend.len()
    );
}
