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
