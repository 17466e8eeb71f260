//! The incident desk 「インシデントかも？」: the public report, the follow-up link, the responders'
//! desk, attachments, confidentiality and the PPC reminders, on every backend.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mist_server::secret::{new_token, token_hash};
use mist_server::store::incidents::{NewIncident, QueueFilter};
use mist_server::store::{NewOrganization, Role, Store};
use time::Duration;
use uuid::Uuid;

use crate::web::{Reply, get, portals, post_form, send};

/// Percent-encodes a form value.
fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The ★ fields of a 2 a.m. report.
fn urgent(facility: &str, leak: &str) -> Vec<(&'static str, String)> {
    [
        ("facility_name", facility),
        ("facility_kind", "hospital"),
        ("prefecture", "徳島県"),
        ("city", "つるぎ町"),
        ("reporter_name", "当直 A"),
        ("reporter_role", "当直看護師長"),
        ("phone", "090-0000-0000"),
        ("alt_email", "duty@example.org"),
        ("discovered_at", "2026-11-20T02:10"),
        ("discovery", "printer_output"),
        ("observed", "ransom_note"),
        ("observed", "files_encrypted"),
        (
            "observed_text",
            "全プリンターから英語の脅迫文が印刷され続けている",
        ),
        ("systems", "ehr"),
        ("containment", "none"),
        ("backups", "unknown"),
        ("care_impact", "paper"),
        ("leak", leak),
        ("notified", "vendor"),
        ("support", "remote_advice"),
        ("urgency", "critical"),
        ("consent", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn body_of(pairs: &[(&'static str, String)]) -> String {
    form(
        &pairs
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    )
}

/// The queue filter that shows every ticket, whatever its status.
fn every_ticket() -> QueueFilter {
    QueueFilter {
        status: "all".into(),
        ..QueueFilter::default()
    }
}

/// Files a report; returns the ticket number and the follow-up link's path.
async fn file_report(
    app: &Router,
    cookie: Option<&str>,
    facility: &str,
    leak: &str,
) -> (String, String) {
    let reply = post_form(app, "/incident", &body_of(&urgent(facility, leak)), cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let number = between(&reply.body, "class=\"ticket-number\">", "<");
    let link = between(
        &reply.body.replace("&#x2f;", "/"),
        "value=\"http://127.0.0.1:8080",
        "\"",
    );
    (number, link)
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"))
        + start.len();
    let to = text[from..].find(end).unwrap() + from;
    text[from..to].to_owned()
}

/// A signed-in person (the session is made directly: the sign-in flow has its own tests).
async fn person(
    store: &Store,
    organization: Option<Uuid>,
    email: &str,
    role: Role,
) -> (Uuid, String) {
    let user = store
        .create_user(organization, email, email, None, role, None)
        .await
        .unwrap();
    let token = new_token().unwrap();
    store
        .create_session(&token_hash(&token), user.id, Duration::hours(1))
        .await
        .unwrap();
    (user.id, format!("mist_session={token}"))
}

async fn responder(store: &Store, email: &str) -> (Uuid, String) {
    let (id, cookie) = person(store, None, email, Role::Learner).await;
    store.grant_responder(id, id).await.unwrap();
    (id, cookie)
}

async fn hospital(store: &Store, name: &str) -> Uuid {
    let org = NewOrganization {
        name: name.into(),
        kind: "hospital".into(),
        licensed_beds: Some(120),
        prefecture: "徳島県".into(),
        insurance_code: None,
        join_code: format!("J{}", &Uuid::new_v4().simple().to_string()[..7]).to_uppercase(),
    };
    store.create_organization(&org).await.unwrap().id
}

/// A multipart upload of one file, as a browser sends it.
async fn upload(app: &Router, uri: &str, name: &str, bytes: &[u8], cookie: Option<&str>) -> Reply {
    let mut body = format!(
        "--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
    let mut request = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XBOUNDARY",
        )
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn an_urgent_report_is_stored_and_answered_with_a_ticket_phone_and_guidance() {
    for (app, store, _, _dir) in portals().await {
        let reply = post_form(
            &app,
            "/incident",
            &body_of(&urgent("半田病院（例）", "suspected")),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.headers["cache-control"], "no-store");
        let body = reply.body.replace("&#x2f;", "/");
        let year = time::OffsetDateTime::now_utc()
            .to_offset(mist_core::incident::JST)
            .year();
        let number = format!("INC-{year}-000001");
        for expected in [
            number.as_str(),
            "03-0000-0000",
            "架空の例",
            "LAN ケーブルを抜く",
            "電源は切らないでください",
            "/incident/t/",
            "個人情報保護委員会",
            "2026-11-25",
        ] {
            assert!(body.contains(expected), "{expected}");
        }
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        assert_eq!(
            (stored.status.as_str(), stored.urgency.as_str()),
            ("received", "critical")
        );
        assert_eq!(
            stored.organization_id, None,
            "an anonymous report belongs to no organization"
        );
        let link = between(
            &reply.body.replace("&#x2f;", "/"),
            "value=\"http://127.0.0.1:8080/incident/t/",
            "\"",
        );
        assert!(
            store.incident_by_token(&link).await.unwrap().is_none(),
            "only the hash is stored"
        );
        assert!(
            store
                .incident_by_token(&token_hash(&link))
                .await
                .unwrap()
                .is_some()
        );
        // The English page says the same.
        let english = post_form(
            &app,
            "/incident?lang=en",
            &body_of(&urgent("Clinic", "not_suspected")),
            None,
        )
        .await;
        assert!(
            english.body.contains("Unplug the LAN cable")
                || english.body.contains("unplug the LAN cable"),
            "{}",
            english.body
        );
        assert!(
            !english.body.contains("Preliminary report"),
            "no PPC dates without a suspected leak"
        );
    }
}

#[tokio::test]
async fn a_report_with_problems_comes_back_with_the_answers_kept() {
    for (app, store, _, _dir) in portals().await {
        let mut pairs = urgent("保持される病院名", "suspected");
        pairs.retain(|(k, _)| *k != "phone" && *k != "consent");
        pairs.push(("alt_email", "not-an-address".into()));
        pairs.push(("discovered_at", "2099-01-01T00:00".into()));
        let reply = post_form(&app, "/incident", &body_of(&pairs), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "href=\"#f-phone\"",
            "href=\"#f-consent\"",
            "href=\"#f-alt_email\"",
            "未来の日時",
            "保持される病院名",
            "value=\"ransom_note\" checked",
        ] {
            assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
        }
        assert!(
            store
                .incident_queue(&every_ticket())
                .await
                .unwrap()
                .is_empty()
        );
    }
}

/// A flood from one network is refused after ten reports in an hour, with the answers kept and the
/// desk's phone number on the page; another network still gets through.
#[tokio::test]
async fn a_flood_of_reports_from_one_network_is_refused_with_the_desk_phone() {
    for (app, store, _, _dir) in portals().await {
        let from = |client: [u8; 4], facility: &str| {
            let mut request = Request::post("/incident")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body_of(&urgent(facility, "suspected"))))
                .unwrap();
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from((client, 40000)),
            ));
            request
        };
        for n in 0..10 {
            let filed = send(&app, from([192, 0, 2, 7], &format!("病院 {n}"))).await;
            assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
        }
        let refused = send(&app, from([192, 0, 2, 7], "十一件目の病院")).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        for expected in ["id=\"form-limited\"", "03-0000-0000", "十一件目の病院"] {
            assert!(
                refused.body.contains(expected),
                "{expected}: {}",
                refused.body
            );
        }
        let other = send(&app, from([198, 51, 100, 9], "別の病院")).await;
        assert_eq!(other.status, StatusCode::OK);
        let queue = store.incident_queue(&every_ticket()).await.unwrap();
        assert_eq!(queue.len(), 11);
    }
}

#[tokio::test]
async fn ticket_numbers_stay_unique_when_reports_arrive_together() {
    for test in crate::support::stores().await {
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let store = test.store.clone();
                tokio::spawn(async move {
                    let hash = format!("hash-{i}");
                    let new = NewIncident {
                        organization_id: None,
                        reporter_id: None,
                        followup_token_hash: &hash,
                        urgency: "high",
                        urgency_rank: 1,
                        facility_name: "同時受付",
                        leak: "unknown",
                        discovered_at: time::OffsetDateTime::now_utc(),
                        intake: "{}",
                    };
                    store.create_incident(&new).await.unwrap().number
                })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            numbers.push(task.await.unwrap());
        }
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 16, "{}: {numbers:?}", test.name);
        assert!(numbers.last().unwrap().ends_with("-000016"), "{numbers:?}");
    }
}

#[tokio::test]
async fn the_follow_up_link_completes_the_intake() {
    for (app, store, _, _dir) in portals().await {
        let (number, link) = file_report(&app, None, "追記病院", "unknown").await;
        let page = get(&app, &link, None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("追記病院") && page.body.contains("name=\"vendor_name_0\""));
        let mut pairs = urgent("追記病院", "suspected");
        pairs.extend([
            ("insurance_code", "3612345678".to_owned()),
            ("licensed_beds", "120".to_owned()),
            ("vendor_name_0", "保守事業者 A（例）".to_owned()),
            ("vendor_connection_0", "VPN".to_owned()),
            ("entry_path", "vpn".to_owned()),
            ("entry_device", "VPN 装置（型番は例）".to_owned()),
            ("leak_data", "medical".to_owned()),
        ]);
        let saved = post_form(&app, &link, &body_of(&pairs), None).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert!(
            saved.body.contains("保存しました") && saved.body.contains("name=\"vendor_name_1\"")
        );
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        assert!(
            stored.intake.contains("保守事業者 A（例）") && stored.intake.contains("3612345678")
        );
        assert_eq!(stored.leak, "suspected");
        // A bad code is refused on the form and nothing is lost.
        pairs.push(("insurance_code", "12".to_owned()));
        let refused = post_form(&app, &link, &body_of(&pairs), None).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            store
                .incident_by_number(&number)
                .await
                .unwrap()
                .unwrap()
                .intake
                .contains("3612345678")
        );
        assert_eq!(
            get(&app, "/incident/t/not-a-token", None).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            store
                .incident_events(stored.id)
                .await
                .unwrap()
                .iter()
                .any(|e| e.kind == "intake")
        );
    }
}

#[tokio::test]
async fn responders_move_a_ticket_through_the_flow() {
    for (app, store, _, _dir) in portals().await {
        let (number, _) = file_report(&app, None, "流れ病院", "not_suspected").await;
        let (me, desk) = responder(&store, "responder@desk.example").await;
        let queue = get(&app, "/desk", Some(&desk)).await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.body.contains(&number) && queue.body.contains("流れ病院"));
        assert_eq!(queue.headers["cache-control"], "no-store");

        let base = format!("/desk/{number}");
        let assigned = post_form(
            &app,
            &format!("{base}/assign"),
            &format!("assignee={me}"),
            Some(&desk),
        )
        .await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER);
        let unassigned = get(&app, "/desk?unassigned=1", Some(&desk)).await;
        assert!(!unassigned.body.contains(&number));

        let advised = post_form(
            &app,
            &format!("{base}/status"),
            &form(&[("to", "advising"), ("note", "LAN ケーブルを抜くよう助言")]),
            Some(&desk),
        )
        .await;
        assert_eq!(advised.status, StatusCode::SEE_OTHER);
        let back = post_form(&app, &format!("{base}/status"), "to=received", Some(&desk)).await;
        assert_eq!(
            back.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no step back"
        );
        let unsummarised = post_form(
            &app,
            &format!("{base}/status"),
            "to=closed&summary=+",
            Some(&desk),
        )
        .await;
        assert_eq!(unsummarised.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unsummarised.body.contains("まとめを入力"));
        let closed = post_form(
            &app,
            &format!("{base}/status"),
            &form(&[("to", "closed"), ("summary", "誤検知：印刷設定の不具合")]),
            Some(&desk),
        )
        .await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER);
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        assert_eq!(
            (stored.status.as_str(), stored.summary.as_deref()),
            ("closed", Some("誤検知：印刷設定の不具合"))
        );
        assert!(
            !get(&app, "/desk", Some(&desk)).await.body.contains(&number),
            "closed tickets leave the open queue"
        );
        let reopened = post_form(
            &app,
            &format!("{base}/status"),
            "to=supporting",
            Some(&desk),
        )
        .await;
        assert_eq!(reopened.status, StatusCode::SEE_OTHER);

        post_form(&app, &format!("{base}/triage"), "level=info", Some(&desk)).await;
        post_form(
            &app,
            &format!("{base}/events"),
            &form(&[("kind", "phone"), ("body", "院長と通話")]),
            Some(&desk),
        )
        .await;
        let page = get(&app, &base, Some(&desk)).await;
        for expected in [
            "支援中",
            "初動助言",
            "LAN ケーブルを抜くよう助言",
            "院長と通話",
            "responder@desk.example",
            "情報提供のみ",
        ] {
            assert!(page.body.contains(expected), "{expected}");
        }
    }
}

#[tokio::test]
async fn the_queue_puts_the_most_urgent_then_the_oldest_first() {
    for (app, store, _, _dir) in portals().await {
        let mut info = urgent("情報のみ病院", "unknown");
        info.retain(|(k, _)| *k != "urgency");
        info.push(("urgency", "info".into()));
        post_form(&app, "/incident", &body_of(&info), None).await;
        let (first, _) = file_report(&app, None, "先の緊急病院", "unknown").await;
        let (second, _) = file_report(&app, None, "後の緊急病院", "unknown").await;
        let (_, desk) = responder(&store, "queue@desk.example").await;
        let body = get(&app, "/desk", Some(&desk)).await.body;
        let at = |text: &str| body.find(text).unwrap();
        assert!(at(&first) < at(&second) && at(&second) < at("情報のみ病院"));
        let critical = get(&app, "/desk?level=critical", Some(&desk)).await.body;
        assert!(!critical.contains("情報のみ病院") && critical.contains(&first));
    }
}

#[tokio::test]
async fn tickets_exist_only_for_responders_and_the_reporting_organizations_managers() {
    for (app, store, _, _dir) in portals().await {
        let handa = hospital(&store, "半田（例）").await;
        let osaka = hospital(&store, "大阪（例）").await;
        let (_, nurse) = person(&store, Some(handa), "nurse@handa.example", Role::Learner).await;
        let (_, manager) =
            person(&store, Some(handa), "manager@handa.example", Role::Manager).await;
        let (_, other) = person(&store, Some(osaka), "manager@osaka.example", Role::Manager).await;
        let (_, desk) = responder(&store, "r@desk.example").await;
        let (number, link) = file_report(&app, Some(&nurse), "半田（例）", "unknown").await;
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        assert_eq!(
            stored.organization_id,
            Some(handa),
            "a signed-in reporter's organization owns the ticket"
        );
        let png = b"\x89PNG\r\n\x1a\nrest-of-image";
        assert_eq!(
            upload(&app, &format!("{link}/files"), "screen.png", png, None)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let file = store.attachments(stored.id).await.unwrap()[0].id;

        let ticket = format!("/incident/tickets/{number}");
        let desk_page = format!("/desk/{number}");
        let download = format!("/incident/files/{file}");
        for (who, cookie) in [
            ("anonymous", None),
            ("other manager", Some(&other)),
            ("learner", Some(&nurse)),
        ] {
            for path in [
                ticket.as_str(),
                desk_page.as_str(),
                download.as_str(),
                "/desk",
            ] {
                assert_eq!(
                    get(&app, path, cookie.map(String::as_str)).await.status,
                    StatusCode::NOT_FOUND,
                    "{who} {path}"
                );
            }
            let change = post_form(
                &app,
                &format!("{desk_page}/status"),
                "to=advising",
                cookie.map(String::as_str),
            )
            .await;
            assert_eq!(change.status, StatusCode::NOT_FOUND, "{who}");
        }
        let seen = get(&app, &ticket, Some(&manager)).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(seen.body.contains("screen.png") && seen.body.contains("受付"));
        assert_eq!(seen.headers["cache-control"], "no-store");
        assert_eq!(
            get(&app, &desk_page, Some(&manager)).await.status,
            StatusCode::NOT_FOUND,
            "the desk is for responders"
        );
        let listed = get(&app, "/incident/tickets", Some(&manager)).await;
        assert!(listed.body.contains(&number));
        let listing = store
            .audit_trail_of(&format!("organization:{handa}"), 10)
            .await
            .unwrap();
        assert_eq!(listing.last().unwrap().action, "incident.list_view");
        assert!(
            !get(&app, "/incident/tickets", Some(&other))
                .await
                .body
                .contains(&number)
        );
        assert_eq!(
            get(&app, &desk_page, Some(&desk)).await.status,
            StatusCode::OK
        );
        // Attaching an anonymous ticket to an organization lets its managers in.
        let (anonymous, _) = file_report(&app, None, "大阪（例）", "unknown").await;
        let path = format!("/incident/tickets/{anonymous}");
        assert_eq!(
            get(&app, &path, Some(&other)).await.status,
            StatusCode::NOT_FOUND
        );
        let set = post_form(
            &app,
            &format!("/desk/{anonymous}/organization"),
            &format!("organization={osaka}"),
            Some(&desk),
        )
        .await;
        assert_eq!(set.status, StatusCode::SEE_OTHER);
        assert_eq!(get(&app, &path, Some(&other)).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn attachments_are_checked_by_content_and_size_and_never_shown_inline() {
    for (app, store, _, _dir) in portals().await {
        let (number, link) = file_report(&app, None, "添付病院", "unknown").await;
        let target = format!("{link}/files");
        let log = "2026-11-20 02:10:11 EDR 検知: 不審なプロセス\n".as_bytes();
        assert_eq!(
            upload(&app, &target, "edr.log", log, None).await.status,
            StatusCode::SEE_OTHER
        );
        let pdf = b"%PDF-1.7\n%...";
        assert_eq!(
            upload(&app, &target, "report.pdf", pdf, None).await.status,
            StatusCode::SEE_OTHER
        );
        let zip = upload(
            &app,
            &target,
            "logs.zip",
            b"PK\x03\x04\x14\x00\x00\x00",
            None,
        )
        .await;
        assert_eq!(zip.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(zip.body.contains("ZIP"));
        let disguised = upload(
            &app,
            &target,
            "photo.png",
            b"MZ\x90\x00\x03\x00\x00\x00",
            None,
        )
        .await;
        assert_eq!(
            disguised.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the name does not decide"
        );
        let mut huge = b"%PDF-1.7\n".to_vec();
        huge.resize(20 * 1024 * 1024 + 1, b'a');
        assert_eq!(
            upload(&app, &target, "big.pdf", &huge, None).await.status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        let files = store.attachments(stored.id).await.unwrap();
        assert_eq!(files.len(), 2, "refused files leave no record");
        let page = get(&app, &link, None).await.body;
        assert!(page.contains("<li>edr.log</li>") && page.contains("<li>report.pdf</li>"));
        assert!(
            !page.contains("/incident/files/"),
            "the link's holder gets names, not downloads"
        );
        let log_file = files.iter().find(|f| f.file_name == "edr.log").unwrap();
        assert_eq!(
            (log_file.kind.as_str(), log_file.sha256.len()),
            ("text", 64)
        );

        let (_, desk) = responder(&store, "files@desk.example").await;
        let reply = get(
            &app,
            &format!("/incident/files/{}", log_file.id),
            Some(&desk),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body_bytes, log);
        assert_eq!(reply.headers["content-type"], "application/octet-stream");
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        assert_eq!(reply.headers["cache-control"], "no-store");
        assert!(
            reply.headers["content-security-policy"]
                .to_str()
                .unwrap()
                .starts_with("sandbox")
        );
        assert!(
            reply.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"edr.log\"")
        );
        assert_eq!(
            get(&app, "/incident/files/not-a-uuid", Some(&desk))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn ppc_reminders_follow_the_discovery_date_and_the_desks_judgement() {
    for (app, store, _, _dir) in portals().await {
        let (number, _) = file_report(&app, None, "漏えい病院", "suspected").await;
        let (_, desk) = responder(&store, "ppc@desk.example").await;
        let page = get(&app, &format!("/desk/{number}"), Some(&desk))
            .await
            .body;
        // Discovered 2026-11-20 02:10 JST: preliminary 11-23 to 11-25, final 30 days later.
        assert!(page.contains("2026-11-23 〜 2026-11-25"), "{page}");
        assert!(page.contains("class=\"ppc-final\">2026-12-20<"));
        post_form(
            &app,
            &format!("/desk/{number}/triage"),
            "level=critical&improper_intent=yes",
            Some(&desk),
        )
        .await;
        let page = get(&app, &format!("/desk/{number}"), Some(&desk))
            .await
            .body;
        assert!(
            page.contains("class=\"ppc-final\">2027-01-19<"),
            "60 days for improper intent"
        );
        let (other, _) = file_report(&app, None, "漏えいなし病院", "not_suspected").await;
        let page = get(&app, &format!("/desk/{other}"), Some(&desk)).await.body;
        assert!(page.contains("漏えいのおそれは報告されていません"));
        // Follow-up dates of the desk's own.
        let added = post_form(
            &app,
            &format!("/desk/{number}/followups"),
            &form(&[("due_on", "2026-11-23"), ("what", "速報の提出を確認")]),
            Some(&desk),
        )
        .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        let queue = get(&app, "/desk", Some(&desk)).await.body;
        assert!(
            queue.contains("2026-11-23</div>") && queue.contains("2027-01-19</div>"),
            "{queue}"
        );
        let followup = store.followups(stored.id).await.unwrap()[0].id;
        let done = post_form(
            &app,
            &format!("/desk/{number}/followups/{followup}/done"),
            "",
            Some(&desk),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(
            store.followups(stored.id).await.unwrap()[0]
                .done_at
                .is_some()
        );
    }
}

#[tokio::test]
async fn administrators_grant_and_revoke_the_responder_capability() {
    for (app, store, first, _dir) in portals().await {
        let admin = crate::web::admin_session(&app, &first).await;
        let (someone, cookie) = person(&store, None, "helper@desk.example", Role::Learner).await;
        assert_eq!(
            get(&app, "/desk", Some(&cookie)).await.status,
            StatusCode::NOT_FOUND
        );
        let granted = post_form(
            &app,
            "/admin/responders",
            "email=helper%40desk.example",
            Some(&admin),
        )
        .await;
        assert_eq!(granted.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get(&app, "/desk", Some(&cookie)).await.status,
            StatusCode::OK
        );
        let desk_link = "href=\"/desk\"";
        assert!(
            get(&app, "/incident", Some(&cookie))
                .await
                .body
                .contains(desk_link)
        );
        assert!(!get(&app, "/incident", None).await.body.contains(desk_link));
        assert!(
            get(&app, "/admin/responders", Some(&admin))
                .await
                .body
                .contains("helper@desk.example")
        );
        let unknown = post_form(
            &app,
            "/admin/responders",
            "email=nobody%40desk.example",
            Some(&admin),
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            post_form(&app, "/admin/responders", "email=x%40y.z", Some(&cookie))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let revoked = post_form(
            &app,
            &format!("/admin/responders/{someone}/revoke"),
            "",
            Some(&admin),
        )
        .await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get(&app, "/desk", Some(&cookie)).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn every_view_and_change_of_a_ticket_is_in_the_audit_log() {
    for (app, store, _, _dir) in portals().await {
        let (number, link) = file_report(&app, None, "監査病院", "unknown").await;
        let (me, desk) = responder(&store, "audit@desk.example").await;
        get(&app, &link, None).await;
        post_form(
            &app,
            &link,
            &body_of(&urgent("監査病院", "suspected")),
            None,
        )
        .await;
        upload(
            &app,
            &format!("{link}/files"),
            "note.txt",
            b"ransom note text\n",
            None,
        )
        .await;
        get(&app, &format!("/desk/{number}"), Some(&desk)).await;
        post_form(
            &app,
            &format!("/desk/{number}/assign"),
            &format!("assignee={me}"),
            Some(&desk),
        )
        .await;
        post_form(
            &app,
            &format!("/desk/{number}/status"),
            "to=advising",
            Some(&desk),
        )
        .await;
        let stored = store.incident_by_number(&number).await.unwrap().unwrap();
        let file = store.attachments(stored.id).await.unwrap()[0].id;
        get(&app, &format!("/incident/files/{file}"), Some(&desk)).await;
        // A refused visitor leaves no trace of a ticket they cannot see.
        get(&app, &format!("/desk/{number}"), None).await;

        let trail = store
            .audit_trail_of(&format!("incident:{number}"), 100)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "incident.create",
                "incident.followup_link_use",
                "incident.followup_link_use",
                "incident.intake_update",
                "incident.followup_link_use",
                "incident.attachment_upload",
                "incident.view",
                "incident.assign",
                "incident.status",
                "incident.attachment_download",
            ]
        );
        assert_eq!(trail[0].actor, None, "an anonymous reporter");
        assert!(trail[6..].iter().all(|r| r.actor == Some(me)));
        assert!(trail[8].detail.contains("advising"));
        assert!(matches!(
            store.verify_audit().await.unwrap(),
            mist_server::store::audit::AuditVerification::Intact(_)
        ));
    }
}
