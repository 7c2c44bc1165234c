//! The tables as files people open elsewhere: CSV for any tool, aligned text for the terminal,
//! an Excel workbook for reports.

use super::Table;

impl Table {
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

