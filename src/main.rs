//! `fulcrum`: the scenario engine from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use fulcrum::compare::{compare, Attribution, Comparison};
use fulcrum::dataflow::{run_import, ImportChoice, ImportRequest};
use fulcrum::explain::explain;
use fulcrum::generate::{generate_package, write_sample_district};
use fulcrum::model::year_label;
use fulcrum::money::{format_dollars, Cents};
use fulcrum::report::{layout, projection_table, ProjectionJson, ROWS};
use fulcrum::workspace::Workspace;
use fulcrum::{Error, Result};

#[derive(Parser)]
#[command(name = "fulcrum", version, about = "School district budget scenarios: project, compare, explain")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a district file from a package folder (MODEL.md §3).
    New {
        file: PathBuf,
        #[arg(long = "from", value_name = "PACKAGE_DIR")]
        from: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// List the scenarios of a district file.
    Scenarios { file: PathBuf },
    /// Work with scenarios.
    Scenario {
        #[command(subcommand)]
        action: ScenarioAction,
    },
    /// Project one scenario over the horizon.
    Project {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        /// Print MODEL.md §10 JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compare 2-4 scenarios side by side, with differences against the first.
    Compare {
        file: PathBuf,
        #[arg(num_args = 2..=4, required = true)]
        scenarios: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show how a figure was derived.
    Explain {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        /// Fiscal year, by the calendar year it ends in (2025 = 2024-25).
        #[arg(long)]
        year: i32,
        /// A figure (tax_per_100k, levy_total, fund_balance, …), line:NAME, lever:ID or fund:CODE.
        figure: String,
        /// Levels of inputs to show (0 = all).
        #[arg(long, default_value_t = 0)]
        depth: usize,
        #[arg(long)]
        json: bool,
    },
    /// Create the sample district (Lakeshore Public Schools, synthetic) ready to compare.
    Demo {
        #[arg(default_value = "lakeshore.fulcrum")]
        file: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Import a package (folder or .xlsx) and optionally a GL export: new file or roll forward.
    Import {
        file: PathBuf,
        /// The package folder or workbook (with --gl, its budget lines are not read).
        #[arg(long = "from", value_name = "PACKAGE")]
        from: PathBuf,
        /// A general-ledger export (CSV or XLSX) to take the budget lines from.
        #[arg(long)]
        gl: Option<PathBuf>,
        /// The GL column mapping (JSON); saved in the file for next year.
        #[arg(long, requires = "gl", conflicts_with = "saved_mapping")]
        mapping: Option<PathBuf>,
        /// The name of a mapping saved in FILE by an earlier import.
        #[arg(long, requires = "gl")]
        saved_mapping: Option<String>,
        /// Control totals (CSV fund,revenue,expense) the import must tie to, to the cent.
        #[arg(long)]
        control: Option<PathBuf>,
        /// Load the new base year into the existing FILE, carrying its scenarios forward.
        #[arg(long)]
        roll_forward: bool,
        /// Replace FILE if it exists (without rolling forward).
        #[arg(long)]
        force: bool,
        /// List every line made.
        #[arg(long)]
        lines: bool,
        #[arg(long)]
        json: bool,
    },
    /// Department projections: a template for a director, then review and accept their draft.
    Department {
        #[command(subcommand)]
        action: DepartmentAction,
    },
    /// List the GL mappings and the base-year history saved in a district file.
    History { file: PathBuf },
    /// Export projections, comparisons or the package itself.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Write the board packet PDF for 1-4 scenarios.
    Packet {
        file: PathBuf,
        #[arg(num_args = 1..=4, required = true)]
        scenarios: Vec<String>,
        #[arg(long)]
        out: PathBuf,
        /// The date printed on the packet, e.g. 2025-03-10 (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// The audit log: list it, or `audit verify FILE` to check its hash chain.
    Audit {
        #[command(subcommand)]
        action: Option<AuditAction>,
        file: Option<PathBuf>,
        /// Only the entries that changed or published this scenario.
        #[arg(long)]
        scenario: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take back the last scenario change recorded in the file (itself recorded).
    Undo { file: PathBuf },
    /// Re-apply the change the last undo took back.
    Redo { file: PathBuf },
    /// Publish a scenario: freeze it, with its content hash, as the next version.
    Publish {
        file: PathBuf,
        scenario: String,
        /// What it is for ("board meeting 2025-03-10").
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List the published versions of a scenario.
    Versions { file: PathBuf, scenario: String },
    /// What differs between two versions or scenarios (NAME, NAME@N, baseline), and what each difference is worth.
    Diff {
        file: PathBuf,
        from: String,
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Set the display name the audit log records beside your OS user name.
    Whoami { file: PathBuf, name: String },
    /// Test helper: move a lever `count` times, printing each committed audit sequence number.
    #[command(hide = true)]
    EditLoop {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        #[arg(long)]
        lever: String,
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
    },
    /// Write a synthetic package of any size (deterministic, for tests and benchmarks).
    Generate {
        #[arg(long)]
        lines: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// One scenario's projection (.xlsx or .csv, by the extension of --out).
    Projection {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// 2-4 scenarios side by side (.xlsx or .csv).
    Compare {
        file: PathBuf,
        #[arg(num_args = 2..=4, required = true)]
        scenarios: Vec<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// The package back out: a folder of CSV files, or one .xlsx workbook.
    Package {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum DepartmentAction {
    /// Write a department's lines with the scenario's projected amounts (.xlsx or .csv) for its director to fill in.
    Template {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        /// The department code (departments.csv).
        #[arg(long)]
        department: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// What accepting a director's draft into the scenario would change, and its effect on the surplus.
    Review {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        draft: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Accept a director's draft into the scenario as overrides (audited; `fulcrum undo` takes it back).
    Accept {
        file: PathBuf,
        #[arg(long)]
        scenario: String,
        draft: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check the hash chain; names the first entry altered, removed or reordered.
    Verify { file: PathBuf },
}

#[derive(Subcommand)]
enum ScenarioAction {
    /// Add or replace scenarios from a scenarios.json file.
    Import { file: PathBuf, scenarios: PathBuf },
    /// Print the scenarios as scenarios.json.
    Export { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fulcrum: {e}");
            ExitCode::FAILURE
        }
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Error::Usage(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::New { file, from, force } => {
            let ws = Workspace::create(&file, &from, force)?;
            summary(&ws);
        }
        Command::Scenarios { file } => {
            let ws = Workspace::open(&file)?;
            let mut rows = vec![vec!["baseline".to_string(), String::new(), "the package alone: no referendum, lever or override".into()]];
            for s in ws.scenarios() {
                rows.push(vec![s.name.clone(), s.parent.clone().unwrap_or_default(), s.description.clone()]);
            }
            print!("{}", layout(&["scenario".into(), "parent".into(), "description".into()], &rows));
        }
        Command::Scenario { action: ScenarioAction::Import { file, scenarios } } => {
            let mut ws = Workspace::open(&file)?;
            let text = std::fs::read_to_string(&scenarios).map_err(|e| Error::Io { path: scenarios.clone(), source: e })?;
            let name = scenarios.display().to_string();
            let report = ws.import_scenarios(&text, &name)?;
            println!("added: {}", if report.added.is_empty() { "none".into() } else { report.added.join(", ") });
            println!("replaced: {}", if report.replaced.is_empty() { "none".into() } else { report.replaced.join(", ") });
        }
        Command::Scenario { action: ScenarioAction::Export { file } } => {
            let ws = Workspace::open(&file)?;
            json(&fulcrum::scenario::ScenarioFile { scenarios: ws.scenarios().to_vec() })?;
        }
        Command::Project { file, scenario, json: as_json } => {
            let ws = Workspace::open(&file)?;
            let p = ws.project(&scenario)?;
            if as_json {
                json(&ProjectionJson::of(&p))?;
            } else {
                let d = &ws.model().package().district;
                print!("{}", projection_table(&p, &d.name, &d.reserve_policy_pct.to_string()));
            }
        }
        Command::Compare { file, scenarios, json: as_json } => {
            let ws = Workspace::open(&file)?;
            let resolved = scenarios.iter().map(|s| ws.resolve(s)).collect::<Result<Vec<_>>>()?;
            let c = compare(ws.model(), &resolved)?;
            if as_json {
                json(&c.to_json())?;
            } else {
                print!("{}", comparison_text(&c, &ws));
            }
        }
        Command::Explain { file, scenario, year, figure, depth, json: as_json } => {
            let ws = Workspace::open(&file)?;
            let resolved = ws.resolve(&scenario)?;
            let p = ws.model().project(&resolved)?;
            let d = explain(ws.model(), &resolved, &p, year, &figure)?;
            if as_json {
                json(&d)?;
            } else {
                print!("{}", d.render(depth));
            }
        }
        Command::Demo { file, force } => {
            let dir = temp_dir("demo")?;
            let written = write_sample_district(&dir).map_err(|e| Error::Io { path: dir.clone(), source: e });
            let result = written.and_then(|()| Workspace::create(&file, &dir, force));
            let _ = std::fs::remove_dir_all(&dir);
            let ws = result?;
            summary(&ws);
            println!(
                "\nTry:\n  fulcrum compare {f} referendum-passes referendum-fails\n  fulcrum explain {f} --scenario referendum-passes --year 2026 tax_per_100k",
                f = file.display()
            );
        }
        Command::Import { file, from, gl, mapping, saved_mapping, control, roll_forward, force, lines, json: as_json } => {
            let choice = ImportChoice { package: from, gl, mapping, saved_mapping, control, roll_forward, force };
            let req = ImportRequest::from_choice(file, choice, now_stamp())?;
            let report = run_import(&req);
            if as_json {
                json(&report)?;
            } else {
                print!("{}", report.render(lines));
            }
            if !report.written {
                return Err(Error::Usage(format!("import refused: {} error(s); the district file is unchanged", report.errors.len())));
            }
        }
        Command::Department { action: DepartmentAction::Template { file, scenario, department, out } } => {
            let ws = Workspace::open(&file)?;
            let w = fulcrum::handout::department_template(&ws, &scenario, &department, &out)?;
            println!("wrote {} ({})", w.path, w.what);
        }
        Command::Department { action: DepartmentAction::Review { file, scenario, draft, json: as_json } } => {
            let ws = Workspace::open(&file)?;
            let review = ws.review_draft(&scenario, &draft)?;
            if as_json {
                json(&review)?;
            } else {
                print!("{}", review.render());
            }
        }
        Command::Department { action: DepartmentAction::Accept { file, scenario, draft } } => {
            let mut ws = Workspace::open(&file)?;
            let review = ws.review_draft(&scenario, &draft)?;
            ws.accept_draft(&scenario, &review)?;
            print!("{}", review.render());
            println!("accepted into {scenario}: {} amount(s) set as overrides", review.overrides.len());
        }
        Command::History { file } => {
            let f = fulcrum::store::DistrictFile::open_read_only(&file)?;
            println!("saved GL mappings:");
            for (name, def) in f.gl_mappings()? {
                println!("  {name}: {def}");
            }
            println!("earlier base years:");
            for h in f.history()? {
                println!("  {} ({}): {} lines, revenue {}, expense {}; kept in {}", h.base_year, h.replaced_at, h.lines, format_dollars(h.revenue_cents), format_dollars(h.expense_cents), h.archive_path);
            }
            println!("parked scenario items:");
            for p in f.parked()? {
                println!("  {} [{}] {}: {}", p.scenario, p.item_kind, p.item, p.reason);
            }
        }
        Command::Export { what } => export_command(what)?,
        Command::Packet { file, scenarios, out, date } => {
            let date = date.unwrap_or_else(|| now_stamp()[..10].to_string());
            let written = fulcrum::handout::write_board_packet(&Workspace::open(&file)?, &scenarios, &date, &out)?;
            println!("wrote {} ({})", written.path, written.what);
        }
        Command::Audit { action: Some(AuditAction::Verify { file }), .. } => {
            let f = fulcrum::store::DistrictFile::open_read_only(&file)?;
            let v = f.verify()?;
            match &v.first_break {
                None => println!("audit log of {}: {} entries, chain intact; head {} {}", file.display(), v.entries, v.head_seq, v.head_hash),
                Some(b) => return Err(Error::Usage(format!("audit log of {} is NOT intact: {b}", file.display()))),
            }
        }
        Command::Audit { action: None, file: Some(file), scenario, json: as_json } => {
            let ws = Workspace::open_read_only(&file)?;
            let entries = match &scenario {
                Some(s) => ws.scenario_history(s)?,
                None => ws.audit()?,
            };
            if as_json {
                json(&entries)?;
            } else {
                for e in &entries {
                    let who = if e.display_name.is_empty() { e.os_user.clone() } else { format!("{} ({})", e.display_name, e.os_user) };
                    println!("{:>5}  {}  {:<22} {:<12} {}", e.seq, e.at, who, e.action, e.scenario.as_deref().unwrap_or(""));
                    for line in fulcrum::audit::describe(e) {
                        println!("         {line}");
                    }
                }
            }
        }
        Command::Audit { action: None, file: None, .. } => return Err(Error::Usage("audit needs a FILE (or `audit verify FILE`)".into())),
        Command::Undo { file } => {
            let mut ws = Workspace::open(&file)?;
            ws.resume_history()?;
            ws.undo()?;
            println!("undone; {} more to undo, {} to redo", ws.undo_depth().0, ws.undo_depth().1);
        }
        Command::Redo { file } => {
            let mut ws = Workspace::open(&file)?;
            ws.resume_history()?;
            ws.redo()?;
            println!("redone; {} more to undo, {} to redo", ws.undo_depth().0, ws.undo_depth().1);
        }
        Command::Publish { file, scenario, note } => {
            let mut ws = Workspace::open(&file)?;
            let v = ws.publish(&scenario, &note)?;
            println!("published {}@{} ({}), content sha256 {}", v.scenario, v.version, v.published_at, v.content_hash);
        }
        Command::Versions { file, scenario } => {
            let ws = Workspace::open_read_only(&file)?;
            for v in ws.versions(&scenario)? {
                println!("{}@{}  {}  {}  sha256 {}  {}", v.scenario, v.version, v.published_at, v.published_by, v.content_hash, v.note);
            }
            println!("{scenario} (working): {}", if ws.is_published(&scenario)? { "as last published" } else { "changed since last published (a new working version)" });
        }
        Command::Diff { file, from, to, json: as_json } => {
            let ws = Workspace::open_read_only(&file)?;
            let d = ws.diff(&from, &to)?;
            if as_json {
                json(&d)?;
            } else {
                println!("{} -> {}", d.from, d.to);
                print!("{}", attribution_text(&d.attribution));
            }
        }
        Command::Whoami { file, name } => {
            let mut ws = Workspace::open(&file)?;
            ws.set_display_name(&name)?;
            println!("changes to {} are now recorded as {name:?} ({})", file.display(), fulcrum::audit::os_user());
        }
        Command::EditLoop { file, scenario, lever, count } => {
            use std::io::Write as _;
            let mut ws = Workspace::open(&file)?;
            let out = std::io::stdout();
            for i in 0..count {
                let mut s = ws.scenario(&scenario).cloned().ok_or_else(|| Error::UnknownScenario(scenario.clone()))?;
                let l = s.levers.iter_mut().find(|l| l.id == lever).ok_or_else(|| Error::Usage(format!("no lever {lever}")))?;
                // Step the lever through its range, wrapping; every write changes the value.
                use rust_decimal::prelude::ToPrimitive as _;
                let positions = ((l.max - l.min) / l.step).trunc().to_u64().unwrap_or(0) + 1;
                let next = l.min + l.step * rust_decimal::Decimal::from((i + 1) % positions.max(2));
                l.value = if next == l.value { l.min } else { next };
                if ws.put_scenario(s).is_ok() {
                    let seq = ws.audit_head()?.0;
                    let mut o = out.lock();
                    let _ = writeln!(o, "{seq} {}", ws.scenario(&scenario).unwrap().levers.iter().find(|l| l.id == lever).unwrap().value);
                    let _ = o.flush();
                }
            }
        }
        Command::Generate { lines, seed, dir } => {
            generate_package(lines, seed, &dir).map_err(|e| Error::Io { path: dir.clone(), source: e })?;
            println!("wrote a synthetic package of {lines} budget lines (seed {seed}) to {}", dir.display());
        }
    }
    Ok(())
}

fn export_command(what: ExportWhat) -> Result<()> {
    use fulcrum::handout;
    let written = match what {
        ExportWhat::Projection { file, scenario, out } => handout::export_comparison(&Workspace::open(&file)?, &[scenario], &out)?,
        ExportWhat::Compare { file, scenarios, out } => handout::export_comparison(&Workspace::open(&file)?, &scenarios, &out)?,
        ExportWhat::Package { file, out } => handout::export_package(&Workspace::open(&file)?, &out)?,
    };
    println!("wrote {} ({})", written.path, written.what);
    Ok(())
}

/// The current time as `2025-03-10T14:25:01Z` (UTC), for backups and history.
fn now_stamp() -> String {
    fulcrum::audit::now_stamp()
}

fn temp_dir(what: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("fulcrum-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::Io { path: dir.clone(), source: e })?;
    Ok(dir)
}

fn summary(ws: &Workspace) {
    let pkg = ws.model().package();
    let d = &pkg.district;
    println!(
        "{}: {} — base year {} ({}), {} budget lines, {} funds, {} departments, {} scenarios",
        ws.path().display(),
        d.name,
        d.base_year,
        year_label(d.base_year),
        pkg.lines.len(),
        pkg.funds.len(),
        pkg.departments.len(),
        ws.scenarios().len()
    );
}

/// Side by side, then differences and their attribution against the first scenario.
fn comparison_text(c: &Comparison, ws: &Workspace) -> String {
    let d = &ws.model().package().district;
    let first = &c.projections[0];
    let mut out = format!("{} — compared against {}\n\n", d.name, first.scenario);
    let mut header = vec!["".to_string()];
    header.extend(first.years.iter().map(|y| year_label(y.year)));
    let mut rows = Vec::new();
    for r in ROWS {
        rows.push(std::iter::once(r.label.to_string()).chain(std::iter::repeat_n(String::new(), first.years.len())).collect());
        for p in &c.projections {
            rows.push(std::iter::once(format!("  {}", p.scenario)).chain(p.years.iter().map(|y| (r.cell)(y))).collect());
        }
    }
    out.push_str(&layout(&header, &rows));
    if c.projections.iter().any(|p| p.years.iter().any(|y| y.below_policy)) {
        out.push_str(&format!("! reserve below the {} % policy\n", d.reserve_policy_pct));
    }
    for a in &c.attributions {
        out.push('\n');
        out.push_str(&attribution_text(a));
    }
    out
}

fn attribution_text(a: &Attribution) -> String {
    let mut out = String::new();
    let mut header = vec![format!("{} minus {}", a.to, a.from)];
    header.extend(a.years.iter().map(|y| year_label(*y)));
    let line = |label: String, v: &[Cents]| -> Vec<String> { std::iter::once(label).chain(v.iter().map(|c| format_dollars(*c))).collect() };
    for (title, total, pick) in [
        ("Surplus", &a.surplus, 0),
        ("Fund balance", &a.fund_balance, 1),
        ("Tax per $100k", &a.tax_per_100k, 2),
    ] {
        let mut rows = vec![line(format!("{title}: difference"), total)];
        for part in &a.contributions {
            let v = match pick {
                0 => &part.surplus,
                1 => &part.fund_balance,
                _ => &part.tax_per_100k,
            };
            if v.iter().any(|c| *c != 0) {
                rows.push(line(format!("  {}", part.label), v));
            }
        }
        let mut h = header.clone();
        h[0] = if pick == 0 { header[0].clone() } else { String::new() };
        out.push_str(&layout(&h, &rows));
        out.push('\n');
    }
    out
}
