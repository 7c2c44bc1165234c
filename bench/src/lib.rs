//! Benchmarks of nguoitot, kept out of the product (its binaries are not installed with it).
//!
//! The library is a deterministic generator of realistic Vietnamese exemplar sites, for benchmarks.
//!
//! `write_site(dir, n, seed, example)` writes `nguoitot.toml`, the 13 provincial movements of the
//! example site at `example` (whose default theme it links), an award vocabulary and `n` stories (300–1,500 words each) spread over the 9 districts
//! of Lào Cai, the three kinds, and the years 2019–2025. The same `n` and seed give the same files.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

pub mod peers;

/// The repository root: the example site, `target/`, `node_modules/`.
pub fn repo_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("bench/ is inside the repository").to_path_buf()
}

/// xorshift64*: tiny, deterministic across platforms.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const DISTRICTS: &[(&str, &[&str])] = &[
    ("Thành phố Lào Cai", &["Phường Kim Tân", "Phường Cốc Lếu", "Phường Duyên Hải", "Xã Cam Đường", "Xã Vạn Hoà"]),
    ("Thị xã Sa Pa", &["Phường Sa Pa", "Xã Tả Van", "Xã Bản Hồ", "Xã Thanh Bình", "Xã Tả Phìn"]),
    ("Huyện Bát Xát", &["Xã Y Tý", "Xã A Mú Sung", "Xã Bản Vược", "Xã Mường Hum", "Thị trấn Bát Xát"]),
    ("Huyện Mường Khương", &["Xã Lùng Vai", "Xã Bản Lầu", "Xã Pha Long", "Thị trấn Mường Khương"]),
    ("Huyện Si Ma Cai", &["Xã Sán Chải", "Xã Nàn Sán", "Xã Bản Mế", "Xã Sín Chéng"]),
    ("Huyện Bắc Hà", &["Xã Nậm Mòn", "Xã Cốc Lầu", "Xã Bảo Nhai", "Thị trấn Bắc Hà", "Xã Tả Van Chư"]),
    ("Huyện Bảo Thắng", &["Xã Sơn Hà", "Xã Xuân Quang", "Xã Phong Niên", "Thị trấn Phố Lu", "Xã Gia Phú"]),
    ("Huyện Bảo Yên", &["Xã Điện Quan", "Xã Xuân Thượng", "Xã Lương Sơn", "Thị trấn Phố Ràng", "Xã Minh Tân"]),
    ("Huyện Văn Bàn", &["Xã Tân Thượng", "Xã Dương Quỳ", "Xã Khánh Yên Hạ", "Thị trấn Khánh Yên", "Xã Nậm Chày"]),
];

const MOVEMENTS: &[&str] = &[
    "hoc-tap-lam-theo-bac", "nong-thon-moi-giam-ngheo", "giao-duc-dao-tao", "cham-soc-suc-khoe", "cai-cach-hanh-chinh",
    "chuyen-doi-so", "quoc-phong-an-ninh", "thanh-nien-lam-chu-dat-nuoc", "lao-dong-gioi-sang-tao", "van-hoa-cong-so",
    "doanh-nghiep-hoi-nhap", "doan-ket-doi-song-van-hoa", "nong-dan-san-xuat-gioi",
];

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lý", "Lò", "Giàng", "Thào", "Vàng", "Sùng", "Má", "Ma", "Cư", "Hầu", "Lù", "Tẩn", "Chảo", "Phàn", "Triệu"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Đức", "Minh", "Seo", "A", "Chín", "Thanh", "Ngọc", "Quang", "Hữu", "Kim"];
const GIVEN: &[&str] = &["Hùng", "Tùng", "Hoà", "Hòa", "Thuỷ", "Thủy", "Lan", "Mai", "Chiêu", "Lìn", "Lềnh", "Phúc", "Quân", "Sử", "Dính", "Páo", "Sình", "Chư", "Hương", "Dung", "Nam", "Quyết", "Thắng", "Yến", "Khoẻ", "Hiền", "Tâm", "Sơn", "Hải"];
const UNIT_KINDS: &[&str] = &["Đoàn TNCS Hồ Chí Minh", "Trường THCS", "Trường Tiểu học", "Trạm Y tế", "Hợp tác xã nông nghiệp", "Công an", "Ủy ban nhân dân", "Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Chi đoàn thôn"];
const AWARDS: &[&str] = &[
    "Huân chương Lao động hạng Ba", "Bằng khen của Thủ tướng Chính phủ", "Cờ thi đua của UBND tỉnh",
    "Chiến sĩ thi đua cấp tỉnh", "Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen",
];
const SENTENCES: &[&str] = &[
    "Những năm qua, {who} luôn đi đầu trong các phong trào thi đua ở {place}.",
    "Với tinh thần dám nghĩ, dám làm, {who} đã vận động bà con hiến {n} mét vuông đất để mở rộng đường liên thôn.",
    "Mô hình trồng chè shan tuyết kết hợp nuôi ong đã giúp {n} hộ có thu nhập ổn định.",
    "Đoàn viên thanh niên tình nguyện sửa {n} km đường giao thông nông thôn và dựng nhà văn hóa thôn.",
    "Từ nguồn vốn vay ưu đãi, nhiều gia đình đã thoát nghèo bền vững, con em được đến trường đầy đủ.",
    "Công tác chuyển đổi số được triển khai đồng bộ, người dân làm thủ tục hành chính trực tuyến ngay tại nhà.",
    "Trong mùa mưa lũ, {who} đã kịp thời hỗ trợ di dời {n} hộ dân đến nơi an toàn.",
    "Phong trào khởi nghiệp lan tỏa rộng khắp, xuất hiện nhiều mô hình nuôi cá lồng, trồng cây ăn quả có múi.",
    "Lực lượng công an xã phối hợp với người dân giữ vững an ninh trật tự trên tuyến biên giới.",
    "Nhà trường duy trì tỉ lệ học sinh chuyên cần cao, có {n} em đạt giải học sinh giỏi cấp tỉnh.",
    "Trạm y tế thực hiện tốt công tác tiêm chủng, khám sức khỏe định kỳ cho người cao tuổi.",
    "Bà con các dân tộc Mông, Dao, Tày, Nùng đoàn kết xây dựng đời sống văn hóa ở khu dân cư.",
    "Hợp tác xã đã liên kết tiêu thụ {n} tấn nông sản, giúp xã viên yên tâm sản xuất.",
    "Gương sáng của {who} được tuyên truyền rộng rãi trên sóng phát thanh và truyền hình tỉnh.",
    "Nhờ áp dụng khoa học kỹ thuật, năng suất lúa và ngô tăng rõ rệt so với những năm trước.",
    "Phụ nữ trong thôn tham gia tổ tiết kiệm, cùng nhau phát triển nghề dệt thổ cẩm truyền thống.",
    "Cán bộ, công chức thực hiện nghiêm văn hóa công sở, tận tụy phục vụ nhân dân.",
    "Mỗi năm, đơn vị tổ chức {n} buổi sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Doanh nghiệp tạo việc làm ổn định cho {n} lao động địa phương với thu nhập bình quân ngày càng tăng.",
    "Xóa nhà tạm, nhà dột nát cho hộ nghèo là việc làm thiết thực được nhân dân ghi nhận.",
];

/// "Xã Điện Quan" → "xã Điện Quan", as it reads inside a unit's name.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

fn person(rng: &mut Rng) -> String {
    format!("{} {} {}", rng.pick(FAMILY), rng.pick(MIDDLE), rng.pick(GIVEN))
}

/// The benchmarks' site of `n` stories, `target/bench/site-<n>` under the repository `repo`,
/// generated (seed 2026) the first time it is asked for.
pub fn bench_site(repo: &Path, n: usize) -> io::Result<std::path::PathBuf> {
    let site = repo.join(format!("target/bench/site-{n}"));
    if !site.join("content/stories").is_dir() {
        let started = std::time::Instant::now();
        write_site(&site, n, 2026, repo)?;
        eprintln!("corpus of {n} stories written in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(site)
}

/// Bytes and number of files under `dir` (what a benchmark reports of an output folder).
pub fn dir_size(dir: &Path) -> (u64, usize) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(b, n), e| (b + e.metadata().map_or(0, |m| m.len()), n + 1))
}

/// Writes a whole site under `dir` (which must not exist or be empty), with the movements and a
/// link to the default theme of the example site at `example`.
pub fn write_site(dir: &Path, stories: usize, seed: u64, example: &Path) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let movements_from = example.join("content/movements");
    fs::create_dir_all(dir.join("themes"))?;
    let theme = dir.join("themes/default");
    if !theme.exists() {
        std::os::unix::fs::symlink(std::path::absolute(example.join("themes/default"))?, &theme)?;
    }
    fs::create_dir_all(dir.join("content/stories"))?;
    fs::create_dir_all(dir.join("content/movements"))?;
    fs::write(dir.join("nguoitot.toml"), "title = \"Người tốt, việc tốt — kho thử\"\nbase_url = \"https://bench.example\"\npaginate_by = 20\n")?;
    for id in MOVEMENTS {
        fs::copy(movements_from.join(format!("{id}.md")), dir.join(format!("content/movements/{id}.md")))?;
    }
    let mut awards = String::new();
    for a in AWARDS {
        writeln!(awards, "[[award]]\ntitle = \"{a}\"\n").unwrap();
    }
    fs::write(dir.join("content/awards.toml"), awards)?;
    for i in 0..stories {
        let (district, communes) = *rng.pick(DISTRICTS);
        let commune = *rng.pick(communes);
        let kind = match rng.below(20) {
            0..=7 => "tap-the",
            8..=16 => "ca-nhan",
            _ => "ho-gia-dinh",
        };
        let (title, unit, who) = match kind {
            "tap-the" => {
                let u = format!("{} {}", rng.pick(UNIT_KINDS), lower_first(commune));
                (u.clone(), Some(u.clone()), u)
            }
            "ca-nhan" => {
                let p = person(&mut rng);
                (format!("{} {}", if rng.below(2) == 0 { "Ông" } else { "Bà" }, p), Some(format!("{} {}", rng.pick(UNIT_KINDS), commune)), p)
            }
            _ => {
                let p = person(&mut rng);
                (format!("Hộ gia đình {p}"), None, format!("gia đình {p}"))
            }
        };
        let movement = *rng.pick(MOVEMENTS);
        let year = 2019 + rng.below(7);
        let mut fm = format!(
            "---\ntitle: \"{title}\"\nkind: {kind}\nmovements: [{movement}]\n{}locality:\n  province: Lào Cai\n  district: {district}\n  commune: {commune}\ndate: {year}-{:02}-{:02}\n",
            unit.map(|u| format!("unit: \"{u}\"\n")).unwrap_or_default(),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        if rng.below(3) == 0 {
            fm.push_str(&format!("awards:\n  - title: \"{}\"\n    year: {year}\n", rng.pick(AWARDS)));
        }
        fm.push_str("---\n");
        let words = 300 + rng.below(1200);
        let mut body = String::with_capacity(words * 7);
        let mut count = 0;
        while count < words {
            for _ in 0..5 {
                let s = rng.pick(SENTENCES).replace("{who}", &who).replace("{place}", commune).replace("{n}", &(2 + rng.below(300)).to_string());
                count += s.split_whitespace().count();
                body.push_str(&s);
                body.push(' ');
            }
            body.push_str("\n\n");
        }
        fs::write(dir.join(format!("content/stories/g{i:06}.md")), format!("{fm}{body}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_site() {
        let movements = crate::repo_root();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_site(a.path(), 5, 7, &movements).unwrap();
        write_site(b.path(), 5, 7, &movements).unwrap();
        for i in 0..5 {
            let f = format!("content/stories/g{i:06}.md");
            assert_eq!(fs::read(a.path().join(&f)).unwrap(), fs::read(b.path().join(&f)).unwrap());
        }
        if let Err(diags) = nguoitot::pipeline::load_site(a.path()) {
            panic!("{:?}", diags.sorted());
        }
    }
}
