//! Award and exemplar tallies, as provincial reports compile them by hand: computed from the
//! stories, written as inline SVG charts with tables (`/thong-ke/`), CSV and JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::content::{Kind, Sector};
use crate::places;
use crate::site::index::SiteIndex;
use crate::text;

/// One table: a header for the label columns, value columns, and rows.
#[derive(Debug, Clone, Hash, Serialize, PartialEq)]
pub struct Table {
    pub id: &'static str,
    pub title: String,
    /// Headers of the label columns ("Phong trào", or "Phong trào", "Hình thức khen thưởng").
    pub label_columns: Vec<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// The "Tổng cộng" row: each column summed over the rows (set by [`Table::totalled`]).
    pub total: Vec<u64>,
    /// A note printed under the table.
    pub note: Option<String>,
}

/// The label of the row that sums a table, as report appendices write it.
pub const TOTAL_LABEL: &str = "Tổng cộng";

#[derive(Debug, Clone, Hash, Serialize, PartialEq)]
pub struct Row {
    pub labels: Vec<String>,
    pub values: Vec<u64>,
}

/// Households receive awards as one unit, so reports count them with collectives.
fn is_collective(kind: Kind) -> bool {
    kind != Kind::Individual
}

impl Table {
    /// The table with its total row.
    fn totalled(mut self) -> Table {
        self.total = (0..self.columns.len()).map(|c| self.rows.iter().map(|r| r.values[c]).sum()).collect();
        self
    }

    /// The total as a row: "Tổng cộng" in the first label column.
    fn total_row(&self) -> Row {
        let labels = std::iter::once(TOTAL_LABEL.to_string()).chain(std::iter::repeat_n(String::new(), self.label_columns.len() - 1)).collect();
        Row { labels, values: self.total.clone() }
    }

    /// UTF-8 CSV with a BOM, so Excel shows Vietnamese correctly. Text cells that a spreadsheet
    /// would take for a formula (`=`, `+`, `-`, `@`) are prefixed with `'`.
    pub fn to_csv(&self) -> String {
        let safe = |cell: &String| if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.clone() };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.label_columns.iter().chain(&self.columns).map(safe)).expect("csv to memory");
        for r in self.rows.iter().chain([&self.total_row()]) {
            w.write_record(r.labels.iter().map(safe).chain(r.values.iter().map(u64::to_string))).expect("csv to memory");
        }
        format!("\u{feff}{}", String::from_utf8(w.into_inner().expect("csv to memory")).expect("utf-8"))
    }

    /// Plain text with aligned columns, for the terminal.
    pub fn to_text(&self) -> String {
        let headers: Vec<&String> = self.label_columns.iter().chain(&self.columns).collect();
        let cells: Vec<Vec<String>> =
            self.rows.iter().chain([&self.total_row()]).map(|r| r.labels.iter().cloned().chain(r.values.iter().map(u64::to_string)).collect()).collect();
        let width = |i: usize| cells.iter().map(|c| c[i].chars().count()).chain([headers[i].chars().count()]).max().unwrap_or(0);
        let widths: Vec<usize> = (0..headers.len()).map(width).collect();
        let line = |cols: Vec<&str>| cols.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect::<Vec<_>>().join("  ").trim_end().to_string();
        let mut out = format!("{}\n{}\n", self.title, line(headers.iter().map(|h| h.as_str()).collect()));
        for c in &cells {
            out.push_str(&line(c.iter().map(String::as_str).collect()));
            out.push('\n');
        }
        out
    }
}

/// The tables as an Excel workbook: one sheet per table (named by its file name), the header row
/// bold and frozen, counts as numbers, the total row bold.
pub fn to_xlsx<'t>(tables: impl IntoIterator<Item = &'t Table>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    // A fixed creation date instead of the clock's: the same tables give the same file, so a build
    // is reproducible and a deploy does not upload the workbook again for nothing.
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2025, 7, 1)?));
    let bold = Format::new().set_bold();
    let header = Format::new().set_bold().set_background_color("F2E6D0").set_text_wrap();
    for table in tables {
        let sheet = workbook.add_worksheet();
        // Sheet names: at most 31 characters.
        sheet.set_name(table.id.chars().take(31).collect::<String>())?;
        let headers: Vec<&String> = table.label_columns.iter().chain(&table.columns).collect();
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h.as_str(), &header)?;
        }
        for (r, row) in table.rows.iter().chain([&table.total_row()]).enumerate() {
            let r = r as u32 + 1;
            let format = (r as usize == table.rows.len() + 1).then_some(&bold);
            for (c, label) in row.labels.iter().enumerate() {
                match format {
                    Some(f) => sheet.write_string_with_format(r, c as u16, label, f)?,
                    None => sheet.write_string(r, c as u16, label)?,
                };
            }
            for (c, v) in row.values.iter().enumerate() {
                let c = (row.labels.len() + c) as u16;
                match format {
                    Some(f) => sheet.write_number_with_format(r, c, *v as f64, f)?,
                    None => sheet.write_number(r, c, *v as f64)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_column_width(0, 40)?;
        for c in 1..table.label_columns.len() {
            sheet.set_column_width(c as u16, 30)?;
        }
    }
    workbook.save_to_buffer()
}

/// A table with its chart, as `/thong-ke/` shows it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ChartedTable {
    #[serde(flatten)]
    pub table: Table,
    pub svg: String,
}

/// Every table with its chart: stacked by kind where columns are kinds, else by total.
pub fn charted(index: &SiteIndex<'_>) -> Vec<ChartedTable> {
    compute(index)
        .into_iter()
        .map(|table| {
            let series: Vec<usize> = match table.id {
                "phong-trao-theo-loai" | "dia-phuong" => (0..Kind::ALL.len()).collect(),
                "khen-thuong-theo-phong-trao" => vec![0],
                _ => vec![table.columns.len() - 1],
            };
            let svg = bar_chart(&table, &series, table.id);
            ChartedTable { table, svg }
        })
        .collect()
}

/// The small chart of one movement page: its exemplars per kind.
pub fn movement_chart(index: &SiteIndex<'_>, movement: &crate::content::Movement) -> String {
    let counts = kind_counts(index.movement_stories(&movement.id).iter().map(|i| index.stories[*i]));
    let table = Table {
        id: "phong-trao",
        title: format!("Gương điển hình của phong trào theo loại: {}", movement.title),
        label_columns: vec!["Loại".into()],
        columns: vec!["Số gương".into()],
        rows: Kind::ALL.iter().enumerate().map(|(i, k)| Row { labels: vec![k.label().into()], values: vec![counts[i]] }).collect(),
        total: Vec::new(),
        note: None,
    };
    bar_chart(&table, &[0], "bieu-do-phong-trao")
}

/// All tables of `/thong-ke/`, each with its total row.
pub fn compute(index: &SiteIndex<'_>) -> Vec<Table> {
    [by_movement_and_kind(index), awards_by_year(index), by_province(index), by_commune(index), by_former_district(index), awards_by_movement_and_sector(index)]
        .into_iter()
        .map(Table::totalled)
        .collect()
}

/// Rows in Vietnamese alphabetical order of their labels, `last` (if given) after all others.
fn sort_rows(rows: &mut [Row], last: Option<&str>) {
    rows.sort_by(|a, b| {
        let after = |r: &Row| last.is_some_and(|l| r.labels.last().is_some_and(|x| x == l));
        after(a).cmp(&after(b)).then_with(|| a.labels.iter().zip(&b.labels).map(|(x, y)| text::collate(x, y)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal))
    });
}

fn kind_columns() -> Vec<String> {
    Kind::ALL.iter().map(|k| k.label().to_string()).chain(["Tổng".to_string()]).collect()
}

fn kind_counts<'a>(stories: impl Iterator<Item = &'a crate::content::Story>) -> Vec<u64> {
    let mut v = vec![0u64; Kind::ALL.len() + 1];
    for s in stories {
        v[Kind::ALL.iter().position(|k| *k == s.kind).expect("every kind")] += 1;
        v[Kind::ALL.len()] += 1;
    }
    v
}

pub fn by_movement_and_kind(index: &SiteIndex<'_>) -> Table {
    Table {
        id: "phong-trao-theo-loai",
        title: "Gương điển hình theo phong trào và loại".into(),
        label_columns: vec!["Phong trào".into()],
        columns: kind_columns(),
        rows: {
            let mut rows: Vec<Row> = index
                .movements
                .iter()
                .map(|m| Row { labels: vec![m.display_title().to_string()], values: kind_counts(index.movement_stories(&m.id).iter().map(|i| index.stories[*i])) })
                .collect();
            sort_rows(&mut rows, None);
            rows
        },
        total: Vec::new(),
        note: None,
    }
}

/// Stories by current province; stories written with old units count under their successor.
pub fn by_province(index: &SiteIndex<'_>) -> Table {
    let mut rows: Vec<Row> = index
        .provinces
        .iter()
        .map(|p| Row { labels: vec![p.term.name.clone()], values: kind_counts(p.term.stories.iter().map(|i| index.stories[*i])) })
        .collect();
    sort_rows(&mut rows, None);
    let unknown: Vec<usize> = (0..index.stories.len()).filter(|i| index.place_of[*i].is_none()).collect();
    if !unknown.is_empty() {
        rows.push(Row { labels: vec![UNPLACED.into()], values: kind_counts(unknown.iter().map(|i| index.stories[*i])) });
    }
    Table {
        id: "dia-phuong",
        title: "Gương điển hình theo tỉnh, thành phố (đơn vị hành chính hiện nay)".into(),
        label_columns: vec!["Tỉnh, thành phố".into()],
        columns: kind_columns(),
        rows,
        total: Vec::new(),
        note: (!unknown.is_empty()).then(|| UNPLACED_NOTE.into()),
    }
}

const UNPLACED: &str = "Chưa xác định địa phương";
const UNPLACED_NOTE: &str = "\"Chưa xác định địa phương\": bài không ghi địa phương, hoặc ghi tỉnh không có trong danh mục đơn vị hành chính (nguoitot check chỉ ra từng bài).";
const NO_COMMUNE: &str = "Chưa rõ xã, phường";

/// Stories by current commune, within their province.
pub fn by_commune(index: &SiteIndex<'_>) -> Table {
    let mut rows = vec![];
    for p in &index.provinces {
        for c in &p.communes {
            rows.push(Row { labels: vec![p.term.name.clone(), c.term.name.clone()], values: kind_counts(c.term.stories.iter().map(|i| index.stories[*i])) });
        }
        let without: Vec<usize> = p.term.stories.iter().copied().filter(|i| matches!(index.place_of[*i], Some((_, None)))).collect();
        if !without.is_empty() {
            rows.push(Row { labels: vec![p.term.name.clone(), NO_COMMUNE.into()], values: kind_counts(without.iter().map(|i| index.stories[*i])) });
        }
    }
    sort_rows(&mut rows, Some(NO_COMMUNE));
    Table {
        id: "xa-phuong",
        title: "Gương điển hình theo xã, phường (đơn vị hành chính hiện nay)".into(),
        label_columns: vec!["Tỉnh, thành phố".into(), "Xã, phường, đặc khu".into()],
        columns: kind_columns(),
        rows,
        total: Vec::new(),
        note: Some("Bài ghi xã cũ (trước 1/7/2025) được tính vào xã, phường mới đã tiếp nhận xã đó.".into()),
    }
}

/// Stories written with the districts of before 1 July 2025, for reports about 2021–2025.
pub fn by_former_district(index: &SiteIndex<'_>) -> Table {
    let registry = places::registry();
    let mut by_district: BTreeMap<places::OldDistrictId, Vec<usize>> = BTreeMap::new();
    for (i, s) in index.stories.iter().enumerate() {
        if let Some(d) = s.locality.place.former.and_then(|f| f.district) {
            by_district.entry(d).or_default().push(i);
        }
    }
    let mut rows: Vec<Row> = by_district
        .into_iter()
        .map(|(d, stories)| {
            let district = registry.old_district(d);
            Row {
                labels: vec![registry.old_province(district.province).short.clone(), district.name.clone()],
                values: kind_counts(stories.iter().map(|i| index.stories[*i])),
            }
        })
        .collect();
    sort_rows(&mut rows, None);
    Table {
        id: "huyen-truoc-2025",
        title: "Gương điển hình theo huyện (địa giới trước 1/7/2025)".into(),
        label_columns: vec!["Tỉnh (cũ)".into(), "Huyện, thị xã, thành phố".into()],
        columns: kind_columns(),
        rows,
        total: Vec::new(),
        note: Some("Chỉ gồm các bài ghi huyện hoặc xã cũ; dùng cho báo cáo giai đoạn 2021–2025.".into()),
    }
}

pub fn awards_by_year(index: &SiteIndex<'_>) -> Table {
    let mut years: Vec<Option<i32>> = index.stories.iter().flat_map(|s| s.awards.iter().map(|a| a.year)).collect();
    years.sort();
    years.dedup();
    let mut counts: BTreeMap<(usize, Option<i32>), u64> = BTreeMap::new();
    for (s, terms) in index.stories.iter().zip(&index.award_terms) {
        for (a, &t) in s.awards.iter().zip(terms) {
            *counts.entry((t, a.year)).or_default() += 1;
        }
    }
    let rows = index
        .awards
        .iter()
        .enumerate()
        .map(|(t, award)| {
            let mut values: Vec<u64> = years.iter().map(|y| counts.get(&(t, *y)).copied().unwrap_or(0)).collect();
            values.push(values.iter().sum());
            Row { labels: vec![award.name.clone()], values }
        })
        .collect();
    Table {
        id: "khen-thuong-theo-nam",
        title: "Khen thưởng theo hình thức và năm".into(),
        label_columns: vec!["Hình thức khen thưởng".into()],
        columns: years.iter().map(|y| y.map_or("Không rõ năm".to_string(), |y| y.to_string())).chain(["Tổng".to_string()]).collect(),
        rows,
        total: Vec::new(),
        note: None,
    }
}

/// As the report appendices: per movement and award, collectives and individuals, by sector.
pub fn awards_by_movement_and_sector(index: &SiteIndex<'_>) -> Table {
    let mut columns = vec!["Tổng số".to_string(), "Tập thể".to_string(), "Cá nhân".to_string()];
    for sector in Sector::ALL.iter().map(|s| s.label()).chain(["Chưa ghi khu vực"]) {
        columns.push(format!("{sector} – tập thể"));
        columns.push(format!("{sector} – cá nhân"));
    }
    let mut rows = Vec::new();
    // Movements in alphabetical order; within one, awards from the highest.
    let mut movements: Vec<&crate::content::Movement> = index.movements.clone();
    movements.sort_by(|a, b| text::collate(a.display_title(), b.display_title()));
    for m in movements {
        for (t, award) in index.awards.iter().enumerate() {
            let mut v = vec![0u64; columns.len()];
            for &i in index.movement_stories(&m.id) {
                let s = index.stories[i];
                let n = index.award_terms[i].iter().filter(|&&a| a == t).count() as u64;
                if n == 0 {
                    continue;
                }
                let collective = is_collective(s.kind);
                v[0] += n;
                v[if collective { 1 } else { 2 }] += n;
                let sector = s.sector.map_or(Sector::ALL.len(), |x| Sector::ALL.iter().position(|y| *y == x).expect("sector"));
                v[3 + sector * 2 + usize::from(!collective)] += n;
            }
            if v[0] > 0 {
                rows.push(Row { labels: vec![m.display_title().to_string(), award.name.clone()], values: v });
            }
        }
    }
    Table {
        id: "khen-thuong-theo-phong-trao",
        title: "Khen thưởng theo phong trào, tập thể/cá nhân và khu vực".into(),
        label_columns: vec!["Phong trào".into(), "Hình thức khen thưởng".into()],
        columns,
        rows,
        total: Vec::new(),
        note: Some("Hộ gia đình được khen như một đơn vị nên được tính ở cột tập thể.".into()),
    }
}

const COLORS: [&str; 6] = ["#a31515", "#d98e04", "#2e7d32", "#1565c0", "#6a1b9a", "#5f5f66"];

/// A horizontal bar chart as inline SVG: one bar per row, stacked by `series` (indexes into the
/// table's columns), with `<title>` and `<desc>` for screen readers. Its numbers are in the table.
pub fn bar_chart(table: &Table, series: &[usize], id: &str) -> String {
    let bar_h = 18;
    let row_h = 44;
    // Narrow enough that 13-unit text stays readable when a phone scales the chart down.
    let width = 360.0;
    let label_w = 0.0;
    let max = table.rows.iter().map(|r| series.iter().map(|s| r.values[*s]).sum::<u64>()).max().unwrap_or(0).max(1) as f64;
    let legend_h = if series.len() > 1 { 28 } else { 0 };
    let height = legend_h + row_h * table.rows.len().max(1) + 8;
    let mut svg = String::new();
    let desc = table
        .rows
        .iter()
        .map(|r| format!("{}: {}", r.labels.join(" — "), series.iter().map(|s| r.values[*s]).sum::<u64>()))
        .collect::<Vec<_>>()
        .join("; ");
    write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        crate::html::escape(&table.title),
        crate::html::escape(&desc)
    )
    .unwrap();
    if series.len() > 1 {
        let mut x = 0.0;
        for (k, s) in series.iter().enumerate() {
            write!(svg, "<rect x=\"{x}\" y=\"6\" width=\"13\" height=\"13\" fill=\"{}\"/><text x=\"{}\" y=\"18\" font-size=\"13\">{}</text>", COLORS[k % COLORS.len()], x + 17.0, crate::html::escape(&table.columns[*s])).unwrap();
            x += 26.0 + table.columns[*s].chars().count() as f64 * 7.0;
        }
    }
    for (r, row) in table.rows.iter().enumerate() {
        let y = legend_h + r * row_h;
        let total: u64 = series.iter().map(|s| row.values[*s]).sum();
        let label = row.labels.join(" — ");
        let label = if label.chars().count() > 44 { format!("{}…", label.chars().take(43).collect::<String>()) } else { label };
        write!(svg, "<text x=\"0\" y=\"{}\" font-size=\"13\">{} ({total})</text>", y + 15, crate::html::escape(&label)).unwrap();
        let mut x = label_w;
        for (k, s) in series.iter().enumerate() {
            let v = row.values[*s];
            if v == 0 {
                continue;
            }
            let w = (v as f64 / max * (width - 2.0)).max(2.0);
            write!(svg, "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{bar_h}\" fill=\"{}\"><title>{}: {v}</title></rect>", y + 20, COLORS[k % COLORS.len()], crate::html::escape(&table.columns[*s])).unwrap();
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_those_the_routes_publish() {
        let content = crate::content::Content::default();
        let index = SiteIndex::build(&content, &crate::site::index::Publish::all());
        let ids: Vec<&str> = compute(&index).iter().map(|t| t.id).collect();
        assert_eq!(ids, crate::site::routes::STATS_TABLES);
    }
}
