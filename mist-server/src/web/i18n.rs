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
