//! The same stories as a Hugo site and as a Zola site, for the build benchmark.
//!
//! Both peers get what nguoitot builds from the corpus, as far as each tool can express it: one page
//! per story (title, unit, locality, movement and award links, body, date), paginated lists of 20 for
//! the home page, the story section and every term of six taxonomies (movement, unit, district,
//! commune, award, year), feeds, and — where the tool has one — its search index (Zola) or its
//! related-content lookup (Hugo's `.Related` on unit, movement and district, weighted like ours).
//! Stories are written from the loaded content model, so the three sites hold the same text.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use nguoitot::content::{Content, Story};

/// A TOML basic string (JSON escapes are valid TOML escapes).
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

fn toml_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(toml_string).collect();
    format!("[{}]", items.join(", "))
}

/// The taxonomy terms of a story, by taxonomy name, as both peers' front matter holds them.
fn terms(story: &Story, content: &Content) -> [(&'static str, Vec<String>); 6] {
    let movement_title = |id: &String| content.movements.iter().find(|m| &m.id == id).map_or(id.clone(), |m| m.title.clone());
    [
        ("movements", story.movements.iter().map(movement_title).collect()),
        ("units", story.unit.iter().cloned().collect()),
        ("districts", story.locality.district.iter().cloned().collect()),
        ("communes", story.locality.commune.iter().cloned().collect()),
        ("awards", story.awards.iter().map(|a| a.title.clone()).collect()),
        ("years", vec![story.year().to_string()]),
    ]
}

fn front_matter(story: &Story, content: &Content, zola: bool) -> String {
    let mut fm = String::from("+++\n");
    writeln!(fm, "title = {}\ndate = {}", toml_string(&story.title), story.date).unwrap();
    if zola {
        writeln!(fm, "description = {}\n[taxonomies]", toml_string(&story.summary)).unwrap();
    } else {
        writeln!(fm, "summary = {}", toml_string(&story.summary)).unwrap();
    }
    for (name, values) in terms(story, content) {
        if !values.is_empty() {
            writeln!(fm, "{name} = {}", toml_list(values.iter().map(String::as_str))).unwrap();
        }
    }
    fm.push_str("+++\n");
    fm
}

fn write_stories(dir: &Path, content: &Content, zola: bool) -> io::Result<()> {
    let section = dir.join("content/guong");
    fs::create_dir_all(&section)?;
    for story in &content.stories {
        fs::write(section.join(format!("{}.md", story.slug)), format!("{}{}", front_matter(story, content, zola), story.body))?;
    }
    Ok(())
}

const TAXONOMIES: [&str; 6] = ["movements", "units", "districts", "communes", "awards", "years"];

/// Writes the Hugo equivalent of `content` under `dir`.
pub fn write_hugo_site(dir: &Path, content: &Content, title: &str) -> io::Result<()> {
    let mut config = format!(
        "baseURL = \"https://bench.example/\"\ntitle = {}\nlanguageCode = \"vi\"\ndisableKinds = []\n\n[pagination]\npagerSize = 20\n\n[taxonomies]\n",
        toml_string(title)
    );
    for t in TAXONOMIES {
        writeln!(config, "{} = \"{t}\"", t.trim_end_matches('s')).unwrap();
    }
    config.push_str(
        "\n[related]\nincludeNewer = true\nthreshold = 1\ntoLower = false\n\
         [[related.indices]]\nname = \"units\"\nweight = 8\n\
         [[related.indices]]\nname = \"movements\"\nweight = 3\n\
         [[related.indices]]\nname = \"districts\"\nweight = 1\n",
    );
    fs::create_dir_all(dir.join("layouts/_partials"))?;
    fs::create_dir_all(dir.join("content"))?;
    fs::write(dir.join("hugo.toml"), config)?;
    fs::write(dir.join("content/_index.md"), "+++\ntitle = \"Trang chủ\"\n+++\n")?;
    let layouts = [
        (
            "baseof.html",
            r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} — {{ site.Title }}</title><link rel="stylesheet" href="/style.css">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}</head>
<body><header><a href="/">{{ site.Title }}</a>{{ partialCached "nav.html" . }}</header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#,
        ),
        (
            "_partials/nav.html",
            r#"<nav>{{ range site.Taxonomies.movements.Alphabetical }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>"#,
        ),
        (
            "_partials/card.html",
            r#"<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ with .Params.units }}{{ index . 0 }} · {{ end }}{{ with .Params.communes }}{{ index . 0 }}{{ end }}{{ with .Params.districts }}, {{ index . 0 }}{{ end }}</p>
<p>{{ .Summary }}</p><time>{{ .Date.Format "02/01/2006" }}</time></article>"#,
        ),
        (
            "_partials/pager.html",
            r#"<nav class="pager">{{ with .Prev }}<a href="{{ .URL }}">Trang trước</a>{{ end }} Trang {{ .PageNumber }}/{{ .TotalPages }} {{ with .Next }}<a href="{{ .URL }}">Trang sau</a>{{ end }}</nav>"#,
        ),
        (
            "single.html",
            r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ with .Params.units }}{{ index . 0 }} · {{ end }}{{ with .Params.communes }}{{ index . 0 }}{{ end }}{{ with .Params.districts }}, {{ index . 0 }}{{ end }}</p>
<p>{{ range .GetTerms "movements" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<ul>{{ range .GetTerms "awards" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<time>{{ .Date.Format "02/01/2006" }}</time>
{{ .Content }}
{{ with first 5 (site.RegularPages.Related .) }}<h2>Gương điển hình liên quan</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
"#,
        ),
        (
            "list.html",
            r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ if eq .Kind "taxonomy" }}<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ else }}{{ $pager := .Paginate .Pages }}{{ range $pager.Pages }}{{ partial "card.html" . }}{{ end }}{{ partial "pager.html" $pager }}{{ end }}
{{ end }}
"#,
        ),
        (
            "home.html",
            r#"{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ $pager := .Paginate site.RegularPages }}{{ range $pager.Pages }}{{ partial "card.html" . }}{{ end }}{{ partial "pager.html" $pager }}
{{ end }}
"#,
        ),
    ];
    for (file, text) in layouts {
        fs::write(dir.join("layouts").join(file), text)?;
    }
    write_static(dir)?;
    write_stories(dir, content, false)
}

/// Writes the Zola equivalent of `content` under `dir` (with Zola's search index; Zola's
/// elasticlunr has no Vietnamese, so the index is built as English: split on spaces and punctuation).
pub fn write_zola_site(dir: &Path, content: &Content, title: &str) -> io::Result<()> {
    let mut config = format!(
        "base_url = \"https://bench.example\"\ntitle = {}\ndefault_language = \"en\"\nbuild_search_index = true\ngenerate_feed = true\ncompile_sass = false\n\ntaxonomies = [\n",
        toml_string(title)
    );
    for t in TAXONOMIES {
        writeln!(config, "  {{ name = \"{t}\", paginate_by = 20, feed = true }},").unwrap();
    }
    config.push_str("]\n\n[markdown]\nhighlight_code = false\n");
    fs::create_dir_all(dir.join("content/guong"))?;
    fs::create_dir_all(dir.join("templates"))?;
    fs::write(dir.join("config.toml"), config)?;
    fs::write(dir.join("content/_index.md"), "+++\ntitle = \"Trang chủ\"\nsort_by = \"date\"\npaginate_by = 20\ntransparent = true\n+++\n")?;
    fs::write(dir.join("content/guong/_index.md"), "+++\ntitle = \"Gương điển hình\"\nsort_by = \"date\"\npaginate_by = 20\ntransparent = true\n+++\n")?;
    let card = r#"{% macro card(page) %}<article><h2><a href="{{ page.permalink }}">{{ page.title }}</a></h2>
<p>{% if page.taxonomies.units %}{{ page.taxonomies.units[0] }} · {% endif %}{% if page.taxonomies.communes %}{{ page.taxonomies.communes[0] }}{% endif %}{% if page.taxonomies.districts %}, {{ page.taxonomies.districts[0] }}{% endif %}</p>
<p>{{ page.description }}</p><time>{{ page.date | date(format="%d/%m/%Y") }}</time></article>{% endmacro %}
{% macro pager(paginator) %}<nav class="pager">{% if paginator.previous %}<a href="{{ paginator.previous }}">Trang trước</a>{% endif %} Trang {{ paginator.current_index }}/{{ paginator.number_pagers }} {% if paginator.next %}<a href="{{ paginator.next }}">Trang sau</a>{% endif %}</nav>{% endmacro %}
"#;
    let nav: String = content
        .movements
        .iter()
        .filter(|m| content.stories.iter().any(|s| s.movements.contains(&m.id)))
        .map(|m| format!(r#"<a href="{{{{ get_taxonomy_url(kind="movements", name={}) }}}}">{}</a> "#, toml_string(&m.title), m.title))
        .collect();
    let templates = [
        ("macros.html", card.to_string()),
        (
            "base.html",
            // Zola's `get_taxonomy` copies the whole taxonomy on every call (≈40 s for 1,000 pages
            // here), so the menu is written out, linking with the cheap `get_taxonomy_url`.
            r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock %}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ config.title }}</a><nav>NAV</nav></header>
<main>{% block main %}{% endblock %}</main></body></html>
"#
            .replace("NAV", &nav),
        ),
        (
            "page.html",
            r#"{% extends "base.html" %}{% block title %}{{ page.title }} — {{ config.title }}{% endblock %}
{% block main %}<article><h1>{{ page.title }}</h1>
<p>{% if page.taxonomies.units %}{{ page.taxonomies.units[0] }} · {% endif %}{% if page.taxonomies.communes %}{{ page.taxonomies.communes[0] }}{% endif %}{% if page.taxonomies.districts %}, {{ page.taxonomies.districts[0] }}{% endif %}</p>
<p>{% for m in page.taxonomies.movements %}<a href="{{ get_taxonomy_url(kind="movements", name=m) }}">{{ m }}</a> {% endfor %}</p>
<ul>{% if page.taxonomies.awards %}{% for a in page.taxonomies.awards %}<li><a href="{{ get_taxonomy_url(kind="awards", name=a) }}">{{ a }}</a></li>{% endfor %}{% endif %}</ul>
<time>{{ page.date | date(format="%d/%m/%Y") }}</time>
{{ page.content | safe }}</article>{% endblock %}
"#
            .to_string(),
        ),
        (
            "section.html",
            r#"{% extends "base.html" %}{% import "macros.html" as m %}
{% block main %}<h1>{{ section.title }}</h1>{% for page in paginator.pages %}{{ m::card(page=page) }}{% endfor %}{{ m::pager(paginator=paginator) }}{% endblock %}
"#
            .to_string(),
        ),
        (
            "index.html",
            r#"{% extends "base.html" %}{% import "macros.html" as m %}
{% block main %}<h1>{{ config.title }}</h1>{% for page in paginator.pages %}{{ m::card(page=page) }}{% endfor %}{{ m::pager(paginator=paginator) }}{% endblock %}
"#
            .to_string(),
        ),
        (
            "taxonomy_list.html",
            r#"{% extends "base.html" %}
{% block main %}<h1>{{ taxonomy.name }}</h1><ul>{% for term in terms %}<li><a href="{{ term.permalink }}">{{ term.name }}</a> ({{ term.page_count }})</li>{% endfor %}</ul>{% endblock %}
"#
            .to_string(),
        ),
        (
            "taxonomy_single.html",
            r#"{% extends "base.html" %}{% import "macros.html" as m %}
{% block main %}<h1>{{ term.name }}</h1>{% for page in paginator.pages %}{{ m::card(page=page) }}{% endfor %}{{ m::pager(paginator=paginator) }}{% endblock %}
"#
            .to_string(),
        ),
    ];
    for (file, text) in templates {
        fs::write(dir.join("templates").join(file), text)?;
    }
    write_static(dir)?;
    write_stories(dir, content, true)
}

fn write_static(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir.join("static"))?;
    fs::write(dir.join("static/style.css"), "body{font-family:system-ui,sans-serif;max-width:48rem;margin:auto}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_get_the_same_stories_with_their_terms() {
        let repo = crate::repo_root();
        let (site, hugo, zola) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        crate::write_site(site.path(), 3, 11, &repo).unwrap();
        let loaded = nguoitot::pipeline::load_site(site.path()).unwrap_or_else(|diags| panic!("{:?}", diags.sorted()));
        write_hugo_site(hugo.path(), &loaded.content, "thử").unwrap();
        write_zola_site(zola.path(), &loaded.content, "thử").unwrap();
        let story = &loaded.content.stories[0];
        for (dir, description) in [(hugo.path(), "summary = "), (zola.path(), "description = ")] {
            let page = fs::read_to_string(dir.join(format!("content/guong/{}.md", story.slug))).unwrap();
            assert!(page.starts_with(&format!("+++\ntitle = {}\n", toml_string(&story.title))), "{page}");
            assert!(page.contains(description) && page.contains(&format!("years = [\"{}\"]", story.year())), "{page}");
            assert!(page.contains(&format!("districts = [{}]", toml_string(story.locality.district.as_deref().unwrap()))), "{page}");
            assert!(page.ends_with(&story.body), "{page}");
            let parsed: toml::Table = page.trim_start_matches("+++\n").split("+++\n").next().unwrap().parse().unwrap();
            assert_eq!(parsed["title"].as_str(), Some(story.title.as_str()));
        }
        assert_eq!(fs::read_dir(hugo.path().join("content/guong")).unwrap().count(), 3);
    }
}
