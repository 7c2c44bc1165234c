//! Award and exemplar tallies, as provincial reports compile them by hand: computed from the
//! stories for all time or for a period of years, shown as charts with tables (`/thong-ke/`,
//! `/thong-ke/<năm>/`), written as CSV, JSON and Excel ([`export`]).

mod chart;
mod export;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{Kind, Sector, Story};
use crate::places;
use crate::site::index::SiteIndex;
use crate::text;

pub use export::to_xlsx;

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

impl Row {
    fn is_empty(&self) -> bool {
        self.values.iter().all(|v| *v == 0)
    }
}

/// The years a report covers, both ends included; the default is all time. A story counts in
/// the year of its date; an award in the year it was given, or its story's year when it has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl Period {
    pub fn year(year: i32) -> Period {
        Period { from: Some(year), to: Some(year) }
    }

    pub fn contains(&self, year: i32) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }

    /// How a title names the period: "năm 2024", "2021–2025", "từ 2021", "đến 2025".
    pub fn label(&self) -> Option<String> {
        match (self.from, self.to) {
            (None, None) => None,
            (Some(f), Some(t)) if f == t => Some(format!("năm {f}")),
            (Some(f), Some(t)) => Some(format!("{f}–{t}")),
            (Some(f), None) => Some(format!("từ {f}")),
            (None, Some(t)) => Some(format!("đến {t}")),
        }
    }

    fn holds_story(&self, story: &Story) -> bool {
        self.contains(story.year())
    }

    fn holds_award(&self, story: &Story, award: &crate::content::Award) -> bool {
        self.contains(award.year.unwrap_or(story.year()))
    }
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
}

/// A table with its chart, as `/thong-ke/` shows it: the rows with a count (empty ones are named
/// in one line of the chart, and kept in the files).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ChartedTable {
    #[serde(flatten)]
    pub table: Table,
    pub chart_html: String,
    pub rows_shown: Vec<Row>,
}

/// Every table of a period with its chart: stacked by kind where columns are kinds, else by total.
pub fn charted(index: &SiteIndex<'_>, period: Period) -> Vec<ChartedTable> {
    compute(index, period)
        .into_iter()
        .map(|table| {
            let kinds = Kind::ALL.map(|k| (chart::kind_class(k), k.label().to_string()));
            let (legend, series): (Vec<(String, String)>, Vec<usize>) = match table.id {
                "phong-trao-theo-loai" | "dia-phuong" | "xa-phuong" | "huyen-truoc-2025" => (kinds.to_vec(), (0..Kind::ALL.len()).collect()),
                "khen-thuong-theo-phong-trao" => (vec![(chart::PLAIN.into(), table.columns[0].clone())], vec![0]),
                _ => (vec![(chart::PLAIN.into(), table.columns[table.columns.len() - 1].clone())], vec![table.columns.len() - 1]),
            };
            let bars: Vec<chart::Bar> = table
                .rows
                .iter()
                .map(|row| chart::Bar {
                    label: row.labels.join(" — "),
                    segments: series.iter().zip(&legend).map(|(c, (class, name))| chart::Segment { value: row.values[*c], class: class.clone(), name: name.clone() }).collect(),
                })
                .collect();
            let empty_lead = if table.id.starts_with("khen-thuong") { "Chưa có khen thưởng" } else { "Chưa có gương điển hình" };
            let chart_html = chart::bar_chart(&legend, &bars, empty_lead);
            let rows_shown = table.rows.iter().filter(|r| !r.is_empty()).cloned().collect();
            ChartedTable { table, chart_html, rows_shown }
        })
        .collect()
}

/// The small chart of one movement page: its exemplars per kind, each in its kind's colour.
pub fn movement_chart(index: &SiteIndex<'_>, movement: &crate::content::Movement) -> String {
    let counts = kind_counts(index.movement_stories(&movement.id).iter().map(|i| index.stories[*i]));
    let bars: Vec<chart::Bar> = Kind::ALL
        .iter()
        .zip(counts)
        .map(|(k, n)| chart::Bar { label: k.label().into(), segments: vec![chart::Segment { value: n, class: chart::kind_class(*k), name: k.label().into() }] })
        .collect();
    chart::bar_chart(&[], &bars, "Chưa có gương điển hình")
}

/// All tables of `/thong-ke/` for a period, each with its total row; the period in the titles.
pub fn compute(index: &SiteIndex<'_>, period: Period) -> Vec<Table> {
    let scope = Scope { index, period };
    [by_movement_and_kind(&scope), awards_by_year(&scope), by_province(&scope), by_commune(&scope), by_former_district(&scope), awards_by_movement_and_sector(&scope)]
        .into_iter()
        .map(|mut table| {
            if let Some(label) = period.label() {
                table.title = format!("{} ({label})", table.title);
            }
            table.totalled()
        })
        .collect()
}

/// What the tables count: the site's stories and awards within a period.
struct Scope<'s, 'i> {
    index: &'s SiteIndex<'i>,
    period: Period,
}

impl<'s, 'i> Scope<'s, 'i> {
    /// The stories among `ids` (positions in the index) dated within the period.
    fn stories<'a>(&'a self, ids: &'a [usize]) -> impl Iterator<Item = &'a Story> + 'a {
        ids.iter().map(|i| self.index.stories[*i]).filter(|s| self.period.holds_story(s))
    }

    /// Counts by kind (and total) of the stories among `ids` within the period.
    fn kind_counts(&self, ids: &[usize]) -> Vec<u64> {
        kind_counts(self.stories(ids))
    }
}

/// Rows in Vietnamese alphabetical order of their labels, `last` (if given) after all others.
fn sort_rows(rows: &mut [Row], last: Option<&str>) {
    rows.sort_by(|a, b| {
        let after = |r: &Row| last.is_some_and(|l| r.labels.last().is_some_and(|x| x == l));
        after(a).cmp(&after(b)).then_with(|| a.labels.iter().zip(&b.labels).map(|(x, y)| text::collate(x, y)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal))
    });
}

/// Rows of places and awards exist because some story has them: within a period, only those that
/// count something in it.
fn counting(rows: Vec<Row>) -> Vec<Row> {
    rows.into_iter().filter(|r| !r.is_empty()).collect()
}

fn kind_columns() -> Vec<String> {
    Kind::ALL.iter().map(|k| k.label().to_string()).chain(["Tổng".to_string()]).collect()
}

fn kind_counts<'a>(stories: impl Iterator<Item = &'a Story>) -> Vec<u64> {
    let mut v = vec![0u64; Kind::ALL.len() + 1];
    for s in stories {
        v[Kind::ALL.iter().position(|k| *k == s.kind).expect("every kind")] += 1;
        v[Kind::ALL.len()] += 1;
    }
    v
}

/// Every movement of the site, those without stories too (a report lists them all).
fn by_movement_and_kind(scope: &Scope<'_, '_>) -> Table {
    let index = scope.index;
    Table {
        id: "phong-trao-theo-loai",
        title: "Gương điển hình theo phong trào và loại".into(),
        label_columns: vec!["Phong trào".into()],
        columns: kind_columns(),
        rows: {
            let mut rows: Vec<Row> = index
                .movements
                .iter()
                .map(|m| Row { labels: vec![m.display_title().to_string()], values: scope.kind_counts(index.movement_stories(&m.id)) })
                .collect();
            sort_rows(&mut rows, None);
            rows
        },
        total: Vec::new(),
        note: None,
    }
}

/// Stories by current province; stories written with old units count under their successor.
fn by_province(scope: &Scope<'_, '_>) -> Table {
    let index = scope.index;
    let mut rows: Vec<Row> = index.provinces.iter().map(|p| Row { labels: vec![p.term.name.clone()], values: scope.kind_counts(&p.term.stories) }).collect();
    sort_rows(&mut rows, None);
    let unknown: Vec<usize> = (0..index.stories.len()).filter(|i| index.place_of[*i].is_none()).collect();
    let unknown = Row { labels: vec![UNPLACED.into()], values: scope.kind_counts(&unknown) };
    let has_unknown = !unknown.is_empty();
    if has_unknown {
        rows.push(unknown);
    }
    Table {
        id: "dia-phuong",
        title: "Gương điển hình theo tỉnh, thành phố (đơn vị hành chính hiện nay)".into(),
        label_columns: vec!["Tỉnh, thành phố".into()],
        columns: kind_columns(),
        rows: counting(rows),
        total: Vec::new(),
        note: has_unknown.then(|| UNPLACED_NOTE.into()),
    }
}

const UNPLACED: &str = "Chưa xác định địa phương";
const UNPLACED_NOTE: &str = "\"Chưa xác định địa phương\": bài không ghi địa phương, hoặc ghi tỉnh không có trong danh mục đơn vị hành chính (nguoitot check chỉ ra từng bài).";
const NO_COMMUNE: &str = "Chưa rõ xã, phường";

/// Stories by current commune, within their province.
fn by_commune(scope: &Scope<'_, '_>) -> Table {
    let index = scope.index;
    let mut rows = vec![];
    for p in &index.provinces {
        for c in &p.communes {
            rows.push(Row { labels: vec![p.term.name.clone(), c.term.name.clone()], values: scope.kind_counts(&c.term.stories) });
        }
        let without: Vec<usize> = p.term.stories.iter().copied().filter(|i| matches!(index.place_of[*i], Some((_, None)))).collect();
        if !without.is_empty() {
            rows.push(Row { labels: vec![p.term.name.clone(), NO_COMMUNE.into()], values: scope.kind_counts(&without) });
        }
    }
    sort_rows(&mut rows, Some(NO_COMMUNE));
    Table {
        id: "xa-phuong",
        title: "Gương điển hình theo xã, phường (đơn vị hành chính hiện nay)".into(),
        label_columns: vec!["Tỉnh, thành phố".into(), "Xã, phường, đặc khu".into()],
        columns: kind_columns(),
        rows: counting(rows),
        total: Vec::new(),
        note: Some("Bài ghi xã cũ (trước 1/7/2025) được tính vào xã, phường mới đã tiếp nhận xã đó.".into()),
    }
}

/// Stories written with the districts of before 1 July 2025, for reports about 2021–2025.
fn by_former_district(scope: &Scope<'_, '_>) -> Table {
    let index = scope.index;
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
                values: scope.kind_counts(&stories),
            }
        })
        .collect();
    sort_rows(&mut rows, None);
    Table {
        id: "huyen-truoc-2025",
        title: "Gương điển hình theo huyện (địa giới trước 1/7/2025)".into(),
        label_columns: vec!["Tỉnh (cũ)".into(), "Huyện, thị xã, thành phố".into()],
        columns: kind_columns(),
        rows: counting(rows),
        total: Vec::new(),
        note: Some("Chỉ gồm các bài ghi huyện hoặc xã cũ; dùng cho báo cáo giai đoạn 2021–2025.".into()),
    }
}

fn awards_by_year(scope: &Scope<'_, '_>) -> Table {
    let index = scope.index;
    let mut counts: BTreeMap<(usize, Option<i32>), u64> = BTreeMap::new();
    for (s, terms) in index.stories.iter().zip(&index.award_terms) {
        for (a, &t) in s.awards.iter().zip(terms).filter(|(a, _)| scope.period.holds_award(s, a)) {
            *counts.entry((t, a.year)).or_default() += 1;
        }
    }
    let mut years: Vec<Option<i32>> = counts.keys().map(|(_, y)| *y).collect();
    years.sort();
    years.dedup();
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
        rows: counting(rows),
        total: Vec::new(),
        note: None,
    }
}

/// As the report appendices: per movement and award, collectives and individuals, by sector.
fn awards_by_movement_and_sector(scope: &Scope<'_, '_>) -> Table {
    let index = scope.index;
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
                let n = s.awards.iter().zip(&index.award_terms[i]).filter(|(a, &term)| term == t && scope.period.holds_award(s, a)).count() as u64;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_those_the_routes_publish() {
        let content = crate::content::Content::default();
        let index = SiteIndex::build(&content, &crate::site::index::Publish::all());
        let ids: Vec<&str> = compute(&index, Period::default()).iter().map(|t| t.id).collect();
        assert_eq!(ids, crate::site::routes::STATS_TABLES);
    }
}
