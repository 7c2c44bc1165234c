//! Story photos: decoded, turned upright, resized and re-encoded, so nothing of the source's
//! metadata (EXIF, GPS, camera model) reaches the output.
//!
//! Output names carry a hash of the source bytes and the settings, so an unchanged photo keeps
//! its URL and browsers cache it for good.

use std::io::Cursor;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::{display_path, Story};
use crate::diagnostics::Diagnostics;

/// Largest width written; phone photos (4000 px) are scaled down, small ones never up.
pub const MAX_WIDTH: u32 = 1600;
const JPEG_QUALITY: u8 = 82;
/// Refuse images claiming more pixels than this (decompression bombs).
pub const MAX_PIXELS: u64 = 100_000_000;

/// A processed photo as pages reference it.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoOutput {
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// Output path relative to the site output folder.
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("không đọc được tệp ảnh: {0}")]
    Read(#[from] std::io::Error),
    #[error("tệp không phải ảnh JPEG, PNG, WebP hay GIF, hoặc ảnh bị hỏng: {0}")]
    Decode(#[from] image::ImageError),
    #[error("ảnh khai báo {width}×{height} điểm ảnh, vượt giới hạn {limit} triệu điểm ảnh")]
    TooLarge { width: u32, height: u32, limit: u64 },
}

/// Reads only the header: the format is known and the size within limits. Cheap, for `check`.
pub fn probe(path: &Path) -> Result<(u32, u32), PhotoError> {
    let reader = ImageReader::open(path)?.with_guessed_format()?;
    check_size(reader.into_dimensions()?)
}

fn check_size((width, height): (u32, u32)) -> Result<(u32, u32), PhotoError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooLarge { width, height, limit: MAX_PIXELS / 1_000_000 });
    }
    Ok((width, height))
}

/// Processes one photo file.
pub fn process(path: &Path) -> Result<PhotoOutput, PhotoError> {
    let bytes = std::fs::read(path)?;
    let mut reader = ImageReader::new(Cursor::new(&bytes)).with_guessed_format()?;
    check_size(ImageReader::new(Cursor::new(&bytes)).with_guessed_format()?.into_dimensions()?)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    if img.width() > MAX_WIDTH {
        img = img.resize(MAX_WIDTH, u32::MAX, image::imageops::FilterType::Lanczos3);
    }
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb)?;
    let mut hasher = blake3::Hasher::new();
    hasher.update(&bytes);
    hasher.update(format!("jpeg:{MAX_WIDTH}:{JPEG_QUALITY}").as_bytes());
    let hash = hasher.finalize().to_hex();
    let file = format!("anh/{}.jpg", &hash[..20]);
    Ok(PhotoOutput { url: format!("/{file}"), width: rgb.width(), height: rgb.height(), file, bytes: out })
}

/// Processes the photo of every story in parallel; failures become located errors.
pub fn process_all(root: &Path, stories: &[&Story]) -> Result<Vec<Option<PhotoOutput>>, Diagnostics> {
    let results: Vec<_> = stories
        .par_iter()
        .map(|s| s.photo.as_ref().map(|p| (p, process(&p.path))))
        .collect();
    let mut diags = Diagnostics::default();
    let mut photos = Vec::with_capacity(results.len());
    for (story, result) in stories.iter().zip(results) {
        match result {
            None => photos.push(None),
            Some((_, Ok(out))) => photos.push(Some(out)),
            Some((photo, Err(e))) => {
                diags.error(&display_path(root, Path::new(&story.source)), photo.position, format!("trường `photo.src` (\"{}\"): {e}", photo.src));
                photos.push(None);
            }
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(photos) }
}
