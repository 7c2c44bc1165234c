//! Story photos and body images: upright, in three widths as WebP and JPEG, without metadata,
//! a 1200×630 share image, a cache that makes rebuilds encode nothing; bad files are located
//! errors, never panics.

mod common;

use common::{stderr, texts, Site};

/// A JPEG (left half red, right half blue) carrying EXIF orientation 6 and a GPS block.
fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, _| if x < width / 2 { image::Rgb([220, 20, 20]) } else { image::Rgb([20, 20, 220]) });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&img).unwrap();
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
    png_claiming(60000, 60000)
}

/// A tiny PNG whose header claims `width`×`height` pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
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

fn site_with_photo(file: &str, bytes: &[u8], extra_body: &str) -> Site {
    let site = Site::new();
    site.movement("a", "A").write(
        "content/stories/anh/index.md",
        &format!("---\ntitle: Có ảnh\nkind: ca-nhan\nmovements: [a]\ndate: 2022-01-01\nphoto:\n  src: {file}\n  alt: Chân dung\n  caption: Trong giờ làm việc\n  credit: Báo Lào Cai\n  focus: \"50%,20%\"\n---\nNội dung.\n{extra_body}"),
    );
    std::fs::write(site.root().join("content/stories/anh").join(file), bytes).unwrap();
    site
}

fn read_output(site: &Site, url: &str) -> Vec<u8> {
    std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap_or_else(|e| panic!("{url}: {e}"))
}

fn no_metadata(bytes: &[u8], what: &str) {
    assert!(!bytes.windows(2).any(|w| w == [0xFF, 0xE1]), "{what}: an APP1 (EXIF/XMP) segment");
    assert!(!bytes.windows(4).any(|w| w == b"Exif" || w == b"EXIF" || w == b"XMP "), "{what}: metadata chunk");
}

#[test]
fn phone_photo_comes_out_upright_in_three_widths_without_metadata() {
    // 2400×1200 as stored, 1200×2400 once turned upright.
    let site = site_with_photo("chan-dung.jpg", &phone_photo(2400, 1200), "\nẢnh trong bài:\n\n![Buổi trồng cây](trong-cay.jpg)\n");
    std::fs::write(site.root().join("content/stories/anh/trong-cay.jpg"), phone_photo(600, 400)).unwrap();
    site.build();
    let page = site.page("/guong/anh/");
    let doc = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let figure_img = doc.select(&sel("figure.photo picture img")).next().expect("photo as <picture>");
    assert_eq!(figure_img.value().attr("alt"), Some("Chân dung"));
    assert_eq!((figure_img.value().attr("width"), figure_img.value().attr("height")), (Some("1200"), Some("2400")));
    assert_eq!(figure_img.value().attr("loading"), None, "the first image loads eagerly");
    assert_eq!(texts(&page, "figure.photo figcaption"), ["Trong giờ làm việc Ảnh: Báo Lào Cai"]);
    let webp = doc.select(&sel("figure.photo picture source[type='image/webp']")).next().unwrap();
    let widths: Vec<&str> = webp.value().attr("srcset").unwrap().split(", ").map(|c| c.rsplit(' ').next().unwrap()).collect();
    assert_eq!(widths, ["480w", "960w", "1200w"], "never upscaled past the source");
    assert!(webp.value().attr("sizes").is_some());
    for candidate in figure_img.value().attr("srcset").unwrap().split(", ").chain(webp.value().attr("srcset").unwrap().split(", ")) {
        let url = candidate.split(' ').next().unwrap();
        let bytes = read_output(&site, url);
        no_metadata(&bytes, url);
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let expected_w: u32 = candidate.rsplit(' ').next().unwrap().trim_end_matches('w').parse().unwrap();
        assert_eq!(img.dimensions(), (expected_w, expected_w * 2), "{url}");
        // Turned 90° clockwise: the red left half is now on top.
        let (w, h) = img.dimensions();
        assert!(img.get_pixel(w / 2, h / 4)[0] > 150 && img.get_pixel(w / 2, h / 4)[2] < 100, "{url}");
        assert!(img.get_pixel(w / 2, h * 3 / 4)[2] > 150, "{url}");
    }
    assert!(webp.value().attr("srcset").unwrap().contains(".webp"));
    // Body images become <picture> too, loaded lazily.
    let body_img = doc.select(&sel(".body picture img")).next().expect("body image as <picture>");
    assert_eq!(body_img.value().attr("alt"), Some("Buổi trồng cây"));
    assert_eq!(body_img.value().attr("loading"), Some("lazy"));
    assert_eq!((body_img.value().attr("width"), body_img.value().attr("height")), (Some("400"), Some("600")));
    // The Open Graph image: 1200×630, centred on the focus point, no metadata.
    let og = doc.select(&sel("meta[property='og:image']")).next().unwrap().value().attr("content").unwrap().to_string();
    let og_path = og.strip_prefix("https://vi-du.test").unwrap();
    let og_bytes = read_output(&site, og_path);
    no_metadata(&og_bytes, "og");
    let og_img = image::load_from_memory(&og_bytes).unwrap().to_rgb8();
    assert_eq!(og_img.dimensions(), (1200, 630));
    // Focus at 20% height lies in the red top half.
    assert!(og_img.get_pixel(600, 315)[0] > 150, "{:?}", og_img.get_pixel(600, 315));
    let oembed: serde_json::Value = serde_json::from_slice(&read_output(&site, "/oembed/anh.json")).unwrap();
    assert_eq!(oembed["thumbnail_url"], og);
}

#[test]
fn a_second_build_encodes_nothing() {
    let site = site_with_photo("chan-dung.jpg", &phone_photo(1000, 500), "");
    let first = stderr(&site.build());
    assert!(first.contains("Ảnh: xử lý mới 1, dùng lại 0"), "{first}");
    let before = common::snapshot(&site.public().join("anh"));
    let second = stderr(&site.build());
    assert!(second.contains("Ảnh: xử lý mới 0, dùng lại 1"), "{second}");
    assert_eq!(common::snapshot(&site.public().join("anh")), before, "same files, same names");
    // A changed photo gets new names; the old ones are gone from the output.
    std::fs::write(site.root().join("content/stories/anh/chan-dung.jpg"), phone_photo(1000, 600)).unwrap();
    let third = stderr(&site.build());
    assert!(third.contains("Ảnh: xử lý mới 1, dùng lại 0"), "{third}");
    assert_ne!(common::snapshot(&site.public().join("anh")).iter().map(|f| f.0.clone()).collect::<Vec<_>>(), before.iter().map(|f| f.0.clone()).collect::<Vec<_>>());
}

#[test]
fn bad_photos_are_located_errors_not_panics() {
    for (file, bytes, message) in [
        ("khong-phai-anh.jpg", b"day khong phai la anh".to_vec(), "tệp không phải ảnh JPEG, PNG, WebP hay GIF"),
        ("bom.png", bomb_png(), "ảnh khai báo 60000×60000 điểm ảnh, vượt giới hạn 100 triệu điểm ảnh"),
        ("cut.jpg", phone_photo(64, 32)[..200].to_vec(), "tệp không phải ảnh JPEG, PNG, WebP hay GIF, hoặc ảnh bị hỏng"),
        // Issue #25, item 2: within the area limit, beyond what a side may be (the WebP encoder
        // panicked on the first; the second took gigabytes to resize).
        ("cao.png", png_claiming(1080, 40000), "ảnh khai báo 1080×40000 điểm ảnh; mỗi cạnh tối đa 16383 điểm ảnh"),
        ("dai.png", png_claiming(40000, 1), "ảnh khai báo 40000×1 điểm ảnh; mỗi cạnh tối đa 16383 điểm ảnh"),
    ] {
        let site = site_with_photo(file, &bytes, "");
        let started = std::time::Instant::now();
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{file}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("content/stories/anh/index.md:7:8: lỗi: trường `photo.src` (\"{file}\"): ")), "{file}: {err}");
        assert!(err.contains(message), "{file}: {err}");
        // Issue #25, item 10: the decoder's internals stay out of the message.
        assert!(!err.contains("Illegal") && !err.contains("could not") && !err.contains("Format"), "{file}: {err}");
        assert!(started.elapsed().as_secs() < 20, "{file} took {:?}", started.elapsed());
    }
}

#[test]
fn the_pixel_limit_is_configurable_and_body_images_are_checked() {
    let site = site_with_photo("chan-dung.jpg", &phone_photo(1000, 500), "\n![thiếu](khong-co.jpg)\n");
    site.write("nguoitot.toml", "title = \"T\"\nbase_url = \"https://vi-du.test\"\nmax_image_megapixels = 0\n");
    let err = stderr(&site.run(&["check"]));
    assert!(err.contains("lỗi: trường `photo.src` (\"chan-dung.jpg\"): ảnh khai báo 1000×500 điểm ảnh, vượt giới hạn 0 triệu điểm ảnh"), "{err}");
    assert!(err.contains("content/stories/anh/index.md:15:1: lỗi: ảnh trong bài: không tìm thấy tệp ảnh \"khong-co.jpg\""), "{err}");
}

#[test]
fn cards_show_the_photo_lazily_and_the_story_page_keeps_caption_and_credit_apart() {
    let site = site_with_photo("chan-dung.jpg", &phone_photo(640, 480), "");
    site.write("content/stories/khong-anh.md", "---\ntitle: Không ảnh\nkind: ca-nhan\nmovements: [a]\ndate: 2021-01-01\n---\nNội dung.\n");
    site.build();
    let list = site.page("/phong-trao/a/");
    let doc = scraper::Html::parse_document(&list);
    let select = |sel: &str| doc.select(&scraper::Selector::parse(sel).unwrap()).collect::<Vec<_>>();
    // Newest first: the story with the photo, then the one without (a placeholder of the same size).
    let photos = select(".card .card-photo");
    assert_eq!(photos.len(), 2);
    let img = select(".card .card-photo img");
    assert_eq!(img.len(), 1, "one card has a photo");
    assert_eq!(img[0].value().attr("loading"), Some("lazy"));
    assert_eq!(img[0].value().attr("alt"), Some("Chân dung"));
    assert!(img[0].value().attr("src").is_some_and(|s| s.starts_with("/anh/")));
    assert_eq!(photos[1].value().attr("aria-hidden"), Some("true"), "the placeholder says nothing to a screen reader");

    let page = site.page("/guong/anh/");
    assert_eq!(texts(&page, ".photo figcaption .caption"), ["Trong giờ làm việc"]);
    assert_eq!(texts(&page, ".photo figcaption .credit"), ["Ảnh: Báo Lào Cai"]);
}
