//! What the portal benches share: a `mist serve` process on loopback, free ports, process memory.

// Each bench binary compiles this module and uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A `mist serve` process (release build), stopped when dropped.
pub struct Server {
    child: Child,
    /// Its process id, for memory readings.
    pub pid: u32,
    /// The portal's address.
    pub addr: String,
    /// The content origin's address.
    pub content: String,
    /// The demo hospital's sign-up code from the first start.
    pub join_code: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A memory figure of a process in kB (`VmRSS:`, `VmHWM:`), 0 when unreadable.
pub fn rss_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Starts `mist serve` on free loopback ports with `extra` arguments and waits until it runs.
pub fn start(extra: &[&str]) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let content = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_mist"))
        .args(["serve", "--addr", &addr, "--content-addr", &content])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mist serve");
    let pid = child.id();
    let mut join_code = String::new();
    for line in BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map_while(Result::ok)
    {
        if let Some(rest) = line.split("with the code ").nth(1) {
            join_code = rest.trim().to_owned();
        }
        if line.starts_with("MIST is running") {
            break;
        }
    }
    Server {
        child,
        pid,
        addr,
        content,
        join_code,
    }
}
