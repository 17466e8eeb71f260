//! Builds a one-module course in code and prints it as JSON.
//!
//! Run with `cargo run --example build_course`.

use mist::core::model::{derived_course_id, derived_module_id};
use mist::core::quiz::Choice;
use mist::core::{
    Audience, Block, Course, Lesson, Localized, Module, PassMark, Question, QuestionKind, Quiz,
    Slug,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let course_slug = Slug::parse("ward-basics")?;
    let module_slug = Slug::parse("lock-your-screen")?;
    let lesson = Lesson {
        slug: Slug::parse("why-lock")?,
        title: Localized::ja_en("画面をロックする理由", "Why lock the screen")?,
        blocks: vec![Block::Text {
            markdown: Localized::ja_en(
                "共用端末を離れるときは、必ず画面をロックしましょう。",
                "Always lock a shared terminal when you step away.",
            )?,
        }],
    };
    let question = Question {
        id: "leave-terminal".into(),
        tags: vec!["terminals".into()],
        prompt: Localized::ja_en(
            "ナースステーションの端末を離れるとき、どうしますか。",
            "You leave the nurses' station PC. What do you do?",
        )?,
        explanation: Some(Localized::ja_en(
            "ロックすれば他人があなたのIDで操作できません。",
            "Locked, nobody can act under your ID.",
        )?),
        kind: QuestionKind::Single {
            options: vec![
                Choice {
                    id: "a".into(),
                    text: Localized::ja_en("ロックする", "Lock it")?,
                    correct: true,
                    feedback: None,
                },
                Choice {
                    id: "b".into(),
                    text: Localized::ja_en("そのままにする", "Leave it as is")?,
                    correct: false,
                    feedback: None,
                },
            ],
        },
    };
    let course = Course {
        id: derived_course_id(&course_slug),
        audience: Audience::Staff,
        title: Localized::ja_en("病棟の基本", "Ward basics")?,
        description: None,
        pass_mark: PassMark::DEFAULT,
        modules: vec![Module {
            id: derived_module_id(&course_slug, &module_slug),
            slug: module_slug,
            title: Localized::ja_en("画面ロック", "Screen lock")?,
            summary: None,
            minutes: Some(5),
            beginner: false,
            required: true,
            sources: Vec::new(),
            objectives: vec![Localized::ja_en(
                "離席時に画面をロックできる",
                "Lock the screen when leaving",
            )?],
            lessons: vec![lesson],
            quiz: Some(Quiz {
                draw: None,
                pass_mark: None,
                draw_by_tag: Default::default(),
                questions: vec![question],
            }),
            launch: None,
        }],
        slug: course_slug,
    };
    println!("{}", serde_json::to_string_pretty(&course)?);
    Ok(())
}
