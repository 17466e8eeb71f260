//! Hosting SCORM packages: upload and check, launch on the content origin, commits replayed and
//! stored once, resume, completion.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mist_server::app::prepare;
use mist_server::secret::token_hash;
use mist_server::store::{Role, Store};
use mist_server::web::scorm::content_router;
use mist_server::web::{Config, router};

use crate::support::{TestStore, shared_dir, stores};
use crate::web::{Reply, get, send};

struct Portal {
    app: Router,
    content: Router,
    store: Store,
    join_code: String,
    _dir: tempfile::TempDir,
    _backend: Option<TestStore>,
}

async fn portal(max_package_bytes: u64) -> Portal {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).await.unwrap();
    portal_on(store, dir, None, max_package_bytes).await
}

/// A portal on each backend.
async fn portals() -> Vec<Portal> {
    let mut portals = Vec::new();
    for backend in stores().await {
        let dir = tempfile::tempdir().unwrap();
        let store = backend.store.clone();
        portals.push(portal_on(store, dir, Some(backend), 1024 * 1024 * 1024).await);
    }
    portals
}

async fn portal_on(
    store: Store,
    dir: tempfile::TempDir,
    backend: Option<TestStore>,
    max_package_bytes: u64,
) -> Portal {
    let config = Config {
        data_dir: dir.path().to_owned(),
        max_package_bytes,
        ..Config::default()
    };
    let (state, first) = prepare(store.clone(), "admin@mist.local", config, &[])
        .await
        .unwrap();
    Portal {
        app: router(state.clone()),
        content: content_router(state),
        store,
        join_code: first.unwrap().demo_join_code,
        _dir: dir,
        _backend: backend,
    }
}

/// How many batches of a launch are stored.
async fn stored_batches(store: &Store, session: &str) -> i64 {
    let session: uuid::Uuid = session.parse().unwrap();
    let count = "SELECT COUNT(*) FROM scorm_commits WHERE session_id = $1";
    match store {
        Store::Sqlite(pool) => {
            sqlx::query_scalar(count)
                .bind(session)
                .fetch_one(pool)
                .await
        }
        Store::Postgres(pool) => {
            sqlx::query_scalar(count)
                .bind(session)
                .fetch_one(pool)
                .await
        }
    }
    .unwrap()
}

/// A multipart upload of `bytes` as field `file`, with a bearer token.
fn upload(path: &str, token: &str, name: &str, bytes: &[u8], slug: &str) -> Request<Body> {
    let boundary = "mist-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\n{slug}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/zip\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap()
}

async fn manager_token(store: &Store) -> String {
    let user = store
        .create_user(None, "vendor@example.jp", "Vendor", None, Role::Admin, None)
        .await
        .unwrap();
    store
        .create_api_token(user.id, "upload", &token_hash("upload-token"))
        .await
        .unwrap();
    "upload-token".to_owned()
}

fn golf(name: &str) -> Option<Vec<u8>> {
    Some(std::fs::read(shared_dir()?.join("fixtures/golf").join(name)).unwrap())
}

fn commit(id: &str, token: &str, sequence: i64, calls: &str) -> Request<Body> {
    Request::post(format!("/api/v1/attempts/{id}/commit"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!(
            r#"{{"token":"{token}","sequence":{sequence},"calls":{calls}}}"#
        )))
        .unwrap()
}

/// Opens the player of `module`; returns the content-origin token and the launch page's JSON.
async fn launch(
    p: &Portal,
    cookie: &str,
    course: &str,
    module: &str,
) -> (String, String, serde_json::Value) {
    let page = get(&p.app, &format!("/learn/{course}/{module}"), Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = page.body.replace("&#x2f;", "/");
    let start = body.find("/attempts/").expect("the content frame") + "/attempts/".len();
    let token = body[start..].split('/').next().unwrap().to_owned();
    let frame = get(&p.content, &format!("/attempts/{token}/launch"), None).await;
    let json_start =
        frame.body.find("window.MIST_ATTEMPT = ").unwrap() + "window.MIST_ATTEMPT = ".len();
    let json_end = frame.body[json_start..].find(";</script>").unwrap() + json_start;
    let attempt: serde_json::Value =
        serde_json::from_str(&frame.body[json_start..json_end].replace("<\\/", "</")).unwrap();
    let id = attempt["commitUrl"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(4)
        .unwrap()
        .to_owned();
    (token, id, attempt)
}

async fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn packages_are_checked_on_upload_with_clear_refusals() {
    let Some(golf12) = golf("RuntimeMinimumCalls_SCORM12.zip") else {
        return;
    };
    for p in portals().await {
        plays_commits_resumes_and_completes(&p, &golf12).await;
    }
}

async fn plays_commits_resumes_and_completes(p: &Portal, golf12: &[u8]) {
    let token = manager_token(&p.store).await;
    let created = send(
        &p.app,
        upload("/api/v1/packages", &token, "golf.zip", golf12, "golf"),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = json(&created).await;
    assert_eq!(created["course"]["slug"], "golf");
    assert_eq!(created["report"]["scos"], 18);
    assert!(
        get(&p.app, "/courses/golf", None)
            .await
            .body
            .contains("Golf Explained"),
        "in the catalogue"
    );

    let bad = send(
        &p.app,
        upload(
            "/api/v1/packages",
            &token,
            "bad.zip",
            &golf("badscorm.zip").unwrap(),
            "bad",
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json(&bad).await["report"]["diagnostics"][0]["code"],
        "package.manifest_nested"
    );

    let small = portal(10_000).await;
    let token = manager_token(&small.store).await;
    let too_large = send(
        &small.app,
        upload("/api/v1/packages", &token, "golf.zip", golf12, "golf"),
    )
    .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        get(&small.app, "/courses/golf", None).await.status == StatusCode::NOT_FOUND,
        "nothing imported"
    );
}

#[tokio::test]
async fn a_learner_plays_commits_resumes_and_completes() {
    let Some(golf12) = golf("singlesco_scorm12.zip") else {
        return;
    };
    let p = portal(1024 * 1024 * 1024).await;
    let token = manager_token(&p.store).await;
    let created = send(
        &p.app,
        upload("/api/v1/packages", &token, "golf.zip", &golf12, "golf"),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let course = p.store.course("golf").await.unwrap().unwrap();
    let module = course.modules[0].slug.to_string();
    let cookie = crate::learn::nurse(&p.app, &p.join_code, "nurse@example.jp").await;

    let (token, id, attempt) = launch(&p, &cookie, "golf", &module).await;
    assert_eq!(attempt["version"], "1.2");
    assert_eq!(attempt["nextSequence"], 1);
    let launch_file = course.modules[0]
        .launch
        .as_ref()
        .unwrap()
        .launch_url
        .clone();
    assert_eq!(
        get(
            &p.content,
            &format!("/attempts/{token}/files/{launch_file}"),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    for path in ["../imsmanifest.xml", "%2e%2e/x", "imsmanifest.xml/.."] {
        assert_eq!(
            get(&p.content, &format!("/attempts/{token}/files/{path}"), None)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        get(&p.content, "/attempts/not-a-token/launch", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The portal and the content origin serve different things: neither answers the other's paths.
    assert_eq!(
        get(&p.app, &format!("/attempts/{token}/launch"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&p.content, "/api/v1/me", Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );

    let first = r#"[["LMSSetValue","cmi.core.lesson_location","page-3"],["LMSSetValue","cmi.suspend_data","abc"],["LMSCommit"]]"#;
    // A batch and its retries racing each other (a page-hide beacon beside a fetch): all are
    // acknowledged, one is stored.
    let mut racing = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let content = p.content.clone();
        let request = commit(&id, &token, 1, first);
        racing.spawn(async move { send(&content, request).await });
    }
    for acked in racing.join_all().await {
        assert_eq!(
            (acked.status, json(&acked).await["acknowledged"].as_i64()),
            (StatusCode::OK, Some(1))
        );
    }
    assert_eq!(stored_batches(&p.store, &id).await, 1);
    let again = send(
        &p.content,
        commit(
            &id,
            &token,
            1,
            r#"[["LMSSetValue","cmi.core.lesson_location","other"]]"#,
        ),
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "a repeated batch is acknowledged again"
    );
    let gap = send(&p.content, commit(&id, &token, 3, "[]")).await;
    assert_eq!(
        (gap.status, json(&gap).await["expected"].as_i64()),
        (StatusCode::CONFLICT, Some(2))
    );
    assert_eq!(
        send(&p.content, commit(&id, "wrong-token", 2, "[]"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let suspend = r#"[["LMSSetValue","cmi.core.exit","suspend"],["LMSSetValue","cmi.core.session_time","0000:05:00"],["LMSFinish"]]"#;
    // Another server process (nothing of this launch in memory) takes the next batch: it replays the
    // stored batches first, so the resumed state below holds what batch 1 set.
    let config = Config {
        data_dir: p._dir.path().to_owned(),
        ..Config::default()
    };
    let (other_server, _) = prepare(p.store.clone(), "admin@mist.local", config, &[])
        .await
        .unwrap();
    assert_eq!(
        send(
            &content_router(other_server),
            commit(&id, &token, 2, suspend)
        )
        .await
        .status,
        StatusCode::OK
    );
    // The first server, which still remembers the launch at batch 2, takes batch 3: the database
    // has moved on, so it reads the launch again instead of refusing a gap.
    let after = send(&p.content, commit(&id, &token, 3, "[]")).await;
    assert_eq!(
        (after.status, json(&after).await["acknowledged"].as_i64()),
        (StatusCode::OK, Some(3))
    );
    assert_eq!(stored_batches(&p.store, &id).await, 3);

    // A relaunch resumes where the learner left off, with the time so far.
    let (token, id, attempt) = launch(&p, &cookie, "golf", &module).await;
    assert_eq!(
        attempt["values"]["cmi.core.lesson_location"], "page-3",
        "{attempt}"
    );
    assert_eq!(attempt["values"]["cmi.suspend_data"], "abc");
    assert_eq!(attempt["launch"]["entry"], "resume");

    let pass = r#"[["LMSSetValue","cmi.core.score.raw","90"],["LMSSetValue","cmi.core.lesson_status","passed"],["LMSSetValue","cmi.core.exit",""],["LMSFinish"]]"#;
    assert_eq!(
        send(&p.content, commit(&id, &token, 1, pass)).await.status,
        StatusCode::OK
    );
    let me = get(&p.app, "/me", Some(&cookie)).await;
    assert!(
        me.body.contains("✓ 修了") && me.body.contains("/certificates/"),
        "module done and a certificate: {}",
        me.body
    );
}
