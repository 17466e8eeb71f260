//! The intake form (facts §4, fields 1–26; attachments, field 27, are uploaded separately): read from
//! the posted pairs, checked, and kept as one JSON document per ticket.
//!
//! The form posts repeated names for check boxes and numbered names for vendor rows, so it is read as
//! a list of pairs rather than a struct.

use mist_core::incident::{Urgency, options};
use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

/// How many vendor connections (field 15) one ticket holds.
pub const MAX_VENDORS: usize = 20;
/// The longest text kept per field, in characters.
const MAX_TEXT: usize = 20_000;

/// One remote-maintenance vendor and its connection (field 15).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    /// Vendor.
    pub name: String,
    /// The system it maintains.
    pub system: String,
    /// How it connects (VPN device, remote-desktop tool, …).
    pub connection: String,
    /// Its contact.
    pub contact: String,
}

/// Every intake field; the ★ fields of the urgent form come first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Intake {
    pub facility_name: String,
    pub facility_kind: String,
    pub prefecture: String,
    pub city: String,
    pub reporter_name: String,
    pub reporter_role: String,
    pub phone: String,
    pub alt_email: String,
    /// `YYYY-MM-DDTHH:MM`, Japan time (as the `datetime-local` input sends it).
    pub discovered_at: String,
    pub discovery: String,
    pub discovery_detail: String,
    pub observed: Vec<String>,
    pub observed_text: String,
    pub systems: Vec<String>,
    pub systems_other: String,
    pub containment: Vec<String>,
    pub containment_detail: String,
    pub backups: String,
    pub care_impact: Vec<String>,
    pub leak: String,
    pub notified: Vec<String>,
    pub notified_detail: String,
    pub support: Vec<String>,
    pub urgency: String,
    pub consent: String,
    // The full intake, completed later.
    pub insurance_code: String,
    pub licensed_beds: String,
    pub contact_hours: String,
    pub alt_contact: String,
    pub encrypted_extension: String,
    pub ransom_note_text: String,
    pub terminals_affected: String,
    pub servers_affected: String,
    pub scale_unknown: bool,
    pub entry_path: String,
    pub entry_device: String,
    pub vendors: Vec<Vendor>,
    pub evidence: Vec<String>,
    pub backup_kinds: Vec<String>,
    pub backup_last_good: String,
    pub backup_affected: String,
    pub backup_restore_tested: String,
    pub leak_records: String,
    pub leak_data: Vec<String>,
    pub ransom_demanded: String,
    pub ransom_amount: String,
    pub ransom_contact: String,
}

/// A field that needs the reporter's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name (and the input's id, `f-NAME`).
    pub field: &'static str,
    /// `required`, `invalid` or `future`.
    pub problem: &'static str,
}

/// The posted pairs, looked up by name.
struct Pairs<'a>(&'a [(String, String)]);

impl Pairs<'_> {
    /// The last value posted under `name`, trimmed and capped.
    fn one(&self, name: &str) -> String {
        let value = self
            .0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        value.chars().take(MAX_TEXT).collect()
    }

    /// One of `allowed`, or empty.
    fn choice(&self, name: &str, allowed: &[&str]) -> String {
        let value = self.one(name);
        if allowed.contains(&value.as_str()) {
            value
        } else {
            String::new()
        }
    }

    /// The values of `allowed` that were ticked, in the options' order.
    fn many(&self, name: &str, allowed: &[&str]) -> Vec<String> {
        allowed
            .iter()
            .filter(|option| self.0.iter().any(|(k, v)| k == name && v == *option))
            .map(|option| (*option).to_owned())
            .collect()
    }
}

const YES_NO: &[&str] = &["yes", "no"];
const YES_NO_UNKNOWN: &[&str] = &["yes", "no", "unknown"];
const URGENCIES: &[&str] = &["critical", "high", "medium", "info"];

impl Intake {
    /// Reads the urgent part (the ★ fields) from a posted form.
    fn read_urgent(&mut self, form: &Pairs<'_>) {
        self.facility_name = form.one("facility_name");
        self.facility_kind = form.choice("facility_kind", options::FACILITY_KINDS);
        self.prefecture = form.choice("prefecture", options::PREFECTURES);
        self.city = form.one("city");
        self.reporter_name = form.one("reporter_name");
        self.reporter_role = form.one("reporter_role");
        self.phone = form.one("phone");
        self.alt_email = form.one("alt_email");
        self.discovered_at = form.one("discovered_at");
        self.discovery = form.choice("discovery", options::DISCOVERY);
        self.discovery_detail = form.one("discovery_detail");
        self.observed = form.many("observed", options::OBSERVED);
        self.observed_text = form.one("observed_text");
        self.systems = form.many("systems", options::SYSTEMS);
        self.systems_other = form.one("systems_other");
        self.containment = form.many("containment", options::CONTAINMENT);
        self.containment_detail = form.one("containment_detail");
        self.backups = form.choice("backups", options::BACKUPS);
        self.care_impact = form.many("care_impact", options::CARE_IMPACT);
        self.leak = form.choice("leak", options::LEAK);
        self.notified = form.many("notified", options::NOTIFIED);
        self.notified_detail = form.one("notified_detail");
        self.support = form.many("support", options::SUPPORT);
        self.urgency = form.choice("urgency", URGENCIES);
        self.consent = form.choice("consent", YES_NO);
    }

    /// Reads the urgent submission of `POST /incident`.
    pub fn urgent_from(pairs: &[(String, String)]) -> Self {
        let mut intake = Intake::default();
        intake.read_urgent(&Pairs(pairs));
        intake
    }

    /// Reads the full intake of the follow-up form.
    pub fn full_from(pairs: &[(String, String)]) -> Self {
        let form = Pairs(pairs);
        let mut intake = Intake::default();
        intake.read_urgent(&form);
        intake.insurance_code = form.one("insurance_code");
        intake.licensed_beds = form.one("licensed_beds");
        intake.contact_hours = form.one("contact_hours");
        intake.alt_contact = form.one("alt_contact");
        intake.encrypted_extension = form.one("encrypted_extension");
        intake.ransom_note_text = form.one("ransom_note_text");
        intake.terminals_affected = form.one("terminals_affected");
        intake.servers_affected = form.one("servers_affected");
        intake.scale_unknown = form.one("scale_unknown") == "yes";
        intake.entry_path = form.choice("entry_path", options::ENTRY_PATHS);
        intake.entry_device = form.one("entry_device");
        intake.vendors = (0..=MAX_VENDORS)
            .map(|i| Vendor {
                name: form.one(&format!("vendor_name_{i}")),
                system: form.one(&format!("vendor_system_{i}")),
                connection: form.one(&format!("vendor_connection_{i}")),
                contact: form.one(&format!("vendor_contact_{i}")),
            })
            // A cleared row removes the vendor.
            .filter(|v| {
                !(v.name.is_empty()
                    && v.system.is_empty()
                    && v.connection.is_empty()
                    && v.contact.is_empty())
            })
            .take(MAX_VENDORS)
            .collect();
        intake.evidence = form.many("evidence", options::EVIDENCE);
        intake.backup_kinds = form.many("backup_kinds", options::BACKUP_KINDS);
        intake.backup_last_good = form.one("backup_last_good");
        intake.backup_affected = form.choice("backup_affected", YES_NO_UNKNOWN);
        intake.backup_restore_tested = form.choice("backup_restore_tested", YES_NO_UNKNOWN);
        intake.leak_records = form.one("leak_records");
        intake.leak_data = form.many("leak_data", options::LEAK_DATA);
        intake.ransom_demanded = form.choice("ransom_demanded", YES_NO_UNKNOWN);
        intake.ransom_amount = form.one("ransom_amount");
        intake.ransom_contact = form.one("ransom_contact");
        intake
    }

    /// The reporter's urgency.
    pub fn urgency(&self) -> Urgency {
        Urgency::parse(&self.urgency).unwrap_or(Urgency::Medium)
    }

    /// When it was first observed, read as Japan time.
    pub fn discovered(&self) -> Option<OffsetDateTime> {
        let format = format_description!("[year]-[month]-[day]T[hour]:[minute]");
        PrimitiveDateTime::parse(&self.discovered_at, format)
            .ok()
            .map(|t| t.assume_offset(mist_core::incident::JST))
    }

    /// What needs fixing before the report is stored; empty when it can be stored. `full` also checks
    /// the fields of the full intake.
    pub fn problems(&self, now: OffsetDateTime, full: bool) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut need = |field: &'static str, ok: bool, problem: &'static str| {
            if !ok {
                errors.push(FieldError { field, problem });
            }
        };
        let filled = |s: &str| !s.is_empty();
        need("facility_name", filled(&self.facility_name), "required");
        need("facility_kind", filled(&self.facility_kind), "required");
        need("prefecture", filled(&self.prefecture), "required");
        need("city", filled(&self.city), "required");
        need("reporter_name", filled(&self.reporter_name), "required");
        need("reporter_role", filled(&self.reporter_role), "required");
        need("phone", filled(&self.phone), "required");
        if filled(&self.phone) {
            need("phone", valid_phone(&self.phone), "invalid");
        }
        need("alt_email", filled(&self.alt_email), "required");
        if filled(&self.alt_email) {
            need("alt_email", valid_email(&self.alt_email), "invalid");
        }
        match self.discovered() {
            None => need(
                "discovered_at",
                false,
                if filled(&self.discovered_at) {
                    "invalid"
                } else {
                    "required"
                },
            ),
            // A few minutes of clock difference are not the reporter's fault.
            Some(at) => need("discovered_at", at <= now + Duration::minutes(10), "future"),
        }
        need("discovery", filled(&self.discovery), "required");
        need("observed_text", filled(&self.observed_text), "required");
        need(
            "systems",
            !self.systems.is_empty() || filled(&self.systems_other),
            "required",
        );
        need("containment", !self.containment.is_empty(), "required");
        need("backups", filled(&self.backups), "required");
        need("care_impact", !self.care_impact.is_empty(), "required");
        need("leak", filled(&self.leak), "required");
        need("support", !self.support.is_empty(), "required");
        need("urgency", filled(&self.urgency), "required");
        need("consent", filled(&self.consent), "required");
        if full {
            need(
                "insurance_code",
                self.insurance_code.is_empty()
                    || (self.insurance_code.len() == 10
                        && self.insurance_code.bytes().all(|b| b.is_ascii_digit())),
                "invalid",
            );
            for (field, value) in [
                ("licensed_beds", &self.licensed_beds),
                ("terminals_affected", &self.terminals_affected),
                ("servers_affected", &self.servers_affected),
                ("leak_records", &self.leak_records),
            ] {
                need(
                    field,
                    value.is_empty() || value.parse::<u32>().is_ok(),
                    "invalid",
                );
            }
            let date = format_description!("[year]-[month]-[day]");
            need(
                "backup_last_good",
                self.backup_last_good.is_empty()
                    || time::Date::parse(&self.backup_last_good, date).is_ok(),
                "invalid",
            );
        }
        errors
    }
}

/// A phone number as people write it: digits with optional `+`, hyphens, spaces and parentheses.
fn valid_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

/// An address with one `@` and a dotted domain.
fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn unknown_choices_are_dropped_and_ticks_keep_the_options_order() {
        let form = pairs(&[
            ("systems", "pacs"),
            ("systems", "ehr"),
            ("systems", "toaster"),
            ("urgency", "apocalyptic"),
        ]);
        let intake = Intake::urgent_from(&form);
        assert_eq!(intake.systems, ["ehr", "pacs"]);
        assert_eq!(intake.urgency, "");
        let problems = intake.problems(OffsetDateTime::now_utc(), false);
        assert!(problems.contains(&FieldError {
            field: "urgency",
            problem: "required"
        }));
        assert!(!problems.iter().any(|p| p.field == "systems"));
    }

    #[test]
    fn discovery_time_is_japan_time_and_not_in_the_future() {
        let mut intake = Intake {
            discovered_at: "2021-10-31T00:30".into(),
            ..Intake::default()
        };
        assert_eq!(intake.discovered(), Some(datetime!(2021-10-30 15:30 UTC)));
        let now = datetime!(2021-10-30 15:00 UTC);
        assert!(intake.problems(now, false).contains(&FieldError {
            field: "discovered_at",
            problem: "future"
        }));
        intake.discovered_at = "31/10/2021".into();
        assert!(intake.problems(now, false).contains(&FieldError {
            field: "discovered_at",
            problem: "invalid"
        }));
    }

    #[test]
    fn vendor_rows_are_kept_unless_cleared() {
        let form = pairs(&[
            ("vendor_name_0", "保守会社 A"),
            ("vendor_connection_0", "VPN"),
            ("vendor_name_1", ""),
            ("vendor_name_2", "給食委託 B"),
        ]);
        let intake = Intake::full_from(&form);
        assert_eq!(intake.vendors.len(), 2);
        assert_eq!(intake.vendors[1].name, "給食委託 B");
    }

    #[test]
    fn phones_and_addresses() {
        assert!(valid_phone("03-0000-0000") && valid_phone("+81 (3) 0000 0000"));
        assert!(!valid_phone("call me") && !valid_phone("12"));
        assert!(valid_email("security@example.jp"));
        assert!(!valid_email("nobody") && !valid_email("a@b") && !valid_email("a b@example.jp"));
    }
}
