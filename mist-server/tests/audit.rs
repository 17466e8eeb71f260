//! The audit trail on both backends: gapless under concurrency, append-only, and any tampering found
//! by `verify_audit` and by `mist audit verify`.

use std::process::Command;

use mist_core::audit::ChainBreak;
use mist_server::store::Store;
use mist_server::store::audit::{AuditEvent, AuditVerification};
use uuid::Uuid;

use crate::support::stores;

fn event(n: usize) -> AuditEvent<'static> {
    AuditEvent {
        actor: Some(Uuid::from_u128(n as u128)),
        organization: None,
        action: "roster.import",
        subject: format!("roster:{n}"),
        detail: serde_json::json!({ "rows": n, "note": "職員名簿" }),
    }
}

/// Runs SQL the application would never run (an attacker with database access would).
async fn raw(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(pool)
                .await
                .unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

async fn try_raw(store: &Store, sql: &'static str) -> Result<(), sqlx::Error> {
    match store {
        Store::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(drop),
        Store::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
    }
}

#[tokio::test]
async fn concurrent_appends_make_one_gapless_chain() {
    for backend in stores().await {
        let store = backend.store.clone();
        let writers: Vec<_> = (0..40)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move { store.audit(event(n)).await })
            })
            .collect();
        let mut seqs = Vec::new();
        for writer in writers {
            seqs.push(writer.await.unwrap().unwrap());
        }
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=40).collect::<Vec<i64>>(), "{}", backend.name);
        assert_eq!(
            store.verify_audit().await.unwrap(),
            AuditVerification::Intact(40),
            "{}",
            backend.name
        );
        let trail = store.audit_trail_of("roster:7", 10).await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].detail, r#"{"note":"職員名簿","rows":7}"#);
    }
}

#[tokio::test]
async fn the_log_refuses_updates_and_deletes() {
    for backend in stores().await {
        let store = &backend.store;
        store.audit(event(1)).await.unwrap();
        assert!(
            try_raw(store, "UPDATE audit_log SET subject = 'forged'")
                .await
                .is_err(),
            "{}",
            backend.name
        );
        assert!(try_raw(store, "DELETE FROM audit_log").await.is_err());
        assert_eq!(
            store.verify_audit().await.unwrap(),
            AuditVerification::Intact(1)
        );
    }
}

/// Tampering that gets past the triggers (they are dropped first) is still found, at the right record.
#[tokio::test]
async fn tampering_is_found_at_the_first_broken_record() {
    for backend in stores().await {
        let store = &backend.store;
        for n in 1..=5 {
            store.audit(event(n)).await.unwrap();
        }
        let drop_triggers = match store {
            Store::Sqlite(_) => {
                "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
            }
            Store::Postgres(_) => "DROP TRIGGER audit_log_no_change ON audit_log;",
        };
        raw(store, drop_triggers).await;

        raw(
            store,
            "UPDATE audit_log SET detail = '{\"rows\":0}' WHERE seq = 3",
        )
        .await;
        assert_eq!(
            store.verify_audit().await.unwrap(),
            AuditVerification::Broken(ChainBreak::Altered { seq: 3 }),
            "{}",
            backend.name
        );
    }
}

#[tokio::test]
async fn removing_the_newest_records_is_found() {
    for backend in stores().await {
        let store = &backend.store;
        for n in 1..=4 {
            store.audit(event(n)).await.unwrap();
        }
        let drop_triggers = match store {
            Store::Sqlite(_) => "DROP TRIGGER audit_log_no_delete;",
            Store::Postgres(_) => "DROP TRIGGER audit_log_no_change ON audit_log;",
        };
        raw(store, drop_triggers).await;
        raw(store, "DELETE FROM audit_log WHERE seq = 4").await;
        assert_eq!(
            store.verify_audit().await.unwrap(),
            AuditVerification::Broken(ChainBreak::Truncated { last: 3, head: 4 }),
            "{}",
            backend.name
        );
    }
}

#[tokio::test]
async fn the_cli_proves_the_chain_or_names_the_broken_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).await.unwrap();
    for n in 1..=3 {
        store.audit(event(n)).await.unwrap();
    }
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_mist"))
            .args(["audit", "verify", "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let intact = verify();
    assert!(intact.status.success());
    assert_eq!(
        String::from_utf8_lossy(&intact.stdout).trim(),
        "audit trail intact: 3 records"
    );

    raw(&store, "DROP TRIGGER audit_log_no_update").await;
    raw(
        &store,
        "UPDATE audit_log SET actor = NULL, at = '2020-01-01T00:00:00Z' WHERE seq = 2",
    )
    .await;
    let broken = verify();
    assert_eq!(broken.status.code(), Some(1));
    let message = String::from_utf8_lossy(&broken.stderr);
    assert!(
        message.contains("record 2: its contents do not match its hash"),
        "{message}"
    );
}
