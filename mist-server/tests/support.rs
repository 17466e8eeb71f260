//! Test databases: SQLite always, and PostgreSQL when `MIST_TEST_PG_URL` names a server (CI sets it).

use mist_server::store::Store;
use sqlx::Connection;

/// A store and what keeps it alive (the temporary directory of a SQLite file).
pub struct TestStore {
    pub store: Store,
    pub name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

/// The URL of a fresh, empty PostgreSQL database, or `None` when no server is configured.
/// In CI the variable must be set: a test that silently skipped PostgreSQL would prove nothing.
pub async fn fresh_pg_url() -> Option<String> {
    let Ok(admin_url) = std::env::var("MIST_TEST_PG_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "MIST_TEST_PG_URL must be set in CI"
        );
        return None;
    };
    let name = format!("mist_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("connect to the PostgreSQL test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("a database URL ends with /DBNAME");
    Some(format!("{base}/{name}"))
}

/// Every backend available here, each with a new empty database.
pub async fn stores() -> Vec<TestStore> {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Store::open_in(dir.path()).await.expect("open sqlite");
    let mut stores = vec![TestStore {
        store: sqlite,
        name: "sqlite",
        _dir: Some(dir),
    }];
    if let Some(url) = fresh_pg_url().await {
        let pg = Store::open_url(&url).await.expect("open postgres");
        stores.push(TestStore {
            store: pg,
            name: "postgres",
            _dir: None,
        });
    }
    stores
}

/// The `shared` folder beside the checkout, or `None` (with a message) when it is absent outside CI.
pub fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing in CI",
        dir.display()
    );
    eprintln!("skipping: {} is absent", dir.display());
    None
}
