//! The portal through its router, as a browser would use it.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use mist_server::app::prepare;
use mist_server::seed::FirstStart;
use mist_server::store::Store;
use mist_server::web::{Config, router};
use tower::ServiceExt;

/// A portal on a fresh SQLite database, and what its first start printed.
pub async fn portal() -> (Router, Store, FirstStart, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).await.unwrap();
    let (app, store, first) = portal_on(store, dir.path()).await;
    (app, store, first, dir)
}

/// A portal on every backend available here (SQLite always, PostgreSQL when configured): the HTTP
/// stories that matter most run on both.
pub async fn portals() -> Vec<(Router, Store, FirstStart, Option<tempfile::TempDir>)> {
    let (app, store, first, dir) = portal().await;
    let mut all = vec![(app, store, first, Some(dir))];
    if let Some(url) = crate::support::fresh_pg_url().await {
        let data = tempfile::tempdir().unwrap();
        let (app, store, first) =
            portal_on(Store::open_url(&url).await.unwrap(), data.path()).await;
        all.push((app, store, first, Some(data)));
    }
    all
}

/// A portal on a given, empty database, keeping its files (demo materials, uploads) in `data_dir`.
pub async fn portal_on(store: Store, data_dir: &std::path::Path) -> (Router, Store, FirstStart) {
    let config = || Config {
        data_dir: data_dir.to_owned(),
        ..Config::default()
    };
    let (state, first) = prepare(store.clone(), "admin@mist.local", config(), &[])
        .await
        .unwrap();
    // A restart seeds nothing twice.
    let (_, again) = prepare(store.clone(), "admin@mist.local", config(), &[])
        .await
        .unwrap();
    assert!(again.is_none());
    (router(state), store, first.unwrap())
}

/// A response's status, headers and body text.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub body_bytes: Vec<u8>,
}

impl Reply {
    /// The session cookie this response sets, as a `Cookie` header value.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("mist_session=") && !v.starts_with("mist_session=;"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    assert!(
        response.headers().contains_key("x-request-id"),
        "no request id"
    );
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        body_bytes: body.to_vec(),
    }
}

pub async fn get(app: &Router, uri: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// A same-origin form post, as a browser sends it.
pub async fn post_form(app: &Router, uri: &str, form: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request.body(Body::from(form.to_owned())).unwrap()).await
}

/// Signs in the first administrator through the one-time link; returns the session cookie.
pub async fn admin_session(app: &Router, first: &FirstStart) -> String {
    let link = format!("/links/{}", first.sign_in_token);
    assert!(
        get(app, &link, None)
            .await
            .body
            .contains("<form method=\"post\"")
    );
    let reply = post_form(app, &link, "", None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    reply.session_cookie().expect("session cookie")
}

#[tokio::test]
async fn the_catalog_lists_the_three_tiers_in_japanese_by_default() {
    let (app, _, _, _dir) = portal().await;
    let reply = get(&app, "/", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains(r#"<html lang="ja">"#));
    for title in [
        "経営者向け研修",
        "システム・セキュリティ管理者向け研修",
        "初学者・医療従事者向け研修",
        "セキュリティの基本、最近の脅威",
    ] {
        assert!(reply.body.contains(title), "{title}");
    }
    assert_eq!(reply.body.matches("class=\"tier\"").count(), 3);
    assert!(reply.body.contains("初級") && reply.body.contains(">ログイン</a>"));
}

#[tokio::test]
async fn the_english_switch_is_remembered() {
    let (app, _, _, _dir) = portal().await;
    let reply = get(&app, "/courses/staff?lang=en", None).await;
    assert!(
        reply.body.contains(r#"<html lang="en">"#)
            && reply
                .body
                .contains("Training for beginners and medical staff")
    );
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(cookie, "mist_lang=en");
    let next = get(&app, "/", Some(&cookie)).await;
    assert!(next.body.contains(r#"<html lang="en">"#) && next.body.contains("Courses"));
}

#[tokio::test]
async fn a_module_page_shows_objectives_lessons_and_the_quiz_rule() {
    let (app, _, _, _dir) = portal().await;
    let reply = get(
        &app,
        "/courses/administrator/modules/s1-basics-recent-threats",
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains("<h1>セキュリティの基本、最近の脅威</h1>")
            && reply.body.contains("学習目標")
    );
    assert!(reply.body.contains("5 / 10") && reply.body.contains("80%"));
}

#[tokio::test]
async fn unknown_pages_are_404_and_health_checks_answer() {
    let (app, _, _, _dir) = portal().await;
    for uri in [
        "/courses/nope",
        "/courses/staff/modules/nope",
        "/nowhere",
        "/links/not-a-token/x",
    ] {
        assert_eq!(
            get(&app, uri, None).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    assert_eq!(get(&app, "/healthz", None).await.body, "ok");
    assert_eq!(get(&app, "/readyz", None).await.body, "ready");
}

#[tokio::test]
async fn the_first_sign_in_link_works_once() {
    let (app, _, first, _dir) = portal().await;
    let cookie = admin_session(&app, &first).await;
    let home = get(&app, "/", Some(&cookie)).await;
    assert!(
        home.body.contains("MIST 管理者") || home.body.contains("運営管理"),
        "signed in"
    );
    let again = post_form(&app, &format!("/links/{}", first.sign_in_token), "", None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(
        get(&app, &format!("/links/{}", first.sign_in_token), None)
            .await
            .body
            .contains("使用済み")
    );
}

#[tokio::test]
async fn staff_sign_up_with_the_organization_code_and_sign_in() {
    let (app, _, first, _dir) = portal().await;
    let form = format!(
        "join_code={}&email=nurse%40example.jp&name=%E7%9C%8B%E8%AD%B7+%E8%8A%B1%E5%AD%90&kana=&password=correct-horse-1",
        first.demo_join_code.to_lowercase()
    );
    let joined = post_form(&app, "/join", &form, None).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert!(joined.session_cookie().is_some());
    let again = post_form(&app, "/join", &form, None).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a second account for the same address is refused"
    );
    let wrong_code = post_form(
        &app,
        "/join",
        "join_code=NOPE&email=x%40example.jp&name=x&password=correct-horse-1",
        None,
    )
    .await;
    assert_eq!(wrong_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    let short = post_form(
        &app,
        "/join",
        &form.replace("correct-horse-1", "short"),
        None,
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);

    let signed_in = post_form(
        &app,
        "/login",
        "email=Nurse%40example.jp&password=correct-horse-1&next=%2Fcourses%2Fstaff",
        None,
    )
    .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(
        signed_in.headers.get(header::LOCATION).unwrap(),
        "/courses/staff"
    );
    let set_cookie = signed_in
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let open_redirect = post_form(
        &app,
        "/login",
        "email=nurse%40example.jp&password=correct-horse-1&next=%2F%2Fevil.example",
        None,
    )
    .await;
    assert_eq!(open_redirect.headers.get(header::LOCATION).unwrap(), "/");
}

#[tokio::test]
async fn failed_sign_ins_are_limited() {
    let (app, _, _, _dir) = portal().await;
    for _ in 0..5 {
        let reply = post_form(
            &app,
            "/login",
            "email=admin%40mist.local&password=wrong-password",
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.body.contains("role=\"alert\""));
    }
    let limited = post_form(
        &app,
        "/login",
        "email=admin%40mist.local&password=wrong-password",
        None,
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let (app, _, _, _dir) = portal().await;
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("email=a%40b.jp&password=x"))
        .unwrap();
    assert_eq!(send(&app, request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pages_that_need_a_person_redirect_to_sign_in() {
    let (app, _, _, _dir) = portal().await;
    let reply = get(&app, "/account/password", None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.headers.get(header::LOCATION).unwrap(),
        "/login?next=/account/password"
    );
}

#[tokio::test]
async fn error_pages_are_portal_pages_in_the_reader_s_language() {
    let (app, _, _, _dir) = portal().await;
    let english = get(&app, "/courses/nope?lang=en", None).await;
    assert_eq!(english.status, StatusCode::NOT_FOUND);
    assert!(
        english.body.contains(r#"<html lang="en">"#)
            && english.body.contains("Page not found.")
            && english.body.contains("name=\"viewport\"")
    );
    let japanese = get(&app, "/courses/nope", None).await;
    assert!(japanese.body.contains("ページが見つかりません。"));
    let api = get(&app, "/api/v1/me", None).await;
    assert_eq!(
        api.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json",
        "API errors stay problem details"
    );
}
