//! Quiz pools: `quiz.toml` of a module.

use std::collections::{BTreeMap, HashSet};

use toml::Spanned;

use super::context::Context;
use super::diagnostic::{Code, FileRef};
use super::load::pass_mark;
use super::parse::parse_toml;
use super::raw::{RawChoice, RawQuestion, RawQuiz};
use crate::quiz::{Choice, Item, Pair, Question, QuestionKind, Quiz};

/// Loads and checks a module's quiz pool.
pub(crate) fn load_quiz(ctx: &mut Context<'_>, path: &str) -> Option<Quiz> {
    let (display, text) = ctx.text_file(path, "")?;
    let file = FileRef::new(&display, text);
    let raw: RawQuiz = parse_toml(file, text, &mut ctx.findings)?;
    let pass_mark = pass_mark(ctx, file, raw.pass_mark.as_ref());
    let pool = raw.questions.get_ref();
    if pool.is_empty() {
        ctx.findings.add(
            file,
            Some(raw.questions.span()),
            Code::InvalidQuestion,
            "the quiz has no questions",
            Some("add [[questions]] tables, or remove quiz.toml".to_owned()),
        );
    }
    let draw = raw.draw.as_ref().and_then(|draw| {
        let value = u16::try_from(*draw.get_ref())
            .ok()
            .filter(|n| *n > 0 && usize::from(*n) <= pool.len());
        if value.is_none() {
            ctx.findings.add(
                file,
                Some(draw.span()),
                Code::InvalidDraw,
                format!(
                    "`draw = {}` but the pool has {} questions",
                    draw.get_ref(),
                    pool.len()
                ),
                Some("draw between 1 and the number of questions".to_owned()),
            );
        }
        value
    });
    let draw_by_tag = tag_quotas(ctx, file, &raw, draw);
    let mut seen = HashSet::new();
    let questions: Vec<Option<Question>> = pool
        .iter()
        .map(|question| {
            let unique = ctx.unique_id(file, &mut seen, &question.id, "question");
            let loaded = load_question(ctx, file, question);
            loaded.filter(|_| unique)
        })
        .collect();
    let pass_mark = match pass_mark {
        Some(None) => return None,
        Some(Some(mark)) => Some(mark),
        None => None,
    };
    if raw.draw.is_some() && draw.is_none() {
        return None;
    }
    Some(Quiz {
        draw,
        pass_mark,
        draw_by_tag: draw_by_tag?,
        questions: questions.into_iter().collect::<Option<_>>()?,
    })
}

/// Checks `[draw_by_tag]`: each tag has enough questions, and the quotas fit in `draw`.
fn tag_quotas(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    raw: &RawQuiz,
    draw: Option<u16>,
) -> Option<BTreeMap<String, u16>> {
    let Some(quotas) = &raw.draw_by_tag else {
        return Some(BTreeMap::new());
    };
    let pool = raw.questions.get_ref();
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (tag, quota) in quotas.get_ref() {
        let available = pool.iter().filter(|q| q.tags.contains(tag)).count();
        let checked = u16::try_from(*quota.get_ref())
            .ok()
            .filter(|n| *n > 0 && usize::from(*n) <= available);
        match checked {
            Some(n) => {
                out.insert(tag.clone(), n);
            }
            None => {
                ok = false;
                let message = format!(
                    "`draw_by_tag.{tag} = {}` but {available} questions have that tag",
                    quota.get_ref()
                );
                ctx.findings
                    .add(file, Some(quota.span()), Code::InvalidDraw, message, None);
            }
        }
    }
    let total: usize = out.values().map(|n| usize::from(*n)).sum();
    let limit = draw.map_or(pool.len(), usize::from);
    if total > limit {
        ok = false;
        let message =
            format!("the tag quotas add up to {total}, more than the {limit} questions drawn");
        ctx.findings
            .add(file, Some(quotas.span()), Code::InvalidDraw, message, None);
    }
    ok.then_some(out)
}

fn load_question(ctx: &mut Context<'_>, file: FileRef<'_>, raw: &RawQuestion) -> Option<Question> {
    let what = format!("question `{}`", raw.id.get_ref());
    let prompt = ctx.localized(file, &raw.prompt, &format!("{what} prompt"));
    let explanation = ctx.optional_localized(
        file,
        raw.explanation.as_ref(),
        &format!("{what} explanation"),
    );
    if raw.explanation.is_none() {
        ctx.findings.add(
            file,
            Some(raw.id.span()),
            Code::MissingExplanation,
            format!("{what} has no explanation"),
            Some("learners see the explanation after submitting; add `explanation`".to_owned()),
        );
    }
    let kind = load_kind(ctx, file, raw, &what);
    Some(Question {
        id: raw.id.get_ref().clone(),
        tags: raw.tags.clone(),
        prompt: prompt?,
        explanation,
        kind: kind?,
    })
}

/// The keys each type may use besides the common ones.
const TYPE_KEYS: [(&str, &[&str]); 7] = [
    ("single", &["options"]),
    ("multiple", &["options"]),
    ("true_false", &["answer"]),
    ("ordering", &["items"]),
    ("matching", &["pairs"]),
    ("numeric", &["answer", "tolerance", "unit"]),
    ("short_text", &["accept", "case_sensitive"]),
];

fn load_kind(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    raw: &RawQuestion,
    what: &str,
) -> Option<QuestionKind> {
    let type_name = raw.kind.get_ref().as_str();
    let Some((_, allowed)) = TYPE_KEYS.iter().find(|(name, _)| *name == type_name) else {
        ctx.findings.add(
            file,
            Some(raw.kind.span()),
            Code::InvalidValue,
            format!("{what} has unknown type `{type_name}`"),
            Some(
                "use single, multiple, true_false, ordering, matching, numeric or short_text"
                    .to_owned(),
            ),
        );
        return None;
    };
    let present = [
        ("options", raw.options.as_ref().map(Spanned::span)),
        ("answer", raw.answer.as_ref().map(Spanned::span)),
        ("tolerance", raw.tolerance.as_ref().map(Spanned::span)),
        ("unit", raw.unit.as_ref().map(Spanned::span)),
        ("items", raw.items.as_ref().map(Spanned::span)),
        ("pairs", raw.pairs.as_ref().map(Spanned::span)),
        ("accept", raw.accept.as_ref().map(Spanned::span)),
        (
            "case_sensitive",
            raw.case_sensitive.as_ref().map(Spanned::span),
        ),
    ];
    for (key, span) in present {
        if let Some(span) = span.filter(|_| !allowed.contains(&key)) {
            ctx.findings.add(
                file,
                Some(span),
                Code::UnknownKey,
                format!("`{key}` does not apply to a `{type_name}` question"),
                Some(format!(
                    "a `{type_name}` question uses: {}",
                    allowed.join(", ")
                )),
            );
        }
    }
    let missing = |ctx: &mut Context<'_>, key: &str| {
        ctx.findings.add(
            file,
            Some(raw.id.span()),
            Code::InvalidQuestion,
            format!("{what} of type `{type_name}` needs `{key}`"),
            None,
        );
    };
    match type_name {
        "single" | "multiple" => {
            let Some(options) = &raw.options else {
                missing(ctx, "options");
                return None;
            };
            let choices = load_choices(ctx, file, options, what);
            let correct = options.get_ref().iter().filter(|o| o.correct).count();
            let single = type_name == "single";
            if correct == 0 || (single && correct > 1) {
                let message = if correct == 0 {
                    format!("{what} has no correct option")
                } else {
                    format!("{what} is `single` but has {correct} correct options")
                };
                let hint = if single {
                    "mark exactly one option `correct = true`, or use type = \"multiple\""
                } else {
                    "mark at least one option `correct = true`"
                };
                ctx.findings.add(
                    file,
                    Some(options.span()),
                    Code::NoCorrectAnswer,
                    message,
                    Some(hint.to_owned()),
                );
                return None;
            }
            let options = choices?;
            Some(if single {
                QuestionKind::Single { options }
            } else {
                QuestionKind::Multiple { options }
            })
        }
        "true_false" => match raw.answer.as_ref().map(|a| (a, a.get_ref().as_bool())) {
            Some((_, Some(answer))) => Some(QuestionKind::TrueFalse { answer }),
            Some((answer, None)) => {
                ctx.findings.add(
                    file,
                    Some(answer.span()),
                    Code::InvalidValue,
                    format!("{what}: `answer` of a true_false question is true or false"),
                    None,
                );
                None
            }
            None => {
                missing(ctx, "answer");
                None
            }
        },
        "ordering" => {
            let Some(items) = &raw.items else {
                missing(ctx, "items");
                return None;
            };
            at_least_two(
                ctx,
                file,
                items.span(),
                items.get_ref().len(),
                what,
                "items",
            )?;
            let mut seen = HashSet::new();
            let loaded: Vec<Option<Item>> = items
                .get_ref()
                .iter()
                .map(|item| {
                    let unique = ctx.unique_id(file, &mut seen, &item.id, "item");
                    let text = ctx.localized(file, &item.text, &format!("{what} item"));
                    Some(Item {
                        id: item.id.get_ref().clone(),
                        text: text?,
                    })
                    .filter(|_| unique)
                })
                .collect();
            Some(QuestionKind::Ordering {
                items: loaded.into_iter().collect::<Option<_>>()?,
            })
        }
        "matching" => {
            let Some(pairs) = &raw.pairs else {
                missing(ctx, "pairs");
                return None;
            };
            at_least_two(
                ctx,
                file,
                pairs.span(),
                pairs.get_ref().len(),
                what,
                "pairs",
            )?;
            let mut seen = HashSet::new();
            let loaded: Vec<Option<Pair>> = pairs
                .get_ref()
                .iter()
                .map(|pair| {
                    let unique = ctx.unique_id(file, &mut seen, &pair.id, "pair");
                    let left = ctx.localized(file, &pair.left, &format!("{what} pair left side"));
                    let right =
                        ctx.localized(file, &pair.right, &format!("{what} pair right side"));
                    Some(Pair {
                        id: pair.id.get_ref().clone(),
                        left: left?,
                        right: right?,
                    })
                    .filter(|_| unique)
                })
                .collect();
            Some(QuestionKind::Matching {
                pairs: loaded.into_iter().collect::<Option<_>>()?,
            })
        }
        "numeric" => {
            let Some(answer) = &raw.answer else {
                missing(ctx, "answer");
                return None;
            };
            let value = match answer.get_ref() {
                toml::Value::Integer(n) => Some(*n as f64),
                toml::Value::Float(x) if x.is_finite() => Some(*x),
                _ => None,
            };
            if value.is_none() {
                ctx.findings.add(
                    file,
                    Some(answer.span()),
                    Code::InvalidValue,
                    format!("{what}: `answer` of a numeric question is a number"),
                    None,
                );
            }
            let tolerance = raw.tolerance.as_ref().map_or(Some(0.0), |t| {
                let ok = t.get_ref().is_finite() && *t.get_ref() >= 0.0;
                if !ok {
                    ctx.findings.add(
                        file,
                        Some(t.span()),
                        Code::InvalidQuestion,
                        format!("{what}: `tolerance` must be zero or more"),
                        None,
                    );
                }
                Some(*t.get_ref()).filter(|_| ok)
            });
            let unit = ctx.optional_localized(file, raw.unit.as_ref(), &format!("{what} unit"));
            if raw.unit.is_some() && unit.is_none() {
                return None;
            }
            Some(QuestionKind::Numeric {
                answer: value?,
                tolerance: tolerance?,
                unit,
            })
        }
        _ => {
            let Some(accept) = &raw.accept else {
                missing(ctx, "accept");
                return None;
            };
            let answers: Vec<String> = accept
                .get_ref()
                .iter()
                .map(|a| a.get_ref().trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect();
            if answers.is_empty() {
                ctx.findings.add(
                    file,
                    Some(accept.span()),
                    Code::NoCorrectAnswer,
                    format!("{what} accepts no answer"),
                    Some("list at least one accepted answer".to_owned()),
                );
                return None;
            }
            Some(QuestionKind::ShortText {
                accept: answers,
                case_sensitive: raw.case_sensitive.as_ref().is_some_and(|c| *c.get_ref()),
            })
        }
    }
}

fn load_choices(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    options: &Spanned<Vec<RawChoice>>,
    what: &str,
) -> Option<Vec<Choice>> {
    at_least_two(
        ctx,
        file,
        options.span(),
        options.get_ref().len(),
        what,
        "options",
    )?;
    let mut seen = HashSet::new();
    let choices: Vec<Option<Choice>> = options
        .get_ref()
        .iter()
        .map(|option| {
            let unique = ctx.unique_id(file, &mut seen, &option.id, "option");
            let text = ctx.localized(
                file,
                &option.text,
                &format!("{what} option `{}`", option.id.get_ref()),
            );
            let feedback = ctx.optional_localized(
                file,
                option.feedback.as_ref(),
                &format!("{what} option feedback"),
            );
            Some(Choice {
                id: option.id.get_ref().clone(),
                text: text?,
                correct: option.correct,
                feedback,
            })
            .filter(|_| unique)
        })
        .collect();
    choices.into_iter().collect()
}

fn at_least_two(
    ctx: &mut Context<'_>,
    file: FileRef<'_>,
    span: std::ops::Range<usize>,
    count: usize,
    what: &str,
    key: &str,
) -> Option<()> {
    if count >= 2 {
        return Some(());
    }
    ctx.findings.add(
        file,
        Some(span),
        Code::InvalidQuestion,
        format!("{what} needs at least two {key}, has {count}"),
        None,
    );
    None
}
