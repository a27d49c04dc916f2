//! The AWS CLI front end (`src/cli/`) against a fake backend.

mod parse;
