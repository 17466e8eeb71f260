//! The store on every backend: seats, the waiting list, and the reminder queue.

use std::collections::HashSet;
use std::sync::Arc;

use mist_core::live::Status;
use mist_server::live_mail::{LogMailer, deliver_due};
use mist_server::store::live::Registered;
use time::Duration;

use super::{composer, fields, learners, now};
use crate::support::stores;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_registrations_fill_ten_seats_and_queue_forty_in_order() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "CONC2345", 50).await;
        let session = store
            .create_live_session(None, &fields(10, Duration::days(7)))
            .await
            .unwrap();
        let composer = Arc::new(composer());
        let mut tasks = Vec::new();
        for person in &people {
            let (store, composer, id) = (store.clone(), composer.clone(), person.id);
            tasks.push(tokio::spawn(async move {
                store
                    .register_live(session, id, "ja", composer.as_ref())
                    .await
            }));
        }
        for task in tasks {
            let outcome = task.await.unwrap().unwrap();
            assert!(matches!(outcome, Registered::New(_)), "{}", backend.name);
        }
        let roster = store.live_roster(session, None).await.unwrap();
        let confirmed = roster.iter().filter(|r| r.status == "confirmed").count();
        let waiting: Vec<i64> = roster
            .iter()
            .filter(|r| r.status == "waiting")
            .map(|r| r.position)
            .collect();
        assert_eq!((confirmed, waiting.len()), (10, 40), "{}", backend.name);
        // Positions are 1..=50 with no gaps or repeats, and every waiting place comes after every seat.
        let positions: HashSet<i64> = roster.iter().map(|r| r.position).collect();
        assert_eq!(positions, (1..=50).collect(), "{}", backend.name);
        assert!(waiting.iter().all(|p| *p > 10), "{}", backend.name);
        let count = store.live_seat_count(session).await.unwrap();
        assert_eq!((count.held, count.waiting), (10, 40), "{}", backend.name);
        assert_eq!(store.live_seat_counts().await.unwrap()[&session], count);
    }
}

#[tokio::test]
async fn a_cancelled_seat_goes_to_the_first_on_the_waiting_list() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "PROM2345", 4).await;
        let session = store
            .create_live_session(None, &fields(2, Duration::days(7)))
            .await
            .unwrap();
        let c = composer();
        for person in &people {
            store
                .register_live(session, person.id, "en", &c)
                .await
                .unwrap();
        }
        let status = |i: usize| {
            let id = people[i].id;
            async move { store.live_status(session, id).await.unwrap() }
        };
        assert_eq!(status(2).await, Some(Status::Waiting));
        assert_eq!(
            store
                .register_live(session, people[0].id, "ja", &c)
                .await
                .unwrap(),
            Registered::Already(Status::Confirmed)
        );
        let (changed, promoted) = store
            .cancel_live_registration(session, people[0].id, &c)
            .await
            .unwrap();
        assert!(changed, "{}", backend.name);
        assert_eq!(promoted, vec![people[2].id], "{}", backend.name);
        assert_eq!(status(0).await, Some(Status::Cancelled));
        assert_eq!(status(2).await, Some(Status::Confirmed));
        assert_eq!(status(3).await, Some(Status::Waiting));
        // Registering again after cancelling joins the end of the queue.
        assert_eq!(
            store
                .register_live(session, people[0].id, "ja", &c)
                .await
                .unwrap(),
            Registered::New(Status::Waiting)
        );
        // A waiting person who cancels frees no seat.
        let (_, promoted) = store
            .cancel_live_registration(session, people[3].id, &c)
            .await
            .unwrap();
        assert!(promoted.is_empty());
        // Raising the capacity promotes the next in line.
        let mut more = fields(3, Duration::days(7));
        more.starts_at = store
            .live_session(session)
            .await
            .unwrap()
            .unwrap()
            .starts_at;
        let promoted = store
            .update_live_session(None, session, &more, &c)
            .await
            .unwrap();
        assert_eq!(promoted, vec![people[0].id], "{}", backend.name);
        // The promoted person's messages are in English (the language they registered in) with the
        // meeting URL; the first seat's pending reminders were withdrawn when they cancelled.
        let messages = store.live_messages(100).await.unwrap();
        let promoted_mail = messages
            .iter()
            .find(|m| m.kind == "promoted" && m.recipient == people[2].email)
            .expect("a promotion message");
        assert!(promoted_mail.subject.contains("A seat freed up"));
        assert!(
            promoted_mail
                .body
                .contains("https://meet.example.jp/j/0000")
        );
        assert!(
            messages
                .iter()
                .filter(|m| m.recipient == people[1].email && m.kind.starts_with("reminder"))
                .all(|m| m.status == "pending")
        );
        assert!(
            messages
                .iter()
                .filter(|m| m.recipient == people[3].email)
                .all(|m| m.kind == "waiting")
        );
        let withdrawn = messages
            .iter()
            .filter(|m| m.recipient == people[0].email && m.status == "withdrawn")
            .count();
        assert_eq!(
            withdrawn, 3,
            "{}: the confirmation and two reminders",
            backend.name
        );
    }
}

#[tokio::test]
async fn cancelling_a_session_tells_everyone_and_closes_registration() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "CANC2345", 3).await;
        let session = store
            .create_live_session(None, &fields(1, Duration::days(3)))
            .await
            .unwrap();
        let c = composer();
        for person in &people[..2] {
            store
                .register_live(session, person.id, "ja", &c)
                .await
                .unwrap();
        }
        let admin = people[2].id;
        assert_eq!(
            store.cancel_live_session(session, admin, &c).await.unwrap(),
            2
        );
        assert_eq!(
            store.cancel_live_session(session, admin, &c).await.unwrap(),
            0
        );
        let trail = store
            .audit_trail_of(&format!("live:{session}"), 10)
            .await
            .unwrap();
        let events: Vec<(&str, Option<uuid::Uuid>)> =
            trail.iter().map(|r| (r.action.as_str(), r.actor)).collect();
        assert_eq!(
            events,
            [
                ("live.session.create", None),
                ("live.session.cancel", Some(admin))
            ],
            "{}: created by the demo data's path, cancelled once",
            backend.name
        );
        assert_eq!(
            store
                .register_live(session, people[2].id, "ja", &c)
                .await
                .unwrap(),
            Registered::Unavailable
        );
        let messages = store.live_messages(100).await.unwrap();
        let cancelled: Vec<_> = messages
            .iter()
            .filter(|m| m.kind == "session_cancelled")
            .collect();
        assert_eq!(cancelled.len(), 2, "{}", backend.name);
        assert!(cancelled[0].subject.contains("開催中止"));
        assert!(
            messages
                .iter()
                .filter(|m| m.kind.starts_with("reminder"))
                .all(|m| m.status == "withdrawn")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_senders_never_send_the_same_message() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "SEND2345", 30).await;
        let session = store
            .create_live_session(None, &fields(30, Duration::days(3)))
            .await
            .unwrap();
        let c = composer();
        for person in &people {
            store
                .register_live(session, person.id, "ja", &c)
                .await
                .unwrap();
        }
        // Each person has a confirmation due now and two reminders due later.
        let at = now();
        let claims: Vec<_> = (0..4)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let worker = format!("worker-{i}");
                    let mut claimed = Vec::new();
                    loop {
                        let batch = store.claim_live_messages(&worker, at, 7).await.unwrap();
                        if batch.is_empty() {
                            break claimed;
                        }
                        claimed.extend(batch.iter().map(|m| (worker.clone(), m.id)));
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for claim in claims {
            all.extend(claim.await.unwrap());
        }
        let distinct: HashSet<i64> = all.iter().map(|(_, id)| *id).collect();
        assert_eq!(
            all.len(),
            30,
            "{}: only the confirmations are due",
            backend.name
        );
        assert_eq!(
            distinct.len(),
            30,
            "{}: no message claimed twice",
            backend.name
        );
        // Five claims are never finished (their sender died); the rest are sent.
        for (worker, id) in &all[5..] {
            store.mark_live_message_sent(*id, worker).await.unwrap();
        }
        // Another sender may mark nothing it did not claim.
        store
            .mark_live_message_sent(all[0].1, "intruder")
            .await
            .unwrap();
        assert_eq!(
            deliver_due(store, &LogMailer, "worker-late", at + Duration::minutes(5))
                .await
                .unwrap(),
            0,
            "{}: a recent claim is left to its sender",
            backend.name
        );
        assert_eq!(
            deliver_due(store, &LogMailer, "worker-late", at + Duration::minutes(11))
                .await
                .unwrap(),
            5,
            "{}: stale claims are taken over",
            backend.name
        );
        // The reminders fall due later and are sent by whichever sender ticks then.
        let later = at + Duration::days(3);
        assert_eq!(
            deliver_due(store, &LogMailer, "worker-late", later)
                .await
                .unwrap(),
            50,
            "{}: one batch of the 60 reminders",
            backend.name
        );
        assert_eq!(
            deliver_due(store, &LogMailer, "worker-late", later)
                .await
                .unwrap(),
            10
        );
        let messages = store.live_messages(200).await.unwrap();
        assert_eq!(
            messages.iter().filter(|m| m.status == "sent").count(),
            90,
            "{}",
            backend.name
        );
    }
}

#[tokio::test]
async fn moving_a_session_tells_the_seated_and_reschedules_their_reminders() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "MOVE2345", 2).await;
        let mut moved = fields(1, Duration::days(5));
        let session = store.create_live_session(None, &moved).await.unwrap();
        let c = composer();
        for person in &people {
            store
                .register_live(session, person.id, "en", &c)
                .await
                .unwrap();
        }
        moved.starts_at += Duration::days(2);
        store
            .update_live_session(None, session, &moved, &c)
            .await
            .unwrap();
        let messages = store.live_messages(100).await.unwrap();
        let seated: Vec<_> = messages
            .iter()
            .filter(|m| m.recipient == people[0].email)
            .collect();
        let pending_reminders: Vec<_> = seated
            .iter()
            .filter(|m| m.kind.starts_with("reminder") && m.status == "pending")
            .collect();
        assert_eq!(pending_reminders.len(), 2, "{}", backend.name);
        assert!(
            pending_reminders
                .iter()
                .all(|m| m.due_at > moved.starts_at - Duration::hours(25)),
            "{}: due before the new start",
            backend.name
        );
        assert_eq!(
            seated.iter().filter(|m| m.status == "withdrawn").count(),
            2,
            "{}: the old reminders",
            backend.name
        );
        assert!(
            seated
                .iter()
                .any(|m| m.kind == "rescheduled" && m.subject.contains("date or time has changed"))
        );
        // The person on the waiting list holds no seat and gets no reminder.
        assert!(
            messages
                .iter()
                .filter(|m| m.recipient == people[1].email)
                .all(|m| m.kind == "waiting")
        );
    }
}

/// A mailer whose server refuses everything.
struct RefusingMailer;

impl mist_server::live_mail::Mailer for RefusingMailer {
    async fn send(
        &self,
        _: &mist_server::store::live::messages::QueuedMessage,
    ) -> Result<(), mist_server::live_mail::MailError> {
        Err(mist_server::live_mail::MailError(
            "550 mailbox unavailable".into(),
        ))
    }
}

#[tokio::test]
async fn a_refused_message_is_retried_then_left_failed() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "FAIL2345", 1).await;
        let session = store
            .create_live_session(None, &fields(5, Duration::hours(2)))
            .await
            .unwrap();
        store
            .register_live(session, people[0].id, "ja", &composer())
            .await
            .unwrap();
        // The confirmation is due now; the 1 h reminder in an hour; the 24 h one was already past.
        let mut at = now();
        for attempt in 1..=5 {
            assert_eq!(
                deliver_due(store, &RefusingMailer, "w", at).await.unwrap(),
                0
            );
            let confirmation = store
                .live_messages(10)
                .await
                .unwrap()
                .into_iter()
                .find(|m| m.kind == "confirmed")
                .unwrap();
            assert_eq!(confirmation.attempts, attempt, "{}", backend.name);
            let expected = if attempt < 5 { "pending" } else { "failed" };
            assert_eq!(confirmation.status, expected, "{}", backend.name);
            assert_eq!(
                confirmation.error.as_deref(),
                Some("sending failed: 550 mailbox unavailable")
            );
            at += Duration::minutes(6);
            if attempt < 5 {
                assert!(confirmation.due_at <= at, "retried a few minutes later");
            }
        }
        // A failed message is not claimed again, even much later; the reminder still is.
        let later = now() + Duration::hours(3);
        let claimed = store.claim_live_messages("w2", later, 10).await.unwrap();
        assert_eq!(claimed.len(), 1, "{}", backend.name);
        assert_eq!(claimed[0].kind, "reminder_1h");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_cancellations_and_registrations_keep_the_seats_full_and_the_order() {
    for backend in stores().await {
        let store = &backend.store;
        let people = learners(store, "MIXD2345", 20).await;
        let session = store
            .create_live_session(None, &fields(5, Duration::days(7)))
            .await
            .unwrap();
        let c = Arc::new(composer());
        // Fifteen register one after another: five seats, ten waiting in order.
        for person in &people[..15] {
            store
                .register_live(session, person.id, "ja", c.as_ref())
                .await
                .unwrap();
        }
        // Then, at once, the five seated cancel and five newcomers register.
        let mut tasks = Vec::new();
        for (i, person) in people[..5].iter().chain(&people[15..]).enumerate() {
            let (store, c, id) = (store.clone(), c.clone(), person.id);
            tasks.push(tokio::spawn(async move {
                if i < 5 {
                    store
                        .cancel_live_registration(session, id, c.as_ref())
                        .await
                        .map(|_| ())
                } else {
                    store
                        .register_live(session, id, "ja", c.as_ref())
                        .await
                        .map(|_| ())
                }
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let roster = store.live_roster(session, None).await.unwrap();
        let seated: Vec<_> = roster
            .iter()
            .filter(|r| r.status == "confirmed")
            .map(|r| r.user_id)
            .collect();
        // The five seats went to the next five of the queue (6th to 10th), never to a newcomer.
        let expected: Vec<_> = people[5..10].iter().map(|p| p.id).collect();
        assert_eq!(seated, expected, "{}", backend.name);
        let waiting = roster.iter().filter(|r| r.status == "waiting").count();
        assert_eq!(
            waiting, 10,
            "{}: 11th–15th and the five newcomers",
            backend.name
        );
    }
}
