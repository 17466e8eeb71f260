//! Scoring, draws and grading, with table cases and properties.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::model::PassMark;
use crate::text::Localized;

fn text(s: &str) -> Localized {
    Localized::ja_en(s, s).unwrap()
}

fn choice(id: &str, correct: bool) -> Choice {
    Choice {
        id: id.into(),
        text: text(id),
        correct,
        feedback: Some(text(&format!("feedback {id}"))),
    }
}

fn question(id: &str, tags: &[&str], kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        prompt: text(id),
        explanation: Some(text("why")),
        kind,
    }
}

/// One question of each type.
fn pool() -> Quiz {
    let questions = vec![
        question(
            "single",
            &["a"],
            QuestionKind::Single {
                options: vec![choice("x", false), choice("y", true), choice("z", false)],
            },
        ),
        question(
            "multiple",
            &["a"],
            QuestionKind::Multiple {
                options: vec![
                    choice("p", true),
                    choice("q", true),
                    choice("r", false),
                    choice("s", false),
                ],
            },
        ),
        question("tf", &["b"], QuestionKind::TrueFalse { answer: false }),
        question(
            "order",
            &["b"],
            QuestionKind::Ordering {
                items: ["1", "2", "3"]
                    .iter()
                    .map(|i| Item {
                        id: (*i).into(),
                        text: text(i),
                    })
                    .collect(),
            },
        ),
        question(
            "match",
            &[],
            QuestionKind::Matching {
                pairs: ["l1", "l2", "l3", "l4"]
                    .iter()
                    .map(|i| Pair {
                        id: (*i).into(),
                        left: text(i),
                        right: text(i),
                    })
                    .collect(),
            },
        ),
        question(
            "number",
            &[],
            QuestionKind::Numeric {
                answer: 65.0,
                tolerance: 5.0,
                unit: None,
            },
        ),
        question(
            "short",
            &[],
            QuestionKind::ShortText {
                accept: vec!["VPN".into(), "ランサムウェア".into()],
                case_sensitive: false,
            },
        ),
    ];
    Quiz {
        draw: Some(5),
        pass_mark: None,
        draw_by_tag: BTreeMap::new(),
        questions,
    }
}

fn q(id: &str) -> Question {
    pool().questions.into_iter().find(|q| q.id == id).unwrap()
}

fn points(id: &str, answer: Answer) -> (f64, bool) {
    let s = score(&q(id), &answer).unwrap();
    (s.points, s.correct)
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn each_type_scores_by_its_documented_rule() {
    assert_eq!(points("single", Answer::Choices(ids(&["y"]))), (1.0, true));
    assert_eq!(points("single", Answer::Choices(ids(&["x"]))), (0.0, false));
    // Multiple: (right − wrong) / correct options, floored at 0; correct only when exact.
    assert_eq!(
        points("multiple", Answer::Choices(ids(&["p", "q"]))),
        (1.0, true)
    );
    assert_eq!(
        points("multiple", Answer::Choices(ids(&["p"]))),
        (0.5, false)
    );
    assert_eq!(
        points("multiple", Answer::Choices(ids(&["p", "q", "r"]))),
        (0.5, false)
    );
    assert_eq!(
        points("multiple", Answer::Choices(ids(&["p", "q", "r", "s"]))),
        (0.0, false)
    );
    assert_eq!(points("multiple", Answer::Choices(ids(&[]))), (0.0, false));
    assert_eq!(points("tf", Answer::Bool(false)), (1.0, true));
    assert_eq!(points("tf", Answer::Bool(true)), (0.0, false));
    assert_eq!(
        points("order", Answer::Order(ids(&["1", "2", "3"]))),
        (1.0, true)
    );
    assert_eq!(
        points("order", Answer::Order(ids(&["2", "1", "3"]))),
        (0.0, false)
    );
    let matches = |pairs: &[(&str, &str)]| {
        Answer::Matches(
            pairs
                .iter()
                .map(|(l, r)| ((*l).to_owned(), (*r).to_owned()))
                .collect(),
        )
    };
    assert_eq!(
        points(
            "match",
            matches(&[("l1", "l1"), ("l2", "l2"), ("l3", "l3"), ("l4", "l4")])
        ),
        (1.0, true)
    );
    assert_eq!(
        points(
            "match",
            matches(&[("l1", "l1"), ("l2", "l2"), ("l3", "l4"), ("l4", "l3")])
        ),
        (0.5, false)
    );
    assert_eq!(points("number", Answer::Number(60.0)), (1.0, true));
    assert_eq!(points("number", Answer::Number(70.0)), (1.0, true));
    assert_eq!(points("number", Answer::Number(70.1)), (0.0, false));
}

#[test]
fn short_text_is_normalized_with_nfkc_case_and_space_rules() {
    for given in [
        "VPN",
        "vpn",
        "ＶＰＮ",
        "ｖｐｎ",
        "  vpn  ",
        "ランサムウェア",
        "ﾗﾝｻﾑｳｪｱ",
        "\u{3000}ランサムウェア\u{3000}",
    ] {
        assert_eq!(
            points("short", Answer::Text(given.into())),
            (1.0, true),
            "{given:?}"
        );
    }
    for given in ["V P N", "VPNs", "ransom", ""] {
        assert_eq!(
            points("short", Answer::Text(given.into())),
            (0.0, false),
            "{given:?}"
        );
    }
    assert_eq!(normalize_text("  Two   words ", false), "two words");
    assert_eq!(normalize_text("Two", true), "Two");
}

#[test]
fn answers_that_do_not_fit_are_errors() {
    let cases = [
        (
            "single",
            Answer::Choices(ids(&["x", "y"])),
            AnswerError::NotOneChoice(2),
        ),
        (
            "single",
            Answer::Choices(ids(&["nope"])),
            AnswerError::UnknownId("nope".into()),
        ),
        (
            "multiple",
            Answer::Choices(ids(&["p", "p"])),
            AnswerError::DuplicateId("p".into()),
        ),
        (
            "order",
            Answer::Order(ids(&["1", "2"])),
            AnswerError::IncompleteOrder {
                expected: 3,
                given: 2,
            },
        ),
        ("number", Answer::Number(f64::NAN), AnswerError::NotFinite),
        (
            "tf",
            Answer::Text("true".into()),
            AnswerError::WrongType {
                question: "true_false",
                answer: "text",
            },
        ),
    ];
    for (id, answer, expected) in cases {
        assert_eq!(score(&q(id), &answer), Err(expected), "{id}");
    }
}

#[test]
fn grading_applies_the_pass_mark_with_an_explanation() {
    let quiz = pool();
    let drawn: Vec<DrawnQuestion> = ["single", "tf", "number", "short", "order"]
        .iter()
        .map(|id| DrawnQuestion {
            id: (*id).into(),
            display_order: vec![],
        })
        .collect();
    let mut answers = BTreeMap::new();
    answers.insert("single".to_owned(), Answer::Choices(ids(&["y"])));
    answers.insert("tf".to_owned(), Answer::Bool(false));
    answers.insert("number".to_owned(), Answer::Number(65.0));
    answers.insert("short".to_owned(), Answer::Text("vpn".into()));
    let policy = AttemptPolicy::with_pass_mark(PassMark::DEFAULT);
    let result = policy.grade(&quiz, &drawn, &answers, None).unwrap();
    assert_eq!((result.raw, result.max, result.passed), (4.0, 5.0, true));
    assert_eq!(result.explanation, "passed: 0.80 ≥ 0.80 (4/5)");
    assert!(!result.questions[4].answered && result.questions[4].points == 0.0);
    assert_eq!(result.questions[0].feedback, vec![text("feedback y")]);

    answers.remove("short");
    let failed = policy.grade(&quiz, &drawn, &answers, None).unwrap();
    assert_eq!(failed.explanation, "failed: 0.60 < 0.80 (3/5)");

    let executive = AttemptPolicy::with_pass_mark(PassMark::from_percent(75).unwrap());
    let four = drawn[..4].to_vec();
    assert!(
        executive
            .grade(&quiz, &four, &answers, None)
            .unwrap()
            .passed,
        "3/4 passes at 75 %"
    );
}

#[test]
fn limits_time_and_grading_method() {
    let quiz = pool();
    let drawn = vec![DrawnQuestion {
        id: "tf".into(),
        display_order: vec![],
    }];
    let right: BTreeMap<_, _> = [("tf".to_owned(), Answer::Bool(false))].into();
    let policy = AttemptPolicy {
        pass_mark: PassMark::DEFAULT,
        max_attempts: Some(2),
        grading: Grading::Highest,
        time_limit_seconds: Some(600),
    };
    assert!(policy.check_can_start(1).is_ok());
    assert_eq!(
        policy.check_can_start(2),
        Err(AttemptError::LimitReached { limit: 2 })
    );
    let late = policy.grade(&quiz, &drawn, &right, Some(601)).unwrap();
    assert!(late.timed_out && !late.passed, "{}", late.explanation);
    assert!(
        policy
            .grade(&quiz, &drawn, &right, Some(600))
            .unwrap()
            .passed
    );
    let stray: BTreeMap<_, _> = [("single".to_owned(), Answer::Bool(true))].into();
    assert_eq!(
        policy.grade(&quiz, &drawn, &stray, None),
        Err(AttemptError::NotDrawn("single".into()))
    );

    let good = policy.grade(&quiz, &drawn, &right, None).unwrap();
    let bad = policy.grade(&quiz, &drawn, &BTreeMap::new(), None).unwrap();
    let history = [good.clone(), bad.clone()];
    assert_eq!(best_of(&history, Grading::Highest), Some(&good));
    assert_eq!(best_of(&history, Grading::Last), Some(&bad));
    assert_eq!(best_of(&[], Grading::Highest), None);
}

#[test]
fn draws_put_unseen_questions_first_and_honour_tag_quotas() {
    let quiz = pool();
    let seen: HashSet<String> = ["single", "multiple", "tf", "order"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for seed in 0..50 {
        let drawn = draw(&quiz, seed, &seen);
        assert_eq!(drawn.len(), 5);
        let unseen = drawn.iter().filter(|d| !seen.contains(&d.id)).count();
        assert_eq!(
            unseen, 3,
            "all three unseen questions are drawn before any seen one"
        );
    }
    let mut tagged = quiz.clone();
    tagged.draw_by_tag.insert("b".into(), 2);
    for seed in 0..50 {
        let drawn = draw(&tagged, seed, &HashSet::new());
        assert!(
            drawn.iter().any(|d| d.id == "tf") && drawn.iter().any(|d| d.id == "order"),
            "seed {seed}"
        );
    }
}

#[test]
fn an_ordering_is_never_shown_solved() {
    let quiz = Quiz {
        draw: None,
        pass_mark: None,
        draw_by_tag: BTreeMap::new(),
        questions: vec![q("order")],
    };
    for seed in 0..200 {
        let order = &draw(&quiz, seed, &HashSet::new())[0].display_order;
        assert_ne!(order, &vec![0, 1, 2], "seed {seed}");
    }
}

fn answer_strategy() -> impl Strategy<Value = (usize, Answer)> {
    prop_oneof![
        proptest::collection::vec("[pqrsxyz]", 0..5).prop_map(|c| (0usize, Answer::Choices(c))),
        proptest::collection::vec("[pqrsxyz]", 0..5).prop_map(|c| (1usize, Answer::Choices(c))),
        any::<bool>().prop_map(|b| (2usize, Answer::Bool(b))),
        Just(vec!["1", "2", "3"])
            .prop_shuffle()
            .prop_map(|o| (3usize, Answer::Order(ids(&o)))),
        Just(vec!["l1", "l2", "l3", "l4"])
            .prop_shuffle()
            .prop_map(|r| (
                4usize,
                Answer::Matches(
                    ["l1", "l2", "l3", "l4"]
                        .iter()
                        .map(|s| (*s).to_owned())
                        .zip(r.into_iter().map(str::to_owned))
                        .collect()
                )
            )),
        any::<f64>().prop_map(|n| (5usize, Answer::Number(n))),
        ".{0,12}".prop_map(|t| (6usize, Answer::Text(t))),
    ]
}

proptest! {
    /// Points stay within [0, 1] for any answer, and an error never hides a panic.
    #[test]
    fn score_is_always_within_bounds((index, answer) in answer_strategy()) {
        let question = &pool().questions[index];
        if let Ok(s) = score(question, &answer) {
            prop_assert!((0.0..=1.0).contains(&s.points));
            prop_assert!(!s.correct || s.points == 1.0);
        }
    }

    /// The same seed gives the same attempt; shuffling the display never changes what is correct.
    #[test]
    fn same_seed_same_attempt_and_shuffles_keep_correctness(seed in any::<u64>()) {
        let quiz = pool();
        let first = draw(&quiz, seed, &HashSet::new());
        prop_assert_eq!(&first, &draw(&quiz, seed, &HashSet::new()));
        for drawn in &first {
            let question = quiz.questions.iter().find(|q| q.id == drawn.id).unwrap();
            if let QuestionKind::Single { options } | QuestionKind::Multiple { options } = &question.kind {
                // Answering by display position, then mapping back to ids, scores like answering by id.
                let shown: Vec<&Choice> = drawn.display_order.iter().map(|&i| &options[i]).collect();
                let chosen: Vec<String> = shown.iter().filter(|o| o.correct).map(|o| o.id.clone()).collect();
                prop_assert!(score(question, &Answer::Choices(chosen)).unwrap().correct);
            }
        }
    }

    /// Grades stay within bounds and the pass verdict matches the documented comparison.
    #[test]
    fn grades_are_consistent(answers in proptest::collection::vec(answer_strategy(), 0..7), mark in 1i64..=100) {
        let quiz = pool();
        let drawn: Vec<DrawnQuestion> = quiz.questions.iter().map(|q| DrawnQuestion { id: q.id.clone(), display_order: vec![] }).collect();
        let mut by_id = BTreeMap::new();
        for (index, answer) in answers {
            if score(&quiz.questions[index], &answer).is_ok() {
                by_id.insert(quiz.questions[index].id.clone(), answer);
            }
        }
        let policy = AttemptPolicy::with_pass_mark(PassMark::from_percent(mark).unwrap());
        let result = policy.grade(&quiz, &drawn, &by_id, None).unwrap();
        prop_assert!(result.raw >= 0.0 && result.raw <= result.max && (0.0..=1.0).contains(&result.scaled));
        prop_assert_eq!(result.passed, result.scaled + 1e-9 >= mark as f64 / 100.0);
    }
}
