//! The option codes of the intake form (facts §4); their labels live with the interface texts.

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
/// Field 23: notifications already made (`none` is an answer too).
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
    "none",
];
/// Field 24: support requested.
pub const SUPPORT: &[&str] = &[
    "remote_advice",
    "onsite",
    "forensics",
    "bcp",
    "communications",
];
/// The 47 prefectures, in the order of their JIS codes (field 4): the portal's list.
pub const PREFECTURES: &[&str] = &crate::portal::prefecture::PREFECTURE_NAMES;
