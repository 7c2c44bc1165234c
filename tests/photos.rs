//! Story photos: turned upright, scaled, re-encoded without metadata; bad files are located errors.

mod common;

use common::{stderr, texts, Site};

/// A 40×20 JPEG (left half red, right half blue) carrying EXIF orientation 6 and a GPS block.
fn phone_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 20, |x, _| if x < 20 { image::Rgb([220, 20, 20]) } else { image::Rgb([20, 20, 220]) });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&img).unwrap();
    // TIFF, little endian: IFD0 {Orientation = 6, GPSInfo → IFD at 38}, GPS IFD {LatitudeRef = "N"}.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend([6, 0, 0, 0]);
    tiff.extend([0x25, 0x88, 4, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x01, 0x00, 2, 0]);
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend(app1);
    out.extend(&jpeg[2..]);
    // The source really carries orientation 6, as a phone would write it.
    {
        let mut decoder = image::ImageReader::new(std::io::Cursor::new(&out)).with_guessed_format().unwrap().into_decoder().unwrap();
        assert_eq!(image::ImageDecoder::orientation(&mut decoder).unwrap(), image::metadata::Orientation::Rotate90);
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A tiny PNG whose header claims 60000×60000 pixels.
fn bomb_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(60000u32.to_be_bytes());
    ihdr.extend(60000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    for (kind, data) in [(&b"IDAT"[..], &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01][..]), (b"IEND", &[])] {
        let mut chunk = kind.to_vec();
        chunk.extend(data);
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}

fn site_with_photo(file: &str, bytes: &[u8]) -> Site {
    let site = Site::new();
    site.movement("a", "A").write(
        "content/stories/anh/index.md",
        &format!("---\ntitle: Có ảnh\nkind: ca-nhan\nmovements: [a]\ndate: 2022-01-01\nphoto:\n  src: {file}\n  alt: Chân dung\n  caption: Trong giờ làm việc\n  credit: Báo Lào Cai\n---\nNội dung.\n"),
    );
    std::fs::write(site.root().join("content/stories/anh").join(file), bytes).unwrap();
    site
}

#[test]
fn phone_photo_comes_out_upright_without_metadata() {
    let site = site_with_photo("chan-dung.jpg", &phone_photo());
    site.build();
    let page = site.page("/guong/index/");
    let doc = scraper::Html::parse_document(&page);
    let img = doc.select(&scraper::Selector::parse("figure.photo img").unwrap()).next().expect("photo on the page");
    assert_eq!(img.value().attr("alt"), Some("Chân dung"));
    assert_eq!((img.value().attr("width"), img.value().attr("height")), (Some("20"), Some("40")));
    assert_eq!(texts(&page, "figure.photo figcaption"), ["Trong giờ làm việc Ảnh: Báo Lào Cai"]);
    let src = img.value().attr("src").unwrap();
    let bytes = std::fs::read(site.public().join(src.trim_start_matches('/'))).unwrap();
    assert!(!bytes.windows(2).any(|w| w == [0xFF, 0xE1]), "an APP1 (EXIF/XMP) segment is in the output");
    assert!(!bytes.windows(4).any(|w| w == b"Exif"));
    let out = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(out.dimensions(), (20, 40));
    // Rotated 90° clockwise: the red left half is now on top.
    assert!(out.get_pixel(10, 5)[0] > 150 && out.get_pixel(10, 5)[2] < 100, "{:?}", out.get_pixel(10, 5));
    assert!(out.get_pixel(10, 35)[2] > 150 && out.get_pixel(10, 35)[0] < 100, "{:?}", out.get_pixel(10, 35));
}

#[test]
fn bad_photos_are_located_errors_not_panics() {
    for (file, bytes, message) in [
        ("khong-phai-anh.jpg", b"day khong phai la anh".to_vec(), "tệp không phải ảnh JPEG, PNG, WebP hay GIF"),
        ("bom.png", bomb_png(), "ảnh khai báo 60000×60000 điểm ảnh, vượt giới hạn 100 triệu điểm ảnh"),
        ("cut.jpg", phone_photo()[..200].to_vec(), "tệp không phải ảnh JPEG, PNG, WebP hay GIF, hoặc ảnh bị hỏng"),
    ] {
        let site = site_with_photo(file, &bytes);
        let started = std::time::Instant::now();
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{file}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("content/stories/anh/index.md:7:8: lỗi: trường `photo.src` (\"{file}\"): ")), "{file}: {err}");
        assert!(err.contains(message), "{file}: {err}");
        assert!(started.elapsed().as_secs() < 20, "{file} took {:?}", started.elapsed());
    }
}
