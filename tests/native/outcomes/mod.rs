//! Seed 000's encryption outcomes table: as data (`table`) and through `src/outcomes.rs` (`rows`).

mod rows;
mod table;
