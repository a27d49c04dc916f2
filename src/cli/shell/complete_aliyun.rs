//! Completion and the help line for `aliyun …` and `play …` lines of an Alibaba Cloud world:
//! products, API names, `--Member` options (with `.Member` and `.1.Member` forms for
//! structures), and the values of options with a fixed set (categories, zones, regions,
//! `true`/`false`, profiles).

use super::*;
use crate::model::ops::{aliyun, Op};

/// The words of a partly typed line: complete words, the partial word, the positionals after
/// the program, and the option whose value is being typed.
struct Line {
    partial: String,
    positionals: Vec<String>,
    value_for: Option<String>,
    given: Vec<String>,
}

impl Line {
    fn of(input: &str) -> Line {
        let mut words: Vec<String> = input.split_whitespace().map(String::from).collect();
        let partial = if input.ends_with(char::is_whitespace) || input.is_empty() {
            String::new()
        } else {
            words.pop().unwrap_or_default()
        };
        let mut positionals = Vec::new();
        let mut value_for = None;
        let mut given = Vec::new();
        let mut i = 1;
        while let Some(w) = words.get(i) {
            i += 1;
            if let Some(name) = w.strip_prefix("--") {
                given.push(name.to_string());
                // Every aliyun option takes a value.
                match words.get(i) {
                    Some(_) => i += 1,
                    None => value_for = Some(w.clone()),
                }
            } else if given.is_empty() {
                positionals.push(w.clone());
            }
        }
        Line {
            partial,
            positionals,
            value_for,
            given,
        }
    }
}

/// The operation a line names so far.
fn op_of(program: &str, positionals: &[String]) -> Option<&'static Op> {
    match program {
        "play" => aliyun::find("play", positionals.first()?),
        _ => aliyun::find(positionals.first()?, positionals.get(1)?),
    }
}

/// The options of an operation, structures and lists spelled out member by member.
fn options(op: &Op) -> Vec<String> {
    let mut out = Vec::new();
    for p in op.params {
        match p.ty {
            Ty::Struct(ms) => out.extend(ms.iter().map(|m| format!("--{}.{}", p.name, m.name))),
            Ty::StructList(ms) => {
                out.extend(ms.iter().map(|m| format!("--{}.1.{}", p.name, m.name)))
            }
            Ty::StrList => out.push(format!("--{}.1", p.name)),
            _ => out.push(format!("--{}", p.name)),
        }
    }
    out
}

impl Shell {
    /// [`Shell::complete`] in an Alibaba Cloud world.
    pub(super) fn complete_aliyun(&self, input: &str) -> Vec<String> {
        let l = Line::of(input);
        let program = input.split_whitespace().next().unwrap_or("");
        let mut cands: Vec<String> = match (program, l.positionals.len()) {
            ("", _) => ["aliyun", "play", "echo", "export"]
                .map(String::from)
                .to_vec(),
            _ if !input.contains(char::is_whitespace) => ["aliyun", "play", "echo", "export"]
                .map(String::from)
                .to_vec(),
            ("aliyun", 0) if l.given.is_empty() => {
                aliyun::PRODUCTS.iter().map(|p| p.to_string()).collect()
            }
            ("aliyun", 1) if l.given.is_empty() => aliyun::commands_of(&l.positionals[0])
                .map(|o| o.name.to_string())
                .collect(),
            ("play", 0) if l.given.is_empty() => aliyun::commands_of("play")
                .map(|o| o.name.to_string())
                .chain(["profile".to_string()])
                .collect(),
            ("aliyun" | "play", _) => match op_of(program, &l.positionals) {
                Some(op) => match &l.value_for {
                    Some(opt) => self.aliyun_values(op, opt),
                    None => options(op)
                        .into_iter()
                        .chain(["--profile", "--cli-query"].map(String::from))
                        .filter(|o| !l.given.iter().any(|g| format!("--{g}") == *o))
                        .collect(),
                },
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        cands.retain(|c| c.starts_with(l.partial.as_str()));
        cands.dedup();
        cands
    }

    fn aliyun_values(&self, op: &Op, opt: &str) -> Vec<String> {
        let name = opt.trim_start_matches("--");
        let region = self
            .caller(None, None)
            .map(|c| c.region)
            .unwrap_or_default();
        let provider = self.cloud.provider();
        match name {
            "profile" => return self.profiles.iter().map(|p| p.name.clone()).collect(),
            "RegionId" | "DestinationRegionId" => {
                return provider.regions.iter().map(|r| r.to_string()).collect()
            }
            "ZoneId" => return provider.zones(&region),
            _ => {}
        }
        let mut parts = name.split('.');
        let top = parts.next().unwrap_or("");
        let member = parts.next_back();
        let Some(p) = op.param(top) else {
            return Vec::new();
        };
        let ty = match (p.ty, member) {
            (Ty::Struct(ms) | Ty::StructList(ms), Some(m)) => {
                ms.iter().find(|x| x.name == m).map(|x| x.ty)
            }
            (t, _) => Some(t),
        };
        if ty == Some(Ty::Bool) {
            return vec!["true".into(), "false".into()];
        }
        if member == Some("Category") {
            return crate::model::ops::DISK_CATEGORIES
                .iter()
                .map(|c| c.to_string())
                .collect();
        }
        p.choices.iter().map(|c| c.to_string()).collect()
    }

    /// [`Shell::help`] in an Alibaba Cloud world.
    pub(super) fn help_aliyun(&self, input: &str) -> Option<String> {
        let l = Line::of(input);
        let program = input.split_whitespace().next()?;
        if program != "aliyun" && program != "play" {
            return None;
        }
        let mut pos = l.positionals.clone();
        if !l.partial.is_empty() && !l.partial.starts_with('-') && l.given.is_empty() {
            pos.push(l.partial.clone());
        }
        let op = op_of(program, &pos)?;
        let current = if l.partial.starts_with("--") {
            Some(l.partial.clone())
        } else {
            l.value_for.clone()
        };
        if let Some(opt) = current {
            let top = opt.trim_start_matches("--").split('.').next().unwrap_or("");
            if let Some(p) = op.param(top) {
                return Some(format!("--{} ({}): {}", p.name, type_name(p.ty), p.help));
            }
        }
        let required: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("--{}", p.name))
            .collect();
        Some(if required.is_empty() {
            format!("{}: {}", op.prefix(), op.help)
        } else {
            format!(
                "{}: {} Required: {}",
                op.prefix(),
                op.help,
                required.join(" ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_products_apis_options_and_values() {
        let s = Shell::new_in(Cloud::Alibaba);
        assert!(s.complete("").contains(&"aliyun".to_string()));
        assert_eq!(s.complete("aliyun e"), vec!["ecs"]);
        assert!(s
            .complete("aliyun ecs Create")
            .contains(&"CreateDisk".to_string()));
        let opts = s.complete("aliyun ecs CreateDisk --");
        assert!(opts.contains(&"--KMSKeyId".to_string()), "{opts:?}");
        assert!(s
            .complete("aliyun ecs RunInstances --Sys")
            .contains(&"--SystemDisk.Encrypted".to_string()));
        assert!(s
            .complete("aliyun ecs RunInstances --Data")
            .contains(&"--DataDisk.1.KMSKeyId".to_string()));
        assert_eq!(
            s.complete("aliyun ecs CreateDisk --Encrypted "),
            vec!["true", "false"]
        );
        assert!(s
            .complete("aliyun ecs CreateDisk --ZoneId ")
            .contains(&"cn-hangzhou-i".to_string()));
        assert!(s
            .complete("aliyun ecs CreateDisk --DiskCategory cloud_e")
            .contains(&"cloud_essd".to_string()));
        assert!(s
            .complete("aliyun ecs RunInstances --SystemDisk.Category ")
            .contains(&"cloud_essd_entry".to_string()));
        // Options already given are not offered again.
        assert!(!s
            .complete("aliyun ecs CreateDisk --Size 40 --")
            .contains(&"--Size".to_string()));
        assert!(s.complete("play ").contains(&"write".to_string()));
    }

    #[test]
    fn help_line_names_the_operation_and_the_option() {
        let s = Shell::new_in(Cloud::Alibaba);
        let h = s
            .help_aliyun("aliyun kms ScheduleKeyDeletion")
            .unwrap_or_default();
        assert!(h.contains("Required: --KeyId --PendingWindowInDays"), "{h}");
        let h = s
            .help_aliyun("aliyun ecs CreateDisk --KMSKeyId")
            .unwrap_or_default();
        assert!(h.starts_with("--KMSKeyId (string)"), "{h}");
        assert_eq!(s.help_aliyun("aws ec2"), None);
    }
}
