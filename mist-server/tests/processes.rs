//! Several server processes on one PostgreSQL database: a learner signed in through one continues
//! through the other, and their progress is recorded once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mist_server::store::Store;

use crate::support::fresh_pg_url;

/// A `mist serve` process, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    content_addr: String,
    first_output: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a server on a database URL (with package files in a temporary directory) and waits (at most
/// 60 s) until it prints where it runs.
fn start(database_url: &str, files: &tempfile::TempDir) -> Server {
    start_with(&[
        "--database-url",
        database_url,
        "--data-dir",
        files.path().to_str().unwrap(),
    ])
}

/// Starts a server with extra arguments (the portal and content addresses are chosen here).
fn start_with(extra: &[&str]) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let content_addr = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(["serve", "--addr", &addr, "--content-addr", &content_addr])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut first_output = Vec::new();
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(line)) => {
                let ready = line.starts_with("MIST is running");
                first_output.push(line);
                if ready {
                    break;
                }
            }
            _ => break,
        }
    }
    assert!(
        first_output
            .iter()
            .any(|l| l.starts_with("MIST is running")),
        "{first_output:?}"
    );
    // Keep reading whatever else it prints, so the pipe never fills.
    std::thread::spawn(move || lines.for_each(drop));
    Server {
        child,
        addr,
        content_addr,
        first_output,
    }
}

/// A minimal HTTP/1.1 exchange: status, `Set-Cookie` session value, body.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (u16, Option<String>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let body = form.unwrap_or("");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nSec-Fetch-Site: same-origin\r\n"
    );
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if form.is_some() {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cookie = response
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find(|c| c.starts_with("mist_session=") && !c.starts_with("mist_session=;"))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, cookie, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_share_sessions_and_record_progress_once() {
    let Some(url) = fresh_pg_url().await else {
        eprintln!("skipping: MIST_TEST_PG_URL is not set");
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let a = start(&url, &files);
    let b = start(&url, &files);
    let seeded: Vec<&String> = a
        .first_output
        .iter()
        .chain(&b.first_output)
        .filter(|l| l.starts_with("First start"))
        .collect();
    assert_eq!(
        seeded.len(),
        1,
        "exactly one process seeds the shared database"
    );
    let code_line = a
        .first_output
        .iter()
        .chain(&b.first_output)
        .find(|l| l.contains("with the code"))
        .unwrap();
    let code = code_line.rsplit(' ').next().unwrap();

    let form =
        format!("join_code={code}&email=nurse%40example.jp&name=Nurse&password=correct-horse-1");
    let (status, cookie, _) = http(&a.addr, "POST", "/join", None, Some(&form));
    assert_eq!(status, 303);
    let cookie = cookie.unwrap();
    let lesson = "/learn/staff/b1-what-happens-in-an-attack";
    assert_eq!(
        http(&b.addr, "GET", lesson, Some(&cookie), None).0,
        200,
        "the session made on A works on B"
    );
    assert_eq!(http(&a.addr, "GET", lesson, Some(&cookie), None).0, 200);
    let (_, _, me) = http(&b.addr, "GET", "/me", Some(&cookie), None);
    assert!(
        me.contains("初学者・医療従事者向け研修"),
        "enrolled once, seen from B"
    );

    let store = Store::open_url(&url).await.unwrap();
    let Store::Postgres(pool) = &store else {
        unreachable!("a postgres URL")
    };
    let views: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lesson_views")
        .fetch_one(pool)
        .await
        .unwrap();
    let enrollments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enrollments")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        (views, enrollments),
        (1, 1),
        "the same view through two servers is recorded once"
    );
}

/// A raw HTTP/1.1 request with any headers and body; returns status and body.
fn raw(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (
        status,
        response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default(),
    )
}

/// Uploads a golf package through the API with a token made by `mist token create`.
fn upload_golf(server: &Server, database: &[&str]) -> Option<()> {
    let package =
        std::fs::read(crate::support::shared_dir()?.join("fixtures/golf/singlesco_scorm12.zip"))
            .unwrap();
    let token = Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(["token", "create"])
        .args(database)
        .args(["--user", "admin@mist.local"])
        .output()
        .unwrap();
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let mut body = b"--b\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\ngolf\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"golf.zip\"\r\n\r\n".to_vec();
    body.extend_from_slice(&package);
    body.extend_from_slice(b"\r\n--b--\r\n");
    let bearer = format!("Bearer {token}");
    let (status, reply) = raw(
        &server.addr,
        "POST",
        "/api/v1/packages",
        &[
            ("Content-Type", "multipart/form-data; boundary=b"),
            ("Authorization", &bearer),
        ],
        &body,
    );
    assert_eq!(status, 201, "{reply}");
    Some(())
}

/// Launches the golf SCO for the learner; returns the content token and the commit path.
fn launch_golf(server: &Server, cookie: &str) -> (String, String, String) {
    let (status, _, page) = http(
        &server.addr,
        "GET",
        "/learn/golf/item-1",
        Some(cookie),
        None,
    );
    assert_eq!(status, 200, "{page}");
    let page = page.replace("&#x2f;", "/");
    let start = page.find("/attempts/").unwrap() + "/attempts/".len();
    let token = page[start..].split('/').next().unwrap().to_owned();
    let (status, frame) = raw(
        &server.content_addr,
        "GET",
        &format!("/attempts/{token}/launch"),
        &[],
        b"",
    );
    assert_eq!(status, 200);
    let commit = frame
        .split("\"commitUrl\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    (token, commit, frame)
}

/// A commit acknowledged before `kill -9` is there after the restart.
fn acknowledged_commits_survive_a_kill(database: &[&str]) {
    let server = start_with(database);
    if upload_golf(&server, database).is_none() {
        return;
    }
    let code_line = server
        .first_output
        .iter()
        .find(|l| l.contains("with the code"))
        .unwrap();
    let code = code_line.rsplit(' ').next().unwrap();
    let form =
        format!("join_code={code}&email=nurse%40example.jp&name=Nurse&password=correct-horse-1");
    let (_, cookie, _) = http(&server.addr, "POST", "/join", None, Some(&form));
    let cookie = cookie.unwrap();
    let (token, commit, _) = launch_golf(&server, &cookie);
    let batch = format!(
        r#"{{"token":"{token}","sequence":1,"calls":[["LMSSetValue","cmi.core.lesson_location","durable-7"],["LMSCommit"]]}}"#
    );
    let (status, reply) = raw(
        &server.content_addr,
        "POST",
        &commit,
        &[("Content-Type", "application/json")],
        batch.as_bytes(),
    );
    assert_eq!(status, 200, "{reply}");
    let mut server = server;
    // SIGKILL: no graceful shutdown, no chance to flush anything after the acknowledgement.
    let _ = Command::new("kill")
        .args(["-9", &server.child.id().to_string()])
        .status();
    let _ = server.child.wait();
    let restarted = start_with(database);
    let (_, _, frame) = launch_golf(&restarted, &cookie);
    assert!(
        frame.contains("durable-7"),
        "the acknowledged commit survived: {frame}"
    );
}

#[test]
fn acknowledged_commits_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    acknowledged_commits_survive_a_kill(&["--data-dir", &data]);
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_commits_survive_kill_9_on_postgres() {
    let Some(url) = fresh_pg_url().await else {
        eprintln!("skipping: MIST_TEST_PG_URL is not set");
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let data = files.path().to_str().unwrap().to_owned();
    tokio::task::spawn_blocking(move || {
        acknowledged_commits_survive_a_kill(&["--database-url", &url, "--data-dir", &data])
    })
    .await
    .unwrap();
}
