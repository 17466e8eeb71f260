//! The portal's interface language: chosen with `?lang=`, remembered in a cookie, Japanese by default.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::middleware::Next;
use axum::response::Response;
use mist_core::LanguageTag;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語.
    #[default]
    Ja,
    /// English.
    En,
}

const LANG_COOKIE: &str = "mist_lang";

impl Lang {
    fn parse(code: &str) -> Option<Self> {
        match code {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language tag used to pick localized content.
    pub fn tag(self) -> LanguageTag {
        match self {
            Lang::Ja => LanguageTag::ja(),
            Lang::En => LanguageTag::en(),
        }
    }

    /// The code used in URLs and the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// The interface texts in this language, for templates (`t.key`).
    pub fn texts(self) -> serde_json::Map<String, serde_json::Value> {
        UI_TEXTS
            .iter()
            .chain(super::incident::TEXTS)
            .map(|(key, ja, en)| ((*key).to_owned(), self.pick(ja, en).into()))
            .collect()
    }
}

/// Reads the language from `?lang=` (remembering it in a cookie) or the cookie, and makes it a request
/// extension for handlers.
pub async fn language(mut request: Request, next: Next) -> Response {
    let from_query = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("lang=")))
        .and_then(Lang::parse);
    let from_cookie = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("mist_lang="))
        .and_then(Lang::parse);
    let lang = from_query.or(from_cookie).unwrap_or_default();
    request.extensions_mut().insert(lang);
    let mut response = next.run(request).await;
    if from_query.is_some() && from_query != from_cookie {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Every fixed text of the interface: key, Japanese, English.
const UI_TEXTS: &[(&str, &str, &str)] = &[
    ("catalog", "研修一覧", "Courses"),
    ("modules", "モジュール", "Modules"),
    ("minutes", "分", "min"),
    ("beginner", "初級", "Beginner"),
    ("optional", "任意", "Optional"),
    ("objectives", "学習目標", "Learning objectives"),
    ("questions", "確認テスト", "Comprehension check"),
    (
        "quiz_summary",
        "問を出題(問題数",
        "questions drawn (pool of",
    ),
    ("pass_mark", "合格基準", "Pass mark"),
    ("audience", "対象", "Audience"),
    ("skip", "本文へ移動", "Skip to content"),
    ("download", "ダウンロード", "Download"),
    ("sign_in", "ログイン", "Sign in"),
    ("sign_out", "ログアウト", "Sign out"),
    ("email", "メールアドレス", "Email address"),
    ("password", "パスワード", "Password"),
    (
        "new_password",
        "新しいパスワード(10文字以上)",
        "New password (at least 10 characters)",
    ),
    ("name", "氏名(漢字)", "Name"),
    ("kana", "ふりがな", "Reading (kana)"),
    ("join_code", "施設コード", "Organization code"),
    ("sign_up", "アカウント作成", "Create account"),
    ("save", "保存", "Save"),
    ("my_learning", "マイページ", "My learning"),
    ("manage", "施設管理", "Manage"),
    ("admin", "運営管理", "Administration"),
    ("enroll", "受講を開始する", "Enroll"),
    ("enrolled", "受講中", "Enrolled"),
    ("start", "学習する", "Study"),
    (
        "take_quiz",
        "確認テストを受ける",
        "Take the comprehension check",
    ),
    ("submit", "解答を送信", "Submit answers"),
    ("completed", "修了", "Completed"),
    ("in_progress", "受講中", "In progress"),
    ("not_started", "未受講", "Not started"),
    ("certificate", "修了証", "Certificate"),
    ("score", "得点", "Score"),
    ("passed", "合格", "Passed"),
    ("failed", "不合格", "Not passed"),
    ("explanation", "解説", "Explanation"),
    ("your_answer", "あなたの解答", "Your answer"),
    ("correct", "正解", "Correct"),
    ("incorrect", "不正解", "Incorrect"),
    ("staff", "職員", "Staff"),
    ("role", "権限", "Role"),
    ("invite", "招待する", "Invite"),
    ("invitation_link", "招待リンク", "Invitation link"),
    ("deactivate", "無効にする", "Deactivate"),
    ("activate", "有効にする", "Activate"),
    (
        "reset_link",
        "パスワード再設定リンクを発行",
        "Issue a password reset link",
    ),
    ("progress", "進捗", "Progress"),
    ("organizations", "施設", "Organizations"),
    ("create", "作成", "Create"),
    ("back", "戻る", "Back"),
    ("error_title", "エラー", "Error"),
    ("role_learner", "受講者", "Learner"),
    ("role_manager", "施設管理者", "Manager"),
    ("role_admin", "運営管理者", "Administrator"),
    ("kind", "施設種別", "Facility type"),
    ("facility_name", "施設名", "Facility name"),
    ("assign", "研修を割り当てる", "Assign training"),
    ("course", "研修", "Course"),
    ("all_staff", "有効な職員全員", "All active staff"),
    (
        "manager_email",
        "管理者のメールアドレス",
        "Manager's email address",
    ),
    ("organization_list", "施設一覧", "Organization list"),
    ("staff_list", "職員一覧", "Staff list"),
    ("beds", "許可病床数", "Licensed beds"),
    ("prefecture", "都道府県", "Prefecture"),
    (
        "insurance_code",
        "保険医療機関コード",
        "Insurance institution code",
    ),
    ("kind_hospital", "病院", "Hospital"),
    ("kind_clinic", "診療所", "Clinic"),
    ("kind_dental", "歯科診療所", "Dental clinic"),
    ("kind_midwifery", "助産所", "Midwifery home"),
    ("kind_pharmacy", "薬局", "Pharmacy"),
    (
        "kind_home_nursing",
        "訪問看護ステーション",
        "Home-nursing station",
    ),
    ("kind_care", "介護事業所", "Care provider"),
    (
        "kind_network_operator",
        "地域医療情報連携ネットワーク",
        "Regional health-information network",
    ),
    ("kind_other", "その他", "Other"),
];
