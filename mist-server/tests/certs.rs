//! Certificates from the portal: issued on completing a course, downloaded, verified, revoked.

use axum::Router;
use axum::http::StatusCode;
use mist_core::builtin;
use mist_server::store::Store;
use mist_server::store::audit::AuditVerification;

use crate::learn::{answer_form, nurse};
use crate::web::{admin_session, get, portals, post_form};

/// Studies every lesson of every staff module and passes every quiz.
async fn complete_staff_course(app: &Router, store: &Store, cookie: &str, email: &str) {
    let series = builtin::load_series().series.unwrap();
    let course = series.course("staff").unwrap();
    for module in &course.modules {
        for lesson in &module.lessons {
            let page = get(
                app,
                &format!("/learn/staff/{}?lesson={}", module.slug, lesson.slug),
                Some(cookie),
            )
            .await;
            assert_eq!(page.status, StatusCode::OK);
        }
        get(
            app,
            &format!("/learn/staff/{}/quiz", module.slug),
            Some(cookie),
        )
        .await;
        let (action, form) = answer_form(store, email, "staff", module.slug.as_str(), true).await;
        assert!(
            post_form(app, &action, &form, Some(cookie))
                .await
                .body
                .contains("合格")
        );
    }
}

fn certificate_code(me: &str) -> String {
    let me = me.replace("&#x2f;", "/");
    let start = me
        .find("/certificates/")
        .expect("a certificate link on /me")
        + "/certificates/".len();
    me[start..].split(".pdf").next().unwrap().to_owned()
}

#[tokio::test]
async fn completing_a_course_issues_a_certificate_that_verifies() {
    for (app, store, first, _dir) in portals().await {
        let scratch = tempfile::tempdir().unwrap();
        let cookie = nurse(&app, &first.demo_join_code, "nurse@example.jp").await;
        assert!(
            !get(&app, "/me", Some(&cookie))
                .await
                .body
                .contains("/certificates/")
        );
        complete_staff_course(&app, &store, &cookie, "nurse@example.jp").await;
        let me = get(&app, "/me", Some(&cookie)).await;
        let code = certificate_code(&me.body);

        let pdf = get(&app, &format!("/certificates/{code}.pdf"), Some(&cookie)).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.body_bytes.starts_with(b"%PDF-"));
        let other = nurse(&app, &first.demo_join_code, "other@example.jp").await;
        assert_eq!(
            get(&app, &format!("/certificates/{code}.pdf"), Some(&other))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "not another learner's"
        );

        // The portal's public key verifies the PDF offline.
        let key = get(&app, "/verify/public-key", None).await.body;
        let key_path = scratch.path().join("public.key");
        let pdf_path = scratch.path().join("certificate.pdf");
        std::fs::write(&key_path, key).unwrap();
        std::fs::write(&pdf_path, &pdf.body_bytes).unwrap();
        let verified = std::process::Command::new(env!("CARGO_BIN_EXE_mist"))
            .args([
                "cert",
                "verify",
                "--pubkey",
                key_path.to_str().unwrap(),
                pdf_path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(
            verified.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&verified.stdout)
        );

        let page = get(&app, &format!("/verify/{}", code.to_lowercase()), None).await;
        assert!(
            page.body.contains("有効なもの") && page.body.contains("看護 花子"),
            "genuine, found even typed in lower case"
        );
        assert!(
            !page.body.contains("nurse@example.jp"),
            "the page shows no more than the certificate says"
        );
        assert!(
            get(&app, "/verify/ABCD-EFGH-JKMN-P", None)
                .await
                .body
                .contains("発行されていません")
        );

        // Completing again in the same fiscal year issues nothing new.
        complete_staff_course(&app, &store, &cookie, "nurse@example.jp").await;
        assert_eq!(
            get(&app, "/me", Some(&cookie))
                .await
                .body
                .matches(".pdf\"")
                .count(),
            1
        );

        let admin = admin_session(&app, &first).await;
        let revoked = post_form(
            &app,
            "/admin/certificates/revoke",
            &format!("code={code}&reason=issued+in+error"),
            Some(&admin),
        )
        .await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        assert!(
            get(&app, &format!("/verify/{code}"), None)
                .await
                .body
                .contains("取り消されています")
        );
        let refused = post_form(
            &app,
            "/admin/certificates/revoke",
            &format!("code={code}&reason=x"),
            Some(&cookie),
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // The evidence trail: each module completion, the issue and the revocation, in order.
        let trail = store
            .audit_trail_of(&format!("certificate:{code}"), 10)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["certificate.issue", "certificate.revoke"]);
        assert!(trail[1].detail.contains("issued in error"));
        let Ok(AuditVerification::Intact(records)) = store.verify_audit().await else {
            panic!("the audit trail must verify");
        };
        assert!(
            records > 2,
            "module completions are recorded too: {records}"
        );
    }
}
