//! Invariants of the built-in MIST series: tiers, titles, translations, lesson substance and pools.

use std::collections::{BTreeSet, HashSet};

use mist::core::{Audience, Block, LanguageTag, Series, builtin, markdown};

fn series() -> Series {
    let outcome = builtin::load_series();
    assert!(
        outcome.diagnostics.is_empty(),
        "{}",
        outcome
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    outcome.series.expect("valid series")
}

fn both_languages() -> [LanguageTag; 2] {
    [LanguageTag::ja(), LanguageTag::en()]
}

#[test]
fn one_course_per_tier_with_the_agreed_pass_marks() {
    let series = series();
    let tiers: Vec<Audience> = series.courses.iter().map(|c| c.audience).collect();
    assert_eq!(tiers, Audience::ALL);
    for course in &series.courses {
        let expected = if course.audience == Audience::Executive {
            75
        } else {
            80
        };
        assert_eq!(course.pass_mark.percent(), expected, "{}", course.slug);
    }
    let modules: usize = series.courses.iter().map(|c| c.modules.len()).sum();
    assert!(modules >= 15, "{modules} modules");
}

#[test]
fn the_press_release_titles_are_module_titles() {
    let titles = [
        "セキュリティの基本、最近の脅威",
        "インシデント体験談「つるぎ町立半田病院で起きたこと」",
        "医療機関で心得ておくべき契約",
        "情報セキュリティ責任者になったら考えるべきこと",
        "ベンダーとの調整や連携について",
        "今すぐできるセキュリティ対策",
        "インシデント発生に備えた準備のあり方",
        "医療機関におけるコミュニケーションツールの活用",
        "半田病院のインシデントから学ぶ技術強化と契約のポイント",
    ];
    let series = series();
    let ja = LanguageTag::ja();
    for title in titles {
        let count = series
            .courses
            .iter()
            .flat_map(|c| &c.modules)
            .filter(|m| m.title.get(&ja) == Some(title))
            .count();
        assert_eq!(count, 1, "{title}");
    }
}

#[test]
fn every_module_is_bilingual_and_substantial() {
    let series = series();
    for module in series.courses.iter().flat_map(|c| &c.modules) {
        for lang in both_languages() {
            assert!(
                module.title.get(&lang).is_some(),
                "{} title {lang}",
                module.slug
            );
            assert!(
                module.summary.as_ref().and_then(|s| s.get(&lang)).is_some(),
                "{} summary {lang}",
                module.slug
            );
            assert!(
                !module.objectives.is_empty()
                    && module.objectives.iter().all(|o| o.get(&lang).is_some()),
                "{} objectives {lang}",
                module.slug
            );
            let text: usize = module
                .lessons
                .iter()
                .flat_map(|l| &l.blocks)
                .filter_map(|b| match b {
                    Block::Text { markdown } => markdown.get(&lang),
                    _ => None,
                })
                .map(|t| t.chars().count())
                .sum();
            assert!(
                text >= 600,
                "{} has {text} characters of {lang} lesson text",
                module.slug
            );
        }
    }
}

#[test]
fn every_pool_has_eight_explained_questions_and_all_types_are_used() {
    let series = series();
    let mut types = BTreeSet::new();
    for module in series.courses.iter().flat_map(|c| &c.modules) {
        let quiz = module
            .quiz
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no quiz", module.slug));
        assert!(
            quiz.questions.len() >= 8,
            "{}: {} questions",
            module.slug,
            quiz.questions.len()
        );
        assert!(quiz.draw_count() >= 3, "{}", module.slug);
        for question in &quiz.questions {
            types.insert(question.kind.type_name());
            let explanation = question
                .explanation
                .as_ref()
                .unwrap_or_else(|| panic!("{}/{}", module.slug, question.id));
            for lang in both_languages() {
                assert!(
                    explanation.get(&lang).is_some() && question.prompt.get(&lang).is_some(),
                    "{}/{} {lang}",
                    module.slug,
                    question.id
                );
            }
        }
    }
    let all = [
        "matching",
        "multiple",
        "numeric",
        "ordering",
        "short_text",
        "single",
        "true_false",
    ];
    assert_eq!(types.into_iter().collect::<Vec<_>>(), all);
}

#[test]
fn beginner_modules_belong_to_the_administrator_tier() {
    let series = series();
    for course in &series.courses {
        let beginners = course.modules.iter().filter(|m| m.beginner).count();
        match course.audience {
            Audience::Administrator => assert!(beginners >= 1),
            _ => assert_eq!(beginners, 0, "{}", course.slug),
        }
    }
}

#[test]
fn ids_are_unique_and_stable() {
    let first = series();
    let again = series();
    let mut ids = HashSet::new();
    for course in &first.courses {
        assert!(ids.insert(course.id));
        for module in &course.modules {
            assert!(ids.insert(module.id), "{}", module.slug);
        }
    }
    assert_eq!(
        first.courses.iter().map(|c| c.id).collect::<Vec<_>>(),
        again.courses.iter().map(|c| c.id).collect::<Vec<_>>()
    );
}

#[test]
fn lessons_cite_source_tags_that_the_facts_define() {
    let series = series();
    let facts = crate::shared::dir()
        .map(|dir| std::fs::read_to_string(dir.join("mission/MIST-facts.md")).expect("facts file"));
    for module in series.courses.iter().flat_map(|c| &c.modules) {
        let mut cited = BTreeSet::new();
        for block in module.lessons.iter().flat_map(|l| &l.blocks) {
            if let Block::Text { markdown } = block {
                for (_, text) in markdown.iter() {
                    cited.extend(source_tags(text));
                    let html = markdown::render(text);
                    assert!(
                        !html.contains("<script") && !html.contains("<iframe"),
                        "{}",
                        module.slug
                    );
                }
            }
        }
        assert!(!cited.is_empty(), "{} cites no source", module.slug);
        if let Some(facts) = &facts {
            for tag in &cited {
                assert!(
                    facts.contains(&format!("[{tag}]")),
                    "{} cites [{tag}], which the facts do not define",
                    module.slug
                );
            }
        }
    }
}

/// The `S12`, `R1` style tags inside square brackets of a text.
fn source_tags(text: &str) -> Vec<String> {
    text.split('[')
        .skip(1)
        .filter_map(|rest| rest.split_once(']').map(|(tag, _)| tag))
        .filter(|tag| {
            let mut chars = tag.chars();
            matches!(chars.next(), Some('S' | 'R'))
                && !tag[1..].is_empty()
                && chars.all(|c| c.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect()
}
