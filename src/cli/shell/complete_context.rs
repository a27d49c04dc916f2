//! What completion knows of a partly typed line: the program, its positionals, the option
//! being given a value.

use super::*;

pub(super) fn type_name(t: Ty) -> &'static str {
    match t {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Bool => "boolean",
        Ty::StrList => "list",
        Ty::Map => "map",
        Ty::Struct(_) => "structure",
        Ty::StructList(_) => "list of structures",
    }
}

pub(super) fn command_of(
    program: &str,
    positionals: &[String],
) -> Option<&'static schema::Command> {
    match program {
        "play" => schema::find("play", positionals.first()?),
        _ => schema::find(positionals.first()?, positionals.get(1)?),
    }
}

/// What is being typed: complete words before the cursor, the partial word, the positionals
/// after the program (globals and options skipped), and the option awaiting a value.
pub(super) struct Context {
    pub(super) words: Vec<String>,
    pub(super) partial: String,
    pub(super) positionals: Vec<String>,
    pub(super) value_for: Option<String>,
}

impl Context {
    pub(super) fn of(input: &str) -> Context {
        let mut words: Vec<String> = input.split_whitespace().map(String::from).collect();
        let partial = if input.ends_with(char::is_whitespace) || input.is_empty() {
            String::new()
        } else {
            words.pop().unwrap_or_default()
        };
        let mut positionals = Vec::new();
        let mut value_for = None;
        let mut in_options = false;
        let program = words.first().cloned().unwrap_or_default();
        let mut i = 1;
        while let Some(w) = words.get(i) {
            i += 1;
            if w.starts_with("--") {
                in_options = true;
                let takes_value = !w.contains('=') && option_takes_value(&program, &positionals, w);
                if takes_value {
                    match words.get(i) {
                        Some(_) => i += 1,
                        None => value_for = Some(w.clone()),
                    }
                }
            } else if !in_options {
                positionals.push(w.clone());
            }
        }
        Context {
            words,
            partial,
            positionals,
            value_for,
        }
    }
}

pub(super) fn option_takes_value(program: &str, positionals: &[String], opt: &str) -> bool {
    if [
        "--profile",
        "--region",
        "--output",
        "--query",
        "--endpoint-url",
        "--color",
        "--cli-input-json",
        "--account-id",
        "--principal",
        "--role-arn",
        "--source-profile",
        "--role-session-name",
    ]
    .contains(&opt)
    {
        return true;
    }
    match command_of(program, positionals) {
        Some(cmd) => {
            cmd.extras.iter().any(|e| e.option == opt)
                || cmd
                    .param_by_option(opt.get(2..).unwrap_or(""))
                    .is_some_and(|p| p.ty != Ty::Bool)
        }
        None => false,
    }
}
