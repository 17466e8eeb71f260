//! Moodle's golf test packages: the outcomes Moodle gives, and the structure of each.

use std::fs::File;

use mist_scorm::package::{
    Code, Limits, Mode, Report, ScormType, ScormVersion, Severity, check_zip,
};

use super::support::{codes, shared_dir};

fn golf(name: &str) -> Option<Report> {
    let path = shared_dir()?.join("fixtures/golf").join(name);
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(check_zip(file, Mode::Tolerant, &Limits::default()))
}

#[test]
fn each_golf_package_gets_moodles_outcome() {
    // (zip, importable, the error codes when rejected / the warning codes when accepted)
    let table: &[(&str, bool, &[Code])] = &[
        ("singlescobasic.zip", true, &[]),
        ("singlesco_scorm12.zip", true, &[]),
        ("RuntimeMinimumCalls_SCORM12.zip", true, &[]),
        ("RuntimeMinimumCalls_SCORM12-mini.zip", true, &[]),
        ("RuntimeBasicCalls_SCORM20043rdEdition.zip", true, &[]),
        (
            "singlescobasic_missingorg.zip",
            true,
            &[Code::FileUndeclared],
        ),
        (
            "complexscorm.zip",
            true,
            &[
                Code::OrganizationDefaultMissing,
                Code::ItemParentWithResource,
                Code::ItemParentWithResource,
                Code::FileMetadataMissing,
                Code::FileUndeclared,
            ],
        ),
        ("badscorm.zip", false, &[Code::PackageManifestNested]),
        ("invalid.zip", false, &[Code::PackageManifestMissing]),
        ("validscorm.zip", false, &[Code::ManifestRoot]),
        ("validaicc.zip", false, &[Code::PackageAicc]),
    ];
    for (name, importable, expected) in table {
        let Some(report) = golf(name) else { return };
        assert_eq!(
            report.is_importable(),
            *importable,
            "{name}: {:#?}",
            report.diagnostics
        );
        let severity = if *importable {
            Severity::Warning
        } else {
            Severity::Error
        };
        assert_eq!(
            codes(&report, severity),
            *expected,
            "{name}: {:#?}",
            report.diagnostics
        );
        for finding in report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            assert!(
                finding.hint.is_some(),
                "{name}: an error without a hint: {finding:?}"
            );
        }
    }
}

#[test]
fn multi_sco_package_has_22_items_and_parameterised_shared_pages() {
    let Some(report) = golf("RuntimeMinimumCalls_SCORM12.zip") else {
        return;
    };
    let manifest = report.manifest.as_ref().unwrap();
    assert_eq!(manifest.scorm_version, ScormVersion::Scorm12);
    let org = manifest.launch_organization().unwrap();
    assert_eq!(org.title, "Golf Explained - Minimum Run-time Calls");
    assert_eq!(org.items.iter().map(|i| i.walk().len()).sum::<usize>(), 22);
    let launchables = manifest.launchables();
    assert_eq!((launchables.len(), report.scos, report.assets), (18, 18, 0));
    let quizzes: Vec<(&str, &str)> = launchables
        .iter()
        .filter(|l| l.launch_url.starts_with("shared/assessmenttemplate.html"))
        .map(|l| (l.item.as_str(), l.launch_url.as_str()))
        .collect();
    assert_eq!(
        quizzes,
        [
            (
                "playing_quiz_item",
                "shared/assessmenttemplate.html?questions=Playing"
            ),
            (
                "etiquette_quiz_item",
                "shared/assessmenttemplate.html?questions=Etiquette"
            ),
            (
                "handicapping_quiz_item",
                "shared/assessmenttemplate.html?questions=Handicapping"
            ),
            (
                "havingfun_quiz_item",
                "shared/assessmenttemplate.html?questions=HavingFun"
            ),
        ]
    );
    let first = &launchables[0];
    assert_eq!(
        (
            first.item.as_str(),
            first.depth,
            first.parents.as_slice(),
            first.title.as_str()
        ),
        (
            "playing_playing_item",
            1,
            ["playing_item".to_owned()].as_slice(),
            "How to Play"
        )
    );
}

#[test]
fn scorm_2004_third_edition_package_keeps_its_sequencing() {
    let Some(report) = golf("RuntimeBasicCalls_SCORM20043rdEdition.zip") else {
        return;
    };
    assert_eq!(report.scorm_version, Some(ScormVersion::Scorm2004Third));
    let manifest = report.manifest.as_ref().unwrap();
    let org = manifest.launch_organization().unwrap();
    assert!(!org.objectives_global_to_system);
    let control = org.sequencing.as_ref().unwrap().control_mode.unwrap();
    assert!(control.choice && control.flow && control.choice_exit && !control.forward_only);
    let launchables = manifest.launchables();
    assert_eq!(launchables.len(), 1);
    let sco = &launchables[0];
    assert_eq!(
        (sco.launch_url.as_str(), sco.scorm_type),
        ("shared/launchpage.html", ScormType::Sco)
    );
    let delivery = sco.sequencing.as_ref().unwrap().delivery_controls.unwrap();
    assert!(
        delivery.tracked && delivery.completion_set_by_content && delivery.objective_set_by_content
    );
}

#[test]
fn package_without_organizations_makes_every_resource_a_sco() {
    let Some(report) = golf("singlescobasic_missingorg.zip") else {
        return;
    };
    assert!(report.organizations.is_empty());
    assert_eq!(report.with_code(Code::OrganizationNone).count(), 1);
    let launchables = report.manifest.as_ref().unwrap().launchables();
    assert_eq!(launchables.len(), 1);
    assert_eq!(
        (
            launchables[0].item.as_str(),
            launchables[0].launch_url.as_str(),
            launchables[0].scorm_type
        ),
        ("resource_1", "sso/launchpage.html", ScormType::Sco)
    );
    assert_eq!((report.scos, report.assets), (1, 0));
}

#[test]
fn complex_package_uses_the_first_organization_and_keeps_12_extensions() {
    let Some(report) = golf("complexscorm.zip") else {
        return;
    };
    let manifest = report.manifest.as_ref().unwrap();
    assert_eq!(
        manifest.launch_organization().unwrap().identifier,
        "mm-SCORMDEbugger555f231e21b982c25d16"
    );
    let items: Vec<_> = manifest.organizations[0]
        .items
        .iter()
        .flat_map(|i| i.walk())
        .collect();
    let hidden = items.iter().find(|i| i.title == "SCO not visible").unwrap();
    assert!(!hidden.is_visible);
    let prerequisites = items.iter().find_map(|i| i.prerequisites.as_ref()).unwrap();
    assert_eq!(prerequisites.kind, "aicc_script");
    assert!(prerequisites.script.contains(" & "));
    assert_eq!((report.scos, report.assets), (7, 1));
}

#[test]
fn report_serializes_to_the_cli_shape() {
    let Some(report) = golf("singlescobasic.zip") else {
        return;
    };
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        sorted_keys(&json),
        sorted(&[
            "scorm_version",
            "title",
            "organizations",
            "scos",
            "assets",
            "diagnostics"
        ])
    );
    assert_eq!(json["scorm_version"], "1.2");
    assert_eq!(
        json["organizations"][0]["items"][0]["launch"],
        "shared/launchpage.html"
    );
    let Some(bad) = golf("badscorm.zip") else {
        return;
    };
    let finding = &serde_json::to_value(&bad).unwrap()["diagnostics"][0];
    assert_eq!(
        sorted_keys(finding),
        sorted(&[
            "severity", "code", "message", "file", "line", "column", "hint"
        ])
    );
    assert_eq!(
        (finding["severity"].as_str(), finding["code"].as_str()),
        (Some("error"), Some("package.manifest_nested"))
    );
}

fn sorted_keys(value: &serde_json::Value) -> Vec<String> {
    sorted(
        &value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    keys.sort();
    keys
}
