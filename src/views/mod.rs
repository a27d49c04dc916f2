//! What the app's components show and run, as plain functions of the session: the form of each
//! operation and its suggestions (`forms`), the rows of the resource lists (`rows`), which
//! snapshots and images each list shows (`visibility`), the policy templates (`templates`, the
//! one copy the Policies tab, the forms and the scenarios use) and every command line a button
//! runs (`commands`, built with the shell's `to_cli`), the CloudTrail view filtered by key
//! (`cloudtrail`) and seed 003's S3/EBS/RDS comparison table (`compare`).
//!
//! Native and tested without a browser; `src/app` only draws what these return.

pub mod aliyun_forms;
pub mod aliyun_rows;
pub mod clouds;
pub mod cloudtrail;
pub mod commands;
pub mod compare;
pub mod exam;
pub mod forms;
pub mod predict;
pub mod progress;
pub mod rds_forms;
pub mod rds_rows;
pub mod rows;
pub mod s3_rows;
pub mod templates;
pub mod visibility;
