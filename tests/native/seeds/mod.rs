//! The seed files' rules as tables: seed 000's call sequences and seed 001's AMI rules.

mod ami_rules;
mod sequences;
