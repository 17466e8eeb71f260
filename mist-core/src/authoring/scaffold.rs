//! The starter course that `mist course init` writes: small, valid, and showing each kind of file.

/// The files of the starter course: `(relative path, content)`.
pub fn starter_course() -> Vec<(&'static str, &'static str)> {
    vec![
        ("course.toml", COURSE),
        ("first-module/module.toml", MODULE),
        ("first-module/lessons/red-flags.ja.md", LESSON_JA),
        ("first-module/lessons/red-flags.en.md", LESSON_EN),
        ("first-module/quiz.toml", QUIZ),
    ]
}

const COURSE: &str = r#"# A MIST course. Reference: docs/authoring.md in the MIST repository.
languages = ["ja", "en"]
audience = "staff"          # executive | administrator | staff
pass_mark = 80              # percent
modules = ["first-module"]
title = { ja = "院内情報セキュリティ研修", en = "In-house information security training" }
description = { ja = "全職員向けの年次研修です。", en = "The annual training for all staff." }
"#;

const MODULE: &str = r#"title = { ja = "不審メールに気づく", en = "Noticing suspicious email" }
summary = { ja = "不審なメールの特徴と、気づいたときの行動を学びます。", en = "The signs of a suspicious email, and what to do when you see one." }
minutes = 10
objectives = [
  { ja = "不審なメールの特徴を三つ挙げられる", en = "Name three signs of a suspicious email" },
  { ja = "開いてしまったときに誰へ報告するか言える", en = "Say whom to tell if you opened one" },
]

[[lessons]]
slug = "red-flags"
"#;

const LESSON_JA: &str = r#"+++
title = "不審なメールの特徴"
+++
次のようなメールは、開く前に立ち止まりましょう。

- 件名が「RE:」で始まり、覚えのないやり取りを引用している
- 表示名と実際の送信元アドレスが一致しない
- パスワード付きZIPが添付され、本文にパスワードが書かれている
- 「コンテンツの有効化」やマクロの実行を求める

**開いてしまったら**、自分で対処しようとせず、すぐに情報システム担当へ連絡してください。
"#;

const LESSON_EN: &str = r#"+++
title = "Signs of a suspicious email"
+++
Stop before opening an email that:

- has a subject starting with "RE:" and quotes a conversation you do not remember
- shows a display name that does not match the real sender address
- carries a password-protected ZIP with the password in the body
- asks you to "enable content" or run macros

**If you opened it**, do not try to fix it yourself: tell the IT department at once.
"#;

const QUIZ: &str = r#"draw = 3   # questions per attempt

[[questions]]
id = "macro"
type = "single"
prompt = { ja = "添付ファイルを開くと「コンテンツの有効化」を求められました。どうしますか。", en = "An attachment asks you to \"enable content\". What do you do?" }
explanation = { ja = "マクロの有効化はマルウェア感染の典型的な入口です。", en = "Enabling macros is a classic way malware gets in." }
options = [
  { id = "a", correct = true, text = { ja = "有効化せずに閉じ、情報システム担当に連絡する", en = "Close it without enabling and tell IT" }, feedback = { ja = "正解です。", en = "Right." } },
  { id = "b", correct = false, text = { ja = "有効化して内容を確認する", en = "Enable it to see the content" }, feedback = { ja = "有効化すると感染するおそれがあります。", en = "Enabling it may infect the PC." } },
]

[[questions]]
id = "signs"
type = "multiple"
prompt = { ja = "不審なメールの特徴をすべて選んでください。", en = "Select every sign of a suspicious email." }
explanation = { ja = "どれも典型的な特徴です。", en = "Each is a typical sign." }
options = [
  { id = "a", correct = true, text = { ja = "表示名と送信元アドレスが違う", en = "Display name and sender address differ" } },
  { id = "b", correct = true, text = { ja = "パスワード付きZIPと同じメールにパスワード", en = "A password-protected ZIP with the password in the same mail" } },
  { id = "c", correct = false, text = { ja = "院内の定例会議の案内が院内システムから届いた", en = "A routine meeting notice from the hospital's own system" } },
]

[[questions]]
id = "report"
type = "true_false"
prompt = { ja = "開いてしまった場合は、まず自分でウイルス対策ソフトを再インストールする。", en = "If you opened it, first reinstall the antivirus yourself." }
explanation = { ja = "自分で対処せず、すぐに報告します。", en = "Do not fix it yourself: report it at once." }
answer = false
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::{SourceTree, load};

    #[test]
    fn the_starter_course_is_valid() {
        let mut tree = SourceTree::new("my-course").with_root_name("my-course");
        for (path, text) in starter_course() {
            tree.insert_text(path, text);
        }
        let outcome = load(&tree);
        assert!(outcome.diagnostics.is_empty(), "{:#?}", outcome.diagnostics);
        let series = outcome.series.as_ref().map(|s| s.courses.len());
        assert_eq!(series, Some(1));
    }
}
