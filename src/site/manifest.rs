//! The manifest of an output folder: every published file with its size and content hash,
//! recorded by the build as it writes the files (never by reading them again). `deploy` compares
//! it with the manifest it last published to upload only what changed.
//!
//! Text, one file per line, sorted by path, so that two manifests diff by eye too:
//!
//! ```text
//! # nguoitot-manifest 1
//! anh/ab12-480.webp<TAB>10234<TAB>5f0c…(32 hex digits)
//! ```
//!
//! A published manifest (see [`crate::deploy`]) adds a fourth column: a fingerprint of the
//! headers the file was uploaded with, so that a changed header rule re-uploads the files it
//! covers.

use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's file name in the output folder (never published as a page).
pub const FILE: &str = ".nguoitot-manifest.tsv";
const HEADER: &str = "# nguoitot-manifest 1";

/// A file's identity: its size and the first 128 bits of its BLAKE3 hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest {
    pub size: u64,
    pub hash: [u8; 16],
}

impl Digest {
    pub fn of(contents: &[u8]) -> Digest {
        let full = blake3::hash(contents);
        let mut hash = [0; 16];
        hash.copy_from_slice(&full.as_bytes()[..16]);
        Digest { size: contents.len() as u64, hash }
    }

    fn hex(&self) -> String {
        self.hash.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn parse_hex(text: &str) -> Option<[u8; 16]> {
        if text.len() != 32 || !text.is_ascii() {
            return None;
        }
        let mut hash = [0; 16];
        for (i, byte) in hash.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(hash)
    }
}

/// One file of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub digest: Digest,
    /// Fingerprint of the headers it was published with (published manifests only).
    pub headers: Option<String>,
}

/// Files by path (relative to the output folder, `/`-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

#[derive(Debug, thiserror::Error)]
#[error("dòng {line}: {what}")]
pub struct ParseError {
    pub line: usize,
    pub what: &'static str,
}

impl Manifest {
    pub fn from_digests(digests: impl IntoIterator<Item = (String, Digest)>) -> Manifest {
        Manifest { files: digests.into_iter().map(|(path, digest)| (path, Entry { digest, headers: None })).collect() }
    }

    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.files.len() * 80);
        out.push_str(HEADER);
        out.push('\n');
        for (path, entry) in &self.files {
            out.push_str(path);
            out.push('\t');
            out.push_str(&entry.digest.size.to_string());
            out.push('\t');
            out.push_str(&entry.digest.hex());
            if let Some(headers) = &entry.headers {
                out.push('\t');
                out.push_str(headers);
            }
            out.push('\n');
        }
        out
    }

    pub fn parse(text: &str) -> Result<Manifest, ParseError> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(ParseError { line: 1, what: "không phải tệp kê khai của nguoitot (thiếu dòng đầu \"# nguoitot-manifest 1\")" });
        }
        let mut files = BTreeMap::new();
        for (i, line) in lines.enumerate() {
            let bad = |what| ParseError { line: i + 2, what };
            let mut fields = line.split('\t');
            let (Some(path), Some(size), Some(hash)) = (fields.next(), fields.next(), fields.next()) else {
                return Err(bad("cần đường dẫn, kích thước và mã băm, cách nhau bằng dấu tab"));
            };
            let size = size.parse().map_err(|_| bad("kích thước không phải số"))?;
            let hash = Digest::parse_hex(hash).ok_or_else(|| bad("mã băm cần 32 chữ số thập lục phân"))?;
            let headers = fields.next().map(str::to_string);
            files.insert(path.to_string(), Entry { digest: Digest { size, hash }, headers });
        }
        Ok(Manifest { files })
    }

    /// The manifest of the output folder `output`, if a completed build wrote one.
    pub fn read(output: &Path) -> std::io::Result<Option<Manifest>> {
        match std::fs::read_to_string(output.join(FILE)) {
            Ok(text) => Manifest::parse(&text).map(Some).map_err(std::io::Error::other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|e| e.digest.size).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let mut m = Manifest::from_digests([("index.html".to_string(), Digest::of(b"<p>x</p>")), ("anh/a-1.webp".to_string(), Digest::of(b""))]);
        assert_eq!(Manifest::parse(&m.to_text()).unwrap(), m);
        m.files.get_mut("index.html").unwrap().headers = Some("abcd".into());
        let text = m.to_text();
        assert!(text.starts_with("# nguoitot-manifest 1\nanh/a-1.webp\t0\t"), "{text}");
        assert!(text.ends_with("\tabcd\n"), "{text}");
        assert_eq!(Manifest::parse(&text).unwrap(), m);
    }

    #[test]
    fn refuses_what_it_did_not_write() {
        assert_eq!(Manifest::parse("<html>").unwrap_err().line, 1);
        let e = Manifest::parse("# nguoitot-manifest 1\nindex.html\t12\tnot-hex\n").unwrap_err();
        assert_eq!((e.line, e.what), (2, "mã băm cần 32 chữ số thập lục phân"));
    }
}
