//! A learner through the native player: lessons, the quiz, completion.

use axum::Router;
use axum::http::StatusCode;
use mist_core::{QuestionKind, builtin};
use mist_server::store::Store;
use mist_server::store::learning::ModuleKey;

use crate::web::{get, portal, portals, post_form};

/// Signs up a nurse of the demo hospital; returns the session cookie.
pub async fn nurse(app: &Router, join_code: &str, email: &str) -> String {
    let form = format!(
        "join_code={join_code}&email={}&name=%E7%9C%8B%E8%AD%B7+%E8%8A%B1%E5%AD%90&password=correct-horse-1",
        email.replace('@', "%40")
    );
    let reply = post_form(app, "/join", &form, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.session_cookie().unwrap()
}

/// The form a learner who knows every answer submits for the open attempt (`right` false: all wrong).
pub async fn answer_form(
    store: &Store,
    user_email: &str,
    course: &str,
    module: &str,
    right: bool,
) -> (String, String) {
    let series = builtin::load_series().series.unwrap();
    let course = series.course(course).unwrap();
    let quiz = course.module(module).unwrap().quiz.clone().unwrap();
    let (user, _) = store.user_with_password(user_email).await.unwrap().unwrap();
    let key = ModuleKey {
        user_id: user.id,
        course_id: course.id,
        module,
    };
    let attempt = store
        .open_attempt(key)
        .await
        .unwrap()
        .expect("an open attempt");
    let body = answers_body(&quiz, &attempt.drawn, right);
    (
        format!("/learn/{}/{module}/quiz/{}", course.slug, attempt.id),
        body,
    )
}

/// The url-encoded answers to the drawn questions: all right, or (`right` false) all wrong.
pub fn answers_body(
    quiz: &mist_core::Quiz,
    drawn: &[mist_core::quiz::DrawnQuestion],
    right: bool,
) -> String {
    let mut fields = Vec::new();
    for drawn in drawn {
        let q = quiz.questions.iter().find(|q| q.id == drawn.id).unwrap();
        let name = format!("q.{}", q.id);
        match &q.kind {
            QuestionKind::Single { options } => {
                let chosen = options.iter().find(|o| o.correct == right).unwrap();
                fields.push((name, chosen.id.clone()));
            }
            QuestionKind::Multiple { options } => {
                for o in options.iter().filter(|o| o.correct == right) {
                    fields.push((name.clone(), o.id.clone()));
                }
            }
            QuestionKind::TrueFalse { answer } => {
                fields.push((name, (*answer == right).to_string()))
            }
            QuestionKind::Ordering { items } => {
                let mut ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                if !right {
                    ids.reverse();
                }
                for (position, id) in ids.iter().enumerate() {
                    fields.push((format!("{name}.{position}"), (*id).to_owned()));
                }
            }
            QuestionKind::Matching { pairs } => {
                let n = pairs.len();
                for (i, p) in pairs.iter().enumerate() {
                    let target = if right { &p.id } else { &pairs[(i + 1) % n].id };
                    fields.push((format!("{name}.{}", p.id), target.clone()));
                }
            }
            QuestionKind::Numeric {
                answer, tolerance, ..
            } => fields.push((
                name,
                if right {
                    answer.to_string()
                } else {
                    (answer + tolerance + 1000.0).to_string()
                },
            )),
            QuestionKind::ShortText { accept, .. } => fields.push((
                name,
                if right {
                    accept[0].clone()
                } else {
                    "わからない".into()
                },
            )),
        }
    }
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_learner_reads_the_lessons_passes_the_quiz_and_completes_the_module() {
    for (app, store, first, _dir) in portals().await {
        let cookie = nurse(&app, &first.demo_join_code, "nurse@example.jp").await;
        let module = "/learn/staff/b2-suspicious-email-phishing";
        let lesson = get(&app, module, Some(&cookie)).await;
        assert_eq!(lesson.status, StatusCode::OK);
        assert!(lesson.body.contains("aria-current=\"page\""));

        // A wrong attempt fails and does not complete the module.
        assert_eq!(
            get(&app, &format!("{module}/quiz"), Some(&cookie))
                .await
                .status,
            StatusCode::OK
        );
        let (action, wrong) = answer_form(
            &store,
            "nurse@example.jp",
            "staff",
            "b2-suspicious-email-phishing",
            false,
        )
        .await;
        let failed = post_form(&app, &action, &wrong, Some(&cookie)).await;
        assert_eq!(failed.status, StatusCode::OK, "{}", failed.body);
        assert!(
            failed.body.contains("不合格") && failed.body.contains("解説"),
            "feedback and explanations are shown"
        );

        // Read every lesson, then pass: the module is complete.
        let series = builtin::load_series().series.unwrap();
        for l in &series
            .course("staff")
            .unwrap()
            .module("b2-suspicious-email-phishing")
            .unwrap()
            .lessons
        {
            assert_eq!(
                get(&app, &format!("{module}?lesson={}", l.slug), Some(&cookie))
                    .await
                    .status,
                StatusCode::OK
            );
        }
        let retake = get(&app, &format!("{module}/quiz"), Some(&cookie)).await;
        assert_eq!(retake.status, StatusCode::OK);
        let (action, right) = answer_form(
            &store,
            "nurse@example.jp",
            "staff",
            "b2-suspicious-email-phishing",
            true,
        )
        .await;
        let passed = post_form(&app, &action, &right, Some(&cookie)).await;
        assert!(passed.body.contains("合格: 得点 100%"), "{}", passed.body);
        assert!(passed.body.contains("role=\"status\""), "module completed");
        // Submitting the same attempt again changes nothing.
        let again = post_form(&app, &action, &wrong, Some(&cookie)).await;
        assert!(again.body.contains("合格: 得点 100%"));
    }
}

#[tokio::test]
async fn another_learner_cannot_submit_my_attempt() {
    let (app, store, first, _dir) = portal().await;
    let mine = nurse(&app, &first.demo_join_code, "a@example.jp").await;
    let theirs = nurse(&app, &first.demo_join_code, "b@example.jp").await;
    get(
        &app,
        "/learn/staff/b1-what-happens-in-an-attack/quiz",
        Some(&mine),
    )
    .await;
    let (action, form) = answer_form(
        &store,
        "a@example.jp",
        "staff",
        "b1-what-happens-in-an-attack",
        true,
    )
    .await;
    assert_eq!(
        post_form(&app, &action, &form, Some(&theirs)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post_form(&app, &action, &form, None).await.status,
        StatusCode::SEE_OTHER,
        "anonymous: sign in first"
    );
}
