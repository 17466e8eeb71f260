//! Validating one roster row: every field checked, every problem reported with its line and column.

use std::collections::{BTreeSet, HashMap};

use time::Date;
use time::macros::format_description;

use super::{Column, EmploymentType, Problem, RosterEntry, csv};
use crate::model::Audience;

/// One data row being validated against the header's columns.
pub(super) struct Row<'a> {
    pub(super) record: &'a csv::Record,
    pub(super) columns: &'a HashMap<Column, usize>,
    pub(super) header: &'a csv::Record,
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

    pub(super) fn header_name(&self, column: Column) -> Option<String> {
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

    pub(super) fn entry(&self, problems: &mut Vec<Problem>) -> Option<RosterEntry> {
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
