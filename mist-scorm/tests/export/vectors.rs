//! Test vectors that tie the SCO's JavaScript quiz engine to mist-core's: the generator's output, draws
//! with shuffles, scores (partial credit, NFKC short text) and graded attempts, computed here by
//! mist-core and checked by `sco/test/quiz.test.js` against `quiz.js`.
//!
//! The file `sco/test/vectors.json` is committed; this test fails when it no longer matches mist-core.
//! Regenerate it with `MIST_BLESS=1 cargo test -p mist-scorm --test export vectors`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use mist_core::quiz::{
    Answer, AttemptPolicy, Choice, Item, Pair, Question, QuestionKind, Quiz, SplitMix64, draw,
    normalize_text, score,
};
use mist_core::{Localized, PassMark};
use mist_scorm::export::ExportVersion;
use serde_json::{Value, json};

fn text(s: &str) -> Localized {
    Localized::ja_en(format!("{s}（日本語）"), s).unwrap()
}

fn question(id: &str, tags: &[&str], kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        prompt: text(&format!("**{id}**?")),
        explanation: Some(text("because")),
        kind,
    }
}

fn choices(correct: &[bool]) -> Vec<Choice> {
    correct
        .iter()
        .zip(["a", "b", "c", "d", "e"])
        .map(|(correct, id)| Choice {
            id: id.into(),
            text: text(id),
            correct: *correct,
            feedback: Some(text(&format!("feedback {id}"))),
        })
        .collect()
}

/// A pool with every question type, tags for quota draws, and a draw smaller than the pool.
fn quiz() -> Quiz {
    let items = ["first", "second", "third", "fourth"]
        .iter()
        .map(|id| Item {
            id: (*id).into(),
            text: text(id),
        })
        .collect();
    let pairs = ["p1", "p2", "p3"]
        .iter()
        .map(|id| Pair {
            id: (*id).into(),
            left: text(&format!("{id} left")),
            right: text(&format!("{id} right")),
        })
        .collect();
    let questions = vec![
        question(
            "single",
            &["basics"],
            QuestionKind::Single {
                options: choices(&[false, true, false, false]),
            },
        ),
        question(
            "multiple",
            &["basics", "email"],
            QuestionKind::Multiple {
                options: choices(&[true, true, false, true, false]),
            },
        ),
        question(
            "true-false",
            &["email"],
            QuestionKind::TrueFalse { answer: false },
        ),
        question("ordering", &[], QuestionKind::Ordering { items }),
        question("matching", &["email"], QuestionKind::Matching { pairs }),
        question(
            "numeric",
            &[],
            QuestionKind::Numeric {
                answer: 72.0,
                tolerance: 0.5,
                unit: Some(text("hours")),
            },
        ),
        question(
            "short-text",
            &["basics"],
            QuestionKind::ShortText {
                accept: vec!["ＶＰＮ 装置".into(), "vpn".into()],
                case_sensitive: false,
            },
        ),
        question(
            "short-case",
            &[],
            QuestionKind::ShortText {
                accept: vec!["PHI".into()],
                case_sensitive: true,
            },
        ),
    ];
    Quiz {
        draw: Some(5),
        pass_mark: Some(PassMark::from_percent(70).unwrap()),
        draw_by_tag: BTreeMap::from([("email".to_owned(), 2), ("basics".to_owned(), 1)]),
        questions,
    }
}

/// The quiz exactly as the exporter writes it into `data.js`.
fn exported_quiz(quiz: &Quiz) -> Value {
    let course = super::course_with(Vec::new(), Some(quiz.clone()));
    super::module_data(&course, ExportVersion::Scorm12)["quiz"].clone()
}

fn rng_vectors() -> Value {
    let seeds = [0u64, 42, u64::MAX, 1 << 63];
    let next: Vec<Value> = seeds
        .iter()
        .map(|seed| {
            let mut rng = SplitMix64::new(*seed);
            let values: Vec<String> = (0..4).map(|_| rng.next_u64().to_string()).collect();
            json!({ "seed": seed.to_string(), "next": values })
        })
        .collect();
    let below: Vec<Value> = [(7u64, 10usize), (99, 3), (5, 1), (12345, 1000)]
        .iter()
        .map(|(seed, bound)| {
            let mut rng = SplitMix64::new(*seed);
            let values: Vec<usize> = (0..8).map(|_| rng.below(*bound)).collect();
            json!({ "seed": seed.to_string(), "bound": bound, "values": values })
        })
        .collect();
    json!({ "next": next, "below": below })
}

fn draw_vectors(quiz: &Quiz) -> Vec<Value> {
    let seen_sets: [&[&str]; 2] = [&[], &["single", "matching", "numeric"]];
    let mut out = Vec::new();
    for seed in [1u64, 2, 3, 20260401, u64::MAX - 1] {
        for seen in seen_sets {
            let seen_set: HashSet<String> = seen.iter().map(|s| (*s).to_owned()).collect();
            let drawn = draw(quiz, seed, &seen_set);
            out.push(json!({ "seed": seed.to_string(), "seen": seen, "drawn": drawn }));
        }
    }
    out
}

fn matches(pairs: &[(&str, &str)]) -> Answer {
    Answer::Matches(
        pairs
            .iter()
            .map(|(l, r)| ((*l).to_owned(), (*r).to_owned()))
            .collect(),
    )
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn score_vectors(quiz: &Quiz) -> Vec<Value> {
    let cases: Vec<(&str, Answer)> = vec![
        ("single", Answer::Choices(ids(&["b"]))),
        ("single", Answer::Choices(ids(&["a"]))),
        ("single", Answer::Choices(ids(&["a", "b"]))),
        ("multiple", Answer::Choices(ids(&["a", "b", "d"]))),
        ("multiple", Answer::Choices(ids(&["a", "b"]))),
        ("multiple", Answer::Choices(ids(&["a", "c"]))),
        ("multiple", Answer::Choices(ids(&["a", "b", "c", "d", "e"]))),
        ("multiple", Answer::Choices(ids(&[]))),
        ("multiple", Answer::Choices(ids(&["a", "a"]))),
        ("multiple", Answer::Choices(ids(&["z"]))),
        ("true-false", Answer::Bool(false)),
        ("true-false", Answer::Bool(true)),
        (
            "ordering",
            Answer::Order(ids(&["first", "second", "third", "fourth"])),
        ),
        (
            "ordering",
            Answer::Order(ids(&["second", "first", "third", "fourth"])),
        ),
        ("ordering", Answer::Order(ids(&["first", "second"]))),
        (
            "matching",
            matches(&[("p1", "p1"), ("p2", "p2"), ("p3", "p3")]),
        ),
        (
            "matching",
            matches(&[("p1", "p1"), ("p2", "p3"), ("p3", "p2")]),
        ),
        ("matching", matches(&[("p1", "p1")])),
        ("numeric", Answer::Number(72.5)),
        ("numeric", Answer::Number(71.4)),
        ("numeric", Answer::Number(71.5)),
        ("short-text", Answer::Text("  VPN\u{3000}装置 ".into())),
        ("short-text", Answer::Text("ｖｐｎ".into())),
        ("short-text", Answer::Text("vpn device".into())),
        ("short-case", Answer::Text("phi".into())),
        ("short-case", Answer::Text("ＰＨＩ".into())),
        ("single", Answer::Bool(true)),
    ];
    cases
        .into_iter()
        .map(|(id, answer)| {
            let question = quiz.questions.iter().find(|q| q.id == id).unwrap();
            let result = score(question, &answer);
            let outcome = match result {
                Ok(s) => json!({ "points": s.points, "correct": s.correct }),
                Err(_) => json!({ "error": true }),
            };
            json!({ "question": id, "answer": answer, "expected": outcome })
        })
        .collect()
}

fn grade_vectors(quiz: &Quiz) -> Vec<Value> {
    let policy = AttemptPolicy::with_pass_mark(quiz.pass_mark.unwrap());
    let right = |id: &str| -> Answer {
        match id {
            "single" => Answer::Choices(ids(&["b"])),
            "multiple" => Answer::Choices(ids(&["a", "b"])),
            "true-false" => Answer::Bool(false),
            "ordering" => Answer::Order(ids(&["first", "second", "third", "fourth"])),
            "matching" => matches(&[("p1", "p1"), ("p2", "p3"), ("p3", "p2")]),
            "numeric" => Answer::Number(72.0),
            "short-text" => Answer::Text("VPN".into()),
            _ => Answer::Text("PHI".into()),
        }
    };
    [7u64, 8, 9]
        .iter()
        .enumerate()
        .map(|(skip, seed)| {
            let drawn = draw(quiz, *seed, &HashSet::new());
            // Leave one question unanswered per case, at a different place each time.
            let answers: BTreeMap<String, Answer> = drawn
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, d)| (d.id.clone(), right(&d.id)))
                .collect();
            let graded = policy.grade(quiz, &drawn, &answers, None).unwrap();
            json!({
                "seed": seed.to_string(),
                "answers": answers,
                "raw": graded.raw,
                "max": graded.max,
                "scaled": graded.scaled,
                "passed": graded.passed,
            })
        })
        .collect()
}

fn normalize_vectors() -> Vec<Value> {
    [
        ("ＶＰＮ", false),
        ("  Two\u{3000}\u{3000}Words\t", false),
        ("ｶﾀｶﾅ", true),
        ("Case Kept", true),
        ("ß and Σ", false),
    ]
    .iter()
    .map(|(text, case_sensitive)| {
        json!({
            "text": text,
            "caseSensitive": case_sensitive,
            "expected": normalize_text(text, *case_sensitive),
        })
    })
    .collect()
}

fn vectors() -> Value {
    let quiz = quiz();
    json!({
        "comment": "generated by mist-scorm/tests/export/vectors.rs from mist-core; do not edit",
        "rng": rng_vectors(),
        "quiz": exported_quiz(&quiz),
        "draws": draw_vectors(&quiz),
        "scores": score_vectors(&quiz),
        "grades": grade_vectors(&quiz),
        "normalize": normalize_vectors(),
    })
}

/// Compares the committed vectors with mist-core's current behaviour (or rewrites them when
/// `MIST_BLESS` is set).
pub fn check_or_bless() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sco/test/vectors.json");
    let current = format!("{}\n", serde_json::to_string_pretty(&vectors()).unwrap());
    if std::env::var_os("MIST_BLESS").is_some() {
        std::fs::write(&path, &current).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "{} is stale: regenerate it with `MIST_BLESS=1 cargo test -p mist-scorm --test export vectors`",
        path.display()
    );
}
