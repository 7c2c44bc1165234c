//! Bar charts as HTML: labels are text at the page's size (an SVG scaled to the column made them
//! larger than the body, or tiny on a phone), bars are small SVGs stretched to the row, coloured by
//! class so that a kind has one colour everywhere on the site (style.css, `.kind-…`), in light and
//! dark mode. Rows without stories fold into one line under the bars.

use std::fmt::Write as _;

use crate::content::Kind;
use crate::html::escape;

/// One bar: its label and its stacked segments.
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<Segment>,
}

/// A part of a bar: its count, the class that colours it and the name its tooltip gives.
#[derive(Debug)]
pub struct Segment {
    pub value: u64,
    pub class: String,
    pub name: String,
}

impl Bar {
    fn total(&self) -> u64 {
        self.segments.iter().map(|s| s.value).sum()
    }
}

/// The class that colours a kind, on chart bars and on the kind labels of story cards.
pub fn kind_class(kind: Kind) -> String {
    format!("kind-{}", kind.id())
}

/// The class of a bar that counts no kind in particular.
pub const PLAIN: &str = "kind-all";

/// The chart: a legend when bars are stacked (`legend`: class and name of each series), one row
/// per bar with a count, and the bars that count nothing named in one line after `empty_lead`
/// (which alone says that there is nothing to draw).
pub fn bar_chart(legend: &[(String, String)], bars: &[Bar], empty_lead: &str) -> String {
    let max = bars.iter().map(Bar::total).max().unwrap_or(0).max(1) as f64;
    let mut html = String::from("<div class=\"chart\">");
    if legend.len() > 1 {
        html.push_str("<ul class=\"chart-legend\">");
        for (class, name) in legend {
            write!(html, "<li><span class=\"swatch {class}\"></span>{}</li>", escape(name)).unwrap();
        }
        html.push_str("</ul>");
    }
    let (shown, empty): (Vec<&Bar>, Vec<&Bar>) = bars.iter().partition(|b| b.total() > 0);
    if !shown.is_empty() {
        html.push_str("<ul class=\"bars\">");
        for bar in shown {
            write!(html, "<li><span class=\"bar-label\">{}</span> <span class=\"bar-count\">{}</span>", escape(&bar.label), bar.total()).unwrap();
            // A 1000-unit wide box stretched to the row: the widths are shares of the longest bar.
            html.push_str("<svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">");
            let mut x = 0.0;
            for s in bar.segments.iter().filter(|s| s.value > 0) {
                let w = (s.value as f64 / max * 1000.0).max(4.0);
                write!(html, "<rect class=\"{}\" x=\"{x:.1}\" width=\"{w:.1}\" height=\"10\"><title>{}: {}</title></rect>", s.class, escape(&s.name), s.value).unwrap();
                x += w;
            }
            html.push_str("</svg></li>");
        }
        html.push_str("</ul>");
    }
    if bars.is_empty() {
        write!(html, "<p class=\"chart-empty\">{}.</p>", escape(empty_lead)).unwrap();
    } else if !empty.is_empty() {
        let names: Vec<String> = empty.iter().map(|b| escape(&b.label)).collect();
        write!(html, "<p class=\"chart-empty\">{} ({}): {}.</p>", escape(empty_lead), empty.len(), names.join("; ")).unwrap();
    }
    html.push_str("</div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, values: &[u64]) -> Bar {
        let segments = values.iter().zip(Kind::ALL).map(|(v, k)| Segment { value: *v, class: kind_class(k), name: k.label().into() }).collect();
        Bar { label: label.into(), segments }
    }

    #[test]
    fn bars_are_shares_of_the_longest_and_empty_rows_fold_into_one_line() {
        let legend: Vec<(String, String)> = Kind::ALL.iter().map(|k| (kind_class(*k), k.label().to_string())).collect();
        let html = bar_chart(&legend, &[bar("Chuyển đổi số", &[1, 1, 0]), bar("Cải cách <hành chính>", &[0, 0, 0]), bar("Nông thôn mới", &[2, 2, 0]), bar("Y tế", &[0, 0, 0])], "Chưa có gương điển hình");
        assert!(html.contains("<span class=\"swatch kind-tap-the\"></span>Tập thể</li>"), "{html}");
        assert!(html.contains("<span class=\"bar-label\">Chuyển đổi số</span> <span class=\"bar-count\">2</span>"), "{html}");
        assert!(html.contains("<rect class=\"kind-tap-the\" x=\"0.0\" width=\"250.0\" height=\"10\"><title>Tập thể: 1</title></rect><rect class=\"kind-ca-nhan\" x=\"250.0\" width=\"250.0\""), "{html}");
        assert!(html.contains("<rect class=\"kind-ca-nhan\" x=\"500.0\" width=\"500.0\""), "{html}");
        assert!(!html.contains("kind-ho-gia-dinh\" x="), "no segment for a zero: {html}");
        assert!(html.ends_with("<p class=\"chart-empty\">Chưa có gương điển hình (2): Cải cách &lt;hành chính&gt;; Y tế.</p></div>"), "{html}");
        assert_eq!(html.matches("<li><span class=\"bar-label\">").count(), 2);
    }
}
