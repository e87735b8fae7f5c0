//! Crash safety: SIGKILL a process in the middle of writes, many times, at random
//! moments, and check after each kill that the file is sound and holds exactly the
//! changes committed before it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fulcrum::workspace::Workspace;

const KILLS: usize = 60;
const FAILS: &str = "referendum-fails";
const LEVER: &str = "cut-central";

/// A small xorshift generator: the delays need to be arbitrary, not secure.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_in_the_middle_of_writes_loses_nothing_committed_and_breaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lakeshore.fulcrum");
    drop(Workspace::create_sample(&path, false).unwrap());
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    // How long a child takes to open the file before it starts writing.
    let t0 = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .args(["edit-loop", "--scenario", FAILS, "--lever", LEVER, "--count", "1"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let warmup = t0.elapsed();
    let mut committed_total = 0usize;
    let mut unprinted_commits = 0usize;
    let mut kills_mid_run = 0usize;
    for kill in 0..KILLS {
        let head_before = Workspace::open(&path).unwrap().audit_head().unwrap().0;
        let mut child = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
            .args(["edit-loop", "--scenario", FAILS, "--lever", LEVER])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<String>>()
        });
        // Between the end of the open and a good run of writes, at a random moment.
        let delay = warmup.as_millis() as u64 + rng.next() % 400;
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no rollback
        child.wait().unwrap();
        let printed: Vec<(i64, String)> = reader
            .join()
            .unwrap()
            .iter()
            .map(|l| {
                let (seq, value) = l.split_once(' ').unwrap();
                (seq.parse().unwrap(), value.to_string())
            })
            .collect();
        if !printed.is_empty() {
            kills_mid_run += 1;
        }

        // Sound: integrity_check runs on open and must pass; the chain must verify.
        let ws = Workspace::open(&path).unwrap_or_else(|e| panic!("kill {kill} (seed {seed}): the file does not open: {e}"));
        let v = ws.verify().unwrap();
        assert!(v.ok(), "kill {kill} (seed {seed}): the chain breaks: {:?}", v.first_break);
        // Exactly what was committed: every commit the child reported is there with its value…
        let log = ws.audit().unwrap();
        let head = ws.audit_head().unwrap().0;
        for (seq, value) in &printed {
            let e = log.iter().find(|e| e.seq == *seq).unwrap_or_else(|| panic!("kill {kill}: committed entry {seq} is lost"));
            let after = &e.detail_json()["changes"][0]["after"];
            let lever = after["levers"].as_array().unwrap().iter().find(|l| l["id"] == LEVER).unwrap();
            assert_eq!(lever["value"], *value, "kill {kill}: entry {seq} records the value written");
        }
        // …in order with nothing between them, and at most one commit the child made
        // but was killed before it could report (SQLite committed, println had not run).
        let expected: Vec<i64> = (head_before + 1..=head_before + printed.len() as i64).collect();
        assert_eq!(printed.iter().map(|p| p.0).collect::<Vec<_>>(), expected, "kill {kill}: one entry per commit");
        let last_reported = expected.last().copied().unwrap_or(head_before);
        assert!(head == last_reported || head == last_reported + 1, "kill {kill}: head {head}, last reported {last_reported}");
        if head == last_reported + 1 {
            unprinted_commits += 1;
        }
        // The scenario in the file is the one the last committed entry describes.
        let last = log.last().unwrap();
        let in_file = ws.scenario(FAILS).unwrap().levers.iter().find(|l| l.id == LEVER).unwrap().value.to_string();
        if last.action == "scenarios" {
            let after = &last.detail_json()["changes"][0]["after"];
            let lever = after["levers"].as_array().unwrap().iter().find(|l| l["id"] == LEVER).unwrap();
            assert_eq!(lever["value"], in_file, "kill {kill}: the file holds the last committed change");
        }
        committed_total += head as usize - head_before as usize;
    }
    eprintln!(
        "crash test (seed {seed}): {KILLS} SIGKILLs, {kills_mid_run} after at least one commit, {committed_total} commits checked, {unprinted_commits} committed-but-unreported; all sound"
    );
    assert!(kills_mid_run >= KILLS / 2, "most kills land in the middle of the write loop ({kills_mid_run} of {KILLS})");
}
