//! Photos: decoded, turned upright, resized to a few widths and re-encoded as JPEG and WebP, so
//! nothing of the source's metadata (EXIF, XMP, GPS, camera model) reaches the output. Each story
//! photo also gets a 1200×630 Open Graph image for Facebook and Zalo shares.
//!
//! Output names carry a hash of the source bytes and the settings, so an unchanged photo keeps
//! its URL (browsers cache it for good), and a cache folder keyed the same way means a rebuild
//! re-encodes nothing that did not change.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::report::Reporter;
use crate::site::routes;

/// Widths written for every image; never more than the source's own width.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
pub const OG_SIZE: (u32, u32) = (1200, 630);
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// Default refusal threshold against decompression bombs.
pub const DEFAULT_MAX_MEGAPIXELS: u64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct ImageSettings {
    pub max_pixels: u64,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings { max_pixels: DEFAULT_MAX_MEGAPIXELS * 1_000_000 }
    }
}

impl ImageSettings {
    /// What the output depends on besides the source bytes (part of the cache key and names).
    fn fingerprint(&self, og: Option<(f32, f32)>) -> String {
        format!("v2:{WIDTHS:?}:{JPEG_QUALITY}:{WEBP_QUALITY}:{OG_SIZE:?}:{og:?}")
    }
}

/// One width of an image, in both formats.
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub jpeg: String,
    pub webp: String,
}

/// A processed image as pages reference it: URLs under `/anh/`.
#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
pub struct ProcessedImage {
    /// Smallest first; the last is the largest (its size goes in `width`/`height`).
    pub variants: Vec<Variant>,
    pub width: u32,
    pub height: u32,
    /// 1200×630 JPEG for Open Graph, story photos only.
    pub og: Option<String>,
    /// `srcset` values, ready for templates.
    pub srcset_jpeg: String,
    pub srcset_webp: String,
    pub src: String,
}

impl ProcessedImage {
    /// `<picture>` markup with WebP and JPEG sources; `eager` for the first image of a page.
    pub fn picture_html(&self, base_path: &str, alt: &str, sizes: &str, eager: bool) -> String {
        let prefix = |set: &str| set.split(", ").map(|c| format!("{base_path}{c}")).collect::<Vec<_>>().join(", ");
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{base_path}{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"{}></picture>",
            prefix(&self.srcset_webp),
            self.src,
            prefix(&self.srcset_jpeg),
            self.width,
            self.height,
            crate::html::escape(alt),
            if eager { " decoding=\"async\"" } else { " loading=\"lazy\" decoding=\"async\"" }
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("không đọc được tệp ảnh: {}", crate::diagnostics::io_reason(.0))]
    Read(#[from] std::io::Error),
    // The decoder's own words ("Illegal start bytes:726F") say nothing to the person reading.
    #[error("tệp không phải ảnh JPEG, PNG, WebP hay GIF, hoặc ảnh bị hỏng")]
    Decode(#[from] image::ImageError),
    #[error("ảnh khai báo {width}×{height} điểm ảnh, vượt giới hạn {limit} triệu điểm ảnh")]
    TooLarge { width: u32, height: u32, limit: u64 },
    #[error("ảnh khai báo {width}×{height} điểm ảnh; mỗi cạnh tối đa {MAX_SIDE} điểm ảnh (hãy cắt hoặc thu nhỏ ảnh)")]
    TooLong { width: u32, height: u32 },
}

/// The longest side a photo may have: WebP cannot encode more, and a strip of 40,000 × 1 pixels
/// passes any limit on the area while its resizing takes gigabytes.
pub const MAX_SIDE: u32 = 16_383;

fn check_size((width, height): (u32, u32), settings: &ImageSettings) -> Result<(u32, u32), PhotoError> {
    if u64::from(width) * u64::from(height) > settings.max_pixels {
        return Err(PhotoError::TooLarge { width, height, limit: settings.max_pixels / 1_000_000 });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(PhotoError::TooLong { width, height });
    }
    Ok((width, height))
}

/// Reads only the header: the format is known and the size within limits. Cheap, for `check`.
pub fn probe(path: &Path, settings: &ImageSettings) -> Result<(u32, u32), PhotoError> {
    let reader = ImageReader::open(path)?.with_guessed_format()?;
    check_size(reader.into_dimensions()?, settings)
}

/// Decodes with limits and applies the EXIF orientation.
fn decode(bytes: &[u8], settings: &ImageSettings) -> Result<DynamicImage, PhotoError> {
    check_size(ImageReader::new(Cursor::new(bytes)).with_guessed_format()?.into_dimensions()?, settings)?;
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(settings.max_pixels * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn jpeg(rgb: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(rgb)?;
    Ok(out)
}

fn webp(rgb: &RgbImage) -> Vec<u8> {
    webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height()).encode(WEBP_QUALITY).to_vec()
}

/// Crops to 1200×630 around `focus` (fractions of width and height), after scaling to cover.
fn og_image(img: &DynamicImage, focus: (f32, f32)) -> RgbImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let scale = (OG_SIZE.0 as f32 / w).max(OG_SIZE.1 as f32 / h);
    let (sw, sh) = ((w * scale).round().max(OG_SIZE.0 as f32) as u32, (h * scale).round().max(OG_SIZE.1 as f32) as u32);
    let scaled = img.resize_exact(sw, sh, image::imageops::FilterType::Triangle);
    let x = ((focus.0 * sw as f32) - OG_SIZE.0 as f32 / 2.0).clamp(0.0, (sw - OG_SIZE.0) as f32) as u32;
    let y = ((focus.1 * sh as f32) - OG_SIZE.1 as f32 / 2.0).clamp(0.0, (sh - OG_SIZE.1) as f32) as u32;
    scaled.crop_imm(x, y, OG_SIZE.0, OG_SIZE.1).to_rgb8()
}

/// An image to process: its file and, for story photos, the Open Graph focus.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageJob {
    pub path: PathBuf,
    pub og_focus: Option<(f32, f32)>,
}

/// Encoded files of one image, by output path relative to the site output.
pub struct Encoded {
    pub image: ProcessedImage,
    pub files: Vec<(String, Vec<u8>)>,
    /// Whether it came from the cache (no decoding or encoding done).
    pub cached: bool,
}

fn process_uncached(bytes: &[u8], hash: &str, job: &ImageJob, settings: &ImageSettings) -> Result<(ProcessedImage, Vec<(String, Vec<u8>)>), PhotoError> {
    let img = decode(bytes, settings)?;
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < img.width()).collect();
    widths.push(img.width().min(*WIDTHS.last().expect("widths")));
    widths.dedup();
    let mut files = Vec::new();
    let mut variants = Vec::new();
    // Largest first, each width scaled from the one before: far less work than scaling every
    // width from a 12-megapixel original, with no visible loss at these ratios.
    let mut current = img;
    let mut largest: Option<DynamicImage> = None;
    for &w in widths.iter().rev() {
        if w != current.width() {
            current = current.resize(w, u32::MAX, image::imageops::FilterType::Lanczos3);
        }
        let rgb = current.to_rgb8();
        let (jpeg_path, webp_path) = (routes::image_file(hash, w, "jpg"), routes::image_file(hash, w, "webp"));
        files.push((jpeg_path.clone(), jpeg(&rgb)?));
        files.push((webp_path.clone(), webp(&rgb)));
        variants.push(Variant { width: rgb.width(), height: rgb.height(), jpeg: routes::file_url(&jpeg_path), webp: routes::file_url(&webp_path) });
        if largest.is_none() {
            largest = Some(current.clone());
        }
    }
    variants.reverse();
    let og = match job.og_focus {
        Some(focus) => {
            let path = routes::image_file(hash, "og", "jpg");
            files.push((path.clone(), jpeg(&og_image(largest.as_ref().expect("one variant at least"), focus))?));
            Some(routes::file_url(&path))
        }
        None => None,
    };
    let largest = variants.last().expect("one variant at least").clone();
    let set = |f: fn(&Variant) -> &String| variants.iter().map(|v| format!("{} {}w", f(v), v.width)).collect::<Vec<_>>().join(", ");
    let image = ProcessedImage {
        srcset_jpeg: set(|v| &v.jpeg),
        srcset_webp: set(|v| &v.webp),
        src: largest.jpeg.clone(),
        width: largest.width,
        height: largest.height,
        og,
        variants,
    };
    Ok((image, files))
}

/// Processes one image, reading from and writing to `cache_dir` when given.
pub fn process(job: &ImageJob, settings: &ImageSettings, cache_dir: Option<&Path>) -> Result<Encoded, PhotoError> {
    let bytes = std::fs::read(&job.path)?;
    let mut hasher = blake3::Hasher::new();
    hasher.update(&bytes);
    hasher.update(settings.fingerprint(job.og_focus).as_bytes());
    let hash = hasher.finalize().to_hex()[..20].to_string();
    if let Some(dir) = cache_dir {
        if let Some(hit) = read_cache(&dir.join(&hash)) {
            return Ok(hit);
        }
    }
    let (image, files) = process_uncached(&bytes, &hash, job, settings)?;
    if let Some(dir) = cache_dir {
        // A cache that cannot be written only costs time next build.
        let _ = write_cache(&dir.join(&hash), &image, &files);
    }
    Ok(Encoded { image, files, cached: false })
}

fn read_cache(dir: &Path) -> Option<Encoded> {
    let image: ProcessedImage = serde_json::from_slice(&std::fs::read(dir.join("image.json")).ok()?).ok()?;
    let mut names: Vec<String> = image.variants.iter().flat_map(|v| [v.jpeg.clone(), v.webp.clone()]).collect();
    names.extend(image.og.clone());
    let files = names
        .into_iter()
        .map(|url| {
            let rel = url.trim_start_matches('/').to_string();
            let name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
            std::fs::read(dir.join(name)).ok().map(|b| (rel, b))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Encoded { image, files, cached: true })
}

fn write_cache(dir: &Path, image: &ProcessedImage, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let tmp = dir.with_extension("tmp");
    std::fs::create_dir_all(&tmp)?;
    for (rel, bytes) in files {
        std::fs::write(tmp.join(rel.rsplit('/').next().unwrap_or(rel)), bytes)?;
    }
    std::fs::write(tmp.join("image.json"), serde_json::to_vec(image).expect("image serialises"))?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::rename(tmp, dir)
}

/// Outcome of processing a batch: images by source path, and counts for the build summary.
pub struct Batch {
    pub images: HashMap<PathBuf, ProcessedImage>,
    pub files: Vec<(String, Vec<u8>)>,
    pub encoded: usize,
    pub reused: usize,
}

/// Processes every job in parallel (each distinct file once), reporting progress as each is done.
pub fn process_all(jobs: &[ImageJob], settings: &ImageSettings, cache_dir: Option<&Path>, reporter: &dyn Reporter) -> (Batch, Vec<(ImageJob, PhotoError)>) {
    let mut unique: Vec<&ImageJob> = Vec::new();
    for j in jobs {
        if !unique.iter().any(|u| u.path == j.path) {
            unique.push(j);
        }
    }
    let results: Vec<(&ImageJob, Result<Encoded, PhotoError>)> = unique
        .par_iter()
        .map(|job| {
            let r = process(job, settings, cache_dir);
            reporter.image_done(unique.len());
            (*job, r)
        })
        .collect();
    let mut batch = Batch { images: HashMap::new(), files: Vec::new(), encoded: 0, reused: 0 };
    let mut errors = Vec::new();
    for (job, r) in results {
        match r {
            Ok(e) => {
                if e.cached { batch.reused += 1 } else { batch.encoded += 1 }
                batch.files.extend(e.files);
                batch.images.insert(job.path.clone(), e.image);
            }
            Err(e) => errors.push((job.clone(), e)),
        }
    }
    (batch, errors)
}
