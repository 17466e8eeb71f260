//! Portal throughput: the catalogue and the player page under load, beside a minimal axum handler on
//! the same machine, with the server's memory at rest and under load.
//!
//! ```sh
//! cargo bench -p mist-server --bench http
//! ```
//!
//! The server runs as its own process (`mist serve`, release build) on 127.0.0.1 with a fresh SQLite
//! database, so its memory is measured apart from the load generator. The load generator keeps
//! `CONNECTIONS` HTTP/1.1 keep-alive connections busy until `REQUESTS` responses arrived or
//! `TIME_LIMIT` passed, and only ever talks to loopback.

#![allow(clippy::expect_used)] // a benchmark may stop on a broken setup

use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader as AsyncBufReader};
use tokio::net::TcpStream;

#[path = "support/mod.rs"]
mod support;

const CONNECTIONS: usize = 32;
const REQUESTS: usize = 20_000;
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// One keep-alive GET; returns the status.
async fn fetch(
    stream: &mut AsyncBufReader<TcpStream>,
    host: &str,
    path: &str,
    cookie: &str,
) -> std::io::Result<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}

/// Requests per second and latency percentiles (ms) for `path`.
async fn load(host: &str, path: &str, cookie: &str) -> (f64, f64, f64, usize) {
    let started = Instant::now();
    let per_connection = REQUESTS / CONNECTIONS;
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (host, path, cookie) = (host.to_owned(), path.to_owned(), cookie.to_owned());
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_connection);
                let Ok(stream) = TcpStream::connect(&host).await else {
                    return (latencies, 0);
                };
                let mut stream = AsyncBufReader::new(stream);
                let mut errors = 0;
                for _ in 0..per_connection {
                    if started.elapsed() > TIME_LIMIT {
                        break;
                    }
                    let t = Instant::now();
                    match fetch(&mut stream, &host, &path, &cookie).await {
                        Ok(200) => latencies.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((latencies, e)) = task.await {
            all.extend(latencies);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pick = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    (all.len() as f64 / elapsed, pick(0.50), pick(0.99), errors)
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = support::start(&["--data-dir", data.path().to_str().unwrap_or(".")]);
    let (addr, code, pid) = (server.addr.clone(), server.join_code.clone(), server.pid);

    // A learner for the player page.
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let form =
        format!("join_code={code}&email=bench%40example.jp&name=Bench&password=correct-horse-1");
    let request = format!(
        "POST /join HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sign up");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let cookie = response
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: mist_session="))
        .and_then(|c| c.split(';').next())
        .map(|t| format!("mist_session={t}"))
        .expect("a session");

    std::thread::sleep(Duration::from_millis(500));
    let rest_kb = support::rss_kb(pid, "VmRSS:");

    let minimal = support::free_port();
    let minimal_addr = format!("127.0.0.1:{minimal}");
    let listener = tokio::net::TcpListener::bind(&minimal_addr)
        .await
        .expect("bind");
    let app = Router::new().route("/", get(|| async { "ok" }));
    tokio::spawn(async move { axum::serve(listener, app).await });

    println!(
        "{CONNECTIONS} keep-alive connections, {REQUESTS} requests each case (at most {} s)",
        TIME_LIMIT.as_secs()
    );
    for (name, host, path, cookie) in [
        ("minimal axum handler", minimal_addr.as_str(), "/", ""),
        ("catalogue /", addr.as_str(), "/", ""),
        (
            "player page (signed in)",
            addr.as_str(),
            "/learn/staff/b2-suspicious-email-phishing",
            cookie.as_str(),
        ),
    ] {
        let (rps, p50, p99, errors) = load(host, path, cookie).await;
        println!(
            "{name:<28} {rps:>9.0} req/s   p50 {p50:>6.2} ms   p99 {p99:>6.2} ms   errors {errors}"
        );
    }
    println!(
        "server memory: {} MB at rest, {} MB peak under load",
        rest_kb / 1024,
        support::rss_kb(pid, "VmHWM:") / 1024
    );
}
