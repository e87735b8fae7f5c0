//! Comparing scenarios, and attributing their difference to what changed.
//!
//! Attribution walks from the reference scenario to the other one change at a
//! time (each assumption key, each override line, each referendum, each lever),
//! re-projecting after every step. A step's contribution is what the step changed;
//! the contributions telescope, so they add up to the whole difference exactly.
//! Interactions (a salary freeze making a later percent cut smaller, say) belong
//! to the later step, in this fixed order: assumption settings, assumption levers,
//! overrides, referenda, other levers.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{AssumptionKey, FiscalYear};
use crate::money::{cents_str, Cents};
use crate::projection::{Model, Projection};
use crate::report::ProjectionJson;
use crate::scenario::{Lever, LeverAction, Resolved};

/// What one step of the walk changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Change {
    /// The scenario's settings of one assumption key.
    Assumption(AssumptionKey),
    /// A lever (by id), added, removed or set differently.
    Lever(String),
    /// Overrides of one line.
    Override(String),
    /// A referendum, by name.
    Referendum(String),
    /// The order in which assumption levers of one key apply.
    LeverOrder,
}

/// What one change contributes, per projection year `B+1 … B+H`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contribution {
    pub change: Change,
    pub label: String,
    #[serde(serialize_with = "cents_list")]
    pub surplus: Vec<Cents>,
    #[serde(serialize_with = "cents_list")]
    pub fund_balance: Vec<Cents>,
    #[serde(serialize_with = "cents_list")]
    pub tax_per_100k: Vec<Cents>,
}

fn cents_list<S: serde::Serializer>(v: &[Cents], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|c| cents_str(*c)))
}

/// How scenario `to` differs from `from`, split into contributions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attribution {
    pub from: String,
    pub to: String,
    pub years: Vec<FiscalYear>,
    #[serde(serialize_with = "cents_list")]
    pub surplus: Vec<Cents>,
    #[serde(serialize_with = "cents_list")]
    pub fund_balance: Vec<Cents>,
    #[serde(serialize_with = "cents_list")]
    pub tax_per_100k: Vec<Cents>,
    pub contributions: Vec<Contribution>,
}

/// Projections of 2-4 scenarios, each against the first.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub projections: Vec<Projection>,
    /// One per scenario after the first: how it differs from the first.
    pub attributions: Vec<Attribution>,
}

/// `fulcrum compare --json`.
#[derive(Serialize)]
pub struct ComparisonJson {
    pub reference: String,
    pub scenarios: Vec<ProjectionJson>,
    pub attributions: Vec<Attribution>,
}

impl Comparison {
    pub fn to_json(&self) -> ComparisonJson {
        ComparisonJson {
            reference: self.projections[0].scenario.clone(),
            scenarios: self.projections.iter().map(ProjectionJson::of).collect(),
            attributions: self.attributions.clone(),
        }
    }
}

/// Compares resolved scenarios (the first is the reference).
pub fn compare(model: &Model, scenarios: &[Resolved]) -> Result<Comparison> {
    if !(2..=4).contains(&scenarios.len()) {
        return Err(Error::Usage(format!("compare takes 2 to 4 scenarios, not {}", scenarios.len())));
    }
    let projections = scenarios.iter().map(|s| model.project(s)).collect::<Result<Vec<_>>>()?;
    let attributions = scenarios[1..].iter().map(|s| attribute(model, &scenarios[0], s)).collect::<Result<_>>()?;
    Ok(Comparison { projections, attributions })
}

/// The three figures attribution splits, per projection year.
#[derive(Clone)]
struct Figures {
    surplus: Vec<Cents>,
    fund_balance: Vec<Cents>,
    tax: Vec<Cents>,
}

impl Figures {
    fn of(p: &Projection) -> Figures {
        let years = &p.years[1..];
        Figures {
            surplus: years.iter().map(|y| y.surplus).collect(),
            fund_balance: years.iter().map(|y| y.fund_balance).collect(),
            tax: years.iter().map(|y| y.tax_per_100k.unwrap_or(0)).collect(),
        }
    }
}

fn minus(a: &[Cents], b: &[Cents]) -> Vec<Cents> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

fn is_assumption_lever(l: &Lever) -> bool {
    matches!(l.action, LeverAction::Assumption { .. })
}

/// The scenario part way from `a` to `b`: the changes in `applied` take `b`'s form.
///
/// With no change applied it is `a`; with every change applied it holds `b`'s items,
/// in `b`'s order whenever `b` inherits from `a` (the merge keeps the parent's order).
fn compose(a: &Resolved, b: &Resolved, applied: &[Change]) -> Resolved {
    let done = |c: &Change| applied.contains(c);
    let mut r = Resolved { name: b.name.clone(), ..Default::default() };

    // Assumption settings: per key, all of b's or all of a's.
    r.assumptions = a
        .assumptions
        .iter()
        .filter(|s| !done(&Change::Assumption(s.key)))
        .chain(b.assumptions.iter().filter(|s| done(&Change::Assumption(s.key))))
        .cloned()
        .collect();

    // Items by identity, in a's order: an applied change puts b's form in the item's
    // place (or drops it), and b's new items follow in b's order, as merging does.
    fn walk<T: Clone, K: PartialEq>(
        a: &[T],
        b: &[T],
        id: impl Fn(&T) -> K,
        applied: impl Fn(&T) -> bool,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for old in a {
            match b.iter().find(|x| id(x) == id(old)) {
                Some(new) if applied(new) => out.push(new.clone()),
                None if applied(old) => {}
                _ => out.push(old.clone()),
            }
        }
        for new in b {
            if applied(new) && !a.iter().any(|x| id(x) == id(new)) {
                out.push(new.clone());
            }
        }
        out
    }
    r.levers = walk(&a.levers, &b.levers, |l| l.id.clone(), |l| done(&Change::Lever(l.id.clone())));
    r.referenda = walk(&a.referenda, &b.referenda, |x| x.name.clone(), |x| done(&Change::Referendum(x.name.clone())));
    r.overrides = walk(
        &a.overrides,
        &b.overrides,
        |o| (o.line.clone(), o.year),
        |o| done(&Change::Override(o.line.clone())),
    );
    r
}

/// The changes from `a` to `b`, in attribution order.
fn changes(a: &Resolved, b: &Resolved) -> Vec<(Change, String)> {
    let mut out = Vec::new();
    for key in AssumptionKey::ALL {
        let of = |r: &Resolved| {
            let mut v: Vec<_> = r.assumptions.iter().filter(|s| s.key == key).map(|s| (s.year, s.value)).collect();
            v.sort();
            v
        };
        if of(a) != of(b) {
            let years: Vec<String> = of(b).iter().map(|(y, v)| format!("{y}: {v}")).collect();
            let label = if years.is_empty() {
                format!("{key} back to the package's values")
            } else {
                format!("{key} ({})", years.join(", "))
            };
            out.push((Change::Assumption(key), label));
        }
    }
    // A lever that is an assumption lever on either side changes assumptions; the
    // others are additive (§7) and are walked last.
    let lever_changes = |assumption: bool, out: &mut Vec<(Change, String)>| {
        let mut seen = BTreeSet::new();
        for l in b.levers.iter().chain(a.levers.iter()) {
            if !seen.insert(l.id.clone()) {
                continue;
            }
            let (old, new) = (a.levers.iter().find(|x| x.id == l.id), b.levers.iter().find(|x| x.id == l.id));
            if old.into_iter().chain(new).any(is_assumption_lever) != assumption || old == new {
                continue;
            }
            let label = match (old, new) {
                (None, Some(n)) => format!("{} ({})", n.name, n.value),
                (Some(o), None) => format!("{} removed (was {})", o.name, o.value),
                (Some(o), Some(n)) if o.value != n.value => format!("{} ({} → {})", n.name, o.value, n.value),
                (_, Some(n)) => format!("{} (changed)", n.name),
                (None, None) => continue,
            };
            out.push((Change::Lever(l.id.clone()), label));
        }
    };
    lever_changes(true, &mut out);
    let mut lines = BTreeSet::new();
    for o in b.overrides.iter().chain(&a.overrides) {
        if lines.contains(&o.line) {
            continue;
        }
        let of = |r: &Resolved| {
            let mut v: Vec<_> = r.overrides.iter().filter(|x| x.line == o.line).map(|x| (x.year, x.amount)).collect();
            v.sort();
            v
        };
        if of(a) != of(b) {
            out.push((Change::Override(o.line.clone()), format!("override of {}", o.line)));
        }
        lines.insert(o.line.clone());
    }
    let mut names = BTreeSet::new();
    for r in b.referenda.iter().chain(&a.referenda) {
        if !names.insert(r.name.clone()) {
            continue;
        }
        let (old, new) = (a.referenda.iter().find(|x| x.name == r.name), b.referenda.iter().find(|x| x.name == r.name));
        if old != new {
            let label = if new.is_none() { format!("referendum {:?} removed", r.name) } else { format!("referendum {:?}", r.name) };
            out.push((Change::Referendum(r.name.clone()), label));
        }
    }
    lever_changes(false, &mut out);
    out
}

/// Splits the difference `b − a` in surplus, fund balance and tax per $100k.
pub fn attribute(model: &Model, a: &Resolved, b: &Resolved) -> Result<Attribution> {
    let start_projection = model.run(a)?;
    let start = Figures::of(&start_projection);
    let end_projection = model.run(b)?;
    let end = Figures::of(&end_projection);
    let additive = |c: &Change| match c {
        Change::Lever(id) => a.levers.iter().chain(&b.levers).filter(|l| &l.id == id).all(|l| !is_assumption_lever(l)),
        _ => false,
    };
    let (levers, others): (Vec<_>, Vec<_>) = changes(a, b).into_iter().partition(|(c, _)| additive(c));
    let mut before = start.clone();
    let mut before_projection = start_projection;
    let mut contributions = Vec::new();
    let mut applied = Vec::new();
    for (change, label) in others {
        applied.push(change.clone());
        let projection = model.run(&compose(a, b, &applied))?;
        let after = Figures::of(&projection);
        contributions.push(Contribution {
            change,
            label,
            surplus: minus(&after.surplus, &before.surplus),
            fund_balance: minus(&after.fund_balance, &before.fund_balance),
            tax_per_100k: minus(&after.tax, &before.tax),
        });
        before = after;
        before_projection = projection;
    }
    // Every other change is now applied. The remaining levers book amounts that
    // neither compound nor touch the levy (§7), so each one's part is its effect in
    // `b` less its effect here; the fund balance carries it forward; the tax is unmoved.
    let years = before.surplus.len();
    let effect = |p: &Projection, id: &str| p.lever(id).map_or_else(|| vec![0; years], |l| l.effect.clone());
    for (change, label) in levers {
        let Change::Lever(id) = &change else { continue };
        let surplus = minus(&effect(&end_projection, id), &effect(&before_projection, id));
        let fund_balance = surplus.iter().scan(0, |run, s| {
            *run += s;
            Some(*run)
        }).collect::<Vec<_>>();
        for (i, s) in surplus.iter().enumerate() {
            before.surplus[i] += s;
            before.fund_balance[i] += fund_balance[i];
        }
        contributions.push(Contribution { change, label, tax_per_100k: vec![0; surplus.len()], surplus, fund_balance });
    }
    // Two unrelated scenarios may list assumption levers of one key in another
    // order, and order decides which wins; what that alone changes is its own line.
    let rest = (minus(&end.surplus, &before.surplus), minus(&end.fund_balance, &before.fund_balance), minus(&end.tax, &before.tax));
    if [&rest.0, &rest.1, &rest.2].iter().any(|v| v.iter().any(|c| *c != 0)) {
        contributions.push(Contribution {
            change: Change::LeverOrder,
            label: "order of assumption levers".into(),
            surplus: rest.0,
            fund_balance: rest.1,
            tax_per_100k: rest.2,
        });
    }
    let years = model.package().district.projection_years().collect();
    Ok(Attribution {
        from: a.name.clone(),
        to: b.name.clone(),
        years,
        surplus: minus(&end.surplus, &start.surplus),
        fund_balance: minus(&end.fund_balance, &start.fund_balance),
        tax_per_100k: minus(&end.tax, &start.tax),
        contributions,
    })
}
