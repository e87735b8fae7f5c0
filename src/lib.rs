//! Fulcrum: the scenario engine of a school district's budget model.
//!
//! The engine does no UI and no network: it reads packages, stores district
//! files and projects scenarios, exactly as `MODEL.md` says.
pub mod assumptions;
pub mod compare;
pub mod error;
pub mod explain;
pub mod generate;
pub mod import;
pub mod model;
pub mod money;
pub mod projection;
pub mod recent;
pub mod report;
pub mod scenario;
pub mod store;
pub mod view;
pub mod workspace;

pub use error::{Error, Problem, Result};
