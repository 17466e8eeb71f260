//! The fee-schedule rule sets as data: which hospitals must train staff each year, and what counts.
//!
//! The bundled rules (`mist-core/rules/compliance.toml`) hold one entry per fee-schedule revision; an
//! entry applies from its fiscal year until the next entry. A new revision is a data change there.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use crate::fiscal::FiscalYear;

/// The bundled rule file.
pub const BUNDLED_RULES: &str = include_str!("../../rules/compliance.toml");

/// How a training was delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    /// E-learning on this portal: viewing plus a comprehension check.
    ELearning,
    /// A live online session (Zoom and the like) with attendance checked.
    LiveOnline,
    /// An in-person session with a sign-in sheet.
    InPerson,
    /// Training elsewhere (a MIST certificate, for example), shown by evidence a manager approved.
    External,
}

impl DeliveryMode {
    /// Every mode, in report order.
    pub const ALL: [DeliveryMode; 4] = [
        DeliveryMode::ELearning,
        DeliveryMode::LiveOnline,
        DeliveryMode::InPerson,
        DeliveryMode::External,
    ];

    /// The identifier used in files, forms and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::ELearning => "e_learning",
            DeliveryMode::LiveOnline => "live_online",
            DeliveryMode::InPerson => "in_person",
            DeliveryMode::External => "external",
        }
    }

    /// Parses the identifier.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|mode| mode.as_str() == value)
    }

    /// The mode's name in Japanese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            DeliveryMode::ELearning => ("eラーニング", "E-learning"),
            DeliveryMode::LiveOnline => ("オンライン研修(ライブ)", "Live online session"),
            DeliveryMode::InPerson => ("集合研修", "In-person session"),
            DeliveryMode::External => ("外部研修(証跡)", "External training (evidence)"),
        }
    }
}

impl fmt::Display for DeliveryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A period during which some hospitals newly in scope are deemed compliant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    below_beds: u32,
    until: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    from_fiscal_year: i32,
    revision_ja: String,
    revision_en: String,
    min_beds: u32,
    annual_training: bool,
    comprehension_check_required: bool,
    counts: Vec<DeliveryMode>,
    transition: Option<RawTransition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    rule: Vec<RawRule>,
}

/// Hospitals with `beds` in `min_beds..below_beds` are deemed compliant until `until` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The transition covers hospitals with fewer beds than this.
    pub below_beds: u32,
    /// Its last day.
    #[serde(with = "super::iso_date")]
    pub until: Date,
}

/// One fee-schedule revision's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The first fiscal year it applies to.
    pub from: FiscalYear,
    /// The revision's name in Japanese, e.g. 令和6年度診療報酬改定.
    pub revision_ja: String,
    /// The revision's name in English.
    pub revision_en: String,
    /// Hospitals with at least this many licensed beds must train staff.
    pub min_beds: u32,
    /// Whether training is required every fiscal year.
    pub annual_training: bool,
    /// Whether e-learning needs a comprehension check (問257).
    pub comprehension_check_required: bool,
    /// The delivery modes that count as training.
    pub counts: Vec<DeliveryMode>,
    /// A transitional period for hospitals newly in scope.
    pub transition: Option<Transition>,
}

/// Why a rule file is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// Not valid TOML, or fields missing or unknown.
    #[error("compliance rules: {0}")]
    Toml(String),
    /// A transition date is not YYYY-MM-DD.
    #[error("compliance rules: rule from FY{year}: transition date `{value}` is not YYYY-MM-DD")]
    Date {
        /// The rule's first fiscal year.
        year: i32,
        /// The text found.
        value: String,
    },
    /// Rules out of order or repeated.
    #[error(
        "compliance rules: rules must be in increasing fiscal-year order (FY{0} is out of order)"
    )]
    Order(i32),
    /// No rule at all.
    #[error("compliance rules: the file holds no rule")]
    Empty,
    /// A rule where nothing counts as training.
    #[error("compliance rules: rule from FY{0} lists no delivery mode that counts")]
    NothingCounts(i32),
}

/// Whether an organization must train its staff on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Annual staff training is required.
    Required,
    /// In scope of the rule but deemed compliant during a transition.
    Transitional,
    /// Not required by the fee schedule (training is still recommended).
    NotRequired,
}

/// The obligation of one organization on one date, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    /// The fiscal year of the date.
    pub fiscal_year: FiscalYear,
    /// Whether training is required.
    pub requirement: Requirement,
    /// The rule applied, if any covers the year.
    pub rule: Option<Rule>,
    /// Why, in Japanese.
    pub explanation_ja: String,
    /// Why, in English.
    pub explanation_en: String,
}

impl Obligation {
    /// Whether a delivery mode counts under the rule applied (every mode counts when no rule applies).
    pub fn counts(&self, mode: DeliveryMode) -> bool {
        self.rule
            .as_ref()
            .is_none_or(|rule| rule.counts.contains(&mode))
    }
}

/// The rules of every fiscal year, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// Parses a rule file (see `mist-core/rules/compliance.toml` for the form).
    pub fn parse(text: &str) -> Result<Self, RuleError> {
        let raw: RawRules = toml::from_str(text).map_err(|e| RuleError::Toml(e.to_string()))?;
        let mut rules: Vec<Rule> = Vec::with_capacity(raw.rule.len());
        for rule in raw.rule {
            let year = rule.from_fiscal_year;
            if rules
                .last()
                .is_some_and(|last| last.from.start_year() >= year)
            {
                return Err(RuleError::Order(year));
            }
            if rule.counts.is_empty() {
                return Err(RuleError::NothingCounts(year));
            }
            let transition = rule
                .transition
                .map(|t| {
                    Date::parse(&t.until, format_description!("[year]-[month]-[day]"))
                        .map(|until| Transition {
                            below_beds: t.below_beds,
                            until,
                        })
                        .map_err(|_| RuleError::Date {
                            year,
                            value: t.until.clone(),
                        })
                })
                .transpose()?;
            rules.push(Rule {
                from: FiscalYear::starting_in(year),
                revision_ja: rule.revision_ja,
                revision_en: rule.revision_en,
                min_beds: rule.min_beds,
                annual_training: rule.annual_training,
                comprehension_check_required: rule.comprehension_check_required,
                counts: rule.counts,
                transition,
            });
        }
        if rules.is_empty() {
            return Err(RuleError::Empty);
        }
        Ok(Self { rules })
    }

    /// The rules bundled with MIST, parsed once.
    pub fn bundled() -> Result<&'static RuleSet, RuleError> {
        static BUNDLED: OnceLock<Result<RuleSet, RuleError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| RuleSet::parse(BUNDLED_RULES))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The rule in force in a fiscal year, if any.
    pub fn rule_for(&self, year: FiscalYear) -> Option<&Rule> {
        self.rules.iter().rev().find(|rule| rule.from <= year)
    }

    /// The obligation of an organization with `beds` licensed beds (unknown: `None`) on a date.
    pub fn obligation(&self, beds: Option<u32>, on: Date) -> Obligation {
        let fiscal_year = FiscalYear::containing(on);
        let Some(rule) = self.rule_for(fiscal_year) else {
            return Obligation {
                fiscal_year,
                requirement: Requirement::NotRequired,
                rule: None,
                explanation_ja: format!(
                    "{}には診療録管理体制加算の研修要件がありません。",
                    fiscal_year.era_label()
                ),
                explanation_en: format!("No fee-schedule training rule applies in {fiscal_year}."),
            };
        };
        let (requirement, ja, en) = match beds {
            None => (
                Requirement::NotRequired,
                "許可病床数が登録されていないため判定できません。".to_owned(),
                "Licensed beds are not recorded, so the rule cannot be applied.".to_owned(),
            ),
            Some(beds) if beds < rule.min_beds || !rule.annual_training => (
                Requirement::NotRequired,
                format!(
                    "許可病床数 {beds} 床は {} 床未満のため、{}の研修要件の対象外です(研修は推奨されます)。",
                    rule.min_beds, rule.revision_ja
                ),
                format!(
                    "{beds} licensed beds is below {} under the {}: training is not required (but recommended).",
                    rule.min_beds, rule.revision_en
                ),
            ),
            Some(beds) => match &rule.transition {
                Some(t) if beds < t.below_beds && on <= t.until => (
                    Requirement::Transitional,
                    format!(
                        "許可病床数 {beds} 床: {}の経過措置により {} まで基準を満たすものとみなされます(既存の届出病院)。",
                        rule.revision_ja, t.until
                    ),
                    format!(
                        "{beds} licensed beds: deemed compliant until {} under the transition of the {} (existing filers).",
                        t.until, rule.revision_en
                    ),
                ),
                _ => (
                    Requirement::Required,
                    format!(
                        "許可病床数 {beds} 床は {} 床以上のため、{}により年1回程度の職員研修が必要です。",
                        rule.min_beds, rule.revision_ja
                    ),
                    format!(
                        "{beds} licensed beds is at least {}: the {} requires staff training about once a year.",
                        rule.min_beds, rule.revision_en
                    ),
                ),
            },
        };
        Obligation {
            fiscal_year,
            requirement,
            rule: Some(rule.clone()),
            explanation_ja: ja,
            explanation_en: en,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use time::macros::date;

    use super::*;

    fn requirement(beds: u32, on: Date) -> Requirement {
        RuleSet::bundled()
            .unwrap()
            .obligation(Some(beds), on)
            .requirement
    }

    #[test]
    fn the_bundled_rules_parse() {
        let rules = RuleSet::bundled().unwrap();
        assert!(rules.rule_for(FiscalYear::starting_in(2021)).is_none());
        assert_eq!(
            rules
                .rule_for(FiscalYear::starting_in(2023))
                .unwrap()
                .min_beds,
            400
        );
        assert_eq!(
            rules
                .rule_for(FiscalYear::starting_in(2030))
                .unwrap()
                .min_beds,
            200
        );
    }

    #[test]
    fn fy2022_and_fy2023_need_400_beds() {
        assert_eq!(
            requirement(399, date!(2023 - 06 - 01)),
            Requirement::NotRequired
        );
        assert_eq!(
            requirement(400, date!(2023 - 06 - 01)),
            Requirement::Required
        );
        assert_eq!(
            requirement(400, date!(2022 - 04 - 01)),
            Requirement::Required
        );
        // Before FY2022 no rule applies: 31 March 2022 is still FY2021.
        let before = RuleSet::bundled()
            .unwrap()
            .obligation(Some(900), date!(2022 - 03 - 31));
        assert_eq!(
            (before.requirement, before.rule),
            (Requirement::NotRequired, None)
        );
    }

    #[test]
    fn the_fy2024_rule_starts_on_1_april_2024() {
        // 300 beds: out of scope on 31 March 2024 (FY2023, 400+), in the transition on 1 April.
        assert_eq!(
            requirement(300, date!(2024 - 03 - 31)),
            Requirement::NotRequired
        );
        assert_eq!(
            requirement(300, date!(2024 - 04 - 01)),
            Requirement::Transitional
        );
        assert_eq!(
            requirement(400, date!(2024 - 04 - 01)),
            Requirement::Required
        );
    }

    #[test]
    fn the_transition_ends_on_31_may_2025() {
        assert_eq!(
            requirement(200, date!(2025 - 05 - 31)),
            Requirement::Transitional
        );
        assert_eq!(
            requirement(200, date!(2025 - 06 - 01)),
            Requirement::Required
        );
        assert_eq!(
            requirement(399, date!(2025 - 05 - 31)),
            Requirement::Transitional
        );
        assert_eq!(
            requirement(399, date!(2025 - 06 - 01)),
            Requirement::Required
        );
        assert_eq!(
            requirement(400, date!(2025 - 05 - 31)),
            Requirement::Required
        );
    }

    #[test]
    fn fy2024_on_needs_200_beds() {
        for on in [
            date!(2025 - 06 - 01),
            date!(2026 - 03 - 31),
            date!(2026 - 04 - 01),
        ] {
            assert_eq!(requirement(199, on), Requirement::NotRequired, "{on}");
            assert_eq!(requirement(200, on), Requirement::Required, "{on}");
            assert_eq!(requirement(399, on), Requirement::Required, "{on}");
            assert_eq!(requirement(400, on), Requirement::Required, "{on}");
        }
    }

    #[test]
    fn unknown_beds_and_explanations() {
        let rules = RuleSet::bundled().unwrap();
        let unknown = rules.obligation(None, date!(2025 - 07 - 01));
        assert_eq!(unknown.requirement, Requirement::NotRequired);
        assert!(unknown.explanation_en.contains("not recorded"));
        let required = rules.obligation(Some(250), date!(2025 - 07 - 01));
        assert!(
            required.explanation_ja.contains("令和6年度診療報酬改定"),
            "{}",
            required.explanation_ja
        );
        assert!(required.counts(DeliveryMode::External));
    }

    #[test]
    fn bad_rule_files_are_refused_clearly() {
        assert!(
            RuleSet::parse("")
                .unwrap_err()
                .to_string()
                .contains("missing field `rule`")
        );
        let rule = |year: i32, extra: &str| {
            format!(
                "[[rule]]\nfrom_fiscal_year = {year}\nrevision_ja = \"a\"\nrevision_en = \"a\"\nmin_beds = 1\nannual_training = true\ncomprehension_check_required = true\ncounts = [\"e_learning\"]\n{extra}"
            )
        };
        let two = format!("{}{}", rule(2024, ""), rule(2022, ""));
        assert_eq!(RuleSet::parse(&two).unwrap_err(), RuleError::Order(2022));
        let bad_date = rule(
            2024,
            "[rule.transition]\nbelow_beds = 2\nuntil = \"31/05/2025\"\n",
        );
        assert!(matches!(
            RuleSet::parse(&bad_date).unwrap_err(),
            RuleError::Date { year: 2024, .. }
        ));
        let unknown_mode = rule(2024, "").replace("e_learning", "carrier_pigeon");
        assert!(
            RuleSet::parse(&unknown_mode)
                .unwrap_err()
                .to_string()
                .contains("carrier_pigeon")
        );
        let none = rule(2024, "").replace("[\"e_learning\"]", "[]");
        assert_eq!(
            RuleSet::parse(&none).unwrap_err(),
            RuleError::NothingCounts(2024)
        );
    }
}
