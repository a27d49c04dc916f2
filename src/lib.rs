//! The EBS/KMS encryption playground: a deterministic simulation core, the AWS CLI front end,
//! the sequence-diagram layout, and (on wasm32) the Leptos app that draws them.
#![recursion_limit = "1024"]

#[cfg(target_arch = "wasm32")]
pub mod app;
pub mod cli;
pub mod diagram;
pub mod embed;
#[doc(hidden)]
pub mod json_macro;
pub mod model;
pub mod outcomes;
pub mod outcomes_aliyun;
pub mod scenarios;
pub mod scenarios_aliyun;
pub mod scenarios_compliance;
pub mod scenarios_rds;
pub mod scenarios_s3;
pub mod session;
pub mod sort;
pub mod views;
