//! Staff roster CSV: encoding detection, Japanese or English headers, and a validation report naming
//! the line and column of every problem.
//!
//! The import is all or nothing: when any row has a problem, nothing is imported and every problem is
//! listed, so that a half-applied roster never misstates who must be trained. Re-importing the same
//! file changes nothing; people missing from a later file are kept (a leaver gets a 退職日 instead).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use super::csv;
use crate::model::Audience;

/// The character encoding a roster was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterEncoding {
    /// UTF-8 (with or without a byte-order mark).
    Utf8,
    /// Shift_JIS (Windows-31J, as Excel saves CSV in Japan).
    ShiftJis,
}

/// Employment type (雇用形態).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    /// 常勤.
    FullTime,
    /// 非常勤.
    PartTime,
    /// 派遣.
    Dispatched,
    /// 委託.
    Contractor,
}

impl EmploymentType {
    const ALL: [(EmploymentType, &'static str, &'static str, &'static str); 4] = [
        (EmploymentType::FullTime, "full_time", "常勤", "Full-time"),
        (EmploymentType::PartTime, "part_time", "非常勤", "Part-time"),
        (
            EmploymentType::Dispatched,
            "dispatched",
            "派遣",
            "Dispatched",
        ),
        (
            EmploymentType::Contractor,
            "contractor",
            "委託",
            "Contractor",
        ),
    ];

    /// The identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|e| e.0 == self).map_or("", |e| e.1)
    }

    /// The name in Japanese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        Self::ALL
            .iter()
            .find(|e| e.0 == self)
            .map_or(("", ""), |e| (e.2, e.3))
    }

    /// Parses the identifier or the Japanese or English name.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim().to_lowercase().replace([' ', '-'], "_");
        Self::ALL
            .iter()
            .find(|e| value == e.1 || value == e.2 || value == e.3.to_lowercase().replace('-', "_"))
            .map(|e| e.0)
    }
}

/// One person of the roster, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The line in the file.
    pub line: usize,
    /// 職員番号: the organization's own identifier, the key of re-imports.
    pub staff_id: String,
    /// 氏名.
    pub name: String,
    /// カナ.
    pub kana: Option<String>,
    /// メール (lower-case), which links the person to a portal account.
    pub email: Option<String>,
    /// 部署 / ward.
    pub department: String,
    /// 職種 (医師, 看護師, 薬剤師, 技師, 事務, …).
    pub job_type: String,
    /// 雇用形態.
    pub employment_type: EmploymentType,
    /// 対象: whether the person must be trained (a local policy decision, explicit per person).
    pub in_scope: bool,
    /// 階層: the training tiers (several allowed).
    pub tiers: BTreeSet<Audience>,
    /// 入職日.
    pub joined_on: Option<Date>,
    /// 退職日.
    pub left_on: Option<Date>,
}

/// One problem in a roster file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The line (0 for the file as a whole).
    pub line: usize,
    /// The column's header as written in the file, if the problem is in one field.
    pub column: Option<String>,
    /// What is wrong, in Japanese.
    pub message_ja: String,
    /// What is wrong, in English.
    pub message_en: String,
}

/// The result of reading a roster: the valid entries and every problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterReport {
    /// The encoding detected.
    pub encoding: RosterEncoding,
    /// The valid rows.
    pub entries: Vec<RosterEntry>,
    /// Every problem; the roster may be imported only when there are none.
    pub problems: Vec<Problem>,
}

impl RosterReport {
    /// Whether the roster may be imported.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty() && !self.entries.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    StaffId,
    Name,
    Kana,
    Email,
    Department,
    JobType,
    EmploymentType,
    InScope,
    Tiers,
    JoinedOn,
    LeftOn,
}

/// Accepted headers: (column, Japanese names, English name).
const HEADERS: [(Column, &[&str], &str); 11] = [
    (Column::StaffId, &["職員番号", "職員id"], "staff_id"),
    (Column::Name, &["氏名", "名前"], "name"),
    (Column::Kana, &["カナ", "フリガナ", "ふりがな"], "kana"),
    (Column::Email, &["メール", "メールアドレス"], "email"),
    (Column::Department, &["部署", "所属"], "department"),
    (Column::JobType, &["職種"], "job_type"),
    (Column::EmploymentType, &["雇用形態"], "employment_type"),
    (Column::InScope, &["対象"], "in_scope"),
    (Column::Tiers, &["階層"], "tiers"),
    (Column::JoinedOn, &["入職日"], "joined_on"),
    (Column::LeftOn, &["退職日"], "left_on"),
];

const REQUIRED: [Column; 4] = [
    Column::StaffId,
    Column::Name,
    Column::EmploymentType,
    Column::InScope,
];

/// Decodes a roster file: UTF-8 (a byte-order mark is dropped), else Shift_JIS. Bytes that are
/// neither are reported with their line.
pub fn decode(bytes: &[u8]) -> Result<(String, RosterEncoding), Problem> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), RosterEncoding::Utf8));
    }
    // 0x0A is never a trail byte in Shift_JIS, so lines can be decoded one at a time.
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let decoded =
            encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(line)
                .ok_or_else(|| Problem {
                    line: index + 1,
                    column: None,
                    message_ja:
                        "文字コードを判別できません(UTF-8 または Shift_JIS で保存してください)。"
                            .into(),
                    message_en:
                        "the text is neither UTF-8 nor Shift_JIS; save the file in one of them"
                            .into(),
                })?;
        if index > 0 {
            text.push('\n');
        }
        text.push_str(&decoded);
    }
    Ok((text, RosterEncoding::ShiftJis))
}

/// Reads and validates a roster file.
pub fn parse(bytes: &[u8]) -> RosterReport {
    let (text, encoding) = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(problem) => {
            return RosterReport {
                encoding: RosterEncoding::ShiftJis,
                entries: Vec::new(),
                problems: vec![problem],
            };
        }
    };
    let mut report = RosterReport {
        encoding,
        entries: Vec::new(),
        problems: Vec::new(),
    };
    let records = match csv::read(&text) {
        Ok(records) => records,
        Err(e) => {
            report.problems.push(problem(
                e.line,
                None,
                "引用符(\")が閉じていません。",
                "a quoted field is not closed",
            ));
            return report;
        }
    };
    let Some((header, rows)) = records.split_first() else {
        report
            .problems
            .push(problem(0, None, "ファイルが空です。", "the file is empty"));
        return report;
    };
    let Some(columns) = header_columns(header, &mut report.problems) else {
        return report;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in rows {
        let row = Row {
            record,
            columns: &columns,
            header,
        };
        if let Some(entry) = row.entry(&mut report.problems) {
            if let Some(first) = seen.insert(entry.staff_id.clone(), entry.line) {
                report.problems.push(Problem {
                    line: entry.line,
                    column: row.header_name(Column::StaffId),
                    message_ja: format!(
                        "職員番号 {} が {first} 行目と重複しています。",
                        entry.staff_id
                    ),
                    message_en: format!("staff ID {} repeats line {first}", entry.staff_id),
                });
            } else {
                report.entries.push(entry);
            }
        }
    }
    if report.entries.is_empty() && report.problems.is_empty() {
        report.problems.push(problem(
            0,
            None,
            "職員の行がありません。",
            "the file has no staff rows",
        ));
    }
    report
}

fn problem(line: usize, column: Option<String>, ja: &str, en: &str) -> Problem {
    Problem {
        line,
        column,
        message_ja: ja.to_owned(),
        message_en: en.to_owned(),
    }
}

/// Maps header cells to columns; reports unknown, repeated and missing required headers.
fn header_columns(
    header: &csv::Record,
    problems: &mut Vec<Problem>,
) -> Option<HashMap<Column, usize>> {
    let mut columns = HashMap::new();
    let before = problems.len();
    for (index, cell) in header.fields.iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}').to_lowercase();
        let found = HEADERS
            .iter()
            .find(|(_, ja, en)| *en == name || ja.contains(&name.as_str()))
            .map(|h| h.0);
        match found {
            Some(column) if columns.insert(column, index).is_some() => problems.push(problem(
                header.line,
                Some(cell.clone()),
                "列名が重複しています。",
                "the column appears twice",
            )),
            Some(_) => {}
            None => problems.push(problem(
                header.line,
                Some(cell.clone()),
                "不明な列名です。",
                "unknown column",
            )),
        }
    }
    for required in REQUIRED {
        if !columns.contains_key(&required) {
            let (_, ja, en) = HEADERS.iter().find(|h| h.0 == required)?;
            problems.push(Problem {
                line: header.line,
                column: None,
                message_ja: format!("必須の列「{}」がありません。", ja.first().unwrap_or(en)),
                message_en: format!("the required column `{en}` is missing"),
            });
        }
    }
    (problems.len() == before).then_some(columns)
}

struct Row<'a> {
    record: &'a csv::Record,
    columns: &'a HashMap<Column, usize>,
    header: &'a csv::Record,
}

impl Row<'_> {
    fn value(&self, column: Column) -> Option<&str> {
        let index = *self.columns.get(&column)?;
        self.record
            .fields
            .get(index)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn header_name(&self, column: Column) -> Option<String> {
        self.columns
            .get(&column)
            .and_then(|&index| self.header.fields.get(index))
            .map(|h| h.trim().to_owned())
    }

    fn problem(&self, column: Column, ja: String, en: String) -> Problem {
        Problem {
            line: self.record.line,
            column: self.header_name(column),
            message_ja: ja,
            message_en: en,
        }
    }

    fn required(&self, column: Column, problems: &mut Vec<Problem>) -> Option<String> {
        let value = self.value(column).map(str::to_owned);
        if value.is_none() {
            problems.push(self.problem(
                column,
                "値がありません。".into(),
                "a value is required".into(),
            ));
        }
        value
    }

    fn date(&self, column: Column, problems: &mut Vec<Problem>) -> Option<Date> {
        let value = self.value(column)?;
        let parsed = Date::parse(
            &value.replace('/', "-"),
            format_description!("[year]-[month padding:none]-[day padding:none]"),
        );
        parsed
            .map_err(|_| {
                problems.push(self.problem(
                    column,
                    format!("日付「{value}」は YYYY-MM-DD で入力してください。"),
                    format!("date `{value}` must be YYYY-MM-DD"),
                ));
            })
            .ok()
    }

    fn entry(&self, problems: &mut Vec<Problem>) -> Option<RosterEntry> {
        let before = problems.len();
        let staff_id = self.required(Column::StaffId, problems);
        let name = self.required(Column::Name, problems);
        let email = self.value(Column::Email).map(str::to_lowercase);
        if let Some(email) = &email
            && (!email.contains('@') || email.contains(char::is_whitespace))
        {
            problems.push(self.problem(
                Column::Email,
                format!("メールアドレス「{email}」が正しくありません。"),
                format!("`{email}` is not an email address"),
            ));
        }
        let employment_type = self.required(Column::EmploymentType, problems).and_then(|value| {
            let parsed = EmploymentType::parse(&value);
            if parsed.is_none() {
                problems.push(self.problem(Column::EmploymentType, format!("雇用形態「{value}」は 常勤・非常勤・派遣・委託 のいずれかです。"), format!("employment type `{value}` must be full_time, part_time, dispatched or contractor")));
            }
            parsed
        });
        let in_scope = self.required(Column::InScope, problems).and_then(|value| {
            let parsed = parse_flag(&value);
            if parsed.is_none() {
                problems.push(self.problem(
                    Column::InScope,
                    format!("対象「{value}」は 対象/対象外(yes/no)で入力してください。"),
                    format!("in_scope `{value}` must be yes or no"),
                ));
            }
            parsed
        });
        let tiers = self.tiers(problems);
        let joined_on = self.date(Column::JoinedOn, problems);
        let left_on = self.date(Column::LeftOn, problems);
        if let (Some(joined), Some(left)) = (joined_on, left_on)
            && left < joined
        {
            problems.push(self.problem(
                Column::LeftOn,
                "退職日が入職日より前です。".into(),
                "left_on is before joined_on".into(),
            ));
        }
        if problems.len() > before {
            return None;
        }
        Some(RosterEntry {
            line: self.record.line,
            staff_id: staff_id?,
            name: name?,
            kana: self.value(Column::Kana).map(str::to_owned),
            email,
            department: self
                .value(Column::Department)
                .unwrap_or_default()
                .to_owned(),
            job_type: self.value(Column::JobType).unwrap_or_default().to_owned(),
            employment_type: employment_type?,
            in_scope: in_scope?,
            tiers,
            joined_on,
            left_on,
        })
    }

    /// Tiers separated by `;` or `、`; none means 初学者・医療従事者, the tier every member of staff has.
    fn tiers(&self, problems: &mut Vec<Problem>) -> BTreeSet<Audience> {
        let mut tiers = BTreeSet::new();
        for value in self
            .value(Column::Tiers)
            .unwrap_or_default()
            .split([';', '、'])
        {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match parse_tier(value) {
                Some(tier) => {
                    tiers.insert(tier);
                }
                None => problems.push(self.problem(
                    Column::Tiers,
                    format!("階層「{value}」は 経営者・管理者・初学者 のいずれかです。"),
                    format!("tier `{value}` must be executive, administrator or staff"),
                )),
            }
        }
        if tiers.is_empty() {
            tiers.insert(Audience::Staff);
        }
        tiers
    }
}

fn parse_flag(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "対象" | "はい" | "yes" | "true" | "1" | "○" | "y" => Some(true),
        "対象外" | "いいえ" | "no" | "false" | "0" | "×" | "n" => Some(false),
        _ => None,
    }
}

fn parse_tier(value: &str) -> Option<Audience> {
    if let Some(tier) = Audience::parse(&value.to_lowercase()) {
        return Some(tier);
    }
    match value {
        "経営者" => Some(Audience::Executive),
        "管理者" | "システム・セキュリティ管理者" | "システム管理者" => {
            Some(Audience::Administrator)
        }
        "初学者" | "医療従事者" | "初学者・医療従事者" | "職員" => {
            Some(Audience::Staff)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
