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
    // Portal: contents collection, instructors and engineers, related links, inquiries.
    ("p_contents", "コンテンツ集", "Contents collection"),
    ("p_experts", "講師・技術者", "Instructors and engineers"),
    (
        "p_experts_title",
        "講師・技術者リスト",
        "Instructor and engineer list",
    ),
    ("p_resources", "関連リンク", "Related links"),
    ("p_contact", "お問い合わせ", "Contact"),
    ("p_inbox", "お問い合わせ受付", "Inquiry inbox"),
    ("p_portal_links", "ポータルの案内", "Portal sections"),
    ("p_search", "検索", "Search"),
    ("p_keyword", "キーワード", "Keyword"),
    ("p_any", "すべて", "All"),
    ("p_audience", "対象", "Audience"),
    ("p_kind", "種類", "Kind"),
    ("p_licence", "利用条件", "Terms of use"),
    ("p_count", "件", "results"),
    ("p_page", "ページ", "page"),
    ("p_prev", "前のページ", "Previous page"),
    ("p_next", "次のページ", "Next page"),
    (
        "p_no_results",
        "該当するものはありません。",
        "Nothing matches.",
    ),
    (
        "p_watch",
        "動画を見る(外部サイト)",
        "Watch the video (external site)",
    ),
    ("p_file", "ファイル", "File"),
    (
        "p_file_hint",
        "PDF, PNG, JPEG, MP4, WebM, PPTX, DOCX, XLSX, UTF-8 のテキスト・CSV。最大",
        "PDF, PNG, JPEG, MP4, WebM, PPTX, DOCX, XLSX, UTF-8 text or CSV. At most",
    ),
    (
        "p_external_url",
        "または動画のURL(https)",
        "Or a video address (https)",
    ),
    ("p_title_ja", "タイトル(日本語)", "Title (Japanese)"),
    ("p_title_en", "タイトル(英語)", "Title (English)"),
    ("p_description_ja", "説明(日本語)", "Description (Japanese)"),
    ("p_description_en", "説明(英語)", "Description (English)"),
    (
        "p_licence_ja",
        "利用条件(日本語)",
        "Terms of use (Japanese)",
    ),
    ("p_licence_en", "利用条件(英語)", "Terms of use (English)"),
    ("p_edit", "編集", "Edit"),
    ("p_delete", "削除", "Delete"),
    ("p_add", "登録", "Add"),
    ("p_save", "保存", "Save"),
    ("p_cancel", "編集をやめる", "Stop editing"),
    ("p_actions", "操作", "Actions"),
    ("p_list", "一覧", "List"),
    ("p_new", "新規登録", "Add new"),
    ("p_editing", "編集中", "Editing"),
    (
        "p_manage_contents",
        "コンテンツ集の管理",
        "Manage the contents collection",
    ),
    (
        "p_manage_experts",
        "講師・技術者リストの管理",
        "Manage the instructor and engineer list",
    ),
    (
        "p_manage_resources",
        "関連リンクの管理",
        "Manage related links",
    ),
    ("p_expert_kind", "種別", "Type"),
    ("p_expertise", "専門分野", "Expertise"),
    ("p_region", "地方", "Region"),
    ("p_languages", "対応言語", "Languages"),
    (
        "p_availability_ja",
        "対応可能な時期・形式(日本語)",
        "Availability (Japanese)",
    ),
    (
        "p_availability_en",
        "対応可能な時期・形式(英語)",
        "Availability (English)",
    ),
    ("p_availability", "対応可能な時期・形式", "Availability"),
    ("p_bio_ja", "紹介(日本語)", "Profile (Japanese)"),
    ("p_bio_en", "紹介(英語)", "Profile (English)"),
    ("p_name_listed", "名称", "Name"),
    (
        "p_contact_expert",
        "この講師・技術者に連絡する",
        "Contact this instructor or engineer",
    ),
    (
        "p_no_address",
        "講師・技術者の住所やメールアドレスは公開していません。連絡はフォームから運営事務局が取り次ぎます。",
        "Addresses and email addresses of instructors and engineers are not published; the programme office passes on messages sent with the form.",
    ),
    ("p_name", "お名前", "Your name"),
    (
        "p_organization",
        "ご所属(施設名など)",
        "Organization (e.g. facility name)",
    ),
    (
        "p_reply_email",
        "返信先メールアドレス",
        "Reply email address",
    ),
    ("p_phone", "電話番号(任意)", "Phone (optional)"),
    ("p_category", "お問い合わせの種別", "Subject"),
    ("p_message", "内容", "Message"),
    ("p_send", "送信する", "Send"),
    (
        "p_required_note",
        "電話番号以外はすべて必須です。",
        "Every field except the phone number is required.",
    ),
    ("p_sent_title", "送信しました", "Message sent"),
    (
        "p_sent_body",
        "お問い合わせを受け付けました。内容を確認のうえ、返信先メールアドレスにご連絡します。",
        "Your message has been received. We will reply to the email address you gave.",
    ),
    (
        "p_honeypot",
        "この欄は空のままにしてください",
        "Leave this field empty",
    ),
    (
        "p_form_problems",
        "入力内容を確認してください。",
        "Please check the form.",
    ),
    ("p_status", "状態", "Status"),
    (
        "p_note",
        "内部メモ(送信者には表示されません)",
        "Internal note (not shown to the sender)",
    ),
    ("p_received", "受付日時", "Received"),
    ("p_type", "区分", "Type"),
    ("p_inquiry", "お問い合わせ", "Inquiry"),
    (
        "p_to_expert",
        "講師・技術者への連絡",
        "Message to an instructor or engineer",
    ),
    ("p_open", "開く", "Open"),
    ("p_move_up", "上へ", "Move up"),
    ("p_move_down", "下へ", "Move down"),
    ("p_category_label", "分類", "Category"),
    ("p_url", "URL", "Address (URL)"),
    ("p_note_ja", "説明(日本語)", "Note (Japanese)"),
    ("p_note_en", "説明(英語)", "Note (English)"),
    ("p_external", "外部サイト", "external site"),
    ("p_filter", "絞り込む", "Filter"),
    ("p_history", "対応履歴(監査ログ)", "History (audit trail)"),
    ("p_when", "日時", "When"),
    ("p_who", "担当者", "Who"),
    ("p_what", "内容", "What"),
    // Compliance: dashboard, roster, evidence and exports.
    (
        "compliance",
        "研修実施状況(診療録管理体制加算)",
        "Training compliance",
    ),
    ("roster", "職員名簿", "Staff roster"),
    (
        "roster_upload",
        "職員名簿CSVの取り込み",
        "Import the staff roster (CSV)",
    ),
    (
        "roster_file",
        "CSVファイル(UTF-8 または Shift_JIS)",
        "CSV file (UTF-8 or Shift_JIS)",
    ),
    (
        "roster_help",
        "1行目は見出し: 職員番号・氏名・雇用形態・対象 は必須。カナ・メール・部署・職種・階層(「;」か「、」で区切る)・入職日・退職日 は任意。英語の見出し(staff_id, name, …)も使えます。エラーが1件でもあると何も取り込みません。同じファイルを再度取り込んでも変わりません。",
        "The first line holds the headers: staff_id, name, employment_type and in_scope are required; kana, email, department, job_type, tiers (separated by ; or 、), joined_on and left_on are optional. Japanese headers work too. Nothing is imported while any row has a problem; importing the same file again changes nothing.",
    ),
    ("import", "取り込む", "Import"),
    ("line", "行", "Line"),
    ("column", "列", "Column"),
    ("problem", "内容", "Problem"),
    ("staff_id", "職員番号", "Staff ID"),
    ("department", "部署", "Department"),
    ("job_type", "職種", "Job type"),
    ("employment_type", "雇用形態", "Employment type"),
    ("in_scope", "対象", "In scope"),
    ("tiers", "階層", "Tiers"),
    ("joined_on", "入職日", "Joined"),
    ("left_on", "退職日", "Left"),
    ("linked", "アカウント", "Account"),
    ("yes", "はい", "Yes"),
    ("no", "いいえ", "No"),
    ("fiscal_year", "年度", "Fiscal year"),
    ("show", "表示", "Show"),
    ("obligation", "研修義務の判定", "Training obligation"),
    ("requirement_required", "研修義務あり", "Training required"),
    ("requirement_transitional", "経過措置中", "Transitional"),
    (
        "requirement_not_required",
        "義務対象外(推奨)",
        "Not required (recommended)",
    ),
    ("completion_rate", "修了率", "Completion rate"),
    ("people", "人", "people"),
    (
        "not_counted",
        "集計外(対象外・年度途中の退職者)",
        "Not counted (out of scope, left during the year)",
    ),
    (
        "closed_year",
        "この年度は締め済みです。記録は凍結されています。",
        "This fiscal year is closed; its records are frozen.",
    ),
    ("exports", "出力", "Exports"),
    (
        "csv_utf8",
        "CSV(UTF-8・Excel用BOM付き)",
        "CSV (UTF-8 with BOM for Excel)",
    ),
    ("csv_sjis", "CSV(Shift_JIS)", "CSV (Shift_JIS)"),
    (
        "signed_pdf",
        "署名付きPDF(立入検査用)",
        "Signed PDF (for inspections)",
    ),
    ("chart_data", "グラフの数値", "Chart data"),
    ("group", "区分", "Group"),
    ("incomplete_staff", "未修了の職員", "Staff still to train"),
    ("courses_left", "未修了の研修", "Courses left"),
    (
        "days_left",
        "年度末までの日数",
        "Days left in the fiscal year",
    ),
    ("none", "ありません。", "None."),
    (
        "evidence",
        "外部研修・集合研修の証跡",
        "Evidence of other training",
    ),
    (
        "evidence_help",
        "MIST の修了証、出席簿など。管理者が承認すると修了として集計されます。",
        "A MIST certificate, a sign-in sheet and the like. It counts as completion once a manager approves it.",
    ),
    ("mode", "受講形態", "Delivery mode"),
    ("evidence_description", "証跡の内容", "Evidence"),
    ("held_on", "実施日", "Date held"),
    ("approve", "承認する", "Approve"),
    ("approved", "承認済み", "Approved"),
    ("pending", "承認待ち", "Pending"),
    ("record_evidence", "証跡を登録する", "Record evidence"),
    (
        "roster_empty",
        "職員名簿がまだありません。まず名簿を取り込んでください。",
        "There is no staff roster yet: import one first.",
    ),
    ("roster_imported", "取り込みました", "Imported"),
    (
        "roster_rejected",
        "名簿に問題があるため、何も取り込んでいません。",
        "The roster has problems, so nothing was imported.",
    ),
    ("added", "追加", "added"),
    ("updated", "更新", "updated"),
    ("encoding", "文字コード", "Encoding"),
];
