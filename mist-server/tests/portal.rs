//! The public portal on both backends: the contents collection (upload checks, downloads, Japanese
//! search, filters), the instructor and engineer list, related links, inquiries with their spam
//! protection, and the administrators' inbox.

use std::io::Write;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use mist_server::app::prepare;
use mist_server::seed::FirstStart;
use mist_server::store::Store;
use mist_server::web::{Config, router};

use crate::web::{Reply, admin_session, get, post_form, send};

/// The upload limit of the test portals: small, so that "too large" is cheap to send.
const LIMIT: u64 = 64 * 1024;

struct Portal {
    app: Router,
    store: Store,
    first: FirstStart,
    data: tempfile::TempDir,
    _db: Option<tempfile::TempDir>,
}

impl Portal {
    /// Files in the contents directory (a refused upload must leave none behind).
    fn stored_files(&self) -> Vec<String> {
        std::fs::read_dir(self.data.path().join("contents"))
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn start(store: Store, db: Option<tempfile::TempDir>) -> Portal {
    let data = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: data.path().to_owned(),
        max_content_bytes: LIMIT,
        ..Config::default()
    };
    let (state, first) = prepare(store.clone(), "admin@mist.local", config, &[])
        .await
        .unwrap();
    Portal {
        app: router(state),
        store,
        first: first.unwrap(),
        data,
        _db: db,
    }
}

/// A seeded portal with its own data directory on every backend available.
async fn portals() -> Vec<Portal> {
    let db = tempfile::tempdir().unwrap();
    let sqlite = Store::open_in(db.path()).await.unwrap();
    let mut all = vec![start(sqlite, Some(db)).await];
    if let Some(url) = crate::support::fresh_pg_url().await {
        all.push(start(Store::open_url(&url).await.unwrap(), None).await);
    }
    all
}

/// One part of a multipart form: name, file name and type (for a file), content.
struct Part<'a>(&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

async fn post_multipart(app: &Router, uri: &str, parts: &[Part<'_>], cookie: &str) -> Reply {
    let boundary = "mist-portal-test-boundary";
    let mut body = Vec::new();
    for Part(name, file, content) in parts {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        )
        .unwrap();
        if let Some((file_name, media_type)) = file {
            write!(
                body,
                "; filename=\"{file_name}\"\r\nContent-Type: {media_type}"
            )
            .unwrap();
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
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

/// Uploads a file as a checklist for administrators.
async fn upload(
    p: &Portal,
    admin: &str,
    file_name: &str,
    media_type: &str,
    content: &[u8],
) -> Reply {
    post_multipart(
        &p.app,
        "/admin/contents",
        &[
            Part("file", Some((file_name, media_type)), content),
            Part("kind", None, b"checklist"),
            Part("audiences", None, b"administrator"),
            Part("audiences", None, b"executive"),
            Part("title_ja", None, "ランサムウェア対策点検表".as_bytes()),
            Part("title_en", None, b"Ransomware self-check"),
            Part(
                "description_ja",
                None,
                "VPN機器の更新状況を確認します。".as_bytes(),
            ),
            Part(
                "licence_ja",
                None,
                "院内研修での利用可・改変不可".as_bytes(),
            ),
            Part("licence_en", None, b"In-house training only; no changes"),
        ],
        admin,
    )
    .await
}

/// Percent-encodes a form or query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A minimal Office document: a zip whose `[Content_Types].xml` names the main part.
fn office_zip(main_part: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    write!(
        zip,
        r#"<Types><Override PartName="/ppt/presentation.xml" ContentType="{main_part}"/></Types>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

#[tokio::test]
async fn uploads_are_checked_by_content_and_refusals_leave_nothing_on_disk() {
    for p in portals().await {
        let admin = admin_session(&p.app, &p.first).await;
        let seeded = p.stored_files().len();

        let accepted = upload(&p, &admin, "checklist.pdf", "application/pdf", PDF).await;
        assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
        let files = p.stored_files();
        assert_eq!(files.len(), seeded + 1);
        assert!(
            files
                .iter()
                .all(|f| f.len() == 32 && f.bytes().all(|b| b.is_ascii_hexdigit())),
            "stored under generated names only: {files:?}"
        );

        let refusals: [(&str, &str, Vec<u8>, &str); 6] = [
            (
                "renamed.pdf",
                "application/pdf",
                b"\x89PNG\r\n\x1a\n0000".to_vec(),
                "一致しません",
            ),
            (
                "tool.pdf",
                "application/pdf",
                b"MZ\x90\0\x03\0\0\0".to_vec(),
                "受け付けられない形式",
            ),
            (
                "slides.pptx",
                "application/octet-stream",
                office_zip("application/xml"),
                "受け付けられない形式",
            ),
            (
                "list.csv",
                "text/csv",
                vec![0x82, 0xa0, b',', b'1'],
                "受け付けられない形式",
            ),
            ("checklist.pdf", "text/html", PDF.to_vec(), "一致しません"),
            (
                "page.html",
                "text/html",
                b"<script>alert(1)</script>".to_vec(),
                "一致しません",
            ),
        ];
        for (name, media_type, content, message) in refusals {
            let refused = upload(&p, &admin, name, media_type, &content).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            assert!(refused.body.contains(message), "{name}: {}", refused.body);
            assert!(
                refused.body.contains("ランサムウェア対策点検表"),
                "the form keeps what was typed"
            );
        }
        let too_large = upload(
            &p,
            &admin,
            "big.pdf",
            "application/pdf",
            &vec![b'%'; LIMIT as usize + 1],
        )
        .await;
        assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            too_large.body.contains("大きすぎます"),
            "{}",
            too_large.body
        );
        assert_eq!(
            p.stored_files().len(),
            seeded + 1,
            "refused uploads leave no file"
        );

        let long_text = vec![b'a'; 70 * 1024];
        let flood = post_multipart(
            &p.app,
            "/admin/contents",
            &[Part("description_ja", None, &long_text)],
            &admin,
        )
        .await;
        assert_eq!(flood.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(flood.body.contains("too long"));
        let pptx = office_zip(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        );
        assert_eq!(
            upload(&p, &admin, "deck.pptx", "application/octet-stream", &pptx)
                .await
                .status,
            StatusCode::CREATED
        );
        let csv = "項目,確認日\nVPN,2024-05-13\n".as_bytes();
        assert_eq!(
            upload(&p, &admin, "sheet.csv", "application/vnd.ms-excel", csv)
                .await
                .status,
            StatusCode::CREATED
        );

        // A video may be an external https address, nothing else.
        let video = |url: &'static str| {
            [
                Part("file", Some(("", "application/octet-stream")), b""),
                Part("external_url", None, url.as_bytes()),
                Part("kind", None, b"video"),
                Part("audiences", None, b"beginner"),
                Part("title_ja", None, "動画".as_bytes()),
                Part("title_en", None, b"Video"),
                Part("licence_ja", None, "視聴のみ".as_bytes()),
                Part("licence_en", None, b"Watch only"),
            ]
        };
        let neither = post_multipart(&p.app, "/admin/contents", &video("")[2..], &admin).await;
        assert_eq!(neither.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(neither.body.contains("ファイルを選ぶか"));
        let http = post_multipart(
            &p.app,
            "/admin/contents",
            &video("http://video.example/a"),
            &admin,
        )
        .await;
        assert_eq!(http.status, StatusCode::UNPROCESSABLE_ENTITY);
        let https = post_multipart(
            &p.app,
            "/admin/contents",
            &video("https://video.example/a"),
            &admin,
        )
        .await;
        assert_eq!(https.status, StatusCode::CREATED, "{}", https.body);
    }
}

#[tokio::test]
async fn downloads_are_attachments_with_the_checked_type_and_deletes_remove_the_file() {
    for p in portals().await {
        let admin = admin_session(&p.app, &p.first).await;
        let before = p.stored_files().len();
        assert_eq!(
            upload(&p, &admin, "a.pdf", "application/pdf", PDF)
                .await
                .status,
            StatusCode::CREATED
        );
        let list = get(
            &p.app,
            &format!("/contents?q={}", encode("ランサムウェア対策")),
            None,
        )
        .await;
        let start = list.body.find("/contents/").unwrap();
        let link = &list.body[start..start + list.body[start..].find('"').unwrap()];
        let download = get(&p.app, link, None).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(download.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let disposition = download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains(".pdf"),
            "{disposition}"
        );
        assert_eq!(download.body_bytes, PDF);

        let id = link
            .trim_start_matches("/contents/")
            .trim_end_matches("/download");
        let item = p.store.content(id.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(item.byte_size, Some(PDF.len() as i64));
        assert_eq!(item.sha256.as_deref().map(str::len), Some(64));
        // Editing changes the description and the search text; the file stays.
        let edit = format!(
            "kind=slides&audiences=beginner&audiences=medical_staff&title_ja={}&title_en=Renamed&licence_ja={}&licence_en=In-house",
            encode("改題した教材"),
            encode("院内研修での利用可")
        );
        let edited = post_form(
            &p.app,
            &format!("/admin/contents/{id}"),
            &edit,
            Some(&admin),
        )
        .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        let renamed = get(
            &p.app,
            &format!("/contents?q={}&audience=beginner", encode("改題")),
            None,
        )
        .await;
        assert!(renamed.body.contains("改題した教材"));
        let bad_edit = post_form(
            &p.app,
            &format!("/admin/contents/{id}"),
            "kind=nonsense",
            Some(&admin),
        )
        .await;
        assert_eq!(bad_edit.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_edit.body.contains("対象を一つ以上選んでください"));
        let item = p.store.content(id.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(
            (item.kind.as_str(), item.title_ja.as_str()),
            ("slides", "改題した教材")
        );
        let trail = p
            .store
            .audit_trail_of(&format!("content:{id}"), 10)
            .await
            .unwrap();
        assert_eq!(
            trail.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
            ["content.create", "content.update"]
        );
        assert!(
            trail[0].detail.contains(item.sha256.as_deref().unwrap()),
            "the upload's hash is evidence"
        );
        let deleted = post_form(
            &p.app,
            &format!("/admin/contents/{id}/delete"),
            "",
            Some(&admin),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(p.stored_files().len(), before);
        assert_eq!(get(&p.app, link, None).await.status, StatusCode::NOT_FOUND);
    }
}

/// Stores a material directly (search tests need many), described as the upload form would.
async fn material(store: &Store, title_ja: &str, kind: &str, audiences: &str) {
    use mist_server::store::portal::contents::{ContentFields, ContentSource};
    let fields = ContentFields {
        kind: kind.into(),
        audiences: audiences.into(),
        title_ja: title_ja.into(),
        title_en: "Material".into(),
        description_ja: String::new(),
        description_en: String::new(),
        licence_ja: "院内研修での利用可".into(),
        licence_en: "In-house training".into(),
        search_text: mist_core::portal::search::search_text(&[title_ja, "Material"]),
    };
    let source = ContentSource::External("https://video.example/v".into());
    store.create_content(&fields, &source).await.unwrap();
}

#[tokio::test]
async fn the_collection_searches_japanese_and_filters_and_pages() {
    for p in portals().await {
        material(
            &p.store,
            "ＢＣＰ策定の手引き(全角)",
            "document",
            ",executive,",
        )
        .await;
        material(
            &p.store,
            "ランサムウェア初動対応",
            "slides",
            ",administrator,",
        )
        .await;
        material(&p.store, "100%_安全はない", "poster", ",medical_staff,").await;
        let found = |q: &str| {
            let app = p.app.clone();
            let uri = format!("/contents?q={}", encode(q));
            async move { get(&app, &uri, None).await.body }
        };
        let body = found("ランサム").await;
        assert!(
            body.contains("ランサムウェア初動対応") && !body.contains("ＢＣＰ策定"),
            "{body}"
        );
        // Half-width and full-width, upper and lower case find each other.
        assert!(found("bcp").await.contains("ＢＣＰ策定の手引き"));
        assert!(found("ﾗﾝｻﾑｳｪｱ").await.contains("ランサムウェア初動対応"));
        // Wildcards are literal.
        let percent = found("%").await;
        assert!(percent.contains("100%_安全はない") && !percent.contains("ランサムウェア初動対応"));
        assert!(!found("_安").await.contains("ランサムウェア初動対応"));

        let filtered = get(&p.app, "/contents?audience=executive", None).await.body;
        assert!(filtered.contains("ＢＣＰ策定") && !filtered.contains("ランサムウェア初動対応"));
        let kind = get(&p.app, "/contents?kind=slides&audience=administrator", None)
            .await
            .body;
        assert!(kind.contains("ランサムウェア初動対応") && !kind.contains("ＢＣＰ策定"));
        assert!(
            get(&p.app, "/contents?kind=poster&audience=executive", None)
                .await
                .body
                .contains("該当するものはありません")
        );

        for n in 0..12 {
            material(
                &p.store,
                &format!("頁送り資料{n:02}"),
                "document",
                ",beginner,",
            )
            .await;
        }
        let first = get(&p.app, "/contents?q=%E9%A0%81%E9%80%81%E3%82%8A", None)
            .await
            .body;
        assert!(
            first.contains("12 件") && first.contains("rel=\"next\""),
            "{first}"
        );
        let second = get(
            &p.app,
            "/contents?q=%E9%A0%81%E9%80%81%E3%82%8A&page=2",
            None,
        )
        .await
        .body;
        assert_eq!(first.matches("<h3>頁送り資料").count(), 10);
        assert_eq!(second.matches("<h3>頁送り資料").count(), 2);
        // External videos open elsewhere, with rel=noopener.
        assert!(first.contains("rel=\"noopener noreferrer\""));
    }
}

#[tokio::test]
async fn administrators_keep_the_expert_list_which_visitors_search() {
    for p in portals().await {
        let admin = admin_session(&p.app, &p.first).await;
        let form = "name=%E8%AC%9B%E5%B8%AB+D&kind=engineer&expertise=bcp&expertise=network&prefecture=38&languages=ja&languages=vi&bio_ja=%E6%9E%B6%E7%A9%BA%E3%81%AE%E7%99%BB%E9%8C%B2%E4%BE%8B&bio_en=Fictional";
        let created = post_form(&p.app, "/admin/experts", form, Some(&admin)).await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let bad = post_form(
            &p.app,
            "/admin/experts",
            "name=x&kind=wizard&prefecture=48",
            Some(&admin),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("都道府県を選んでください")
                && bad.body.contains("専門分野を一つ以上")
        );

        let shikoku = get(&p.app, "/experts?region=shikoku", None).await.body;
        // The seeded engineer in Tokushima and the new one in Ehime; not the Tokyo instructor.
        assert!(
            shikoku.contains("講師 D")
                && shikoku.contains("技術者 B")
                && !shikoku.contains("講師 A"),
            "{shikoku}"
        );
        let vietnamese = get(&p.app, "/experts?language=vi&expertise=network", None)
            .await
            .body;
        assert!(vietnamese.contains("講師 D") && !vietnamese.contains("技術者 B"));
        let by_prefecture = get(&p.app, "/experts?prefecture=13", None).await.body;
        assert!(by_prefecture.contains("講師 A") && !by_prefecture.contains("講師 D"));
        let by_text = get(&p.app, "/experts?q=%E7%99%BB%E9%8C%B2%E4%BE%8B", None)
            .await
            .body;
        assert!(by_text.contains("講師 D"));
        assert!(
            get(&p.app, "/experts?lang=en", None)
                .await
                .body
                .contains("Ehime")
        );

        let (experts, _) = p
            .store
            .search_experts(&Default::default(), 10, 0)
            .await
            .unwrap();
        let d = experts.iter().find(|e| e.fields.name == "講師 D").unwrap();
        let changed = form.replace("prefecture=38", "prefecture=01");
        assert_eq!(
            post_form(
                &p.app,
                &format!("/admin/experts/{}", d.id),
                &changed,
                Some(&admin)
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            p.store.expert(d.id).await.unwrap().unwrap().fields.region,
            "hokkaido"
        );
        assert_eq!(
            post_form(
                &p.app,
                &format!("/admin/experts/{}/delete", d.id),
                "",
                Some(&admin)
            )
            .await
            .status,
            StatusCode::OK
        );
        assert!(p.store.expert(d.id).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn related_links_are_web_addresses_in_the_order_administrators_set() {
    for p in portals().await {
        let admin = admin_session(&p.app, &p.first).await;
        // Templates escape `/` in attributes as `&#x2f;`.
        let page = get(&p.app, "/resources", None)
            .await
            .body
            .replace("&#x2f;", "/");
        assert!(
            page.contains("https://mist.mhlw.go.jp/")
                && page.contains("rel=\"noopener noreferrer external\"")
        );
        assert!(page.contains("国の指針・通知") && page.contains("事例・報告書"));
        for url in [
            "javascript%3Aalert(1)",
            "ftp%3A%2F%2Fexample.jp%2F",
            "https%3A%2F%2F",
        ] {
            let refused = post_form(
                &p.app,
                "/admin/resources",
                &format!("category=materials&url={url}&title_ja=x&title_en=x"),
                Some(&admin),
            )
            .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        }
        let cases = |links: &[mist_server::store::portal::links::RelatedLink]| {
            links
                .iter()
                .filter(|l| l.fields.category == "cases")
                .map(|l| l.id)
                .collect::<Vec<_>>()
        };
        let before = cases(&p.store.link_entries().await.unwrap());
        assert!(before.len() >= 2);
        let moved = post_form(
            &p.app,
            &format!("/admin/resources/{}/move", before[1]),
            "direction=up",
            Some(&admin),
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK);
        let after = cases(&p.store.link_entries().await.unwrap());
        assert_eq!((after[0], after[1]), (before[1], before[0]));
        let edit = format!(
            "category=guidelines&url={}&title_ja={}&title_en=Renamed",
            encode("https://www.mhlw.go.jp/"),
            encode("改題")
        );
        let edited = post_form(
            &p.app,
            &format!("/admin/resources/{}", after[0]),
            &edit,
            Some(&admin),
        )
        .await;
        assert_eq!(edited.status, StatusCode::OK);
        let stored = p.store.link_entry(after[0]).await.unwrap().unwrap();
        assert_eq!(
            (
                stored.fields.category.as_str(),
                stored.fields.title_ja.as_str()
            ),
            ("guidelines", "改題")
        );
        let removed = post_form(
            &p.app,
            &format!("/admin/resources/{}/delete", after[0]),
            "",
            Some(&admin),
        )
        .await;
        assert_eq!(removed.status, StatusCode::OK);
        assert!(p.store.link_entry(after[0]).await.unwrap().is_none());
        let top = post_form(
            &p.app,
            &format!("/admin/resources/{}/move", after[1]),
            "direction=up",
            Some(&admin),
        )
        .await;
        assert!(top.body.contains("これ以上移動できません"));
    }
}

/// A form post from a client address, as the server sees it behind `into_make_service_with_connect_info`.
async fn post_from(app: &Router, uri: &str, form: &str, client: [u8; 4]) -> Reply {
    let mut request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form.to_owned()))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((client, 40000))));
    send(app, request).await
}

/// The signed time stamp of a freshly shown form.
async fn stamp(app: &Router, uri: &str) -> String {
    let body = get(app, uri, None).await.body;
    let start = body.find("name=\"stamp\" value=\"").unwrap() + "name=\"stamp\" value=\"".len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

fn inquiry(stamp: &str, email: &str, honeypot: &str) -> String {
    format!(
        "stamp={}&name={}&organization={}&email={}&phone=03-0000-0000&category=training&message={}&website={}",
        encode(stamp),
        encode("山田 花子"),
        encode("デモ病院"),
        encode(email),
        encode("研修の日程を教えてください。"),
        encode(honeypot)
    )
}

/// Waits until a form shown now may be sent (a person's minimum fill time).
async fn fill_time() {
    tokio::time::sleep(std::time::Duration::from_secs(
        mist_core::portal::inquiry::MIN_FILL_SECONDS as u64 + 1,
    ))
    .await;
}

#[tokio::test]
async fn inquiries_are_stored_and_robots_are_turned_away() {
    for p in portals().await {
        let client = [10, 0, 0, 1];
        let fresh = stamp(&p.app, "/contact").await;
        let too_fast = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "a@example.jp", ""),
            client,
        )
        .await;
        assert_eq!(too_fast.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            too_fast.body.contains("送信が早すぎます"),
            "{}",
            too_fast.body
        );
        assert!(
            too_fast.body.contains("研修の日程を教えてください。"),
            "the message is kept"
        );
        let forged = post_from(
            &p.app,
            "/contact",
            &inquiry("1.00", "a@example.jp", ""),
            client,
        )
        .await;
        assert!(forged.body.contains("有効期限が切れました"));

        fill_time().await;
        let invalid = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "not-an-address", ""),
            client,
        )
        .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            invalid
                .body
                .contains("メールアドレスの形式が正しくありません")
                && invalid.body.contains("aria-invalid=\"true\"")
        );
        let robot = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "bot@example.jp", "http://spam.example"),
            client,
        )
        .await;
        assert_eq!(robot.status, StatusCode::OK);
        assert!(
            robot.body.contains("送信しました"),
            "the robot sees the same success page"
        );
        let sent = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "yamada@example.jp", ""),
            client,
        )
        .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert!(sent.body.contains("送信しました"));

        let stored = p.store.messages(None, 10).await.unwrap();
        assert_eq!(
            stored.len(),
            1,
            "neither the robot's nor the refused posts are stored"
        );
        assert_eq!(
            (stored[0].email.as_str(), stored[0].status.as_str()),
            ("yamada@example.jp", "new")
        );
        assert_eq!(stored[0].category.as_deref(), Some("training"));

        // Five accepted posts per client in ten minutes (the robot's counted too), then 429.
        for _ in 0..3 {
            assert_eq!(
                post_from(
                    &p.app,
                    "/contact",
                    &inquiry(&fresh, "y@example.jp", ""),
                    client
                )
                .await
                .status,
                StatusCode::OK
            );
        }
        let limited = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "y@example.jp", ""),
            client,
        )
        .await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        let other = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "z@example.jp", ""),
            [10, 0, 0, 2],
        )
        .await;
        assert_eq!(
            other.status,
            StatusCode::OK,
            "another client is not limited"
        );
    }
}

#[tokio::test]
async fn a_flood_from_many_addresses_meets_the_overall_limit() {
    let p = portals().await.remove(0);
    let fresh = stamp(&p.app, "/contact").await;
    fill_time().await;
    let per_client = mist_server::web::portal_limits::MAX_PER_CLIENT;
    let overall = mist_server::web::portal_limits::MAX_OVERALL;
    for n in 0..overall {
        let client = [10, 1, u8::try_from(n / per_client).unwrap(), 1];
        let reply = post_from(
            &p.app,
            "/contact",
            &inquiry(&fresh, "flood@example.jp", ""),
            client,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "post {n}");
    }
    let next = post_from(
        &p.app,
        "/contact",
        &inquiry(&fresh, "flood@example.jp", ""),
        [10, 2, 0, 1],
    )
    .await;
    assert_eq!(next.status, StatusCode::TOO_MANY_REQUESTS);
}

/// A learner's session (staff of the demo hospital).
async fn learner_session(p: &Portal) -> String {
    let form = format!(
        "join_code={}&email=nurse%40example.jp&name=nurse&kana=&password=correct-horse-1",
        p.first.demo_join_code
    );
    post_form(&p.app, "/join", &form, None)
        .await
        .session_cookie()
        .unwrap()
}

#[tokio::test]
async fn the_inbox_holds_both_kinds_of_message_and_follows_the_status_flow() {
    for p in portals().await {
        let (experts, _) = p
            .store
            .search_experts(&Default::default(), 10, 0)
            .await
            .unwrap();
        let expert = &experts[0];
        let uri = format!("/experts/{}/contact", expert.id);
        let body = get(&p.app, &uri, None).await.body;
        assert!(
            body.contains(&expert.fields.name) && !body.contains("mailto:"),
            "no address is published"
        );
        let fresh = stamp(&p.app, &uri).await;
        let fresh_inquiry = stamp(&p.app, "/contact").await;
        fill_time().await;
        let to_expert = inquiry(&fresh, "sato@example.jp", "").replace("&category=training", "");
        assert_eq!(
            post_from(&p.app, &uri, &to_expert, [10, 0, 0, 3])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            post_from(
                &p.app,
                "/contact",
                &inquiry(&fresh_inquiry, "ito@example.jp", ""),
                [10, 0, 0, 4]
            )
            .await
            .status,
            StatusCode::OK
        );

        let admin = admin_session(&p.app, &p.first).await;
        let learner = learner_session(&p).await;
        for path in [
            "/admin/inquiries",
            "/admin/contents",
            "/admin/experts",
            "/admin/resources",
        ] {
            assert_eq!(
                get(&p.app, path, Some(&learner)).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
            assert_eq!(
                get(&p.app, path, None).await.status,
                StatusCode::SEE_OTHER,
                "{path}"
            );
        }
        assert_eq!(
            post_form(&p.app, "/admin/resources", "category=cases", Some(&learner))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let inbox = get(&p.app, "/admin/inquiries", Some(&admin)).await.body;
        assert!(
            inbox.contains("講師・技術者への連絡")
                && inbox.contains(&expert.fields.name)
                && inbox.contains("研修について"),
            "{inbox}"
        );
        assert!(inbox.contains(" JST"), "times are shown in Japan's time");
        assert!(
            inbox.contains(">新規 (2)</option>"),
            "the filter counts new messages"
        );
        let messages = p.store.messages(None, 10).await.unwrap();
        let message = messages
            .iter()
            .find(|m| m.expert_id == Some(expert.id))
            .unwrap();
        let item = format!("/admin/inquiries/{}", message.id);
        assert!(
            get(&p.app, &item, Some(&admin))
                .await
                .body
                .contains("sato@example.jp")
        );
        assert_eq!(
            get(&p.app, &item, Some(&learner)).await.status,
            StatusCode::FORBIDDEN
        );

        let step = |status: &str, expected: &str| {
            format!(
                "status={status}&expected={expected}&note={}",
                encode("電話で折り返し済み")
            )
        };
        assert_eq!(
            post_form(&p.app, &item, &step("in_progress", "new"), Some(&admin))
                .await
                .status,
            StatusCode::OK
        );
        let stale = post_form(&p.app, &item, &step("done", "new"), Some(&admin)).await;
        assert_eq!(
            stale.status,
            StatusCode::CONFLICT,
            "a change based on an old view is refused"
        );
        let back = post_form(&p.app, &item, &step("new", "in_progress"), Some(&admin)).await;
        assert_eq!(
            back.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing returns to new"
        );
        assert_eq!(
            post_form(&p.app, &item, &step("done", "in_progress"), Some(&admin))
                .await
                .status,
            StatusCode::OK
        );
        // Who opened and changed the message is in the audit trail, and shown with it.
        let trail = p
            .store
            .audit_trail_of(&format!("message:{}", message.id), 10)
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            ["inquiry.view", "inquiry.status", "inquiry.status"]
        );
        assert!(trail.iter().all(|r| r.actor.is_some()));
        let page = get(&p.app, &item, Some(&admin)).await.body;
        assert!(
            page.contains("対応履歴") && page.contains("対応中 → 完了"),
            "{page}"
        );
        assert!(matches!(
            p.store.verify_audit().await.unwrap(),
            mist_server::store::audit::AuditVerification::Intact(_)
        ));
        let stored = p.store.message(message.id).await.unwrap().unwrap();
        assert_eq!(
            (stored.status.as_str(), stored.note.as_str()),
            ("done", "電話で折り返し済み")
        );
        let done = get(&p.app, "/admin/inquiries?status=done", Some(&admin))
            .await
            .body;
        assert!(done.contains(&expert.fields.name) && !done.contains("研修について"));
        // Deleting the entry keeps the message, with the name it was sent to.
        post_form(
            &p.app,
            &format!("/admin/experts/{}/delete", expert.id),
            "",
            Some(&admin),
        )
        .await;
        let kept = p.store.message(message.id).await.unwrap().unwrap();
        assert_eq!(
            (kept.expert_id, kept.expert_name.as_deref()),
            (None, Some(expert.fields.name.as_str()))
        );
    }
}
