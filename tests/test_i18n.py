"""Languages on real catalogs and real builds: extraction, updates, fallback, hostile input, right-to-left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from kit.build import build
from kit.catalogs import catalog_path, read_catalog
from kit.cli import main
from kit.extract import content_catalog
from kit.i18n import add_language, status, update_catalogs
from tests.conftest import ROOT, parse

GLOSSARY_SOURCE = "A trained person who has been through cancer."


def run(*arguments: str):
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def translate(kit: Path, language: str, domain: str, translations: dict[str, str]) -> None:
    """Fill msgstr for the given msgids of one catalog, as a translator's tool would."""
    path = catalog_path(kit, language, domain)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in translations:
            message.string = translations[key]
    with path.open("wb") as handle:
        write_po(handle, catalog)


def entry(kit: Path, language: str, domain: str, msgid: str):
    return read_catalog(kit, language, domain).catalog.get(msgid)


@pytest.fixture
def spanish_kit(minimal_kit: Path) -> Path:
    add_language(minimal_kit, "es")
    translate(minimal_kit, "es", "content", {GLOSSARY_SOURCE: "Una persona formada que ha pasado por el cáncer."})
    translate(minimal_kit, "es", "messages", {"Glossary": "Glosario"})
    return minimal_kit


def test_kit_and_pybabel_extract_the_same_content_catalog(tmp_path: Path) -> None:
    pot = tmp_path / "content.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(pot),
            "--no-wrap",
            "-c",
            "NOTE",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        by_pybabel = {
            (m.context, m.id): (sorted(m.locations), sorted(m.auto_comments)) for m in read_po(handle) if m.id
        }
    by_kit = {(m.context, m.id): (sorted(m.locations), sorted(m.auto_comments)) for m in content_catalog(ROOT) if m.id}
    assert by_pybabel.keys() == by_kit.keys()
    assert by_pybabel == by_kit
    assert len(by_kit) > 1000


def test_every_entry_names_its_field_and_audience() -> None:
    catalog = content_catalog(ROOT)
    duty = next(m for m in catalog if any(c.startswith("roles/patient-mentor.yml: duties[") for c in m.auto_comments))
    assert "audience: mentor" in duty.auto_comments
    assert "content/roles/patient-mentor.yml" in {file for file, _ in duty.locations}
    assert any(m.context == "answer" for m in catalog)


def test_msgfmt_accepts_every_catalog() -> None:
    catalogs = sorted((ROOT / "translations").rglob("*.po"))
    assert len(catalogs) >= 4
    for path in catalogs:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path}: {result.stderr}"


def test_add_language_creates_catalogs_and_updates_program(minimal_kit: Path) -> None:
    result = run("i18n", "add", "vi", "--path", str(minimal_kit))
    assert result.exit_code == 0, result.output
    assert catalog_path(minimal_kit, "vi", "content").is_file()
    assert "languages: [en, vi]" in (minimal_kit / "content/program.yml").read_text()
    again = run("i18n", "add", "vi", "--path", str(minimal_kit))
    assert again.exit_code == 1 and "already has catalogs" in again.output


def test_add_language_refuses_an_unknown_code(minimal_kit: Path) -> None:
    result = run("i18n", "add", "klingon", "--path", str(minimal_kit))
    assert result.exit_code == 1
    assert "'klingon' is not a language code" in result.output
    assert not (minimal_kit / "translations").exists()


def test_edited_source_goes_fuzzy_keeps_translation_and_page_falls_back(spanish_kit: Path) -> None:
    glossary = spanish_kit / "content/glossary.yml"
    edited = "A trained person who has been through cancer themselves."
    glossary.write_text(glossary.read_text().replace(GLOSSARY_SOURCE, edited))
    update_catalogs(spanish_kit)

    message = entry(spanish_kit, "es", "content", edited)
    assert message.fuzzy
    assert message.previous_id == [GLOSSARY_SOURCE]
    assert message.string == "Una persona formada que ha pasado por el cáncer."
    assert "#| msgid" in catalog_path(spanish_kit, "es", "content").read_text()
    update_catalogs(spanish_kit)
    assert entry(spanish_kit, "es", "content", edited).previous_id == [GLOSSARY_SOURCE], "kept across updates"

    build(spanish_kit)
    page = parse(spanish_kit / "site/es/glossary/index.html")
    shown = page.select_one("dd span[lang=en]")
    assert shown is not None and shown.get_text() == edited
    assert "Una persona formada" not in page.get_text(), "outdated text is never shown as current"
    notice = page.select_one(".admonition.warning")
    assert notice is not None and "%" in notice.get_text()


def test_nothing_translated_is_dropped_when_a_source_text_goes_away(spanish_kit: Path) -> None:
    glossary = spanish_kit / "content/glossary.yml"
    glossary.write_text(glossary.read_text().replace(GLOSSARY_SOURCE, "Someone who volunteers."))
    update_catalogs(spanish_kit)
    text = catalog_path(spanish_kit, "es", "content").read_text()
    assert "Una persona formada que ha pasado por el cáncer." in text


HOSTILE = {
    GLOSSARY_SOURCE: 'Hola <script>alert("x")</script><img src=x onerror="alert(1)"> [clic]',
    "Mentor": "<b onmouseover=alert(3)>Mentor</b>",
}


def test_hostile_translations_yield_no_markup(spanish_kit: Path) -> None:
    translate(spanish_kit, "es", "content", HOSTILE)
    build(spanish_kit)
    for page in (spanish_kit / "site/es").rglob("*.html"):
        soup = parse(page)
        assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")], page
        assert not soup.find_all(attrs={"onerror": True}) and not soup.find_all(attrs={"onmouseover": True}), page
        assert not soup.select('a[href^="javascript:"]'), page
    dd = parse(spanish_kit / "site/es/glossary/index.html").select_one("dd")
    assert "<script>" in dd.get_text(), "the markup is shown as text"


def test_a_translation_cannot_add_a_link(spanish_kit: Path) -> None:
    translate(spanish_kit, "es", "content", {GLOSSARY_SOURCE: "Hola [clic](javascript:alert(2))"})
    result = run("build", str(spanish_kit))
    assert result.exit_code == 1
    assert "not in the source: ](javascript:alert(2)" in result.output
    assert not (spanish_kit / "site").exists()


def test_a_page_body_translation_cannot_add_markup_or_links(minimal_kit: Path) -> None:
    add_language(minimal_kit, "es")
    body = "{{ program.name }} pairs you with someone who has been there. See the [roles](../implement/roles/index.md)."
    translate(
        minimal_kit,
        "es",
        "content",
        {body: "{{ program.name }} <iframe src=x></iframe> te une con [roles](../implement/roles/index.md)."},
    )
    build(minimal_kit)
    soup = parse(minimal_kit / "site/es/overview/about/index.html")
    assert not soup.find_all("iframe")
    assert "Tiny Peers" in soup.get_text()


def test_dropped_placeholder_is_reported_with_po_file_and_line(spanish_kit: Path) -> None:
    body = "{{ program.name }} pairs you with someone who has been there. See the [roles](../implement/roles/index.md)."
    translate(spanish_kit, "es", "content", {body: "Te une con alguien. Mira los [roles](otra.md)."})
    line = entry(spanish_kit, "es", "content", body).lineno
    for command in ("check", "build"):
        result = run(command, str(spanish_kit))
        assert result.exit_code == 1
        assert f"translations/es/LC_MESSAGES/content.po:{line}:1: the translation of" in result.output
        assert "missing ](../implement/roles/index.md), {{ program.name }}" in result.output
        assert "Traceback" not in result.output


def test_malformed_catalog_is_reported_with_its_line(spanish_kit: Path) -> None:
    path = catalog_path(spanish_kit, "es", "content")
    lines = path.read_text().splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[broken] = 'msgstr "unterminated'
    lines.insert(broken + 3, "this line is not gettext")
    path.write_text("\n".join(lines) + "\n")
    result = run("check", str(spanish_kit))
    assert result.exit_code == 1
    assert (
        f"translations/es/LC_MESSAGES/content.po:{broken + 1}:1: this translation file cannot be read" in result.output
    )


def test_status_counts_match_the_catalogs(spanish_kit: Path) -> None:
    glossary = spanish_kit / "content/glossary.yml"
    glossary.write_text(glossary.read_text().replace(GLOSSARY_SOURCE, GLOSSARY_SOURCE + " Really."))
    update_catalogs(spanish_kit)
    expected = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for domain in ("messages", "content"):
        with catalog_path(spanish_kit, "es", domain).open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
                state = "fuzzy" if message.fuzzy else ("translated" if all(strings) else "untranslated")
                expected[state] += 1
    progress = status(spanish_kit)["es"]
    assert (progress.translated, progress.fuzzy, progress.untranslated) == tuple(expected.values())
    assert expected["fuzzy"] == 1 and expected["translated"] == 1

    result = run("i18n", "status", "--path", str(spanish_kit), "--min", "50")
    assert result.exit_code == 1
    assert f"es: {100 * expected['translated'] / sum(expected.values()):.1f}%" in result.output
    assert "content/glossary.yml:" in result.output


def test_build_one_language(spanish_kit: Path) -> None:
    result = run("build", str(spanish_kit), "--lang", "es")
    assert result.exit_code == 0, result.output
    assert (spanish_kit / "site/es/index.html").is_file()
    assert not (spanish_kit / "site/en").exists()
    unknown = run("build", str(spanish_kit), "--lang", "fr")
    assert unknown.exit_code == 1 and "the program has no language fr" in unknown.output


def test_region_falls_back_to_its_language(minimal_kit: Path) -> None:
    add_language(minimal_kit, "pt")
    add_language(minimal_kit, "pt-BR")
    translate(minimal_kit, "pt", "content", {GLOSSARY_SOURCE: "Uma pessoa treinada que passou pelo câncer."})
    build(minimal_kit)
    page = parse(minimal_kit / "site/pt-BR/glossary/index.html")
    assert "Uma pessoa treinada que passou pelo câncer." in page.select_one("dd").get_text()
    assert page.html["lang"] == "pt-BR"


def test_arabic_plural_forms_follow_babel(minimal_kit: Path) -> None:
    from kit.translate import make_translator
    from kit.validate import load_kit

    add_language(minimal_kit, "ar")
    forms = ["%(num)s أيام-0", "%(num)s يوم-1", "%(num)s يومان-2", "%(num)s أيام-3", "%(num)s يومًا-4", "%(num)s يوم-5"]
    path = catalog_path(minimal_kit, "ar", "messages")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.num_plurals == 6
    catalog.get(("%(num)s day", "%(num)s days")).string = forms
    with path.open("wb") as handle:
        write_po(handle, catalog)
    translator = make_translator(minimal_kit, load_kit(minimal_kit), "ar")
    picked = {count: translator.ngettext("%(num)s day", "%(num)s days", count)[-1] for count in (0, 1, 2, 3, 11, 100)}
    assert picked[0] == "0" and picked[1] == "1" and picked[2] == "2" and picked[3] == "3"
    assert len(set(picked.values())) == 6, "zero, one, two, few, many and other each have their form"


def test_reference_kit_languages(reference_site: Path) -> None:
    progress = status(ROOT)
    assert progress["es"].percent == 100.0
    assert progress["ar"].percent >= 40.0
    root = parse(reference_site / "index.html")
    names = {a["hreflang"]: a.get_text() for a in root.select("a[hreflang]")}
    assert names == {"en": "English", "es": "español", "ar": "العربية"}


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_every_page_has_alternates_to_the_same_page(reference_site: Path, language: str) -> None:
    for page in (reference_site / language).rglob("index.html"):
        soup = parse(page)
        alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
        assert set(alternates) == {"en", "es", "ar"}, page
        for code, href in alternates.items():
            target = (page.parent / href / "index.html").resolve()
            assert (
                target
                == (reference_site / code / page.parent.relative_to(reference_site / language) / "index.html").resolve()
            )
            assert target.is_file(), f"{page}: {href}"
        switcher = {a["hreflang"]: a["href"] for a in soup.select(".md-select__link[hreflang]")}
        assert switcher == alternates


def test_arabic_site_is_right_to_left_and_marked_draft(reference_site: Path) -> None:
    for page in (reference_site / "ar").rglob("index.html"):
        soup = parse(page)
        assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl" and soup.body["dir"] == "rtl", page
        assert soup.select_one(".admonition.info") is not None, f"{page}: no draft notice"
    switcher = parse(reference_site / "es" / "index.html").select_one('.md-select__link[hreflang="ar"]')
    assert "(" in switcher.get_text(), "the switcher marks the draft language"


def test_spanish_pages_are_fully_translated(reference_site: Path) -> None:
    for page in (reference_site / "es").rglob("index.html"):
        soup = parse(page)
        assert soup.html["lang"] == "es"
        assert not soup.select('article [lang="en"]'), f"{page}: shows untranslated text"
        assert soup.select_one(".admonition.warning .admonition-title") is None or "traduc" not in (
            soup.select_one(".admonition.warning .admonition-title").get_text().lower()
        )


def test_dates_follow_the_locale(reference_site: Path) -> None:
    policy = parse(reference_site / "es" / "implement" / "policies" / "confidentiality" / "index.html")
    assert " de noviembre de 2027" in policy.get_text()
