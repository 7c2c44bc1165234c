//! The front matter fields, described once. The reader takes its key lists from here, and the
//! JSON Schema (`nguoitot schema`), the files `nguoitot new` writes and the web editor's
//! configuration are all generated from these tables.

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    Text,
    /// Multi-line text.
    LongText,
    Date,
    Bool,
    Year,
    TextList,
    /// One of [`crate::content::Kind`].
    Kind,
    /// One of [`crate::content::Sector`].
    Sector,
    /// One of [`crate::content::Level`].
    Level,
    /// Movement ids of the site.
    MovementIds,
    /// An award title of the site's vocabulary (free text allowed).
    AwardTitle,
    /// A file next to the story.
    Image,
    /// A province of the registry (free text allowed).
    Province,
    /// A commune of the registry, in the story's province (free text allowed).
    Commune,
    Table(&'static [Field]),
    TableList(&'static [Field]),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Short Vietnamese label, for forms.
    pub label: &'static str,
    /// Vietnamese explanation, for editors and the schema.
    pub hint: &'static str,
}

const fn f(key: &'static str, ty: FieldType, required: bool, label: &'static str, hint: &'static str) -> Field {
    Field { key, ty, required, label, hint }
}

pub const LOCALITY: &[Field] = &[
    f("province", FieldType::Province, false, "Tỉnh, thành phố", "Tỉnh, thành phố, ví dụ Lào Cai (từ 1/7/2025 cả nước có 34 tỉnh, thành phố)"),
    f("commune", FieldType::Commune, false, "Xã, phường, đặc khu", "Xã, phường, đặc khu hiện nay, ví dụ Xã Thượng Hà; bài trước 1/7/2025 ghi xã cũ, ví dụ Xã Điện Quan"),
    f("district", FieldType::Text, false, "Huyện (trước 1/7/2025)", "Chỉ cho bài trước 1/7/2025: huyện, thị xã, thành phố thuộc tỉnh cũ, ví dụ Huyện Bảo Yên"),
];

pub const AWARD: &[Field] = &[
    f("title", FieldType::AwardTitle, true, "Hình thức khen thưởng", "Tên danh hiệu, hình thức khen thưởng, ví dụ Bằng khen của Chủ tịch UBND tỉnh"),
    f("by", FieldType::Text, false, "Người/cơ quan tặng", "Ai tặng, ví dụ Chủ tịch UBND tỉnh"),
    f("year", FieldType::Year, false, "Năm", "Năm được khen, bốn chữ số"),
    f("decision", FieldType::Text, false, "Số quyết định", "Số quyết định khen thưởng, ví dụ 123/QĐ-UBND"),
];

pub const PHOTO: &[Field] = &[
    f("src", FieldType::Image, true, "Tệp ảnh", "Tên tệp ảnh đặt cạnh bài viết, ví dụ anh.jpg"),
    f("alt", FieldType::Text, true, "Mô tả ảnh", "Mô tả ngắn nội dung ảnh cho người khiếm thị"),
    f("caption", FieldType::Text, false, "Chú thích", "Chú thích hiện dưới ảnh"),
    f("credit", FieldType::Text, false, "Nguồn ảnh", "Tác giả hoặc nguồn ảnh"),
    f("focus", FieldType::Text, false, "Tâm ảnh chia sẻ", "Điểm giữ lại khi cắt ảnh chia sẻ 1200×630: \"ngang,dọc\" từ 0 đến 1 hoặc phần trăm, ví dụ \"50%,30%\""),
];

pub const STORY: &[Field] = &[
    f("title", FieldType::Text, true, "Tiêu đề", "Tên tập thể, cá nhân hoặc hộ gia đình"),
    f("kind", FieldType::Kind, true, "Loại gương", "tap-the (tập thể), ca-nhan (cá nhân) hoặc ho-gia-dinh (hộ gia đình)"),
    f("movements", FieldType::MovementIds, true, "Phong trào", "Mã các phong trào thi đua (tên tệp trong content/movements/)"),
    f("unit", FieldType::Text, false, "Đơn vị", "Cơ quan, đơn vị, tổ chức"),
    f("locality", FieldType::Table(LOCALITY), false, "Địa phương", "Tỉnh và xã, phường (bài trước 1/7/2025 có thể ghi thêm huyện)"),
    f("field", FieldType::Text, false, "Lĩnh vực", "Lĩnh vực hoạt động, ví dụ Y tế"),
    f("sector", FieldType::Sector, false, "Khu vực", "Cho thống kê: hanh-chinh-nha-nuoc, su-nghiep-cong-lap, doanh-nghiep hoặc doi-tuong-khac"),
    f("tags", FieldType::TextList, false, "Từ khóa", "Các từ khóa"),
    f("awards", FieldType::TableList(AWARD), false, "Khen thưởng", "Các hình thức khen thưởng đã nhận"),
    f("date", FieldType::Date, true, "Ngày đăng", "Ngày đăng, dạng NĂM-THÁNG-NGÀY; ngày trong tương lai thì đến ngày đó mới đăng"),
    f("updated", FieldType::Date, false, "Ngày cập nhật", "Ngày sửa gần nhất, dạng NĂM-THÁNG-NGÀY"),
    f("summary", FieldType::LongText, false, "Tóm tắt", "Một hai câu giới thiệu; bỏ trống thì lấy đoạn đầu bài"),
    f("photo", FieldType::Table(PHOTO), false, "Ảnh đại diện", "Ảnh chính của bài"),
    f("featured", FieldType::Bool, false, "Tiêu biểu", "true để hiện ở mục Gương tiêu biểu trên trang chủ"),
    f("draft", FieldType::Bool, false, "Bản nháp", "true để chưa đăng (chỉ dựng khi có --drafts)"),
    f("slug", FieldType::Text, false, "Địa chỉ", "Phần cuối địa chỉ /guong/…/; bỏ trống thì lấy theo tên tệp"),
];

pub const CRITERIA: &[Field] = &[
    f("collective", FieldType::LongText, false, "Đối với tập thể", "Tiêu chuẩn lựa chọn tập thể điển hình"),
    f("individual", FieldType::LongText, false, "Đối với cá nhân", "Tiêu chuẩn lựa chọn cá nhân điển hình"),
];

pub const MOVEMENT: &[Field] = &[
    f("title", FieldType::Text, true, "Tên phong trào", "Tên đầy đủ của phong trào thi đua"),
    f("short_title", FieldType::Text, false, "Tên ngắn", "Tên ngắn dùng trong danh sách, biểu đồ"),
    f("level", FieldType::Level, false, "Cấp", "toàn quốc, tỉnh, huyện hoặc cơ sở"),
    f("lead_agency", FieldType::Text, false, "Cơ quan chủ trì", "Cơ quan chủ trì phong trào"),
    f("period", FieldType::Text, false, "Giai đoạn", "Ví dụ 2021-2025"),
    f("criteria", FieldType::Table(CRITERIA), false, "Tiêu chuẩn", "Tiêu chuẩn lựa chọn điển hình"),
];

/// Keys people write for a field in other words (English synonyms, Vietnamese without
/// diacritics): "did you mean" names the field even when the spelling is far from it.
const ALIASES: &[(&str, &str)] = &[
    ("ward", "commune"),
    ("xa", "commune"),
    ("phuong", "commune"),
    ("village", "commune"),
    ("tinh", "province"),
    ("city", "province"),
    ("thanh_pho", "province"),
    ("huyen", "district"),
    ("quan", "district"),
    ("don_vi", "unit"),
    ("dia_phuong", "locality"),
    ("tieu_de", "title"),
    ("ngay", "date"),
];

/// The field `key` is another word for, if any.
pub fn alias(key: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(key)).map(|(_, k)| *k)
}

/// The keys of a table, for "unknown field" messages.
pub fn keys(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.key).collect()
}
