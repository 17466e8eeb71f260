//! Authored courses beside the built-in series: their files, and video progress counting toward
//! completion.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mist_core::authoring::starter_course;
use mist_server::app::prepare;
use mist_server::store::Store;
use mist_server::web::{Config, router};

use crate::web::{get, send};

/// The starter course (`ward`) with a 60-second video and a download in its lesson.
fn authored_course(dir: &Path) {
    for (path, text) in starter_course() {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let module = dir.join("first-module/module.toml");
    let text = std::fs::read_to_string(&module).unwrap().replace(
        "[[lessons]]\nslug = \"red-flags\"\n",
        "[[lessons]]\nslug = \"red-flags\"\n[lessons.video]\nurl = \"media/intro.webm\"\nduration_seconds = 60\n\
         [[lessons.downloads]]\nfile = \"files/checklist.txt\"\ntitle = { ja = \"チェックリスト\", en = \"Checklist\" }\n",
    );
    std::fs::write(module, text).unwrap();
    std::fs::create_dir_all(dir.join("first-module/media")).unwrap();
    std::fs::write(dir.join("first-module/media/intro.webm"), vec![7u8; 4096]).unwrap();
    std::fs::create_dir_all(dir.join("first-module/files")).unwrap();
    std::fs::write(
        dir.join("first-module/files/checklist.txt"),
        "1. 画面をロック\n",
    )
    .unwrap();
    std::fs::write(dir.join("first-module/secret.txt"), "not declared").unwrap();
}

async fn portal_with_course() -> (Router, tempfile::TempDir) {
    let (app, _, dir) = portal_with_course_and_code().await;
    (app, dir)
}

async fn portal_with_course_and_code() -> (Router, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("ward");
    authored_course(&course);
    let store = Store::open_in(dir.path()).await.unwrap();
    let config = Config {
        data_dir: dir.path().to_owned(),
        ..Config::default()
    };
    let (state, first) = prepare(store, "admin@mist.local", config, &[course])
        .await
        .unwrap();
    (router(state), first.unwrap().demo_join_code, dir)
}

async fn beat(app: &Router, cookie: &str, from: f64, to: f64) -> StatusCode {
    let body = format!(
        r#"{{"course":"ward","module":"first-module","lesson":"red-flags","from":{from},"to":{to}}}"#
    );
    let request = Request::post("/api/v1/progress/video")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, request).await.status
}

#[tokio::test]
async fn watching_the_video_and_passing_the_quiz_completes_the_module() {
    let (app, code, _dir) = portal_with_course_and_code().await;
    let cookie = crate::learn::nurse(&app, &code, "nurse@example.jp").await;
    let mut player = get(&app, "/learn/ward/first-module", Some(&cookie)).await;
    player.body = player.body.replace("&#x2f;", "/");
    assert!(
        player.body.contains("data-mist-video")
            && player
                .body
                .contains("/media/ward/first-module/media/intro.webm")
    );
    assert_eq!(
        beat(&app, &cookie, 0.0, 45.0).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one beat covers at most 30 s"
    );
    assert_eq!(
        beat(&app, &cookie, 50.0, 70.0).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "past the end"
    );
    assert_eq!(beat(&app, &cookie, 0.0, 30.0).await, StatusCode::NO_CONTENT);
    assert_eq!(
        beat(&app, &cookie, 0.0, 30.0).await,
        StatusCode::NO_CONTENT,
        "watching again adds nothing new"
    );

    let quiz = get(&app, "/learn/ward/first-module/quiz", Some(&cookie)).await;
    let start = quiz.body.find("/quiz/").unwrap() + "/quiz/".len();
    let attempt = &quiz.body[start..start + 36];
    let answers = "q.macro=a&q.signs=a&q.signs=b&q.report=false";
    let result = crate::web::post_form(
        &app,
        &format!("/learn/ward/first-module/quiz/{attempt}"),
        answers,
        Some(&cookie),
    )
    .await;
    assert!(result.body.contains("合格"), "{}", result.body);
    assert!(
        !result.body.contains("role=\"status\""),
        "not complete: only half the video was watched"
    );
    assert_eq!(
        beat(&app, &cookie, 30.0, 55.0).await,
        StatusCode::NO_CONTENT
    );
    let me = get(&app, "/me", Some(&cookie)).await;
    assert!(
        me.body.contains("✓ 修了"),
        "55 of 60 seconds (92 %) and a passed quiz complete the module: {}",
        me.body
    );
}

#[tokio::test]
async fn an_authored_course_is_served_beside_the_series() {
    let (app, _dir) = portal_with_course().await;
    let catalog = get(&app, "/", None).await;
    assert!(
        catalog.body.contains("院内情報セキュリティ研修"),
        "the authored course is in the catalogue"
    );
    assert!(
        catalog.body.find("初学者・医療従事者向け研修")
            < catalog.body.find("院内情報セキュリティ研修"),
        "after the series"
    );
}

#[tokio::test]
async fn only_declared_files_are_served_with_ranges_and_attachments() {
    let (app, _dir) = portal_with_course().await;
    let video = send(
        &app,
        Request::get("/media/ward/first-module/media/intro.webm")
            .header(header::RANGE, "bytes=0-99")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(video.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(video.body.len(), 100);
    assert_eq!(
        video.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    let download = get(&app, "/media/ward/first-module/files/checklist.txt", None).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(
        download
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    for path in [
        "secret.txt",
        "../first-module/secret.txt",
        "media/../secret.txt",
        "%2e%2e/course.toml",
        "module.toml",
    ] {
        let reply = get(&app, &format!("/media/ward/first-module/{path}"), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        get(
            &app,
            "/media/staff/b1-what-happens-in-an-attack/x.mp4",
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_invalid_course_directory_stops_the_start_with_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("broken");
    authored_course(&course);
    std::fs::remove_file(course.join("first-module/lessons/red-flags.en.md")).unwrap();
    let store = Store::open_in(dir.path()).await.unwrap();
    let error = prepare(store, "admin@mist.local", Config::default(), &[course])
        .await
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("red-flags.en.md:1:1: error[missing-file]"),
        "{error}"
    );
}
