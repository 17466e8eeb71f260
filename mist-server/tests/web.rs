//! The portal's pages through the router, as a browser would request them.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use mist_core::builtin;
use mist_server::db::{Db, Origin};
use mist_server::web::{AppState, SeriesInfo, router};
use tower::ServiceExt;

async fn app() -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_in(dir.path()).await.unwrap();
    let series = builtin::load_series().series.unwrap();
    db.upsert_series(&series, Origin::Builtin).await.unwrap();
    // Seeding twice (a restart) must not duplicate anything.
    db.upsert_series(&series, Origin::Builtin).await.unwrap();
    let info = SeriesInfo {
        title: series.title.clone(),
        description: series.description.clone(),
        languages: series.languages.clone(),
    };
    (router(AppState::new(db, info).unwrap()), dir)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    assert!(
        response.headers().contains_key("x-request-id"),
        "{uri}: no request id"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_catalog_lists_the_three_tiers_in_japanese_by_default() {
    let (app, _dir) = app().await;
    let (status, html) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="ja">"#));
    for title in [
        "経営者向け研修",
        "システム・セキュリティ管理者向け研修",
        "初学者・医療従事者向け研修",
        "セキュリティの基本、最近の脅威",
    ] {
        assert!(html.contains(title), "{title}");
    }
    assert_eq!(html.matches("class=\"tier\"").count(), 3);
    assert!(html.contains("初級"), "beginner badge");
}

#[tokio::test]
async fn the_english_switch_changes_every_text() {
    let (app, _dir) = app().await;
    let (_, html) = get(&app, "/courses/staff?lang=en").await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Training for beginners and medical staff"));
    assert!(!html.contains("初学者・医療従事者向け研修"));
    assert!(html.contains(r#"lang="ja">日本語</a>"#));
}

#[tokio::test]
async fn a_module_page_shows_objectives_lessons_and_the_quiz_rule() {
    let (app, _dir) = app().await;
    let (status, html) = get(
        &app,
        "/courses/administrator/modules/s1-basics-recent-threats",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>セキュリティの基本、最近の脅威</h1>"));
    assert!(html.contains("学習目標"));
    assert!(html.contains("<h2>"), "rendered Markdown headings");
    assert!(html.contains("5 / 10"), "draw of pool");
    assert!(html.contains("80%"));
}

#[tokio::test]
async fn unknown_pages_are_404_and_health_checks_answer() {
    let (app, _dir) = app().await;
    for uri in ["/courses/nope", "/courses/staff/modules/nope", "/nowhere"] {
        assert_eq!(get(&app, uri).await.0, StatusCode::NOT_FOUND, "{uri}");
    }
    assert_eq!(
        get(&app, "/healthz").await,
        (StatusCode::OK, "ok".to_owned())
    );
    assert_eq!(
        get(&app, "/readyz").await,
        (StatusCode::OK, "ready".to_owned())
    );
}
