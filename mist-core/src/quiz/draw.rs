//! Drawing an attempt's questions from a pool, reproducibly from a seed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::rng::SplitMix64;
use super::{QuestionKind, Quiz};

/// A question as drawn for one attempt: which pool question, and the order its choices are shown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnQuestion {
    /// The question's id in the pool.
    pub id: String,
    /// Display order of the options (`single`, `multiple`), items (`ordering`) or right-hand sides
    /// (`matching`), as indexes into the question's list; empty for other types.
    pub display_order: Vec<usize>,
}

/// Draws `quiz.draw_count()` questions with `seed`.
///
/// Questions whose ids are in `seen` (answered in earlier attempts or an earlier fiscal year) come last,
/// so a retake shows new questions while the pool lasts. `draw_by_tag` quotas are filled first. The
/// same quiz, seed and `seen` always give the same attempt; choices are shuffled, and an ordering is
/// never shown already in its correct order.
pub fn draw(quiz: &Quiz, seed: u64, seen: &HashSet<String>) -> Vec<DrawnQuestion> {
    let mut rng = SplitMix64::new(seed);
    let mut candidates: Vec<usize> = (0..quiz.questions.len()).collect();
    rng.shuffle(&mut candidates);
    // A stable sort keeps the shuffled order within the unseen and the seen groups.
    candidates.sort_by_key(|&i| seen.contains(&quiz.questions[i].id));

    let wanted = quiz.draw_count();
    let mut picked: Vec<usize> = Vec::with_capacity(wanted);
    for (tag, quota) in &quiz.draw_by_tag {
        let tagged = candidates
            .iter()
            .copied()
            .filter(|i| quiz.questions[*i].tags.contains(tag) && !picked.contains(i))
            .take(usize::from(*quota))
            .collect::<Vec<_>>();
        picked.extend(tagged);
    }
    for i in candidates {
        if picked.len() >= wanted {
            break;
        }
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.truncate(wanted);
    rng.shuffle(&mut picked);

    picked
        .into_iter()
        .map(|i| {
            let question = &quiz.questions[i];
            let choices = match &question.kind {
                QuestionKind::Single { options } | QuestionKind::Multiple { options } => {
                    options.len()
                }
                QuestionKind::Ordering { items } => items.len(),
                QuestionKind::Matching { pairs } => pairs.len(),
                _ => 0,
            };
            let mut display_order: Vec<usize> = (0..choices).collect();
            rng.shuffle(&mut display_order);
            let is_ordering = matches!(question.kind, QuestionKind::Ordering { .. });
            if is_ordering && choices > 1 && display_order.windows(2).all(|w| w[0] < w[1]) {
                display_order.rotate_left(1);
            }
            DrawnQuestion {
                id: question.id.clone(),
                display_order,
            }
        })
        .collect()
}
