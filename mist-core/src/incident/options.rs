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
