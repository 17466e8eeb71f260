//! Compliance: roster import, the dashboard, evidence approval, exports, closed years and the CLI, on
//! every backend.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mist_core::completion::{Completion, Outcome, Success};
use mist_core::compliance::signed::SignedReport;
use mist_core::compliance::{RosterEntry, Status};
use mist_core::fiscal::FiscalYear;
use mist_server::compliance::{ReportRequest, report, today_in_japan};
use mist_server::store::Store;
use mist_server::store::learning::ModuleKey;

use crate::manage::{organization, staff_member};
use crate::web::{Reply, admin_session, get, portals, post_form, send};

/// A same-origin multipart upload of one file field.
async fn upload(app: &Router, uri: &str, file: &[u8], cookie: &str) -> Reply {
    let boundary = "mist-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n").into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

const ROSTER: &str = "職員番号,氏名,カナ,メール,部署,職種,雇用形態,対象,階層,入職日,退職日\r\n\
    N001,看護師 A,カンゴシ エー,nurse@handa.example,3階病棟,看護師,常勤,対象,初学者,2020-04-01,\r\n\
    N002,事務 B,ジム ビー,,医事課,事務,非常勤,対象,初学者;経営者,2021-04-01,\r\n\
    N003,委託 C,,,情報システム室,技師,委託,対象外,管理者,2022-04-01,\r\n";

fn shift_jis(text: &str) -> Vec<u8> {
    mist_core::compliance::csv::to_shift_jis(text)
}

/// Marks every required module of the staff course completed for a person this fiscal year.
async fn complete_staff_course(store: &Store, email: &str) {
    let (user, _) = store.user_with_password(email).await.unwrap().unwrap();
    let course = store
        .courses()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.audience == mist_core::Audience::Staff)
        .unwrap();
    let outcome = Outcome {
        completion: Completion::Completed,
        success: Success::Passed,
        score: Some(0.9),
        explanation: vec![],
    };
    for module in course.modules.iter().filter(|m| m.required) {
        let key = ModuleKey {
            user_id: user.id,
            course_id: course.id,
            module: module.slug.as_str(),
        };
        store
            .record_module_completion(key, FiscalYear::containing(today_in_japan()), &outcome)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_manager_imports_a_shift_jis_roster_and_reads_the_dashboard_and_exports() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        staff_member(&app, &manager, "nurse@handa.example", "Nurse").await;

        // A bad file: every problem listed with its line and column, nothing imported.
        let bad = upload(
            &app,
            "/manage/roster",
            &shift_jis("職員番号,氏名,雇用形態,対象\r\nX1,職員 D,正社員,対象\r\n"),
            &manager,
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(
            bad.body.contains("<td>2</td><td>雇用形態</td>"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("Shift_JIS"));

        let imported = upload(&app, "/manage/roster", &shift_jis(ROSTER), &manager).await;
        assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
        assert!(imported.body.contains("追加 3"), "{}", imported.body);
        let again = upload(&app, "/manage/roster", &shift_jis(ROSTER), &manager).await;
        assert!(
            again.body.contains("追加 0, 更新 3"),
            "re-importing changes nothing: {}",
            again.body
        );

        complete_staff_course(&store, "nurse@handa.example").await;
        let page = get(&app, "/manage/compliance", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("研修義務あり"),
            "250 beds: training is required"
        );
        assert_eq!(
            page.body.matches("<svg").count(),
            3,
            "three server-drawn charts"
        );
        assert!(
            page.body.contains(r#"role="img""#) && page.body.contains("<desc id=\"by-tier-desc\">")
        );
        // Two counted (the contractor is out of scope), the nurse complete.
        assert!(
            page.body.contains("50.0%") && page.body.contains("(1 / 2 人)"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("<td>N002</td><td>事務 B</td>"),
            "the incomplete list"
        );

        let year = FiscalYear::containing(today_in_japan()).start_year();
        let csv = get(
            &app,
            &format!("/manage/compliance/{year}.csv?encoding=utf-8"),
            Some(&manager),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body_bytes.starts_with(b"\xEF\xBB\xBF"),
            "a BOM for Excel"
        );
        let nurse_line = csv.body.lines().find(|l| l.contains("N001")).unwrap();
        assert!(
            nurse_line.contains(",修了,") && nurse_line.contains(",eラーニング,"),
            "{nurse_line}"
        );
        let sjis = get(
            &app,
            &format!("/manage/compliance/{year}.csv?encoding=shift_jis"),
            Some(&manager),
        )
        .await;
        let (decoded, encoding) = mist_core::compliance::roster::decode(&sjis.body_bytes).unwrap();
        assert_eq!(
            encoding,
            mist_core::compliance::roster::RosterEncoding::ShiftJis
        );
        assert!(decoded.contains("看護師 A"));
        let json: serde_json::Value = serde_json::from_str(
            &get(
                &app,
                &format!("/manage/compliance/{year}.json"),
                Some(&manager),
            )
            .await
            .body,
        )
        .unwrap();
        assert_eq!(json["aggregates"]["total"]["complete"], 1);
        assert_eq!(json["people"].as_array().unwrap().len(), 3);

        let pdf = get(
            &app,
            &format!("/manage/compliance/{year}.pdf"),
            Some(&manager),
        )
        .await;
        assert!(pdf.body_bytes.starts_with(b"%PDF"));
        let key = get(&app, "/verify/public-key", None).await.body;
        let key = mist_core::certificate::decode_verifying_key(&key).unwrap();
        let signed = SignedReport::extract_from_pdf(&pdf.body_bytes).unwrap();
        assert_eq!(signed.verify(&key).unwrap().header.facility, "Handa");
        let (manager_user, _) = store
            .user_with_password("manager@handa.example")
            .await
            .unwrap()
            .unwrap();
        let subject = format!(
            "compliance:{}:{year}",
            manager_user.organization_id.unwrap()
        );
        let generated: Vec<String> = store
            .audit_trail_of(&subject, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.detail)
            .collect();
        assert_eq!(generated.len(), 4, "csv twice, json, pdf: {generated:?}");
        assert!(
            generated[3].contains(r#""format":"pdf""#) && generated[3].contains(r#""sha256":""#)
        );

        assert_eq!(
            get(&app, "/manage/compliance/2999.csv", Some(&manager))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(
                &app,
                &format!("/manage/compliance/{year}.csv?encoding=latin1"),
                Some(&manager)
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}

#[tokio::test]
async fn approved_evidence_counts_and_stays_inside_its_organization() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        let other = organization(&app, &admin, "Osaka", "manager%40osaka.example").await;
        upload(&app, "/manage/roster", ROSTER.as_bytes(), &manager).await;
        let (manager_user, _) = store
            .user_with_password("manager@handa.example")
            .await
            .unwrap()
            .unwrap();
        let roster = store
            .roster(manager_user.organization_id.unwrap())
            .await
            .unwrap();
        let b = roster.iter().find(|m| m.record.staff_id == "N002").unwrap();
        let course = store
            .courses()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.audience == mist_core::Audience::Staff)
            .unwrap();
        let today = today_in_japan();
        let form = format!(
            "staff={}&course={}&mode=external&description=MIST+certificate+7K3M&held_on={today}",
            b.id, course.id
        );
        let recorded = post_form(&app, "/manage/compliance/evidence", &form, Some(&manager)).await;
        assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
        assert!(recorded.body.contains("承認待ち") || recorded.body.contains("承認する"));
        // Pending evidence does not count yet.
        let before = report_of(&store, "manager@handa.example").await;
        let staff_course = |r: &mist_core::compliance::Report| {
            person(r, "N002")
                .courses
                .iter()
                .find(|c| c.course == course.slug.as_str())
                .cloned()
                .unwrap()
        };
        assert_ne!(staff_course(&before).status, Status::Completed);

        let year = FiscalYear::containing(today);
        let evidence = store
            .evidence(manager_user.organization_id.unwrap(), year)
            .await
            .unwrap();
        let approve = format!("/manage/compliance/evidence/{}/approve", evidence[0].id);
        // Another organization's manager cannot see or approve it.
        assert_eq!(
            post_form(&app, &approve, "", Some(&other)).await.status,
            StatusCode::NOT_FOUND
        );
        let approved = post_form(&app, &approve, "", Some(&manager)).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        assert_eq!(
            post_form(&app, &approve, "", Some(&manager)).await.status,
            StatusCode::NOT_FOUND,
            "once"
        );
        let after = report_of(&store, "manager@handa.example").await;
        let row = staff_course(&after);
        assert_eq!(
            (row.status, row.mode.map(|m| m.as_str())),
            (Status::Completed, Some("external"))
        );
        assert_eq!(row.evidence.as_deref(), Some("MIST certificate 7K3M"));
        // Submission and approval are in the audit trail, which stays intact.
        let trail = store
            .audit_trail_of(&format!("evidence:{}", evidence[0].id), 10)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["evidence.submit", "evidence.approve"]);
        assert_eq!(trail[1].actor, Some(manager_user.id));
        assert!(matches!(
            store.verify_audit().await.unwrap(),
            mist_server::store::audit::AuditVerification::Intact(_)
        ));

        // Bad input is refused with a message, nothing stored.
        let future = format!(
            "staff={}&course={}&mode=external&description=x&held_on=2999-01-01",
            b.id, course.id
        );
        assert_eq!(
            post_form(&app, "/manage/compliance/evidence", &future, Some(&manager))
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let foreign = format!(
            "staff={}&course={}&mode=external&description=x&held_on={today}",
            b.id, course.id
        );
        assert_eq!(
            post_form(&app, "/manage/compliance/evidence", &foreign, Some(&other))
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            store
                .evidence(manager_user.organization_id.unwrap(), year)
                .await
                .unwrap()
                .len(),
            1
        );
        // Learners have no access.
        let learner = staff_member(&app, &manager, "learner@handa.example", "Learner").await;
        assert_eq!(
            get(&app, "/manage/compliance", Some(&learner)).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

async fn report_of(store: &Store, manager: &str) -> mist_core::compliance::Report {
    report_on(store, manager, FiscalYear::containing(today_in_japan())).await
}

async fn report_on(
    store: &Store,
    manager: &str,
    year: FiscalYear,
) -> mist_core::compliance::Report {
    let (user, _) = store.user_with_password(manager).await.unwrap().unwrap();
    let organization = store
        .organization(user.organization_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    let courses = store.courses().await.unwrap();
    let request = ReportRequest {
        organization: &organization,
        year,
        today: today_in_japan(),
        generated_by: manager,
    };
    report(store, &courses, request).await.unwrap()
}

fn person<'r>(
    report: &'r mist_core::compliance::Report,
    staff_id: &str,
) -> &'r mist_core::compliance::PersonRow {
    report
        .people
        .iter()
        .find(|p| p.staff.staff_id == staff_id)
        .unwrap()
}

#[tokio::test]
async fn a_past_year_is_frozen_when_first_asked_for() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        upload(&app, "/manage/roster", ROSTER.as_bytes(), &manager).await;
        let last_year = FiscalYear::containing(today_in_japan()).previous();
        let closed = report_on(&store, "manager@handa.example", last_year).await;
        assert!(closed.header.frozen);
        assert!(
            closed
                .people
                .iter()
                .flat_map(|p| &p.courses)
                .all(|c| c.status == Status::Overdue),
            "unfinished courses of a closed year are overdue"
        );
        // Renaming someone afterwards does not rewrite the closed year; it does change this year.
        let (user, _) = store
            .user_with_password("manager@handa.example")
            .await
            .unwrap()
            .unwrap();
        let mut renamed: RosterEntry = mist_core::compliance::roster::parse(ROSTER.as_bytes())
            .entries
            .remove(0);
        renamed.name = "看護師 A(改姓)".into();
        store
            .import_roster(user.organization_id.unwrap(), &[renamed], Some(user.id))
            .await
            .unwrap();
        let again = report_on(&store, "manager@handa.example", last_year).await;
        assert_eq!(person(&again, "N001").staff.name, "看護師 A");
        assert_eq!(again.people, closed.people);
        assert_eq!(
            person(&report_of(&store, "manager@handa.example").await, "N001")
                .staff
                .name,
            "看護師 A(改姓)"
        );
        assert_eq!(
            store
                .closed_years(user.organization_id.unwrap())
                .await
                .unwrap(),
            vec![i64::from(last_year.start_year())]
        );
        // The dashboard shows the closed year as closed.
        let page = get(
            &app,
            &format!("/manage/compliance?fy={}", last_year.start_year()),
            Some(&manager),
        )
        .await;
        assert!(page.body.contains("締め済み"), "{}", page.body);
    }
}

#[tokio::test]
async fn the_roster_links_accounts_by_email_within_the_organization() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        // The nurse's address belongs to another organization's account: no link across organizations.
        let other = organization(&app, &admin, "Osaka", "manager%40osaka.example").await;
        staff_member(&app, &other, "nurse@handa.example", "Nurse").await;
        upload(&app, "/manage/roster", ROSTER.as_bytes(), &manager).await;
        let (user, _) = store
            .user_with_password("manager@handa.example")
            .await
            .unwrap()
            .unwrap();
        let roster = store.roster(user.organization_id.unwrap()).await.unwrap();
        assert_eq!(roster.len(), 3);
        assert!(roster.iter().all(|m| m.user_id.is_none()));
        let c = roster.iter().find(|m| m.record.staff_id == "N003").unwrap();
        assert!(!c.record.in_scope);
        assert_eq!(c.record.tiers, vec![mist_core::Audience::Administrator]);
    }
}

#[tokio::test]
async fn the_cli_writes_and_verifies_a_signed_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).await.unwrap();
    let (app, store, first) = crate::web::portal_on(store, dir.path()).await;
    let admin = admin_session(&app, &first).await;
    let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
    upload(&app, "/manage/roster", ROSTER.as_bytes(), &manager).await;
    let (user, _) = store
        .user_with_password("manager@handa.example")
        .await
        .unwrap()
        .unwrap();
    let org = user.organization_id.unwrap().to_string();
    let data_dir = dir.path().to_str().unwrap();
    let year = FiscalYear::containing(today_in_japan())
        .start_year()
        .to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_mist"))
            .args(args)
            .output()
            .unwrap()
    };
    for (format, file) in [("csv", "r.csv"), ("json", "r.json"), ("pdf", "r.pdf")] {
        let out = dir.path().join(file);
        let done = run(&[
            "report",
            "compliance",
            "--data-dir",
            data_dir,
            "--org",
            &org,
            "--fy",
            &year,
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
    let csv = std::fs::read(dir.path().join("r.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF") && String::from_utf8_lossy(&csv).contains("事務 B"));
    let key_file = dir.path().join("public.key");
    std::fs::write(&key_file, get(&app, "/verify/public-key", None).await.body).unwrap();
    let verified = run(&[
        "report",
        "verify",
        "--pubkey",
        key_file.to_str().unwrap(),
        dir.path().join("r.pdf").to_str().unwrap(),
    ]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stdout).contains("valid: Handa"));
    // An altered report fails.
    let mut tampered = std::fs::read(dir.path().join("r.pdf")).unwrap();
    let at = tampered
        .windows(18)
        .position(|w| w == b"\"facility\":\"Handa\"")
        .unwrap();
    tampered[at + 16] = b'o';
    let tampered_file = dir.path().join("tampered.pdf");
    std::fs::write(&tampered_file, tampered).unwrap();
    let refused = run(&[
        "report",
        "verify",
        "--pubkey",
        key_file.to_str().unwrap(),
        tampered_file.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("signature does not match"));
    // A year that has not begun is refused.
    let future = run(&[
        "report",
        "compliance",
        "--data-dir",
        data_dir,
        "--org",
        &org,
        "--fy",
        "2999",
        "--format",
        "csv",
        "-o",
        dir.path().join("f.csv").to_str().unwrap(),
    ]);
    assert!(!future.status.success());
}

#[tokio::test]
async fn a_new_year_s_quiz_avoids_last_year_s_questions() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        let learner = staff_member(&app, &manager, "nurse@handa.example", "Nurse").await;
        post_form(&app, "/courses/staff/enroll", "", Some(&learner)).await;
        let quiz = "/learn/staff/b1-what-happens-in-an-attack/quiz";
        assert_eq!(get(&app, quiz, Some(&learner)).await.status, StatusCode::OK);
        let (user, _) = store
            .user_with_password("nurse@handa.example")
            .await
            .unwrap()
            .unwrap();
        let course = store.course("staff").await.unwrap().unwrap();
        let key = ModuleKey {
            user_id: user.id,
            course_id: course.id,
            module: "b1-what-happens-in-an-attack",
        };
        let last_year = store.open_attempt(key).await.unwrap().unwrap();
        // The attempt becomes last year's: started and submitted a year ago.
        let a_year_ago = mist_server::store::now() - time::Duration::days(366);
        let backdate = "UPDATE quiz_attempts SET started_at = $1, submitted_at = $1 WHERE id = $2";
        match &store {
            Store::Sqlite(pool) => sqlx::query(backdate)
                .bind(a_year_ago)
                .bind(last_year.id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
            Store::Postgres(pool) => sqlx::query(backdate)
                .bind(a_year_ago)
                .bind(last_year.id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        }
        .unwrap();
        assert_eq!(get(&app, quiz, Some(&learner)).await.status, StatusCode::OK);
        let this_year = store.open_attempt(key).await.unwrap().unwrap();
        assert_ne!(this_year.id, last_year.id);
        let before: std::collections::HashSet<&str> =
            last_year.drawn.iter().map(|d| d.id.as_str()).collect();
        assert!(
            this_year
                .drawn
                .iter()
                .all(|d| !before.contains(d.id.as_str())),
            "10 questions, 5 drawn: none of last year's again"
        );
    }
}

/// A live session of the person's tier, attended with its check passed, completes that tier's course
/// in the report, with the live delivery mode (the tier's course only: courses match by audience).
#[tokio::test]
async fn an_attended_live_session_completes_the_tier_course() {
    for (app, store, first, _dir) in portals().await {
        let admin = admin_session(&app, &first).await;
        let manager = organization(&app, &admin, "Handa", "manager%40handa.example").await;
        staff_member(&app, &manager, "nurse@handa.example", "Nurse").await;
        upload(&app, "/manage/roster", ROSTER.as_bytes(), &manager).await;
        let (nurse, _) = store
            .user_with_password("nurse@handa.example")
            .await
            .unwrap()
            .unwrap();
        let staff = store
            .courses()
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.audience == mist_core::Audience::Staff)
            .unwrap();
        let staff_course = |report: &mist_core::compliance::Report| {
            person(report, "N001")
                .courses
                .iter()
                .find(|c| c.course == staff.slug.as_str())
                .cloned()
                .unwrap()
        };
        assert_ne!(
            staff_course(&report_of(&store, "manager@handa.example").await).status,
            Status::Completed
        );

        let starts_at = mist_server::store::now() - time::Duration::hours(2);
        let fields = mist_server::store::live::SessionFields {
            audience: mist_core::Audience::Staff,
            programme: None,
            part: None,
            title: ("標的型メール訓練".into(), "Phishing drill".into()),
            description: ("説明".into(), "About".into()),
            instructor: "講師 A".into(),
            starts_at,
            duration_minutes: 60,
            capacity: 10,
            registration_deadline: starts_at,
            meeting_url: "https://meet.example.jp/x".into(),
            attendance_keyword: None,
            quiz: None,
            archive_url: None,
            archive_public: false,
        };
        let session = store.create_live_session(None, &fields).await.unwrap();
        let year = FiscalYear::containing(today_in_japan());
        store
            .record_live_completion(session, nurse.id, "staff", year, Some(0.8))
            .await
            .unwrap();

        let row = staff_course(&report_of(&store, "manager@handa.example").await);
        assert_eq!(
            (row.status, row.mode.map(|m| m.as_str())),
            (Status::Completed, Some("live_online"))
        );
    }
}
