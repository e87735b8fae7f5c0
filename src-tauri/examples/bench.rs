//! Measures the desktop app from inside its window (performance.now()), on the sample district:
//! cold start to an interactive compare view, a slider move to an updated compare view, and
//! resident memory. A benchmark, not a test: it prints figures and asserts nothing.
//!
//! `tools/bench-desktop.sh` builds the release app and runs this under Xvfb:
//! `cargo run -p fulcrum-desktop --example bench -- APP_BINARY [RUNS]`

#[path = "../tests/support/driver.rs"]
mod driver;

use std::path::PathBuf;
use std::time::Duration;

use driver::Driven;
use fulcrum::workspace::Workspace;

fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    format!("median {:.1} ms, p95 {:.1} ms, max {:.1} ms (n = {})", q(0.5), q(0.95), v[v.len() - 1], v.len())
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let app = PathBuf::from(args.next().expect("usage: bench APP_BINARY [RUNS]"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lakeshore.fulcrum");
    Workspace::create_sample(&file, false).unwrap();

    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let d = Driven::start(&app, &[file.display().to_string()]).await;
        d.until("the compare view", "document.body.dataset.ready === 'true'").await;
        outside.push(d.launched.elapsed().as_secs_f64() * 1000.0);
        inside.push(d.js("return window.fulcrumTimings.interactiveAt").await.as_f64().unwrap());
        if let Some(prev) = last.replace(d) {
            prev.stop().await;
        }
    }
    let d = last.unwrap();
    println!("cold start to interactive compare view, inside the window (performance.now() from navigation): {}", stats(inside));
    println!("cold start to interactive compare view, from process launch (WebDriver, includes session setup): {}", stats(outside));

    // A slider drag: each `input` event previews the comparison without writing.
    let moves = 60;
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const r = document.getElementById('lever-cut-central');
         window.fulcrumTimings.previews = [];
         let i = 0;
         const step = () => {{
           if (i === {moves}) return done(window.fulcrumTimings.previews);
           const before = document.body.dataset.renders;
           (i % 20 < 10) ? r.stepUp() : r.stepDown();
           r.dispatchEvent(new Event('input', {{ bubbles: true }}));
           i++;
           const wait = () => document.body.dataset.renders !== before ? setTimeout(step, 16) : setTimeout(wait, 1);
           wait();
         }};
         step();"
    );
    let previews = d.client.execute_async(&script, vec![]).await.expect("the slider drag");
    let previews: Vec<f64> = previews.as_array().unwrap().iter().filter_map(|v| v.as_f64()).collect();
    println!("slider move to updated compare view (preview round trip + redraw): {}", stats(previews));

    // Release: the change is written, then the comparison re-read and redrawn.
    let mut commits = Vec::new();
    for i in 0..10 {
        let key = if i % 2 == 0 { driver::ARROW_LEFT } else { driver::ARROW_RIGHT };
        let n = d.js("return window.fulcrumTimings.commits.length").await.as_u64().unwrap();
        d.keys("#lever-cut-central", key).await;
        d.until("the commit", &format!("window.fulcrumTimings.commits.length > {n}")).await;
        commits.push(d.js("return window.fulcrumTimings.commits.at(-1)").await.as_f64().unwrap());
    }
    println!("slider release to written and redrawn compare view: {}", stats(commits));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (app_kib, total_kib) = d.resident_kib();
    println!("resident memory: app process {:.1} MiB; with its WebKit web and network processes {:.1} MiB", app_kib as f64 / 1024.0, total_kib as f64 / 1024.0);
    d.stop().await;
}
