//! Quiz scoring throughput over the built-in series' 170 questions (target: over 1 M answers/s).
//!
//! Run with `cargo bench -p mist-core --bench scoring`.

use std::hint::black_box;
use std::time::Instant;

use mist_core::quiz::{Answer, score};
use mist_core::{Question, QuestionKind, builtin};

/// A right answer for each question type, as a learner would submit it.
fn right_answer(question: &Question) -> Answer {
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => Answer::Choices(
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect(),
        ),
        QuestionKind::TrueFalse { answer } => Answer::Bool(*answer),
        QuestionKind::Ordering { items } => {
            Answer::Order(items.iter().map(|i| i.id.clone()).collect())
        }
        QuestionKind::Matching { pairs } => {
            Answer::Matches(pairs.iter().map(|p| (p.id.clone(), p.id.clone())).collect())
        }
        QuestionKind::Numeric { answer, .. } => Answer::Number(*answer),
        QuestionKind::ShortText { accept, .. } => {
            Answer::Text(accept.first().cloned().unwrap_or_default())
        }
    }
}

fn main() {
    let Some(series) = builtin::load_series().series else {
        eprintln!("the built-in series does not load");
        std::process::exit(1);
    };
    let cases: Vec<(Question, Answer)> = series
        .courses
        .iter()
        .flat_map(|c| &c.modules)
        .filter_map(|m| m.quiz.as_ref())
        .flat_map(|q| &q.questions)
        .map(|q| (q.clone(), right_answer(q)))
        .collect();
    let rounds = 20_000;
    let start = Instant::now();
    let mut correct = 0usize;
    for _ in 0..rounds {
        for (question, answer) in &cases {
            if score(black_box(question), black_box(answer)).is_ok_and(|s| s.correct) {
                correct += 1;
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let answers = rounds * cases.len();
    assert_eq!(correct, answers, "every right answer scores as right");
    println!(
        "quiz scoring: {answers} answers ({} questions × {rounds}) in {elapsed:.3} s = {:.2} M answers/s",
        cases.len(),
        answers as f64 / elapsed / 1e6
    );
}
