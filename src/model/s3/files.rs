//! The playground's file store (`play file put|show|list`): the page has no file system, so
//! put-object's `--body` reads a file from here and get-object's outfile is written here. The
//! files are part of the simulated state, so a replayed session has the same files.

use super::*;

/// Largest file, in bytes.
const MAX_FILE: usize = 64 * 1024;

/// A file name: 1 to 128 printable characters without spaces.
pub(crate) fn check_name(name: &str) -> AwsResult<()> {
    let ok = !name.is_empty() && name.len() <= 128 && name.chars().all(|c| c.is_ascii_graphic());
    match ok {
        true => Ok(()),
        false => Err(AwsError::new(
            "InvalidParameterValue",
            "A file name is 1 to 128 printable characters without spaces.",
        )),
    }
}

impl Sim {
    /// The bytes of a playground file (the body of put-object).
    pub(crate) fn file_bytes(&self, name: &str) -> AwsResult<Vec<u8>> {
        let name = name.strip_prefix("./").unwrap_or(name);
        self.s3
            .files
            .get(name)
            .map(|t| t.as_bytes().to_vec())
            .ok_or_else(|| {
                S3Code::NoSuchFile.err(format!(
                    "The playground has no file '{name}': create it with play file put --name {name} --text '…'."
                ))
            })
    }

    /// `play file put`.
    pub(crate) fn play_put_file(&mut self, _caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Name")?;
        let text = q.str("Text")?;
        check_name(&name)?;
        if text.len() > MAX_FILE {
            return Err(AwsError::new(
                "InvalidParameterValue",
                "A file holds at most 64 KiB.",
            ));
        }
        let size = text.len();
        self.s3.files.insert(name.clone(), text);
        Ok(json!({"Name": name, "Size": size}))
    }

    /// `play file show`.
    pub(crate) fn play_show_file(&mut self, _caller: &Caller, q: &Params) -> AwsResult<Value> {
        let name = q.str("Name")?;
        let bytes = self.file_bytes(&name)?;
        Ok(json!({"Name": name, "Size": bytes.len(), "Text": String::from_utf8_lossy(&bytes)}))
    }

    /// `play file list`.
    pub(crate) fn play_list_files(&mut self, _caller: &Caller, _q: &Params) -> AwsResult<Value> {
        let files: Vec<Value> = self
            .s3
            .files
            .iter()
            .map(|(n, t)| json!({"Name": n, "Size": t.len()}))
            .collect();
        Ok(json!({"Files": files}))
    }
}
