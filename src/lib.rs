//! Fulcrum: the scenario engine of a school district's budget model.
//!
//! The engine does no UI and no network: it reads packages, stores district
//! files and projects scenarios, exactly as `MODEL.md` says.
pub mod assumptions;
pub mod audit;
pub mod compare;
pub mod dataflow;
pub mod department;
pub mod error;
pub mod explain;
pub mod export;
pub mod generate;
pub mod handout;
pub mod import;
pub mod intake;
pub mod ledger;
pub mod model;
pub mod money;
pub mod packet;
pub mod projection;
pub mod recent;
pub mod report;
pub mod rollforward;
pub mod scenario;
pub mod store;
pub mod text;
pub mod tieout;
pub mod versions;
pub mod view;
pub mod workbook;
pub mod workspace;

pub use error::{Error, Problem, Result};
