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

/// Starts a server and waits (at most 60 s) until it prints where it runs.
fn start(database_url: &str) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(["serve", "--addr", &addr, "--database-url", database_url])
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
    let a = start(&url);
    let b = start(&url);
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
