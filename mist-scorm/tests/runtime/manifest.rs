//! Just enough of an `imsmanifest.xml` reader to give each ADL test activity its
//! launch data (the package importer is another module's job; this reads the few
//! elements the runtime needs from the ADL manifests, by plain text search).

use mist_scorm::runtime::{LaunchData, SharedData};

/// The value of attribute `name` in the start tag `tag` (tolerates ` = ` spacing).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at].ends_with(|c: char| c.is_whitespace());
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if let Some(value) = after
            .strip_prefix('=')
            .map(str::trim_start)
            .filter(|_| before_ok)
        {
            let quote = value.chars().next()?;
            let body = &value[1..];
            return body.find(quote).map(|end| unescape(body[..end].trim()));
        }
    }
    None
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Start tags named `name` in `xml`, each as the text between `<` and `>`.
fn tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    xml.match_indices('<').filter_map(move |(at, _)| {
        let tag = &xml[at..];
        tag[1..].starts_with(name).then_some(())?;
        let next = tag.as_bytes().get(name.len() + 1).copied();
        let whole_name = matches!(next, Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'));
        tag.find('>').filter(|_| whole_name).map(|end| &tag[..end])
    })
}

/// The text content of the first element `name`.
fn text_of(xml: &str, name: &str) -> Option<String> {
    let open = tags(xml, name).next()?;
    let start = xml.find(open)? + open.len() + 1;
    let end = xml[start..].find(&format!("</{name}>"))?;
    Some(unescape(xml[start..start + end].trim()))
}

/// The part of the manifest that belongs to item `identifier` (up to its first
/// child item or its end tag).
fn item_section<'a>(xml: &'a str, identifier: &str) -> Option<&'a str> {
    let tag = tags(xml, "item")
        .find(|tag| attribute(tag, "identifier").as_deref() == Some(identifier))?;
    let start = xml.find(tag)?;
    let body = &xml[start + tag.len()..];
    let end = [body.find("<item"), body.find("</item>")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    Some(&body[..end])
}

fn number(text: Option<String>) -> Option<f64> {
    text.and_then(|t| t.trim().parse().ok())
}

/// Objectives of item `identifier` that map to global objectives (`imsss:mapInfo`):
/// their values can come from other activities through the sequencer.
pub fn mapped_objectives(xml: &str, identifier: &str) -> Vec<String> {
    let Some(item) = item_section(xml, identifier) else {
        return Vec::new();
    };
    let mut mapped = Vec::new();
    let mut rest = item;
    const OPEN: [&str; 3] = [
        "<imsss:primaryObjective",
        "<imsss:objective ",
        "<adlseq:objective ",
    ];
    const CLOSE: [&str; 3] = [
        "</imsss:primaryObjective>",
        "</imsss:objective>",
        "</adlseq:objective>",
    ];
    while let Some(start) = OPEN.iter().filter_map(|open| rest.find(open)).min() {
        let section = &rest[start..];
        let end = CLOSE.iter().filter_map(|close| section.find(close)).min();
        let body = &section[..end.unwrap_or(section.len())];
        let tag = body.split('>').next().unwrap_or("");
        if body.contains("mapInfo")
            && let Some(id) = attribute(tag, "objectiveID")
        {
            mapped.push(id);
        }
        rest = &section[body.len().max(1)..];
    }
    mapped
}

/// Launch data of item `identifier` for learner `m` (the ADL operator's learner).
pub fn launch_data(xml: &str, identifier: &str) -> LaunchData {
    let mut launch = LaunchData {
        learner_id: "m".into(),
        ..LaunchData::default()
    };
    let Some(item) = item_section(xml, identifier) else {
        return launch;
    };
    launch.launch_data = text_of(item, "adlcp:dataFromLMS");
    launch.time_limit_action = text_of(item, "adlcp:timeLimitAction");
    launch.max_time_allowed = tags(item, "imsss:limitConditions")
        .find_map(|t| attribute(t, "attemptAbsoluteDurationLimit"));
    if let Some(tag) = tags(item, "adlcp:completionThreshold").next() {
        let by_measure = attribute(tag, "completedByMeasure").as_deref() == Some("true");
        let measure = number(attribute(tag, "minProgressMeasure")).unwrap_or(1.0);
        launch.completion_threshold = by_measure.then_some(measure);
    }
    if let Some(primary) = tags(item, "imsss:primaryObjective").next() {
        if attribute(primary, "satisfiedByMeasure").as_deref() == Some("true") {
            let measure = number(text_of(
                &item[item.find(primary).unwrap_or(0)..],
                "imsss:minNormalizedMeasure",
            ));
            launch.scaled_passing_score = Some(measure.unwrap_or(1.0));
        }
        launch
            .objective_ids
            .extend(attribute(primary, "objectiveID"));
    }
    launch
        .objective_ids
        .extend(tags(item, "imsss:objective").filter_map(|t| attribute(t, "objectiveID")));
    launch.shared_data = tags(item, "adlcp:map")
        .filter_map(|tag| {
            Some(SharedData {
                id: attribute(tag, "targetID")?,
                readable: attribute(tag, "readSharedData").as_deref() != Some("false"),
                writable: attribute(tag, "writeSharedData").as_deref() != Some("false"),
                value: None,
            })
        })
        .collect();
    launch
}
