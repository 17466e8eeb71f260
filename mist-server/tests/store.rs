//! The storage story, run against every backend: the same behaviour on SQLite and PostgreSQL.

use std::sync::Arc;

use mist_server::secret::token_hash;
use mist_server::store::people::LoginLink;
use mist_server::store::{LinkPurpose, NewOrganization, Role};
use time::Duration;

use crate::support::stores;

fn hospital(code: &str) -> NewOrganization {
    NewOrganization {
        name: "つるぎ病院".into(),
        kind: "hospital".into(),
        licensed_beds: Some(250),
        prefecture: "徳島県".into(),
        insurance_code: Some("3612345678".into()),
        join_code: code.into(),
    }
}

#[tokio::test]
async fn people_sessions_and_links() {
    for backend in stores().await {
        let store = &backend.store;
        let org = store
            .create_organization(&hospital("ABCD2345"))
            .await
            .unwrap();
        assert_eq!(
            store.organization_by_join_code("ABCD2345").await.unwrap(),
            Some(org.clone())
        );
        let nurse = store
            .create_user(
                Some(org.id),
                " Nurse@Example.JP ",
                "看護 花子",
                Some("かんご はなこ"),
                Role::Learner,
                Some("hash"),
            )
            .await
            .unwrap();
        assert_eq!(nurse.email, "nurse@example.jp", "{}", backend.name);
        let duplicate = store
            .create_user(
                Some(org.id),
                "nurse@example.jp",
                "x",
                None,
                Role::Learner,
                None,
            )
            .await
            .unwrap_err();
        assert!(
            duplicate.is_unique_violation(),
            "{}: {duplicate}",
            backend.name
        );
        let (found, hash) = store
            .user_with_password("NURSE@example.jp")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((found.id, hash.as_deref()), (nurse.id, Some("hash")));

        store
            .create_session("s1", nurse.id, Duration::hours(1))
            .await
            .unwrap();
        store
            .create_session("old", nurse.id, Duration::seconds(-5))
            .await
            .unwrap();
        assert_eq!(
            store.session_user("s1").await.unwrap().map(|u| u.id),
            Some(nurse.id)
        );
        assert_eq!(
            store.session_user("old").await.unwrap(),
            None,
            "{}: expired sessions do not count",
            backend.name
        );
        store.set_user_active(nurse.id, false).await.unwrap();
        assert_eq!(
            store.session_user("s1").await.unwrap(),
            None,
            "{}: deactivation ends sessions",
            backend.name
        );
        store.set_user_active(nurse.id, true).await.unwrap();
        assert_eq!(store.organization_users(org.id).await.unwrap().len(), 1);

        let link = LoginLink {
            user_id: Some(nurse.id),
            organization_id: None,
            role: None,
            email: None,
        };
        store
            .create_link(
                &token_hash("reset-token"),
                LinkPurpose::PasswordReset,
                &link,
                Duration::hours(1),
            )
            .await
            .unwrap();
        assert!(
            store
                .peek_link(&token_hash("reset-token"), LinkPurpose::SignIn)
                .await
                .unwrap()
                .is_none(),
            "purpose must match"
        );
        assert!(
            store
                .peek_link(&token_hash("reset-token"), LinkPurpose::PasswordReset)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .use_link(&token_hash("reset-token"), LinkPurpose::PasswordReset)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .use_link(&token_hash("reset-token"), LinkPurpose::PasswordReset)
                .await
                .unwrap()
                .is_none(),
            "{}: links are single-use",
            backend.name
        );
    }
}

#[tokio::test]
async fn a_link_raced_by_many_requests_is_used_once() {
    for backend in stores().await {
        let store = Arc::new(backend.store.clone());
        let admin = store
            .create_user(None, "admin@example.jp", "管理者", None, Role::Admin, None)
            .await
            .unwrap();
        let link = LoginLink {
            user_id: Some(admin.id),
            organization_id: None,
            role: None,
            email: None,
        };
        store
            .create_link("race", LinkPurpose::SignIn, &link, Duration::hours(1))
            .await
            .unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(async move { store.use_link("race", LinkPurpose::SignIn).await })
            })
            .collect();
        let mut winners = 0;
        for task in tasks {
            if task.await.unwrap().unwrap().is_some() {
                winners += 1;
            }
        }
        assert_eq!(winners, 1, "{}", backend.name);
    }
}

#[tokio::test]
async fn failures_tokens_outbox_and_settings() {
    for backend in stores().await {
        let store = &backend.store;
        let keys = vec!["email:a@example.jp".to_owned(), "ip:127.0.0.1".to_owned()];
        for _ in 0..3 {
            store.record_limited_event(&keys).await.unwrap();
        }
        assert_eq!(
            store
                .recent_limited_events("email:a@example.jp", Duration::minutes(15))
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            store
                .recent_limited_events("email:b@example.jp", Duration::minutes(15))
                .await
                .unwrap(),
            0
        );

        let user = store
            .create_user(None, "api@example.jp", "API", None, Role::Admin, None)
            .await
            .unwrap();
        let id = store
            .create_api_token(user.id, "nightly export", &token_hash("secret"))
            .await
            .unwrap();
        assert_eq!(
            store
                .api_token_user(&token_hash("secret"))
                .await
                .unwrap()
                .map(|u| u.id),
            Some(user.id)
        );
        assert!(store.revoke_api_token(id).await.unwrap());
        assert!(!store.revoke_api_token(id).await.unwrap());
        assert_eq!(
            store.api_token_user(&token_hash("secret")).await.unwrap(),
            None,
            "{}",
            backend.name
        );
        assert_eq!(store.api_tokens(user.id).await.unwrap().len(), 1);

        let org = store
            .create_organization(&hospital("OUTBOX22"))
            .await
            .unwrap();
        store
            .queue_message(Some(org.id), "nurse@example.jp", "件名", "本文")
            .await
            .unwrap();
        assert_eq!(store.outbox(org.id).await.unwrap()[0].1, "件名");

        assert_eq!(
            store.setting_or_insert("k", "first").await.unwrap(),
            "first"
        );
        assert_eq!(
            store.setting_or_insert("k", "second").await.unwrap(),
            "first",
            "{}",
            backend.name
        );
    }
}
