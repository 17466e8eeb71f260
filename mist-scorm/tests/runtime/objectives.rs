//! Global objectives: definitions from a manifest's sequencing, values read into
//! `cmi.objectives` at launch, and the report a terminating SCO leaves for the maps to
//! write.

use mist_scorm::package::manifest::{Item, Sequencing};
use mist_scorm::package::{Limits, Mode as PackageMode, parse_manifest};
use mist_scorm::runtime::{
    Completion, GlobalObjectives, LaunchData, Mode, ObjectiveDefinition, ObjectiveReport,
    ObjectiveValues, Runtime, RuntimeState, Success, Version,
};

/// Two activities: `writer` writes its primary objective and `shared` to global
/// objectives; `reader` reads them back (the imsss read flags default to true) and
/// judges `shared` by measure.
const MANIFEST: &str = r#"<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3">
 <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
 <organizations default="o"><organization identifier="o"><title>t</title>
  <item identifier="writer" identifierref="r"><title>w</title>
   <imsss:sequencing>
    <imsss:objectives>
     <imsss:primaryObjective objectiveID="main">
      <imsss:mapInfo targetObjectiveID="g-main" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>
     </imsss:primaryObjective>
     <imsss:objective objectiveID="shared">
      <imsss:mapInfo targetObjectiveID="g-shared" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>
     </imsss:objective>
    </imsss:objectives>
    <adlseq:objectives>
     <adlseq:objective objectiveID="shared">
      <adlseq:mapInfo targetObjectiveID="g-shared" writeRawScore="true" writeCompletionStatus="true"/>
     </adlseq:objective>
    </adlseq:objectives>
   </imsss:sequencing>
  </item>
  <item identifier="reader" identifierref="r"><title>r</title>
   <imsss:sequencing>
    <imsss:objectives>
     <imsss:primaryObjective objectiveID="own">
      <imsss:mapInfo targetObjectiveID="g-main"/>
     </imsss:primaryObjective>
     <imsss:objective objectiveID="shared" satisfiedByMeasure="true">
      <imsss:minNormalizedMeasure>0.5</imsss:minNormalizedMeasure>
      <imsss:mapInfo targetObjectiveID="g-shared"/>
     </imsss:objective>
    </imsss:objectives>
    <adlseq:objectives>
     <adlseq:objective objectiveID="shared"><adlseq:mapInfo targetObjectiveID="g-shared"/></adlseq:objective>
    </adlseq:objectives>
   </imsss:sequencing>
  </item>
 </organization></organizations>
 <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource></resources>
</manifest>"#;

fn definitions(item: &str) -> Vec<ObjectiveDefinition> {
    let (manifest, _) = parse_manifest(
        MANIFEST.as_bytes(),
        PackageMode::Tolerant,
        &Limits::default(),
    );
    let manifest = manifest.expect("the manifest parses");
    let organization = manifest.launch_organization().expect("an organization");
    let item: &Item = organization
        .items
        .iter()
        .find(|i| i.identifier == item)
        .expect("the item");
    let sequencing: &Sequencing = item.sequencing.as_ref().expect("sequencing");
    ObjectiveDefinition::from_sequencing(sequencing)
}

fn launch(objectives: &[ObjectiveDefinition], globals: &GlobalObjectives) -> LaunchData {
    LaunchData {
        objective_ids: objectives.iter().filter_map(|o| o.id.clone()).collect(),
        primary_objective_id: objectives
            .iter()
            .find(|o| o.primary)
            .and_then(|o| o.id.clone()),
        objective_values: globals.launch_values(objectives),
        ..LaunchData::default()
    }
}

/// Runs one session: `calls` are (element, value) pairs, objectives addressed by
/// index; returns the report of its terminate and the state to persist.
fn session(
    launch: LaunchData,
    state: RuntimeState,
    calls: &[(&str, &str)],
) -> (ObjectiveReport, RuntimeState) {
    let mut api = Runtime::resume(Version::Scorm2004, launch, Mode::Strict, state);
    assert!(api.initialize(""));
    for (element, value) in calls {
        assert!(api.set_value(element, value), "{element} = {value}");
    }
    assert!(api.terminate(""));
    let delta = api.take_commit().expect("terminate commits");
    (
        delta.objectives.expect("a 2004 terminate reports"),
        api.state().clone(),
    )
}

#[test]
fn definitions_join_imsss_and_adlseq_maps() {
    let writer = definitions("writer");
    assert_eq!(writer.len(), 2);
    assert!(writer[0].primary && writer[0].id.as_deref() == Some("main"));
    let shared = &writer[1];
    assert_eq!(shared.maps.len(), 2, "one imsss and one adlseq map");
    assert!(shared.maps[0].write.satisfied && shared.maps[0].read.satisfied);
    assert!(shared.maps[1].write.raw && !shared.maps[1].write.progress);
    assert!(
        shared.maps[1].read.progress,
        "adlseq read flags default to true"
    );
    let reader = definitions("reader");
    assert!(reader[1].satisfied_by_measure);
    assert_eq!(reader[1].min_normalized_measure, 0.5);
}

#[test]
fn values_flow_from_one_activity_to_another_through_global_objectives() {
    let (writer, reader) = (definitions("writer"), definitions("reader"));
    let mut globals = GlobalObjectives::default();
    let (report, _) = session(
        launch(&writer, &globals),
        RuntimeState::default(),
        &[
            ("cmi.success_status", "failed"),
            ("cmi.score.scaled", "0.25"),
            ("cmi.objectives.1.success_status", "failed"),
            ("cmi.objectives.1.score.scaled", "0.75"),
            ("cmi.objectives.1.score.raw", "75"),
            ("cmi.objectives.1.completion_status", "not attempted"),
        ],
    );
    assert_eq!(report.primary.success, Some(Success::Failed));
    assert_eq!(report.primary.scaled, Some(0.25));
    globals.write_report(&writer, &report);
    let shared = &globals.objectives["g-shared"];
    assert_eq!(shared.raw, Some(75.0));
    assert_eq!(
        shared.completion,
        Some(Completion::Incomplete),
        "stored as not completed"
    );

    let launch = launch(&reader, &globals);
    assert_eq!(
        launch.objective_values["own"].success,
        Some(Success::Failed)
    );
    // `shared` is satisfied by measure: 0.75 reaches 0.5, whatever the writer said.
    assert_eq!(
        launch.objective_values["shared"].success,
        Some(Success::Passed)
    );
    let mut api = Runtime::new(Version::Scorm2004, launch, Mode::Strict);
    assert!(api.initialize(""));
    let read = |api: &mut Runtime, element: &str| api.get_value(element);
    assert_eq!(read(&mut api, "cmi.objectives.0.id"), "own");
    assert_eq!(read(&mut api, "cmi.objectives.0.success_status"), "failed");
    assert_eq!(read(&mut api, "cmi.objectives.0.score.scaled"), "0.25");
    assert_eq!(read(&mut api, "cmi.objectives.1.success_status"), "passed");
    assert_eq!(read(&mut api, "cmi.objectives.1.score.raw"), "75.0");
    assert_eq!(
        read(&mut api, "cmi.objectives.1.completion_status"),
        "incomplete"
    );
    // The reader's own status is not read from a global: it stays unknown.
    assert_eq!(read(&mut api, "cmi.success_status"), "unknown");
}

#[test]
fn an_unknown_the_sco_sets_clears_the_global_objective() {
    let writer = definitions("writer");
    let mut globals = GlobalObjectives::default();
    globals.objectives.insert(
        "g-shared".into(),
        ObjectiveValues {
            success: Some(Success::Passed),
            completion: Some(Completion::Completed),
            ..ObjectiveValues::default()
        },
    );
    let (report, _) = session(
        launch(&writer, &GlobalObjectives::default()),
        RuntimeState::default(),
        &[("cmi.objectives.1.completion_status", "unknown")],
    );
    assert_eq!(
        report.objectives["shared"].success, None,
        "not reported: unchanged"
    );
    globals.write_report(&writer, &report);
    let shared = &globals.objectives["g-shared"];
    assert_eq!(shared.success, Some(Success::Passed));
    assert_eq!(shared.completion, None);
}

#[test]
fn the_primary_objective_merges_its_record_with_the_cmi_elements() {
    let writer = definitions("writer");
    let mut launch = launch(&writer, &GlobalObjectives::default());
    launch.completion_threshold = Some(0.5);
    let (report, _) = session(
        launch.clone(),
        RuntimeState::default(),
        &[
            ("cmi.success_status", "failed"),
            ("cmi.objectives.0.success_status", "passed"),
            ("cmi.objectives.0.score.scaled", "0.1"),
            ("cmi.score.scaled", "0.9"),
            ("cmi.objectives.0.progress_measure", "0.6"),
            ("cmi.completion_status", "incomplete"),
        ],
    );
    let primary = report.primary;
    assert_eq!(
        primary.success,
        Some(Success::Failed),
        "cmi.success_status wins"
    );
    assert_eq!(primary.scaled, Some(0.9), "cmi.score.scaled wins");
    assert_eq!(primary.progress, Some(0.6));
    assert_eq!(
        primary.completion,
        Some(Completion::Completed),
        "the threshold decides"
    );
    assert!(!report.objectives.contains_key("main"));
}

#[test]
fn a_resumed_launch_takes_the_current_global_values() {
    let reader = definitions("reader");
    let mut globals = GlobalObjectives::default();
    let (_, state) = session(
        launch(&reader, &globals),
        RuntimeState::default(),
        &[("cmi.exit", "suspend")],
    );
    globals.objectives.insert(
        "g-main".into(),
        ObjectiveValues {
            success: Some(Success::Passed),
            ..ObjectiveValues::default()
        },
    );
    let mut api = Runtime::resume(
        Version::Scorm2004,
        launch(&reader, &globals),
        Mode::Strict,
        state,
    );
    assert!(api.initialize(""));
    assert_eq!(api.get_value("cmi.entry"), "resume");
    assert_eq!(api.get_value("cmi.objectives.0.success_status"), "passed");
}

#[test]
fn the_sco_outvotes_the_value_its_primary_record_read_at_launch() {
    let reader = definitions("reader");
    let mut globals = GlobalObjectives::default();
    globals.objectives.insert(
        "g-main".into(),
        ObjectiveValues {
            success: Some(Success::Failed),
            ..ObjectiveValues::default()
        },
    );
    let (report, _) = session(
        launch(&reader, &globals),
        RuntimeState::default(),
        &[("cmi.success_status", "passed")],
    );
    assert_eq!(report.primary.success, Some(Success::Passed));
    let (report, _) = session(
        launch(&reader, &globals),
        RuntimeState::default(),
        &[("cmi.objectives.0.score.scaled", "0.5")],
    );
    assert_eq!(
        report.primary.success,
        Some(Success::Failed),
        "without cmi.success_status the record counts"
    );
    assert_eq!(report.primary.scaled, Some(0.5));
}
