//! Tickets shaped for templates: status and levels, the timeline in words, attachments, the intake
//! as rows, times in Japan time.

use serde_json::{Value, json};

use super::intake::Intake;
use crate::store::incidents::Incident;
use crate::web::i18n::Lang;
use crate::web::{AppError, AppState};
use mist_core::incident::Urgency;

/// The intake as label/value rows for reading.
pub(super) fn intake_rows(intake: &Intake) -> Vec<Value> {
    let text =
        |label: &str, value: &str| json!({ "label": format!("inc_f_{label}"), "text": value });
    let codes = |label: &str, prefix: &str, values: &[String]| json!({ "label": format!("inc_f_{label}"), "prefix": format!("inc_{prefix}_"), "codes": values });
    let one = |label: &str, prefix: &str, value: &str| {
        codes(
            label,
            prefix,
            &[value.to_owned()]
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>(),
        )
    };
    let vendors: Vec<String> = intake
        .vendors
        .iter()
        .map(|v| {
            format!(
                "{} / {} / {} / {}",
                v.name, v.system, v.connection, v.contact
            )
        })
        .collect();
    vec![
        text("facility_name", &intake.facility_name),
        json!({ "label": "inc_f_facility_kind", "prefix": "kind_", "codes": [intake.facility_kind] }),
        text("insurance_code", &intake.insurance_code),
        text(
            "prefecture",
            &format!("{} {}", intake.prefecture, intake.city),
        ),
        text("licensed_beds", &intake.licensed_beds),
        text(
            "reporter_name",
            &format!("{} ({})", intake.reporter_name, intake.reporter_role),
        ),
        text("phone", &intake.phone),
        text("alt_email", &intake.alt_email),
        text(
            "contact_hours",
            &format!("{} {}", intake.contact_hours, intake.alt_contact),
        ),
        text("discovered_at", &intake.discovered_at.replace('T', " ")),
        one("discovery", "discovery", &intake.discovery),
        text("discovery_detail", &intake.discovery_detail),
        codes("observed", "observed", &intake.observed),
        text("observed_text", &intake.observed_text),
        text("encrypted_extension", &intake.encrypted_extension),
        text("ransom_note_text", &intake.ransom_note_text),
        codes("systems", "systems", &intake.systems),
        text("systems_other", &intake.systems_other),
        text(
            "scale",
            &format!(
                "{} / {}{}",
                intake.terminals_affected,
                intake.servers_affected,
                if intake.scale_unknown { " ?" } else { "" }
            ),
        ),
        one("entry_path", "entry", &intake.entry_path),
        text("entry_device", &intake.entry_device),
        text("vendors", &vendors.join("\n")),
        codes("containment", "containment", &intake.containment),
        text("containment_detail", &intake.containment_detail),
        codes("evidence", "evidence", &intake.evidence),
        one("backups", "answer", &intake.backups),
        codes("backup_kinds", "backup", &intake.backup_kinds),
        text("backup_last_good", &intake.backup_last_good),
        one("backup_affected", "answer", &intake.backup_affected),
        one(
            "backup_restore_tested",
            "answer",
            &intake.backup_restore_tested,
        ),
        codes("care_impact", "care", &intake.care_impact),
        one("leak", "leak", &intake.leak),
        text("leak_records", &intake.leak_records),
        codes("leak_data", "leak_data", &intake.leak_data),
        one("ransom_demanded", "answer", &intake.ransom_demanded),
        text(
            "ransom_amount",
            &format!("{} {}", intake.ransom_amount, intake.ransom_contact),
        ),
        codes("notified", "notified", &intake.notified),
        text("notified_detail", &intake.notified_detail),
        codes("support", "support", &intake.support),
        one("urgency", "urgency", &intake.urgency),
        one("consent", "answer", &intake.consent),
    ]
}

/// An urgency's label key in the interface texts.
pub(super) fn urgency_key(urgency: &str) -> String {
    format!(
        "inc_urgency_{}",
        Urgency::parse(urgency).unwrap_or(Urgency::Medium).as_str()
    )
}

/// The status and levels of a ticket, for templates.
pub(super) fn ticket_json(incident: &Incident) -> Value {
    let level = incident.triage.as_deref().unwrap_or(&incident.urgency);
    json!({
        "number": incident.number, "status": incident.status, "urgency": incident.urgency,
        "urgency_key": urgency_key(&incident.urgency), "triage": incident.triage,
        "level_key": urgency_key(level), "facility": incident.facility_name,
        "assignee": incident.assignee_name, "assigned_to": incident.assigned_to,
        "received": jst(incident.created_at), "updated": jst(incident.updated_at),
        "discovered": jst(incident.discovered_at), "summary": incident.summary,
        "leak": incident.leak, "improper_intent": incident.improper_intent,
        "organization_id": incident.organization_id,
    })
}

/// A ticket's timeline for templates: generated entries (status, triage, filing) in words.
pub(super) async fn timeline(
    state: &AppState,
    incident: &Incident,
    lang: Lang,
) -> Result<Vec<Value>, AppError> {
    let texts = lang.texts();
    let word = |key: String| {
        texts
            .get(&key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let events = state.store.incident_events(incident.id).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let text = match e.kind.as_str() {
                "filed" => word(urgency_key(&e.body)),
                "triage" => {
                    let (level, improper) = match e.body.split_once(' ') {
                        Some((level, _)) => (level, true),
                        None => (e.body.as_str(), false),
                    };
                    let mut text = word(urgency_key(level));
                    if improper {
                        text = format!("{text} · {}", word("desk_improper".into()));
                    }
                    text
                }
                "status" => {
                    let (step, note) = e.body.split_once('\n').unwrap_or((&e.body, ""));
                    let (from, to) = step.split_once(" → ").unwrap_or((step, ""));
                    format!(
                        "{} → {}\n{note}",
                        word(format!("inc_status_{from}")),
                        word(format!("inc_status_{to}"))
                    )
                    .trim_end()
                    .to_owned()
                }
                _ => e.body,
            };
            json!({ "kind": e.kind, "text": text, "author": e.author_name, "at": jst(e.at) })
        })
        .collect())
}

/// A ticket's attachments for templates.
pub(super) async fn attachments_json(
    state: &AppState,
    incident: &Incident,
) -> Result<Vec<Value>, AppError> {
    Ok(state
        .store
        .attachments(incident.id)
        .await?
        .into_iter()
        .map(|a| json!({ "id": a.id, "file_name": a.file_name, "kind": a.kind, "size": a.size, "sha256": a.sha256, "at": jst(a.created_at) }))
        .collect())
}

/// A time as Japan time, `2026-11-26 09:30 JST`.
pub(super) fn jst(at: time::OffsetDateTime) -> String {
    let t = at.to_offset(mist_core::incident::JST);
    format!(
        "{}-{:02}-{:02} {:02}:{:02} JST",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}
