//! The incident consultation desk (「インシデントかも？」): the ticket status flow, urgency order, the
//! personal-information (PPC) reporting reminders, and the option codes of the intake form.
//!
//! Status flow: 受付 (received) → 初動助言 (first-response advice) → 支援中 (support in progress) →
//! 終了 (closed). A ticket may skip ahead (a critical report goes straight to support; a false alarm
//! is closed from 受付), never step back, and a closed ticket reopens only to 支援中 (new signs after
//! closing are handled as support, with the history kept). Closing needs an outcome summary.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// Where a ticket is in the desk's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 受付: filed, not yet answered.
    Received,
    /// 初動助言: the desk has given first-response advice.
    Advising,
    /// 支援中: ongoing support (remote or on site).
    Supporting,
    /// 終了: closed with an outcome summary.
    Closed,
}

impl Status {
    /// Every status, in flow order.
    pub const ALL: [Status; 4] = [
        Status::Received,
        Status::Advising,
        Status::Supporting,
        Status::Closed,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Advising => "advising",
            Status::Supporting => "supporting",
            Status::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The statuses a responder may move a ticket to from this one.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::Received => &[Status::Advising, Status::Supporting, Status::Closed],
            Status::Advising => &[Status::Supporting, Status::Closed],
            Status::Supporting => &[Status::Closed],
            // Reopening: new signs after closing are support work, not a fresh intake.
            Status::Closed => &[Status::Supporting],
        }
    }
}

/// A status change the flow does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The flow has no such step.
    #[error("a ticket cannot move from {from:?} to {to:?}")]
    NotAllowed {
        /// The current status.
        from: Status,
        /// The requested status.
        to: Status,
    },
    /// Closing needs an outcome summary.
    #[error("closing a ticket requires a summary")]
    SummaryRequired,
}

/// Checks a status change; `summary` is the outcome summary given with it (needed to close).
pub fn transition(
    from: Status,
    to: Status,
    summary: Option<&str>,
) -> Result<Status, TransitionError> {
    if !from.next().contains(&to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    if to == Status::Closed && summary.is_none_or(|s| s.trim().is_empty()) {
        return Err(TransitionError::SummaryRequired);
    }
    Ok(to)
}

/// How urgent a report is: self-assessed by the reporter, re-triaged by the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Patient care has stopped.
    Critical,
    /// High.
    High,
    /// Medium.
    Medium,
    /// Information only: 「かも」, something looks wrong.
    Info,
}

impl Urgency {
    /// Every level, most urgent first (the queue's order).
    pub const ALL: [Urgency; 4] = [
        Urgency::Critical,
        Urgency::High,
        Urgency::Medium,
        Urgency::Info,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Critical => "critical",
            Urgency::High => "high",
            Urgency::Medium => "medium",
            Urgency::Info => "info",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == value)
    }

    /// Sort key: 0 for the most urgent.
    pub fn rank(self) -> i64 {
        match self {
            Urgency::Critical => 0,
            Urgency::High => 1,
            Urgency::Medium => 2,
            Urgency::Info => 3,
        }
    }
}

/// Japan Standard Time (UTC+9, no daylight saving time).
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// Days after discovery by which the preliminary report (速報) is expected: "promptly", which the
/// guidance reads as about 3 to 5 days.
pub const PRELIMINARY_DAYS: (i64, i64) = (3, 5);
/// Days after discovery for the final report (確報).
pub const FINAL_DAYS: i64 = 30;
/// Days for the final report when the leak was likely caused with improper intent (e.g. unauthorised
/// access, ransomware).
pub const FINAL_DAYS_IMPROPER_INTENT: i64 = 60;

/// Reporting reminders for a suspected personal-data leak (APPI, reports to the PPC since 1 Apr 2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PpcDeadlines {
    /// The JST date the organization became aware (day 0, not counted).
    pub aware_on: Date,
    /// The preliminary report is expected from this date…
    pub preliminary_from: Date,
    /// …and at the latest by this one.
    pub preliminary_by: Date,
    /// The final report is due by this date.
    pub final_by: Date,
}

/// The reminder dates, counted in calendar days from the JST date of discovery (the day itself not
/// counted). `None` only for dates beyond the calendar.
pub fn ppc_deadlines(discovered: OffsetDateTime, improper_intent: bool) -> Option<PpcDeadlines> {
    let aware_on = discovered.to_offset(JST).date();
    let after = |days: i64| aware_on.checked_add(Duration::days(days));
    let final_days = if improper_intent {
        FINAL_DAYS_IMPROPER_INTENT
    } else {
        FINAL_DAYS
    };
    Some(PpcDeadlines {
        aware_on,
        preliminary_from: after(PRELIMINARY_DAYS.0)?,
        preliminary_by: after(PRELIMINARY_DAYS.1)?,
        final_by: after(final_days)?,
    })
}

/// Whether the reporter's answer on a personal-data leak (field 21) calls for PPC reminders: a leak
/// that is suspected, or not yet ruled out (the duty covers leaks that "may have" happened).
pub fn leak_needs_reminders(answer: &str) -> bool {
    matches!(answer, "suspected" | "unknown")
}

/// The option codes of the intake form (facts §4); labels live with the interface texts.
pub mod options {
    /// Field 2: facility type.
    pub const FACILITY_KINDS: &[&str] = &[
        "hospital",
        "clinic",
        "dental",
        "midwifery",
        "pharmacy",
        "home_nursing",
        "care",
        "network_operator",
    ];
    /// Field 10: how it was discovered.
    pub const DISCOVERY: &[&str] = &[
        "ransom_note",
        "printer_output",
        "ehr_down",
        "av_alert",
        "vendor_notice",
        "external_notice",
        "suspicious_email",
        "other",
    ];
    /// Field 11: what was observed.
    pub const OBSERVED: &[&str] = &[
        "files_encrypted",
        "ransom_note",
        "unknown_accounts",
        "unusual_logins",
        "mass_mail",
        "leak_claim",
    ];
    /// Field 12: systems affected.
    pub const SYSTEMS: &[&str] = &[
        "ehr",
        "ordering",
        "pacs",
        "lab",
        "pharmacy",
        "billing",
        "accounting",
        "nutrition",
        "file_servers",
        "ad",
        "email",
        "network_vpn",
        "medical_devices",
    ];
    /// Field 14: suspected entry path.
    pub const ENTRY_PATHS: &[&str] = &["vpn", "rdp", "email", "vendor", "usb", "unknown"];
    /// Field 16: containment actions taken.
    pub const CONTAINMENT: &[&str] = &[
        "isolated",
        "vpn_disabled",
        "accounts_reset",
        "shut_down",
        "none",
    ];
    /// Field 17: evidence preserved.
    pub const EVIDENCE: &[&str] = &["logs", "screenshots", "images", "ransom_note"];
    /// Field 18: backups exist.
    pub const BACKUPS: &[&str] = &["yes", "no", "unknown"];
    /// Field 19: backup type.
    pub const BACKUP_KINDS: &[&str] = &["offline", "immutable", "same_network", "cloud"];
    /// Field 20: impact on patient care.
    pub const CARE_IMPACT: &[&str] = &[
        "er_stop",
        "outpatient_stop",
        "surgery_postponed",
        "paper",
        "none",
    ];
    /// Field 21: personal-data leak suspected.
    pub const LEAK: &[&str] = &["suspected", "not_suspected", "unknown"];
    /// Field 21: kinds of personal data involved.
    pub const LEAK_DATA: &[&str] = &[
        "medical",
        "sensitive_other",
        "financial",
        "contact",
        "staff",
    ];
    /// Field 23: notifications already made.
    pub const NOTIFIED: &[&str] = &[
        "vendor",
        "mhlw",
        "prefecture",
        "police",
        "ppc",
        "ipa",
        "jpcert",
        "jma",
        "insurer",
    ];
    /// Field 24: support requested.
    pub const SUPPORT: &[&str] = &[
        "remote_advice",
        "onsite",
        "forensics",
        "bcp",
        "communications",
    ];
    /// The 47 prefectures, in the order of their JIS codes (field 4).
    pub const PREFECTURES: &[&str] = &[
        "北海道",
        "青森県",
        "岩手県",
        "宮城県",
        "秋田県",
        "山形県",
        "福島県",
        "茨城県",
        "栃木県",
        "群馬県",
        "埼玉県",
        "千葉県",
        "東京都",
        "神奈川県",
        "新潟県",
        "富山県",
        "石川県",
        "福井県",
        "山梨県",
        "長野県",
        "岐阜県",
        "静岡県",
        "愛知県",
        "三重県",
        "滋賀県",
        "京都府",
        "大阪府",
        "兵庫県",
        "奈良県",
        "和歌山県",
        "鳥取県",
        "島根県",
        "岡山県",
        "広島県",
        "山口県",
        "徳島県",
        "香川県",
        "愛媛県",
        "高知県",
        "福岡県",
        "佐賀県",
        "長崎県",
        "熊本県",
        "大分県",
        "宮崎県",
        "鹿児島県",
        "沖縄県",
    ];
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_flow_moves_forward_and_reopens_only_to_support() {
        use Status::*;
        assert_eq!(transition(Received, Advising, None), Ok(Advising));
        assert_eq!(transition(Received, Supporting, None), Ok(Supporting));
        assert_eq!(transition(Advising, Supporting, None), Ok(Supporting));
        assert_eq!(transition(Closed, Supporting, None), Ok(Supporting));
        for (from, to) in [
            (Advising, Received),
            (Supporting, Advising),
            (Closed, Received),
            (Closed, Advising),
            (Received, Received),
            (Closed, Closed),
        ] {
            assert_eq!(
                transition(from, to, Some("x")),
                Err(TransitionError::NotAllowed { from, to })
            );
        }
    }

    #[test]
    fn closing_requires_a_summary() {
        for from in [Status::Received, Status::Advising, Status::Supporting] {
            assert_eq!(
                transition(from, Status::Closed, None),
                Err(TransitionError::SummaryRequired)
            );
            assert_eq!(
                transition(from, Status::Closed, Some("  \n")),
                Err(TransitionError::SummaryRequired)
            );
            assert_eq!(
                transition(from, Status::Closed, Some("誤検知。対応終了。")),
                Ok(Status::Closed)
            );
        }
    }

    #[test]
    fn names_round_trip_and_urgency_sorts_most_urgent_first() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.as_str()), Some(u));
        }
        assert_eq!(Status::parse("open"), None);
        assert_eq!(Urgency::parse(""), None);
        let ranks: Vec<i64> = Urgency::ALL.iter().map(|u| u.rank()).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ppc_dates_count_from_the_jst_date_of_discovery() {
        // 00:30 JST on 31 Oct 2021 is still 30 Oct in UTC: the JST date counts.
        let handa = datetime!(2021-10-30 15:30 UTC);
        let d = ppc_deadlines(handa, true).unwrap();
        assert_eq!(d.aware_on, date!(2021 - 10 - 31));
        assert_eq!(d.preliminary_from, date!(2021 - 11 - 03));
        assert_eq!(d.preliminary_by, date!(2021 - 11 - 05));
        assert_eq!(d.final_by, date!(2021 - 12 - 30));
        let plain = ppc_deadlines(handa, false).unwrap();
        assert_eq!(plain.final_by, date!(2021 - 11 - 30));
    }

    #[test]
    fn ppc_dates_at_the_day_boundary_and_across_months() {
        // 23:59:59 JST is the same day; one second later is the next.
        let before = datetime!(2024-01-31 14:59:59 UTC);
        let after = datetime!(2024-01-31 15:00:00 UTC);
        assert_eq!(
            ppc_deadlines(before, false).unwrap().aware_on,
            date!(2024 - 01 - 31)
        );
        assert_eq!(
            ppc_deadlines(after, false).unwrap().aware_on,
            date!(2024 - 02 - 01)
        );
        // 2024 is a leap year: 31 Jan + 30 days is 1 Mar.
        assert_eq!(
            ppc_deadlines(before, false).unwrap().final_by,
            date!(2024 - 03 - 01)
        );
        // Across the year end.
        let d = ppc_deadlines(datetime!(2025-12-29 00:00 +09:00), true).unwrap();
        assert_eq!(d.preliminary_by, date!(2026 - 01 - 03));
        assert_eq!(d.final_by, date!(2026 - 02 - 27));
    }

    #[test]
    fn reminders_follow_a_suspected_or_unresolved_leak() {
        assert!(leak_needs_reminders("suspected"));
        assert!(leak_needs_reminders("unknown"));
        assert!(!leak_needs_reminders("not_suspected"));
        assert!(!leak_needs_reminders(""));
    }
}
