#!/usr/bin/env python3
"""Vendors the web editor (Sveltia CMS) into themes/default/static/admin/ so that /admin/ loads
nothing from another host, in Vietnamese as in any other language.

Sources, from the npm registry at pinned versions, each checked against its published sha512:
- @sveltia/cms (MIT): dist/sveltia-cms.js, LICENSE, locales/*.json;
- @fontsource-variable/material-symbols-outlined (Google's icon font, packaged by Fontsource,
  licence in its LICENSE): the icon font the interface draws its icons with.

Sveltia CMS fetches its interface strings for languages other than English, three fonts and an
update check from CDNs (unpkg.com, cdn.jsdelivr.net). The editor's Content-Security-Policy blocks
them, and with the Vietnamese strings missing the interface never starts. This script rewrites
those addresses in the copied script, each rewrite checked to match exactly once:
- the language files are read from locales/ beside the script;
- the icon font from fonts/ beside the page; the text fonts (Source Sans 3, Noto Sans Mono,
  Latin only: Vietnamese letters fell back to another font mid-word) are dropped, so the
  interface uses the system font;
- the update check is skipped (nguoitot pins the version; this script updates it), and so is
  the GitHub status check (a request to www.githubstatus.com).

Usage: python3 tools/sveltia/update.py   (Python 3.8+, standard library only)
"""

import base64
import hashlib
import io
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

CMS_VERSION = "0.221.1"
CMS_SHA512 = "J+Qoik9kGMk2L7vNpOQrnDmFRi+NB6vwJ0f657YtsxWH0P8WYSYRRSRC2pQ/jGGbVlM//Pg/WIgmkpswqoo3gQ=="
ICONS_VERSION = "5.3.7"
ICONS_SHA512 = "d6kLamaMdad40AYoyJEBgCH63fRLklC7GW7bgb7WWbPh/UzuW483Dlyfmn3vxpiNsHLIMBOcYYkZDtOC9Y3MUA=="
OUT = Path(__file__).resolve().parents[2] / "themes" / "default" / "static" / "admin"


def fetch(url: str, sha512: str) -> tarfile.TarFile:
    with urllib.request.urlopen(url) as r:
        data = r.read()
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != sha512:
        sys.exit(f"{url}: sha512 {digest}, expected {sha512}")
    return tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")


def rewrite(script: str, pattern: str, replacement, what: str) -> str:
    new, count = re.subn(pattern, replacement, script)
    if count != 1:
        sys.exit(f"sveltia-cms.js {CMS_VERSION}: {what}: {count} matches for {pattern!r}, expected 1 (check the new version by hand)")
    return new


def main() -> None:
    cms = fetch(f"https://registry.npmjs.org/@sveltia/cms/-/cms-{CMS_VERSION}.tgz", CMS_SHA512)
    icons = fetch(
        f"https://registry.npmjs.org/@fontsource-variable/material-symbols-outlined/-/material-symbols-outlined-{ICONS_VERSION}.tgz",
        ICONS_SHA512,
    )
    read = lambda tar, name: tar.extractfile(f"package/{name}").read()

    script = read(cms, "dist/sveltia-cms.js").decode()
    # `X=`${CDN}@${VERSION}/locales`` → the folder beside the script.
    script = rewrite(
        script,
        r"(\w+)=`\$\{\w+\}@\$\{\w+\}/locales`",
        lambda m: f"{m.group(1)}=new URL(`locales`,document.currentScript?.src||location.href).href",
        "language files",
    )
    font_url = f"https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@{ICONS_VERSION}/latin-wght-normal.woff2"
    script = rewrite(script, re.escape(font_url), "fonts/material-symbols-outlined.woff2", "icon font")
    for family in ["Source Sans 3", "Noto Mono"]:
        script = rewrite(script, r"@font-face \{font-family:'" + re.escape(family) + r"';[^}]*\}", "", f"font {family}")
    # `X=async()=>{try{let e=await fetch(Y);` of the update check → return before fetching.
    package_json = re.search(r"(\w+)=`\$\{\w+\}/package\.json`", script).group(1)
    script = rewrite(script, r"async\(\)=>\{try\{let (\w+)=await fetch\(" + package_json + r"\)", lambda m: f"async()=>{{try{{return;let {m.group(1)}=await fetch({package_json})", "update check")
    # GitHub's status check asks www.githubstatus.com: fail it at once, as when that host is down.
    script = rewrite(script, r"async\(\)=>\{try\{let\{status:\{indicator:", "async()=>{try{throw 0;let{status:{indicator:", "GitHub status check")
    for host in ["cdn.jsdelivr.net/fontsource"]:
        if host in script:
            sys.exit(f"sveltia-cms.js still loads from {host}")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sveltia-cms.js").write_text(script)
    (OUT / "LICENSE-sveltia-cms.txt").write_bytes(read(cms, "LICENSE.txt"))
    locales = OUT / "locales"
    locales.mkdir(exist_ok=True)
    for member in cms.getmembers():
        if member.name.startswith("package/locales/") and member.name.endswith(".json"):
            (locales / Path(member.name).name).write_bytes(cms.extractfile(member).read())
    fonts = OUT / "fonts"
    fonts.mkdir(exist_ok=True)
    (fonts / "material-symbols-outlined.woff2").write_bytes(read(icons, "files/material-symbols-outlined-latin-wght-normal.woff2"))
    (fonts / "LICENSE-material-symbols.txt").write_bytes(read(icons, "LICENSE"))
    (OUT / "README.txt").write_text(
        f"Sveltia CMS {CMS_VERSION} (MIT, LICENSE-sveltia-cms.txt) with its language files (locales/), and the\n"
        f"Material Symbols Outlined icon font {ICONS_VERSION} (fonts/LICENSE-material-symbols.txt), from npm.\n"
        "sveltia-cms.js is rewritten to load them from here instead of CDNs and to skip its update check.\n"
        "Made by tools/sveltia/update.py; run it again to update, never edit these files by hand.\n"
    )
    print(f"Sveltia CMS {CMS_VERSION}, icons {ICONS_VERSION} → {OUT}")


if __name__ == "__main__":
    main()
