//! Managers and administrators: organizations, invitations, staff progress, and the boundaries
//! between organizations.

use axum::Router;
use axum::http::StatusCode;

use crate::web::{admin_session, get, portal, portals, post_form};

/// The one-time link shown in a page's notice, as a path.
pub fn notice_link(body: &str) -> String {
    let body = &body.replace("&#x2f;", "/");
    let start = body
        .find("value=\"http://127.0.0.1:8080/")
        .expect("a link in the notice")
        + "value=\"http://127.0.0.1:8080".len();
    let end = body[start..].find('"').unwrap() + start;
    body[start..end].to_owned()
}

/// Accepts an invitation; returns the new person's session cookie.
pub async fn accept(app: &Router, link: &str, name: &str) -> String {
    assert_eq!(get(app, link, None).await.status, StatusCode::OK);
    let reply = post_form(
        app,
        link,
        &format!("name={name}&kana=&password=correct-horse-1"),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.session_cookie().unwrap()
}

/// An organization with a manager; returns the manager's cookie.
pub async fn organization(app: &Router, admin: &str, name: &str, manager: &str) -> String {
    let form = format!(
        "name={name}&kind=hospital&licensed_beds=250&prefecture=Tokushima&insurance_code=3612345678&manager_email={manager}"
    );
    let created = post_form(app, "/admin/organizations", &form, Some(admin)).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    accept(app, &notice_link(&created.body), "Manager").await
}

/// A learner the manager invites and who accepts; returns the learner's session cookie.
pub async fn staff_member(app: &Router, manager: &str, email: &str, name: &str) -> String {
    let form = format!("email={}&role=learner", email.replace('@', "%40"));
    let invited = post_form(app, "/manage/invitations", &form, Some(manager)).await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    accept(app, &notice_link(&invited.body), name).await
}

#[tokio::test]
async fn a_manager_invites_staff_and_sees_their_progress() {
    for (app, _, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        let invited = post_form(
            &app,
            "/manage/invitations",
            "email=nurse%40handa.example&role=learner",
            Some(&manager),
        )
        .await;
        assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
        assert!(
            invited.body.contains("nurse@handa.example — MIST"),
            "queued in the outbox"
        );
        let nurse = accept(&app, &notice_link(&invited.body), "Nurse").await;
        // An invitation works once.
        let reuse = post_form(
            &app,
            &notice_link(&invited.body),
            "name=x&password=correct-horse-1",
            None,
        )
        .await;
        assert_eq!(reuse.status, StatusCode::NOT_FOUND);

        get(
            &app,
            "/learn/staff/b1-what-happens-in-an-attack",
            Some(&nurse),
        )
        .await;
        let page = get(&app, "/manage", Some(&manager)).await;
        assert!(
            page.body.contains("nurse@handa.example") && page.body.contains("0/5"),
            "{}",
            page.body
        );
        assert_eq!(
            get(&app, "/manage", Some(&nurse)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&app, "/admin", Some(&manager)).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn a_manager_cannot_touch_another_organization() {
    let (app, store, first, _dir) = portal().await;
    let admin = admin_session(&app, &first).await;
    let handa = organization(&app, &admin, "Handa", "m1%40handa.example").await;
    let osaka = organization(&app, &admin, "Osaka", "m2%40osaka.example").await;
    let (osaka_manager, _) = store
        .user_with_password("m2@osaka.example")
        .await
        .unwrap()
        .unwrap();
    for action in ["active", "reset"] {
        let reply = post_form(
            &app,
            &format!("/manage/users/{}/{action}", osaka_manager.id),
            "active=false",
            Some(&handa),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert!(
        !get(&app, "/manage", Some(&handa))
            .await
            .body
            .contains("m2@osaka.example")
    );
    assert!(
        get(&app, "/manage", Some(&osaka))
            .await
            .body
            .contains("m2@osaka.example")
    );
}

#[tokio::test]
async fn deactivation_ends_access_and_a_reset_link_restores_it() {
    let (app, store, first, _dir) = portal().await;
    let admin = admin_session(&app, &first).await;
    let manager = organization(&app, &admin, "Handa", "m%40handa.example").await;
    let clerk = staff_member(&app, &manager, "clerk@handa.example", "Clerk").await;
    let (user, _) = store
        .user_with_password("clerk@handa.example")
        .await
        .unwrap()
        .unwrap();
    post_form(
        &app,
        &format!("/manage/users/{}/active", user.id),
        "active=false",
        Some(&manager),
    )
    .await;
    assert_eq!(
        get(&app, "/me", Some(&clerk)).await.status,
        StatusCode::SEE_OTHER,
        "the session ended"
    );
    let signin = post_form(
        &app,
        "/login",
        "email=clerk%40handa.example&password=correct-horse-1",
        None,
    )
    .await;
    assert_eq!(signin.status, StatusCode::UNAUTHORIZED);
    post_form(
        &app,
        &format!("/manage/users/{}/active", user.id),
        "active=true",
        Some(&manager),
    )
    .await;
    let reset = post_form(
        &app,
        &format!("/manage/users/{}/reset", user.id),
        "",
        Some(&manager),
    )
    .await;
    let link = notice_link(&reset.body);
    assert!(link.starts_with("/reset/"));
    let done = post_form(&app, &link, "password=another-horse-2", None).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let signin = post_form(
        &app,
        "/login",
        "email=clerk%40handa.example&password=another-horse-2",
        None,
    )
    .await;
    assert_eq!(signin.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_manager_downloads_a_course_as_a_scorm_package_that_checks_clean() {
    use mist_scorm::package::{Limits, Mode, check_zip};

    let (app, _, first, _dir) = portal().await;
    let admin = admin_session(&app, &first).await;
    let manager = organization(&app, &admin, "Handa", "m%40handa.example").await;
    let page = get(&app, "/manage", Some(&manager))
        .await
        .body
        .replace("&#x2f;", "/");
    assert!(page.contains("/manage/export/staff?scorm=1.2"), "{page}");
    for version in ["1.2", "2004"] {
        let reply = crate::web::send(
            &app,
            axum::http::Request::get(format!("/manage/export/staff?scorm={version}"))
                .header(axum::http::header::COOKIE, &manager)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply
                .headers
                .get("content-disposition")
                .unwrap()
                .to_str()
                .unwrap()
                .contains(&format!("staff-scorm{version}.zip"))
        );
        let bytes = reply.body_bytes.clone();
        let report = check_zip(
            std::io::Cursor::new(bytes),
            Mode::Strict,
            &Limits::default(),
        );
        assert!(
            report.diagnostics.is_empty(),
            "{version}: {:?}",
            report.diagnostics
        );
        assert_eq!(report.scos, 5);
    }
    let nurse_page = get(&app, "/manage/export/staff?scorm=2004", None).await;
    assert_eq!(
        nurse_page.status,
        StatusCode::SEE_OTHER,
        "anonymous visitors sign in first"
    );
}

#[tokio::test]
async fn a_manager_assigns_a_tier_s_course_to_all_staff() {
    let (app, _, first, _dir) = portal().await;
    let admin = admin_session(&app, &first).await;
    let manager = organization(&app, &admin, "Handa", "m%40handa.example").await;
    let nurse = staff_member(&app, &manager, "nurse@handa.example", "Nurse").await;
    assert!(
        !get(&app, "/me", Some(&nurse))
            .await
            .body
            .contains("初学者・医療従事者向け研修")
    );
    let assigned = post_form(
        &app,
        "/manage/assignments",
        "course=staff&person=all",
        Some(&manager),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK);
    assert!(
        assigned.body.contains("2 人に割り当てました"),
        "the manager and the nurse: {}",
        assigned.body
    );
    assert!(
        get(&app, "/me", Some(&nurse))
            .await
            .body
            .contains("初学者・医療従事者向け研修"),
        "the nurse sees the assigned course"
    );
    assert!(
        get(&app, "/manage", Some(&manager))
            .await
            .body
            .contains("0/5"),
        "progress shows for assigned staff"
    );
    let foreign = post_form(
        &app,
        "/manage/assignments",
        &format!("course=staff&person={}", uuid::Uuid::new_v4()),
        Some(&manager),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}
