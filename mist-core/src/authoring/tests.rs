//! Malformed-input cases: each edit of the valid starter course yields one located finding.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::{Code, Diagnostic, SourceTree, load, starter_course};

fn starter() -> SourceTree {
    let mut tree = SourceTree::new("c").with_root_name("c");
    for (path, text) in starter_course() {
        tree.insert_text(path, text);
    }
    tree
}

fn text_of(tree: &SourceTree, path: &str) -> String {
    match tree.get(path) {
        Some(super::SourceFile::Text(text)) => text.clone(),
        other => panic!("{path}: {other:?}"),
    }
}

/// Replaces `from` with `to` in one file of the starter course (the text must be there).
fn edited(path: &str, from: &str, to: &str) -> SourceTree {
    let mut tree = starter();
    let text = text_of(&tree, path);
    assert!(text.contains(from), "{path} has no {from:?}");
    tree.insert_text(path, text.replacen(from, to, 1));
    tree
}

fn findings(tree: &SourceTree) -> Vec<Diagnostic> {
    let outcome = load(tree);
    assert_eq!(outcome.series.is_some(), outcome.is_valid());
    outcome.diagnostics
}

/// Asserts exactly one finding with this code, at `file:line:column`.
fn check(tree: SourceTree, code: Code, file: &str, line: u32, column: u32) {
    let found = findings(&tree);
    let matching: Vec<_> = found.iter().filter(|d| d.code == code).collect();
    assert_eq!(matching.len(), 1, "expected one {code}, got {found:#?}");
    let d = matching[0];
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        (file, line, column),
        "{d}"
    );
    assert!(!d.message.is_empty() && !d.message.ends_with('.'), "{d}");
}

#[test]
fn malformed_toml_is_located() {
    check(
        edited("course.toml", "pass_mark = 80", "pass_mark = = 80"),
        Code::TomlSyntax,
        "c/course.toml",
        4,
        13,
    );
}

#[test]
fn unknown_keys_are_located_and_do_not_hide_other_findings() {
    let tree = edited(
        "first-module/module.toml",
        "minutes = 10",
        "minutes = 10\nminuts = 10\nbeginer = true",
    );
    let found = findings(&tree);
    let unknown: Vec<_> = found
        .iter()
        .filter(|d| d.code == Code::UnknownKey)
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        unknown,
        [(4, "unknown key `minuts`"), (5, "unknown key `beginer`")]
    );
}

#[test]
fn unknown_keys_inside_arrays_of_tables_are_located() {
    let quiz = "first-module/quiz.toml";
    check(
        edited(
            quiz,
            "id = \"report\"",
            "id = \"report\"\nexplaination = \"x\"",
        ),
        Code::UnknownKey,
        "c/first-module/quiz.toml",
        26,
        1,
    );
}

#[test]
fn wrong_types_are_invalid_values() {
    check(
        edited(
            "first-module/module.toml",
            "minutes = 10",
            "minutes = \"ten\"",
        ),
        Code::InvalidValue,
        "c/first-module/module.toml",
        3,
        11,
    );
    check(
        edited(
            "course.toml",
            "audience = \"staff\"",
            "audience = \"nurses\"",
        ),
        Code::InvalidValue,
        "c/course.toml",
        3,
        12,
    );
}

#[test]
fn duplicate_ids_are_reported() {
    check(
        edited("first-module/quiz.toml", "id = \"signs\"", "id = \"macro\""),
        Code::DuplicateId,
        "c/first-module/quiz.toml",
        14,
        6,
    );
    check(
        edited(
            "course.toml",
            "modules = [\"first-module\"]",
            "modules = [\"first-module\", \"first-module\"]",
        ),
        Code::DuplicateId,
        "c/course.toml",
        5,
        28,
    );
}

#[test]
fn dangling_and_unlisted_modules_are_reported() {
    check(
        edited(
            "course.toml",
            "modules = [\"first-module\"]",
            "modules = [\"first-module\", \"second\"]",
        ),
        Code::DanglingReference,
        "c/course.toml",
        5,
        28,
    );
    let mut tree = starter();
    tree.insert_text(
        "forgotten/module.toml",
        "title = { ja = \"x\", en = \"x\" }",
    );
    check(tree, Code::DanglingReference, "c/course.toml", 1, 1);
}

#[test]
fn a_question_without_a_correct_answer_is_an_error() {
    let tree = edited(
        "first-module/quiz.toml",
        "{ id = \"a\", correct = true,",
        "{ id = \"a\", correct = false,",
    );
    check(
        tree,
        Code::NoCorrectAnswer,
        "c/first-module/quiz.toml",
        8,
        11,
    );
    let two_right = edited(
        "first-module/quiz.toml",
        "{ id = \"b\", correct = false, text = { ja = \"有効化",
        "{ id = \"b\", correct = true, text = { ja = \"有効化",
    );
    check(
        two_right,
        Code::NoCorrectAnswer,
        "c/first-module/quiz.toml",
        8,
        11,
    );
}

#[test]
fn missing_translations_are_reported_where_the_text_is() {
    let tree = edited(
        "first-module/module.toml",
        ", en = \"Noticing suspicious email\"",
        "",
    );
    check(
        tree,
        Code::MissingTranslation,
        "c/first-module/module.toml",
        1,
        9,
    );
    let typo = edited(
        "first-module/module.toml",
        "en = \"Noticing",
        "jp = \"Noticing",
    );
    let found = findings(&typo);
    assert!(
        found.iter().any(|d| d.code == Code::UnknownLanguage),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|d| d.code == Code::MissingTranslation),
        "{found:#?}"
    );
}

#[test]
fn a_missing_lesson_file_is_reported_with_a_hint() {
    let mut tree = SourceTree::new("c").with_root_name("c");
    for (path, text) in starter_course()
        .into_iter()
        .filter(|(path, _)| !path.ends_with(".en.md"))
    {
        tree.insert_text(path, text);
    }
    let found = findings(&tree);
    let missing = found
        .iter()
        .find(|d| d.code == Code::MissingFile)
        .expect("missing-file");
    assert_eq!(missing.file, "c/first-module/lessons/red-flags.en.md");
    assert!(
        missing
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("red-flags.en.md")
    );
}

#[test]
fn lesson_front_matter_is_required_and_checked() {
    let lesson = "first-module/lessons/red-flags.ja.md";
    check(
        edited(lesson, "+++\ntitle", "title"),
        Code::InvalidValue,
        "c/first-module/lessons/red-flags.ja.md",
        1,
        1,
    );
    // A bad key in the front matter is located on the file's own line numbers.
    check(
        edited(
            lesson,
            "title = \"不審なメールの特徴\"",
            "title = \"不審なメールの特徴\"\nauthor = \"x\"",
        ),
        Code::UnknownKey,
        "c/first-module/lessons/red-flags.ja.md",
        3,
        1,
    );
}

#[test]
fn quiz_rules_are_checked() {
    let quiz = "first-module/quiz.toml";
    check(
        edited(quiz, "draw = 3", "draw = 9"),
        Code::InvalidDraw,
        "c/first-module/quiz.toml",
        1,
        8,
    );
    check(
        edited(quiz, "draw = 3", "draw = 3\npass_mark = 150"),
        Code::InvalidPassMark,
        "c/first-module/quiz.toml",
        2,
        13,
    );
    check(
        edited(quiz, "answer = false", "answer = false\noptions = []"),
        Code::UnknownKey,
        "c/first-module/quiz.toml",
        30,
        11,
    );
    check(
        edited(quiz, "type = \"single\"", "type = \"choice\""),
        Code::InvalidValue,
        "c/first-module/quiz.toml",
        5,
        8,
    );
}

#[test]
fn download_paths_cannot_leave_the_module() {
    let escape = "[[lessons]]\nslug = \"red-flags\"\n[[lessons.downloads]]\nfile = \"../../secret.txt\"\ntitle = { ja = \"x\", en = \"x\" }\n";
    check(
        edited(
            "first-module/module.toml",
            "[[lessons]]\nslug = \"red-flags\"\n",
            escape,
        ),
        Code::UnsafePath,
        "c/first-module/module.toml",
        12,
        8,
    );
}

#[test]
fn several_problems_in_several_files_are_reported_at_once() {
    let mut tree = edited("course.toml", "pass_mark = 80", "pass_mark = 0");
    let quiz = text_of(&tree, "first-module/quiz.toml").replace("id = \"signs\"", "id = \"macro\"");
    tree.insert_text("first-module/quiz.toml", quiz);
    let codes: Vec<Code> = findings(&tree).iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&Code::InvalidPassMark) && codes.contains(&Code::DuplicateId),
        "{codes:?}"
    );
}

#[test]
fn an_empty_directory_is_explained() {
    check(
        SourceTree::new("empty"),
        Code::MissingFile,
        "empty/series.toml",
        1,
        1,
    );
}

proptest! {
    /// No file content, however broken, makes the loader panic.
    #[test]
    fn loading_never_panics(which in 0usize..5, cut in 0usize..2000, junk in ".{0,40}") {
        let mut tree = starter();
        let (path, text) = starter_course()[which];
        let mut bytes = text.as_bytes()[..cut.min(text.len())].to_vec();
        bytes.extend_from_slice(junk.as_bytes());
        bytes.extend_from_slice(&text.as_bytes()[cut.min(text.len())..]);
        tree.insert_bytes(path, bytes);
        let _ = load(&tree);
    }
}
