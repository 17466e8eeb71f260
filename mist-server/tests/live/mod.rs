//! Live training sessions: registration without overbooking, the waiting list, the reminder queue,
//! attendance, the comprehension check and completions, through the store and through the portal.

use mist_core::Audience;
use mist_server::live_mail::LiveComposer;
use mist_server::store::live::SessionFields;
use mist_server::store::{NewOrganization, Role, Store, User};
use time::{Duration, OffsetDateTime};

mod store;
mod web;

/// The composer the portal uses, with the test portal's address.
pub fn composer() -> LiveComposer {
    LiveComposer {
        public_url: "http://127.0.0.1:8080".into(),
    }
}

/// A session starting `starts_in` from now, registration open until an hour before.
pub fn fields(capacity: i64, starts_in: Duration) -> SessionFields {
    let starts_at = mist_server::store::now() + starts_in;
    SessionFields {
        audience: Audience::Staff,
        programme: Some("初学者向け研修 2026".into()),
        part: None,
        title: (
            "初学者・医療従事者向けオンライン研修".into(),
            "Online training for beginners and medical staff".into(),
        ),
        description: ("日常業務での注意点".into(), "Everyday precautions".into()),
        instructor: "講師 A".into(),
        starts_at,
        duration_minutes: 90,
        capacity,
        registration_deadline: starts_at - Duration::hours(1),
        meeting_url: "https://meet.example.jp/j/0000".into(),
        attendance_keyword: Some("まもる".into()),
        quiz: None,
        archive_url: None,
        archive_public: false,
    }
}

/// An organization with `n` learners.
pub async fn learners(store: &Store, code: &str, n: usize) -> Vec<User> {
    let org = store
        .create_organization(&NewOrganization {
            name: format!("病院 {code}"),
            kind: "hospital".into(),
            licensed_beds: Some(200),
            prefecture: "徳島県".into(),
            insurance_code: None,
            join_code: code.into(),
        })
        .await
        .unwrap();
    let mut people = Vec::new();
    for i in 0..n {
        let user = store
            .create_user(
                Some(org.id),
                &format!("learner{i}@{code}.example"),
                &format!("受講者 {i}"),
                None,
                Role::Learner,
                None,
            )
            .await
            .unwrap();
        people.push(user);
    }
    people
}

/// Now, for comparing with stored times.
pub fn now() -> OffsetDateTime {
    mist_server::store::now()
}
