//! Fulcrum: the scenario engine of a school district's budget model.
pub mod generate;
