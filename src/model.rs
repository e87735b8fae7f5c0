//! The district package of MODEL.md §3: what the finance office imported.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::money::Cents;

/// A fiscal year, named by the calendar year it ends in.
pub type FiscalYear = i32;

/// `"2024-25"` for FY 2025.
pub fn year_label(year: FiscalYear) -> String {
    format!("{}-{:02}", year - 1, year.rem_euclid(100))
}

/// The district as a whole (`district.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    pub name: String,
    pub base_year: FiscalYear,
    pub horizon: u32,
    /// RLrec(B), the recurring revenue limit of the base year.
    pub revenue_limit_recurring_base: Cents,
    pub reserve_policy_pct: Decimal,
}

impl District {
    /// The projection years `B+1 … B+H`.
    pub fn projection_years(&self) -> std::ops::RangeInclusive<FiscalYear> {
        self.base_year + 1..=self.base_year + self.horizon as i32
    }
}

/// A fund of `funds.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fund {
    pub code: String,
    pub name: String,
    pub opening_balance: Cents,
    pub operating: bool,
}

/// What a department is, for lever filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    School,
    Central,
    Districtwide,
}

impl DepartmentKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "school" => Some(Self::School),
            "central" => Some(Self::Central),
            "districtwide" => Some(Self::Districtwide),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::Central => "central",
            Self::Districtwide => "districtwide",
        }
    }
}

/// A department of `departments.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub kind: DepartmentKind,
}

/// Revenue or expense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Revenue,
    Expense,
}

impl LineKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "revenue" => Some(Self::Revenue),
            "expense" => Some(Self::Expense),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revenue => "revenue",
            Self::Expense => "expense",
        }
    }
}

/// How a line grows from one year to the next (MODEL.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    Salaries,
    Benefits,
    Inflation,
    Enrollment,
    Flat,
    OneTime,
    /// Computed: the fund-10 property tax levy.
    Levy,
    /// Computed: fund-10 general aid.
    GeneralAid,
    /// Computed: the general fund's transfer to special education.
    Transfer27,
}

impl Rule {
    /// The rules a user may write in the `rule` column.
    pub fn parse_written(s: &str) -> Option<Self> {
        match s {
            "salaries" => Some(Self::Salaries),
            "benefits" => Some(Self::Benefits),
            "inflation" => Some(Self::Inflation),
            "enrollment" => Some(Self::Enrollment),
            "flat" => Some(Self::Flat),
            "one_time" => Some(Self::OneTime),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Salaries => "salaries",
            Self::Benefits => "benefits",
            Self::Inflation => "inflation",
            Self::Enrollment => "enrollment",
            Self::Flat => "flat",
            Self::OneTime => "one_time",
            Self::Levy => "levy",
            Self::GeneralAid => "general_aid",
            Self::Transfer27 => "transfer_27",
        }
    }

    pub fn is_computed(self) -> bool {
        matches!(self, Self::Levy | Self::GeneralAid | Self::Transfer27)
    }

    /// The default rule of a line from its fund, kind and code.
    pub fn default_for(fund: &str, kind: LineKind, code: u16) -> Rule {
        match kind {
            LineKind::Expense => match code {
                827 if fund == "10" => Rule::Transfer27,
                100..=199 => Rule::Salaries,
                200..=299 => Rule::Benefits,
                300..=599 | 700..=799 => Rule::Inflation,
                _ => Rule::Flat,
            },
            LineKind::Revenue => match (fund, code) {
                ("10", 211) => Rule::Levy,
                ("10", 621) => Rule::GeneralAid,
                ("27", 100) => Rule::Transfer27,
                _ => Rule::Flat,
            },
        }
    }
}

/// A base-year budget line; rows with the same name are summed into one.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetLine {
    pub fund: String,
    pub location: String,
    pub kind: LineKind,
    pub code: u16,
    pub function: String,
    pub project: String,
    pub department: String,
    pub description: String,
    pub amount: Cents,
    pub fte: Option<Decimal>,
    pub rule: Rule,
    /// The `budget_lines.csv` rows it was summed from (header is row 1).
    pub source_rows: Vec<u32>,
}

impl BudgetLine {
    /// `fund-location-code-function-project/kind`.
    pub fn name(&self) -> String {
        line_name(&self.fund, &self.location, self.code, &self.function, &self.project, self.kind)
    }
}

/// The name of a line from its fields.
pub fn line_name(fund: &str, location: &str, code: u16, function: &str, project: &str, kind: LineKind) -> String {
    format!("{fund}-{location}-{code:03}-{function}-{project}/{}", kind.as_str())
}

/// An assumption key of MODEL.md §5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssumptionKey {
    Membership,
    SalaryIncreasePct,
    BenefitGrowthPct,
    InflationPct,
    PerPupilAdjustment,
    LowRevenueCeiling,
    GeneralAid,
    ReferendumAidSharePct,
    EqualizedValue,
    LevyOutsideLimit,
    ExemptionRecurring,
    ExemptionNonrecurring,
}

impl AssumptionKey {
    pub const ALL: [AssumptionKey; 12] = [
        Self::Membership,
        Self::SalaryIncreasePct,
        Self::BenefitGrowthPct,
        Self::InflationPct,
        Self::PerPupilAdjustment,
        Self::LowRevenueCeiling,
        Self::GeneralAid,
        Self::ReferendumAidSharePct,
        Self::EqualizedValue,
        Self::LevyOutsideLimit,
        Self::ExemptionRecurring,
        Self::ExemptionNonrecurring,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Membership => "membership",
            Self::SalaryIncreasePct => "salary_increase_pct",
            Self::BenefitGrowthPct => "benefit_growth_pct",
            Self::InflationPct => "inflation_pct",
            Self::PerPupilAdjustment => "per_pupil_adjustment",
            Self::LowRevenueCeiling => "low_revenue_ceiling",
            Self::GeneralAid => "general_aid",
            Self::ReferendumAidSharePct => "referendum_aid_share_pct",
            Self::EqualizedValue => "equalized_value",
            Self::LevyOutsideLimit => "levy_outside_limit",
            Self::ExemptionRecurring => "exemption_recurring",
            Self::ExemptionNonrecurring => "exemption_nonrecurring",
        }
    }

    /// What values the key takes.
    pub fn unit(self) -> Unit {
        match self {
            Self::Membership => Unit::Members,
            Self::SalaryIncreasePct
            | Self::BenefitGrowthPct
            | Self::InflationPct
            | Self::ReferendumAidSharePct => Unit::Percent,
            _ => Unit::Money,
        }
    }
}

impl fmt::Display for AssumptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of number an assumption holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Whole members.
    Members,
    /// A percent number, `2.63` = 2.63 %.
    Percent,
    /// Dollars with at most two decimals.
    Money,
}

/// The imported package: the base year and the assumptions every scenario starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub district: District,
    /// Whole members by year, at least `B-2 … B`.
    pub membership: BTreeMap<FiscalYear, i64>,
    pub funds: Vec<Fund>,
    pub departments: Vec<Department>,
    pub lines: Vec<BudgetLine>,
    /// `assumptions.csv`: every key for every projection year.
    pub assumptions: BTreeMap<(FiscalYear, AssumptionKey), Decimal>,
}

impl Package {
    pub fn fund(&self, code: &str) -> Option<&Fund> {
        self.funds.iter().find(|f| f.code == code)
    }
    pub fn department(&self, code: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.code == code)
    }
    pub fn line_index(&self, name: &str) -> Option<usize> {
        self.lines.iter().position(|l| l.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_are_labelled_by_school_year() {
        assert_eq!(year_label(2025), "2024-25");
        assert_eq!(year_label(2000), "1999-00");
    }

    #[test]
    fn default_rules_follow_the_code_table() {
        use LineKind::*;
        assert_eq!(Rule::default_for("10", Expense, 110), Rule::Salaries);
        assert_eq!(Rule::default_for("10", Expense, 299), Rule::Benefits);
        assert_eq!(Rule::default_for("10", Expense, 599), Rule::Inflation);
        assert_eq!(Rule::default_for("10", Expense, 600), Rule::Flat);
        assert_eq!(Rule::default_for("10", Expense, 750), Rule::Inflation);
        assert_eq!(Rule::default_for("10", Expense, 827), Rule::Transfer27);
        assert_eq!(Rule::default_for("21", Expense, 827), Rule::Flat);
        assert_eq!(Rule::default_for("10", Revenue, 211), Rule::Levy);
        assert_eq!(Rule::default_for("38", Revenue, 211), Rule::Flat);
        assert_eq!(Rule::default_for("10", Revenue, 621), Rule::GeneralAid);
        assert_eq!(Rule::default_for("27", Revenue, 100), Rule::Transfer27);
        assert_eq!(Rule::default_for("10", Revenue, 100), Rule::Flat);
    }
}
