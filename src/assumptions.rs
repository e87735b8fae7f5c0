//! The assumptions a projection reads, with where each value came from (MODEL.md §5).

use rust_decimal::Decimal;

use crate::model::{AssumptionKey, FiscalYear, Package};
use crate::scenario::{LeverAction, Resolved};

/// Which input set an assumption's final value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `assumptions.csv` of the imported package.
    Package,
    /// The scenario's own (merged) assumptions.
    Scenario,
    /// An `assumption` lever, by id.
    Lever(String),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Package => "assumptions.csv".into(),
            Source::Scenario => "the scenario's assumptions".into(),
            Source::Lever(id) => format!("lever {id:?}"),
        }
    }
}

/// Final assumption values for `B+1 … B+H`, indexed by year then key.
#[derive(Clone, Debug)]
pub struct Assumptions {
    first_year: FiscalYear,
    values: Vec<[Decimal; 12]>,
    sources: Vec<[Source; 12]>,
}

fn slot(key: AssumptionKey) -> usize {
    key as usize
}

impl Assumptions {
    /// Applies the precedence of §5: package, then scenario, then assumption levers in order.
    pub fn resolve(pkg: &Package, scenario: &Resolved) -> Assumptions {
        let years: Vec<FiscalYear> = pkg.district.projection_years().collect();
        let first_year = pkg.district.base_year + 1;
        let mut values = Vec::with_capacity(years.len());
        let mut sources = Vec::with_capacity(years.len());
        for &t in &years {
            let mut row = [Decimal::ZERO; 12];
            for key in AssumptionKey::ALL {
                // A validated package has every key for every year.
                row[slot(key)] = pkg.assumptions.get(&(t, key)).copied().unwrap_or_default();
            }
            values.push(row);
            sources.push(std::array::from_fn(|_| Source::Package));
        }
        let mut a = Assumptions { first_year, values, sources };
        for s in &scenario.assumptions {
            a.set(s.year, s.key, s.value, Source::Scenario);
        }
        for lever in &scenario.levers {
            if let LeverAction::Assumption { key } = &lever.action {
                for &t in &years {
                    if lever.active_in(t) {
                        a.set(t, *key, lever.value, Source::Lever(lever.id.clone()));
                    }
                }
            }
        }
        a
    }

    fn set(&mut self, year: FiscalYear, key: AssumptionKey, value: Decimal, source: Source) {
        if let Some(i) = self.index(year) {
            self.values[i][slot(key)] = value;
            self.sources[i][slot(key)] = source;
        }
    }

    fn index(&self, year: FiscalYear) -> Option<usize> {
        let i = usize::try_from(year - self.first_year).ok()?;
        (i < self.values.len()).then_some(i)
    }

    /// The value of `key` in projection year `year`.
    pub fn get(&self, year: FiscalYear, key: AssumptionKey) -> Decimal {
        self.index(year).map(|i| self.values[i][slot(key)]).unwrap_or_default()
    }

    /// Where the value of `key` in `year` came from.
    pub fn source(&self, year: FiscalYear, key: AssumptionKey) -> Source {
        self.index(year).map(|i| self.sources[i][slot(key)].clone()).unwrap_or(Source::Package)
    }
}
