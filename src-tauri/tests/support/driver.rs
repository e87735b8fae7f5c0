#![allow(dead_code)] // shared by the e2e tests and the benchmark; each uses part of it
//! Drives the real app binary through tauri-driver (WebKitWebDriver underneath).
//! Shared by the end-to-end tests and the benchmark.

use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// A running tauri-driver and one app session on it.
pub struct Driven {
    pub client: Client,
    driver: Child,
    /// When the app was asked to start.
    pub launched: Instant,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn tauri_driver() -> PathBuf {
    if let Ok(p) = std::env::var("TAURI_DRIVER") {
        return p.into();
    }
    let home = std::env::var("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let installed = home.join("bin/tauri-driver");
    if installed.exists() { installed } else { "tauri-driver".into() }
}

impl Driven {
    /// Starts `app` with `args` under a fresh tauri-driver.
    pub async fn start(app: &Path, args: &[String]) -> Driven {
        let (port, native) = (free_port(), free_port());
        // Its own process group, so WebKitWebDriver and the app go when it goes.
        let driver = Command::new(tauri_driver())
            .process_group(0)
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver runs (cargo install tauri-driver --version ^2 --locked)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({"application": app, "args": args}));
        let launched = Instant::now();
        let url = format!("http://127.0.0.1:{port}");
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let connect = builder.connect(&url);
        // A session waits for the app's window; an app that cannot start would hang it forever.
        let client = match tokio::time::timeout(Duration::from_secs(60), connect).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!("no WebDriver session on the app: {e}"),
            Err(_) => {
                let _ = Command::new("kill").args(["-TERM", "--", &format!("-{}", driver.id())]).status();
                panic!("the app did not start within 60 s (is there a display? run under xvfb-run -s -noreset)");
            }
        };
        Driven { client, driver, launched }
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `script` (an expression) is truthy, returning its value.
    pub async fn until(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.js(&format!("return ({script});")).await;
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn attr(&self, css: &str, name: &str) -> String {
        let e = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        e.attr(name).await.unwrap().unwrap_or_else(|| panic!("{css} has no {name}"))
    }

    pub async fn text(&self, css: &str) -> String {
        let e = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        e.text().await.unwrap()
    }

    pub async fn click(&self, css: &str) {
        self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }

    /// Sends keys to the focused element (WebDriver key codes).
    pub async fn keys(&self, css: &str, keys: &str) {
        self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).send_keys(keys).await.unwrap();
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = artifacts();
        std::fs::create_dir_all(&dir).unwrap();
        // WebKit's snapshot is the last painted frame: let the page paint what the test
        // just did (two animation frames) so the artifact shows it, not the frame before.
        self.client
            .execute_async("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", vec![])
            .await
            .expect("the page paints");
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// How long ago the app process started, in milliseconds (10 ms resolution).
    pub fn app_age_ms(&self) -> Option<f64> {
        let mut stack = vec![self.driver.id()];
        while let Some(pid) = stack.pop() {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            if stat.contains("(fulcrum-desk") {
                // Field 22, after the parenthesised name: start time in clock ticks since boot.
                let ticks: u64 = stat.rsplit(')').next()?.split_whitespace().nth(19)?.parse().ok()?;
                let uptime: f64 = std::fs::read_to_string("/proc/uptime").ok()?.split_whitespace().next()?.parse().ok()?;
                return Some(uptime * 1000.0 - ticks as f64 * 10.0);
            }
            for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
                let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
                stack.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
            }
        }
        None
    }

    /// Resident memory of the app and the WebKit processes it started, in KiB: (app, app + WebKit).
    pub fn resident_kib(&self) -> (u64, u64) {
        let mut app = 0;
        let mut total = 0;
        let mut stack = vec![self.driver.id()];
        while let Some(pid) = stack.pop() {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_string());
            let comm = field("Name:").unwrap_or_default();
            let rss: u64 = field("VmRSS:").and_then(|v| v.trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0);
            if comm.starts_with("fulcrum-desk") {
                app = rss;
            }
            if comm.starts_with("fulcrum-desk") || comm.starts_with("WebKitWebProces") || comm.starts_with("WebKitNetworkPr") {
                total += rss;
            }
            for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
                let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
                stack.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
            }
        }
        (app, total)
    }

    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Driven {
    /// Ends tauri-driver's whole process group (WebKitWebDriver, the app and WebKit's helpers),
    /// also when a test fails half-way.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

/// Where screenshots go: `$FULCRUM_ARTIFACTS`, else `tests/artifacts` at the repository root.
pub fn artifacts() -> PathBuf {
    std::env::var("FULCRUM_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/artifacts"))
}

pub const ARROW_LEFT: &str = "\u{E012}";
pub const ARROW_RIGHT: &str = "\u{E014}";
pub const ESCAPE: &str = "\u{E00C}";
