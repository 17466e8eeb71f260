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
    // Live training sessions (オンライン研修).
    ("live", "オンライン研修", "Live sessions"),
    (
        "live_intro",
        "講師によるオンライン研修です。申し込むと参加URLが表示されます。満席の場合はキャンセル待ちで申し込め、席が空くと申し込み順に参加が確定します。",
        "Online sessions with an instructor. Once registered you see the meeting link. When a session is full you can join the waiting list; freed seats go to it in registration order.",
    ),
    ("live_admin", "オンライン研修の管理", "Manage live sessions"),
    ("live_mine", "申し込んだ研修", "Your registrations"),
    ("live_when", "日時(日本時間)", "When (Japan time)"),
    ("live_title", "研修名", "Session"),
    ("live_instructor", "講師", "Instructor"),
    ("live_seats_left", "残席", "Seats left"),
    ("live_seats", "申込数", "Registered"),
    ("live_status", "状態", "Status"),
    ("live_waiting", "キャンセル待ち", "waiting"),
    ("live_session_cancelled", "開催中止", "Cancelled"),
    ("live_status_confirmed", "参加確定", "Confirmed"),
    (
        "live_status_waiting",
        "キャンセル待ち",
        "On the waiting list",
    ),
    (
        "live_status_cancelled",
        "取り消し済み",
        "Registration cancelled",
    ),
    ("live_status_attended", "出席済み", "Attended"),
    ("live_past", "終了しました", "Ended"),
    ("live_open", "受付中", "Open"),
    ("live_closed", "受付終了", "Registration closed"),
    (
        "live_no_sessions",
        "予定されている研修はありません。",
        "No sessions are scheduled.",
    ),
    ("live_programme", "プログラム", "Programme"),
    ("live_deadline", "申込締切", "Registration deadline"),
    (
        "live_deadline_jst",
        "申込締切(日本時間)",
        "Registration deadline (Japan time)",
    ),
    ("live_registration", "申し込み", "Registration"),
    ("live_meeting_url", "参加URL", "Meeting link"),
    (
        "live_calendar",
        "カレンダーに追加(.ics)",
        "Add to calendar (.ics)",
    ),
    (
        "live_sign_in_to_register",
        "ログインして申し込む",
        "Sign in to register",
    ),
    ("live_register", "申し込む", "Register"),
    (
        "live_join_waiting",
        "キャンセル待ちで申し込む",
        "Join the waiting list",
    ),
    (
        "live_cancel",
        "申し込みを取り消す",
        "Cancel my registration",
    ),
    ("live_attendance", "出席確認", "Attendance"),
    ("live_keyword", "出席キーワード", "Attendance keyword"),
    (
        "live_keyword_help",
        "研修中に講師が案内するキーワードを入力してください(開始から終了後30分まで)。",
        "Enter the keyword the instructor gives during the session (from the start until 30 minutes after the end).",
    ),
    (
        "live_record_attendance",
        "出席を記録する",
        "Record attendance",
    ),
    ("live_attended", "出席", "Attended"),
    ("live_mode_keyword", "キーワード", "keyword"),
    ("live_mode_manager", "管理者が記録", "recorded by a manager"),
    (
        "live_completed_note",
        "出席と確認テストにより、研修の受講が記録されました(年度の研修受講として数えられます)。",
        "Recorded as completed training (attendance and comprehension check); it counts toward this fiscal year's training.",
    ),
    (
        "live_passed_needs_attendance",
        "合格しました。出席が記録されると受講完了になります。",
        "Passed. The session is completed once your attendance is recorded.",
    ),
    ("live_archive", "アーカイブ動画", "Recording"),
    ("live_roster", "出席簿", "Attendance roster"),
    (
        "live_roster_empty",
        "申し込んだ職員はいません。",
        "None of your staff registered.",
    ),
    ("live_new", "研修を追加", "New session"),
    ("live_edit", "研修を編集", "Edit session"),
    (
        "live_cancel_session",
        "この研修を中止する",
        "Cancel this session",
    ),
    (
        "live_cancel_session_help",
        "申し込んだ全員に中止のお知らせを送り、リマインダーを取り下げます。",
        "Everyone registered is told, and their reminders are withdrawn.",
    ),
    (
        "live_part",
        "回(第N回。同じ内容の複数日程は空欄)",
        "Part (第N回; leave empty for another date of the same content)",
    ),
    ("live_title_ja", "研修名(日本語)", "Title (Japanese)"),
    ("live_title_en", "研修名(英語)", "Title (English)"),
    (
        "live_description_ja",
        "内容(日本語)",
        "Description (Japanese)",
    ),
    ("live_description_en", "内容(英語)", "Description (English)"),
    ("live_starts_at", "開始日時(日本時間)", "Start (Japan time)"),
    (
        "live_duration_minutes",
        "所要時間(分)",
        "Duration (minutes)",
    ),
    ("live_capacity", "定員", "Capacity"),
    (
        "live_keyword_admin",
        "出席キーワード(研修中に講師が案内します)",
        "Attendance keyword (the instructor gives it during the session)",
    ),
    (
        "live_quiz_pool",
        "確認テスト(組み込みモジュールの問題から出題)",
        "Comprehension check (questions from a built-in module)",
    ),
    ("live_quiz_none", "なし", "None"),
    ("live_quiz_count", "確認テストの出題数", "Questions drawn"),
    ("live_archive_url", "アーカイブ動画のURL", "Recording URL"),
    (
        "live_archive_public",
        "ログインした全員にアーカイブ動画を公開する(未選択時は申込者のみ)",
        "Show the recording to every signed-in person (otherwise registered people only)",
    ),
    (
        "live_outbox",
        "送信キュー(申込通知・リマインダー)",
        "Message queue (notices and reminders)",
    ),
    (
        "live_outbox_empty",
        "送信するメッセージはありません。",
        "No messages.",
    ),
    ("live_due", "送信予定", "Due"),
    ("live_subject", "件名", "Subject"),
    ("live_msg_pending", "送信待ち", "Pending"),
    ("live_msg_sending", "送信中", "Sending"),
    ("live_msg_sent", "送信済み", "Sent"),
    ("live_msg_failed", "送信失敗", "Failed"),
    ("live_msg_withdrawn", "取り下げ", "Withdrawn"),
];
