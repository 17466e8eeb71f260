//! The portal: pages, forms and files of live sessions, on every backend.

use axum::Router;
use axum::http::{StatusCode, header};
use mist_core::builtin;
use mist_core::live::Status;
use mist_server::secret::hash_password;
use mist_server::store::{Role, Store, User};
use time::Duration;
use uuid::Uuid;

use super::{composer, fields, learners};
use crate::learn::answers_body;
use crate::web::{admin_session, get, portals, post_form};

const PASSWORD: &str = "correct-horse-1";

/// Gives `user` a password and signs them in; returns the session cookie.
async fn sign_in(app: &Router, store: &Store, user: &User) -> String {
    store
        .set_password_hash(user.id, &hash_password(PASSWORD).unwrap())
        .await
        .unwrap();
    let form = format!(
        "email={}&password={PASSWORD}",
        user.email.replace('@', "%40")
    );
    let reply = post_form(app, "/login", &form, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.session_cookie().unwrap()
}

/// The session id an admin form post redirected to.
fn created_id(reply: &crate::web::Reply) -> Uuid {
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    location
        .strip_prefix("/admin/live/")
        .unwrap()
        .parse()
        .unwrap()
}

const MEETING: &str = "https://meet.example.jp/j/0000";

/// A page's text with the slashes minijinja escapes in attribute-safe output put back.
async fn page_text(app: &Router, uri: &str, cookie: Option<&str>) -> String {
    get(app, uri, cookie).await.body.replace("&#x2f;", "/")
}

#[tokio::test]
async fn one_seat_a_waiting_list_and_a_promotion_through_the_portal() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let starts =
            mist_core::live::jst_local_value(mist_server::store::now() + Duration::days(10));
        let deadline =
            mist_core::live::jst_local_value(mist_server::store::now() + Duration::days(9));
        let form = format!(
            "audience=executive&programme=&part=1&title_ja=%E7%B5%8C%E5%96%B6%E8%80%85%E5%90%91%E3%81%91&title_en=For+executives\
             &description_ja=&description_en=&instructor=%E8%AC%9B%E5%B8%AB+A&starts_at={starts}&duration_minutes=60&capacity=1\
             &registration_deadline={deadline}&meeting_url=https%3A%2F%2Fmeet.example.jp%2Fj%2F0000&attendance_keyword=&quiz=&quiz_count=5&archive_url="
        );
        let created = post_form(&app, "/admin/live", &form, Some(&admin)).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = created_id(&created);
        let page = format!("/live/{id}");

        // A bad form comes back with the reasons and the values typed.
        let bad = post_form(
            &app,
            "/admin/live",
            &form.replace("capacity=1", "capacity=0"),
            Some(&admin),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("定員は 1〜10000 人です。") && bad.body.contains("For executives")
        );
        let unknown_quiz = post_form(
            &app,
            "/admin/live",
            &form.replace("quiz=&", "quiz=staff%2Fno-such-module&"),
            Some(&admin),
        )
        .await;
        assert_eq!(unknown_quiz.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown_quiz
                .body
                .contains("確認テストの指定が正しくありません。")
        );

        let people = learners(&store, "WEBA2345", 2).await;
        let (a, b) = (
            sign_in(&app, &store, &people[0]).await,
            sign_in(&app, &store, &people[1]).await,
        );
        let anonymous = get(&app, &page, None).await;
        assert_eq!(anonymous.status, StatusCode::OK);
        assert!(anonymous.body.contains("第1回 経営者向け") && !anonymous.body.contains(MEETING));

        assert_eq!(
            post_form(&app, &format!("{page}/register"), "", Some(&a))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let seen_by_a = page_text(&app, &page, Some(&a)).await;
        assert!(seen_by_a.contains(MEETING) && seen_by_a.contains("参加確定"));
        let ics = get(&app, &format!("{page}/calendar.ics"), Some(&a)).await;
        assert_eq!(
            ics.headers[header::CONTENT_TYPE],
            "text/calendar; charset=utf-8"
        );
        assert!(
            ics.body.contains(&format!("URL:{MEETING}\r\n"))
                && ics.body.contains(&format!("UID:{id}@mist-live"))
        );
        let public_ics = get(&app, &format!("{page}/calendar.ics"), None).await.body;
        assert!(
            !public_ics.contains(MEETING)
                && public_ics.contains(&format!("URL:http://127.0.0.1:8080/live/{id}"))
        );

        assert_eq!(
            post_form(&app, &format!("{page}/register"), "", Some(&b))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let seen_by_b = page_text(&app, &page, Some(&b)).await;
        assert!(seen_by_b.contains("キャンセル待ち") && !seen_by_b.contains(MEETING));
        assert!(
            !get(&app, &format!("{page}/calendar.ics"), Some(&b))
                .await
                .body
                .contains(MEETING)
        );

        assert_eq!(
            post_form(&app, &format!("{page}/cancel"), "", Some(&a))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert!(!page_text(&app, &page, Some(&a)).await.contains(MEETING));
        assert!(
            page_text(&app, &page, Some(&b)).await.contains(MEETING),
            "B was promoted"
        );
        let listing = get(&app, "/live?lang=en", Some(&b)).await.body;
        assert!(
            listing.contains("Part 1 For executives")
                && listing.contains("Confirmed")
                && listing.contains("Your registrations")
        );

        let outbox = page_text(&app, "/admin/live", Some(&admin)).await;
        assert!(
            outbox.contains("キャンセル待ちから参加が確定しました")
                && outbox.contains(&people[1].email)
        );
        assert_eq!(
            get(&app, "/admin/live", Some(&b)).await.status,
            StatusCode::FORBIDDEN
        );

        // Cancelling the session tells B, and the page says so.
        assert_eq!(
            post_form(&app, &format!("/admin/live/{id}/cancel"), "", Some(&admin))
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let after = page_text(&app, &page, Some(&b)).await;
        assert!(after.contains("開催中止") && !after.contains(MEETING));
        assert!(
            get(&app, "/admin/live", Some(&admin))
                .await
                .body
                .contains("開催中止のお知らせ")
        );
        let trail = store
            .audit_trail_of(&format!("live:{id}"), 10)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["live.session.create", "live.session.cancel"]);
        assert!(trail.iter().all(|r| r.actor.is_some()), "the administrator");
    }
}

#[tokio::test]
async fn registration_closes_at_the_deadline() {
    for (app, store, _, _dir) in portals().await {
        // Starts in 30 minutes; registration closed an hour before the start.
        let id = store
            .create_live_session(None, &fields(10, Duration::minutes(30)))
            .await
            .unwrap();
        let people = learners(&store, "DEAD2345", 1).await;
        let cookie = sign_in(&app, &store, &people[0]).await;
        let reply = post_form(&app, &format!("/live/{id}/register"), "", Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("申し込みの受付は締め切りました。"));
        assert_eq!(store.live_status(id, people[0].id).await.unwrap(), None);
    }
}

#[tokio::test]
async fn the_attendance_keyword_counts_only_from_the_start_to_half_an_hour_after_the_end() {
    for (app, store, _, _dir) in portals().await {
        let c = composer();
        let people = learners(&store, "KEYW2345", 1).await;
        let person = &people[0];
        let cookie = sign_in(&app, &store, person).await;
        // Registration is checked by the portal; the store takes these seats directly.
        let running = store
            .create_live_session(None, &fields(5, -Duration::minutes(10)))
            .await
            .unwrap();
        let future = store
            .create_live_session(None, &fields(5, Duration::days(2)))
            .await
            .unwrap();
        let long_over = store
            .create_live_session(None, &fields(5, -Duration::hours(3)))
            .await
            .unwrap();
        for id in [running, future, long_over] {
            store.register_live(id, person.id, "ja", &c).await.unwrap();
        }
        let attend = |id: Uuid, keyword: &'static str| {
            let (app, cookie) = (app.clone(), cookie.clone());
            async move {
                post_form(
                    &app,
                    &format!("/live/{id}/attendance"),
                    &format!("keyword={keyword}"),
                    Some(&cookie),
                )
                .await
            }
        };
        let early = attend(future, "%E3%81%BE%E3%82%82%E3%82%8B").await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(early.body.contains("開始後に入力"));
        let late = attend(long_over, "%E3%81%BE%E3%82%82%E3%82%8B").await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(late.body.contains("終了後30分まで"));
        let wrong = attend(running, "mamoru").await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("キーワードが違います。"));
        assert_eq!(
            store.live_status(running, person.id).await.unwrap(),
            Some(Status::Confirmed)
        );
        // Half-width katakana ﾏﾓﾙ is not まもる; the keyword itself with spaces around is.
        let right = attend(running, "+%E3%81%BE%E3%82%82%E3%82%8B+").await;
        assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
        assert_eq!(
            store.live_status(running, person.id).await.unwrap(),
            Some(Status::Attended)
        );
        // Without a quiz, attendance completes the session for this fiscal year.
        let done = store.live_completions(person.id).await.unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(
            (done[0].session_id, done[0].mode.as_str(), done[0].score),
            (running, "live", None)
        );
        assert!(
            get(&app, &format!("/live/{running}"), Some(&cookie))
                .await
                .body
                .contains("受講が記録されました")
        );
        let listing = page_text(&app, "/live", Some(&cookie)).await;
        assert!(listing.contains("申し込んだ研修") && listing.contains("✓ 修了"));
        // A recording set while the session runs shows once it is over.
        let mut running_fields = fields(5, -Duration::minutes(10));
        running_fields.starts_at = store
            .live_session(running)
            .await
            .unwrap()
            .unwrap()
            .starts_at;
        running_fields.archive_url = Some("https://video.example.jp/archive/running".into());
        store
            .update_live_session(None, running, &running_fields, &c)
            .await
            .unwrap();
        assert!(
            !page_text(&app, &format!("/live/{running}"), Some(&cookie))
                .await
                .contains("archive/running")
        );
        // Someone without a seat cannot record attendance at all.
        let other = learners(&store, "KEYX2345", 1).await;
        let outsider = sign_in(&app, &store, &other[0]).await;
        let refused = post_form(
            &app,
            &format!("/live/{running}/attendance"),
            "keyword=x",
            Some(&outsider),
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}

/// A manager of an organization, signed in.
async fn manager(app: &Router, store: &Store, staff: &User, email: &str) -> String {
    let user = store
        .create_user(
            staff.organization_id,
            email,
            "施設管理者",
            None,
            Role::Manager,
            None,
        )
        .await
        .unwrap();
    sign_in(app, store, &user).await
}

#[tokio::test]
async fn a_manager_records_attendance_of_their_own_staff_only() {
    for (app, store, _, _dir) in portals().await {
        let c = composer();
        let id = store
            .create_live_session(None, &fields(5, -Duration::minutes(30)))
            .await
            .unwrap();
        let ours = learners(&store, "OURS2345", 1).await;
        let theirs = learners(&store, "THEI2345", 1).await;
        for person in [&ours[0], &theirs[0]] {
            store.register_live(id, person.id, "ja", &c).await.unwrap();
        }
        let boss = manager(&app, &store, &ours[0], "boss@ours.example").await;
        let roster = get(&app, &format!("/live/{id}/roster"), Some(&boss)).await;
        assert_eq!(roster.status, StatusCode::OK);
        assert!(roster.body.contains(&ours[0].email) && !roster.body.contains(&theirs[0].email));
        let refused = post_form(
            &app,
            &format!("/live/{id}/roster"),
            &format!("attended={}", theirs[0].id),
            Some(&boss),
        )
        .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let mixed = format!("attended={}&attended={}", ours[0].id, theirs[0].id);
        assert_eq!(
            post_form(&app, &format!("/live/{id}/roster"), &mixed, Some(&boss))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            store.live_status(id, ours[0].id).await.unwrap(),
            Some(Status::Confirmed),
            "nothing half-recorded"
        );
        let recorded = post_form(
            &app,
            &format!("/live/{id}/roster"),
            &format!("attended={}", ours[0].id),
            Some(&boss),
        )
        .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER);
        assert_eq!(
            store.live_status(id, ours[0].id).await.unwrap(),
            Some(Status::Attended)
        );
        assert_eq!(
            store.live_status(id, theirs[0].id).await.unwrap(),
            Some(Status::Confirmed)
        );
        // The audit trail keeps who recorded it, for whom, and the completion that followed.
        let trail = store
            .audit_trail_of(&format!("live:{id}"), 10)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            ["live.session.create", "live.attend", "live.complete"]
        );
        let attend = &trail[1];
        assert_eq!(attend.organization, ours[0].organization_id);
        assert_ne!(attend.actor, Some(ours[0].id), "recorded by the manager");
        assert!(
            attend.detail.contains("manager") && attend.detail.contains(&ours[0].id.to_string())
        );
        assert!(matches!(
            store.verify_audit().await.unwrap(),
            mist_server::store::audit::AuditVerification::Intact(_)
        ));
        let learner = sign_in(&app, &store, &ours[0]).await;
        assert_eq!(
            get(&app, &format!("/live/{id}/roster"), Some(&learner))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn attendance_and_a_passed_comprehension_check_record_a_completion() {
    let (course, module) = ("administrator", "s1-basics-recent-threats");
    let quiz = builtin::load_series()
        .series
        .unwrap()
        .course(course)
        .unwrap()
        .module(module)
        .unwrap()
        .quiz
        .clone()
        .unwrap();
    for (app, store, _, _dir) in portals().await {
        // Started 100 minutes ago and 90 long: over, and the keyword still counts for 20 minutes.
        let mut with_quiz = fields(5, -Duration::minutes(100));
        with_quiz.quiz = Some((course.into(), module.into(), 3));
        with_quiz.archive_url = Some("https://video.example.jp/archive/1".into());
        let id = store.create_live_session(None, &with_quiz).await.unwrap();
        let people = learners(&store, "QUIZ2345", 2).await;
        let person = &people[0];
        store
            .register_live(id, person.id, "ja", &composer())
            .await
            .unwrap();
        let cookie = sign_in(&app, &store, person).await;
        let page = get(&app, &format!("/live/{id}/quiz"), Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let attempt = store
            .open_live_attempt(id, person.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(attempt.drawn.len(), 3);
        let submit = format!("/live/{id}/quiz/{}", attempt.id);
        let passed = post_form(
            &app,
            &submit,
            &answers_body(&quiz, &attempt.drawn, true),
            Some(&cookie),
        )
        .await;
        assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
        assert!(passed.body.contains("合格") && passed.body.contains("出席が記録されると"));
        assert!(
            store.live_completions(person.id).await.unwrap().is_empty(),
            "attendance is still missing"
        );
        let attended = post_form(
            &app,
            &format!("/live/{id}/attendance"),
            "keyword=%E3%81%BE%E3%82%82%E3%82%8B",
            Some(&cookie),
        )
        .await;
        assert_eq!(attended.status, StatusCode::SEE_OTHER);
        let done = store.live_completions(person.id).await.unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(
            (done[0].audience.as_str(), done[0].score),
            ("staff", Some(1.0))
        );
        // The recording is for registered people only, unless the administrators make it public.
        assert!(
            page_text(&app, &format!("/live/{id}"), Some(&cookie))
                .await
                .contains("video.example.jp/archive/1")
        );
        let other = sign_in(&app, &store, &people[1]).await;
        assert!(
            !page_text(&app, &format!("/live/{id}"), Some(&other))
                .await
                .contains("video.example.jp")
        );
        assert_eq!(
            get(&app, &format!("/live/{id}/quiz"), Some(&other))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        with_quiz.archive_public = true;
        store
            .update_live_session(None, id, &with_quiz, &composer())
            .await
            .unwrap();
        assert!(
            page_text(&app, &format!("/live/{id}"), Some(&other))
                .await
                .contains("video.example.jp/archive/1")
        );
        assert!(
            !page_text(&app, &format!("/live/{id}"), None)
                .await
                .contains("video.example.jp")
        );
    }
}

#[tokio::test]
async fn the_demo_portal_lists_sessions_for_every_audience_with_one_recording() {
    let (app, store, _, _dir) = crate::web::portal().await;
    let listing = page_text(&app, "/live", None).await;
    assert_eq!(listing.matches("class=\"tier\"").count(), 3);
    for text in [
        "ランサムウェア被害の事例と、経営者がいま取り組むべきこと",
        "第1回 事例から学ぶ設定と対応",
        "第3回 特権ID管理",
        "OSとセキュリティの基礎(初級)",
        "インシデントは身近に",
        "終了しました",
        "(令和",
    ] {
        assert!(listing.contains(text), "{text}");
    }
    assert!(
        !listing.contains("meet.example.jp"),
        "no meeting link in public"
    );
    // Upcoming sessions come first; the past one (the only ended session) is the staff tier's last row.
    assert!(
        listing.rfind("インシデントは身近に").unwrap() < listing.find("終了しました").unwrap(),
        "the past session is listed after the upcoming ones"
    );
    let past = store
        .live_sessions()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.archive_url.is_some())
        .unwrap();
    assert!(past.starts_at < mist_server::store::now() && past.archive_public);
    let people = learners(&store, "DEMO2345", 1).await;
    let cookie = sign_in(&app, &store, &people[0]).await;
    let page = page_text(&app, &format!("/live/{}", past.id), Some(&cookie)).await;
    assert!(page.contains("https://video.example.jp/mist/archive/staff-01"));
}
