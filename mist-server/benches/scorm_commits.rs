//! SCORM run-time commits under load: 200 learners committing at once, beside the fsync ceiling of a
//! raw single-writer insert loop at the same durability.
//!
//! ```sh
//! cargo bench -p mist-server --bench scorm_commits                 # SQLite
//! MIST_BENCH_PG_URL=postgres://… cargo bench -p mist-server --bench scorm_commits   # also PostgreSQL
//! ```
//!
//! The server runs as its own process (`mist serve`, release) on 127.0.0.1; the golf SCORM 1.2 package
//! from `../shared` is uploaded, `LEARNERS` learners sign up and launch it, and each then sends
//! `COMMITS_PER_LEARNER` batches (two SetValue calls and a Commit) one after another, all learners at
//! once, bounded by `TIME_LIMIT`. Loopback only.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may stop on a broken setup

use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::Connection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[path = "support/mod.rs"]
mod support;

const LEARNERS: usize = 200;
const COMMITS_PER_LEARNER: usize = 50;
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// One request on a fresh connection: status and the whole response text.
async fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    (
        text.split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        text,
    )
}

async fn run(label: &str, database: &[String]) {
    let args: Vec<&str> = database.iter().map(String::as_str).collect();
    let server = support::start(&args);
    let (addr, content, code, pid) = (
        server.addr.clone(),
        server.content.clone(),
        server.join_code.clone(),
        server.pid,
    );

    let token = Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(["token", "create"])
        .args(database)
        .args(["--user", "admin@mist.local"])
        .output()
        .unwrap();
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/golf/singlesco_scorm12.zip");
    let package = std::fs::read(&shared).expect("the golf package in ../shared");
    let mut body = b"--b\r\nContent-Disposition: form-data; name=\"slug\"\r\n\r\ngolf\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"g.zip\"\r\n\r\n".to_vec();
    body.extend_from_slice(&package);
    body.extend_from_slice(b"\r\n--b--\r\n");
    let bearer = format!("Bearer {token}");
    let (status, _) = request(
        &addr,
        "POST",
        "/api/v1/packages",
        &[
            ("Content-Type", "multipart/form-data; boundary=b"),
            ("Authorization", &bearer),
        ],
        &body,
    )
    .await;
    assert_eq!(status, 201, "upload");

    // Learners sign up and launch the SCO, a few at a time.
    let mut launches = Vec::new();
    for chunk in (0..LEARNERS).collect::<Vec<_>>().chunks(8) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|&i| {
                let (addr, content, code) = (addr.clone(), content.clone(), code.clone());
                tokio::spawn(async move {
                    let form = format!("join_code={code}&email=l{i}%40bench.example&name=L{i}&password=correct-horse-1");
                    let (_, text) = request(&addr, "POST", "/join", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes()).await;
                    let cookie = text.lines().find_map(|l| l.strip_prefix("set-cookie: ")).and_then(|c| c.split(';').next()).unwrap().to_owned();
                    let (_, page) = request(&addr, "GET", "/learn/golf/item-1", &[("Cookie", &cookie)], b"").await;
                    let page = page.replace("&#x2f;", "/");
                    let start = page.find("/attempts/").unwrap() + "/attempts/".len();
                    let token = page[start..].split('/').next().unwrap().to_owned();
                    let (_, frame) = request(&content, "GET", &format!("/attempts/{token}/launch"), &[], b"").await;
                    let commit = frame.split("\"commitUrl\":\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
                    (token, commit)
                })
            })
            .collect();
        for task in tasks {
            launches.push(task.await.unwrap());
        }
    }
    let rest = support::rss_kb(pid, "VmRSS:");

    let started = Instant::now();
    let tasks: Vec<_> = launches
        .into_iter()
        .map(|(token, commit)| {
            let content = content.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(COMMITS_PER_LEARNER);
                for sequence in 1..=COMMITS_PER_LEARNER {
                    if started.elapsed() > TIME_LIMIT {
                        break;
                    }
                    let body = format!(
                        r#"{{"token":"{token}","sequence":{sequence},"calls":[["LMSSetValue","cmi.core.lesson_location","p{sequence}"],["LMSSetValue","cmi.suspend_data","state-{sequence}"],["LMSCommit"]]}}"#
                    );
                    let t = Instant::now();
                    let (status, _) = request(&content, "POST", &commit, &[("Content-Type", "application/json")], body.as_bytes()).await;
                    assert_eq!(status, 200);
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pick =
        |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{label}: {} commits by {LEARNERS} learners in {elapsed:.2} s = {:.0} commits/s, p50 {:.1} ms, p99 {:.1} ms; server memory {} MB at rest, {} MB peak",
        all.len(),
        all.len() as f64 / elapsed,
        pick(0.50),
        pick(0.99),
        rest / 1024,
        support::rss_kb(pid, "VmHWM:") / 1024
    );
}

/// The fsync ceiling: one row per transaction, one writer, at the server's durability settings.
async fn raw_sqlite_ceiling() {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("raw.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    let count = 2_000;
    let started = Instant::now();
    for i in 0..count {
        let mut tx = conn.begin().await.unwrap();
        sqlx::query("INSERT INTO t (body) VALUES ($1)")
            .bind(format!("commit {i}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "SQLite raw single-writer insert loop (WAL, synchronous=FULL): {:.0} transactions/s",
        f64::from(count) / elapsed
    );
}

async fn raw_pg_ceiling(url: &str) {
    let mut conn =
        sqlx::PgConnection::connect_with(&sqlx::postgres::PgConnectOptions::from_str(url).unwrap())
            .await
            .unwrap();
    sqlx::query("CREATE TEMP TABLE t (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&mut conn)
        .await
        .unwrap();
    let count = 2_000;
    let started = Instant::now();
    for i in 0..count {
        let mut tx = conn.begin().await.unwrap();
        sqlx::query("INSERT INTO t (body) VALUES ($1)")
            .bind(format!("commit {i}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    println!(
        "PostgreSQL raw single-writer insert loop: {:.0} transactions/s",
        f64::from(count) / started.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    raw_sqlite_ceiling().await;
    let dir = tempfile::tempdir().unwrap();
    run(
        "SQLite",
        &["--data-dir".into(), dir.path().to_str().unwrap().to_owned()],
    )
    .await;
    if let Ok(admin) = std::env::var("MIST_BENCH_PG_URL") {
        let name = format!("mist_bench_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        raw_pg_ceiling(&url).await;
        // Package files go to a temporary directory too, not to ./mist-data.
        let files = tempfile::tempdir().unwrap();
        let data_dir = files.path().to_str().unwrap().to_owned();
        run(
            "PostgreSQL",
            &["--database-url".into(), url, "--data-dir".into(), data_dir],
        )
        .await;
    }
}
