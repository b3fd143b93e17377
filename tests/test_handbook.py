"""The handbook as a book, read back by structure: outline, contents, links, metadata, fonts, bytes, editions."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest

from kit.errors import KitError
from kit.handbook import (
    EDITIONS,
    Binder,
    HandbookInfo,
    link_pages,
    page_anchor,
    page_counters,
    plan_book,
    render_handbooks,
)
from kit.render import PageSpec, plan_pages, render_pages
from kit.translate import make_translator, translate_kit
from kit.validate import load_kit
from tests.conftest import DATA, ROOT, copy_kit

LETTER = (612, 792)
Outline = list[tuple[int, str, int]]
"""(depth, title, page index) of every bookmark, in order; depth 0 is the top."""


# --- fixtures: docs rendered by kit itself, then each language's handbooks once ----------------


def build_docs(project: Path, docs: Path, language: str = "en"):
    """(kit, translator, pages) with the site's Markdown pages written under DOCS, as `kit build` does."""
    kit = load_kit(project)
    translator = make_translator(project, kit, language)
    translated = translate_kit(kit, translator)
    return translated, translator, render_pages(translated, project, docs, translator)


def render(project: Path, base: Path, language: str = "en", **options) -> dict[str, HandbookInfo]:
    """Render PROJECT's handbooks in LANGUAGE under BASE; the infos by edition."""
    kit, translator, pages = build_docs(project, base / "docs", language)
    infos = render_handbooks(kit, project, pages, base / "docs", base / "out", translator, **options)
    return {info.edition: info for info in infos}


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> dict[str, HandbookInfo]:
    return render(ROOT, tmp_path_factory.mktemp("handbook-en"))


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, HandbookInfo]:
    return render(ROOT, tmp_path_factory.mktemp("handbook-ar"), "ar", editions=["mentor"])


@pytest.fixture(scope="module")
def reference_pages() -> list[PageSpec]:
    return plan_pages(load_kit(ROOT))


@functools.cache
def reader_of(path: Path) -> pypdf.PdfReader:
    """The PDF at PATH, read once for the whole module."""
    return pypdf.PdfReader(path)


@functools.cache
def text_of(path: Path, index: int) -> str:
    """The text of one page, extracted once."""
    return reader_of(path).pages[index].extract_text()


@functools.cache
def outline_of(path: Path) -> Outline:
    """Every bookmark with its depth and the index of the page it opens."""
    reader = reader_of(path)
    found: Outline = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def contents_of(path: Path) -> list[tuple[str, int]]:
    """(title, printed page number) of every line of the contents, which runs until the first part."""
    first_part = next(page for depth, title, page in outline_of(path) if depth == 0 and title != "Contents")
    text = "\n".join(text_of(path, index) for index in range(1, first_part))
    lines = (re.fullmatch(r"(.+?)\s*\.{3,}\s*(\d+)", line.strip()) for line in text.splitlines())
    return [(found[1], int(found[2])) for found in lines if found]


@pytest.fixture(scope="module")
def binder(tmp_path_factory: pytest.TempPathFactory):
    """(binder, pages, converted pages) for the reference kit in English."""
    docs = tmp_path_factory.mktemp("binder") / "docs"
    kit, translator, pages = build_docs(ROOT, docs)
    made = Binder(kit, ROOT, docs, translator)
    return made, pages, {spec.path: made.convert(spec) for spec in pages}


# --- the book --------------------------------------------------------------------------------


def test_every_edition_is_written(english: dict[str, HandbookInfo]) -> None:
    assert list(english) == ["full", "mentor", "coordinator"]
    assert [info.path.name for info in english.values()] == [e.filename for e in EDITIONS]
    for info in english.values():
        reader = reader_of(info.path)
        assert info.pages == len(reader.pages)
        assert info.bytes == info.path.stat().st_size
        assert reader.metadata.title == info.title
    assert english["full"].title == "Side by Side: Handbook"
    assert english["mentor"].title == "Side by Side: Mentor handbook"
    assert english["coordinator"].title == "Side by Side: Coordinator manual"


def test_the_handbook_is_a_book(english: dict[str, HandbookInfo]) -> None:
    path = english["full"].path
    reader = reader_of(path)
    assert len(reader.pages) >= 30
    assert {tuple(round(float(v)) for v in page.mediabox[2:]) for page in reader.pages} == {LETTER}
    cover = text_of(path, 0)
    for text in ("Side by Side", "Riverbend Cancer Center", "Handbook", "Version 1.0", "911"):
        assert text in cover
    assert "Page 2 of" in text_of(path, 1)


def test_outline_has_parts_then_chapters_in_site_order(english: dict[str, HandbookInfo]) -> None:
    outline = outline_of(english["full"].path)
    parts = [title for depth, title, _ in outline if depth == 0]
    assert parts == ["Contents", "Overview", "Plan", "Implement", "Assess", "Sustain", "Forms and surveys", "Glossary"]
    titles = [title for depth, title, _ in outline if depth in (1, 2)]
    for expected in ("Goals", "Budget and staffing", "Roles", "Patient mentor", "Crisis and escalation", "Indicators"):
        assert expected in titles
    assert "Contact Log" not in titles, "each form is a PDF of its own, not a chapter"
    under_roles = outline[[title for _, title, _ in outline].index("Roles") + 1]
    assert under_roles[0] == 2 and under_roles[1] == "Caregiver mentor"
    part_pages = [page for depth, _, page in outline if depth == 0]
    assert part_pages == sorted(part_pages)


def test_contents_numbers_are_where_chapters_start(
    english: dict[str, HandbookInfo], reference_pages: list[PageSpec]
) -> None:
    for edition in EDITIONS:
        path = english[edition.name].path
        starts: dict[str, set[int]] = {}
        for _, title, page in outline_of(path):
            starts.setdefault(title, set()).add(page + 1)
        printed = contents_of(path)
        parts = plan_book(reference_pages, edition.keeps, str)
        assert len(printed) == len(parts) + sum(len(part.items) for part in parts), edition.name
        assert [number for _, number in printed] == sorted(number for _, number in printed)
        for title, number in printed:
            assert number in starts[title], (edition.name, title)
            assert title in text_of(path, number - 1)


def test_links_between_pages_are_internal(english: dict[str, HandbookInfo]) -> None:
    reader = reader_of(english["full"].path)
    names = reader.named_destinations
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation["/Subtype"] != "/Link":
                continue
            assert "/Dest" in annotation, annotation
            assert annotation["/Dest"] in names
            internal += 1
    assert internal > 100
    target = names[page_anchor("implement/policies/crisis-escalation.md")]
    assert "Crisis and escalation" in text_of(english["full"].path, reader.get_destination_page_number(target))


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda edition: edition.name)
def test_every_link_has_its_target_in_the_edition(edition, binder) -> None:  # noqa: ANN001
    made, pages, converted = binder
    html = made.html(edition, pages, converted)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets and targets <= ids
    assert "data-kit-page" not in html
    assert not [href for href in re.findall(r'href="([^"]+)"', html) if ".md" in href]


def test_the_book_reuses_the_sites_markdown(binder) -> None:  # noqa: ANN001
    made, pages, converted = binder
    title, body = converted["implement/policies/crisis-escalation.md"]
    assert title == "Crisis and escalation"
    assert '<div class="admonition danger">' in body
    assert '<h3 class="chapter-title" id="p-implement-policies-crisis-escalation">' in body
    assert "<table>" in converted["index.md"][1] and "<thead>" in converted["index.md"][1]
    assert "¶" not in "".join(body for _, body in converted.values())
    assert "<dl>" in converted["glossary.md"][1]


def test_tagged_with_language_title_and_embedded_fonts(english: dict[str, HandbookInfo]) -> None:
    with pikepdf.open(english["full"].path) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.MarkInfo.Marked)
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title) == "Side by Side: Handbook"
        descriptors = [
            obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        ]
        assert descriptors
        for descriptor in descriptors:
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), descriptor.FontName


# --- editions --------------------------------------------------------------------------------


def titles_in(info: HandbookInfo) -> set[str]:
    return {title for _, title, _ in outline_of(info.path)}


def test_the_mentor_handbook_holds_only_what_mentors_need(english: dict[str, HandbookInfo]) -> None:
    titles = titles_in(english["mentor"])
    assert {
        "Patient mentor",
        "Crisis and escalation",
        "Glossary",
        "Active listening and empathy",
    } <= titles
    assert not {"Budget and staffing", "Coordinator", "Funding and sustainability", "SWOT worksheet"} & titles
    assert not {"Matching Worksheet", "Mentor Screening Interview", "Plan", "Assess", "Sustain"} & titles


def test_the_coordinator_manual_holds_the_staff_pages(english: dict[str, HandbookInfo]) -> None:
    titles = titles_in(english["coordinator"])
    assert {"Budget and staffing", "Coordinator", "Patient mentor", "Crisis and escalation", "Indicators"} <= titles
    assert {"Plan", "Implement", "Assess", "Sustain", "Forms and surveys", "Glossary"} <= titles
    assert "Overview" not in titles
    assert "Active listening and empathy" not in titles, "training modules in full are in the handbook"
    assert english["coordinator"].pages < english["full"].pages


def test_a_group_keeps_its_heading_when_its_page_is_left_out(reference_pages: list[PageSpec]) -> None:
    mentor = next(edition for edition in EDITIONS if edition.name == "mentor")
    implement = next(part for part in plan_book(reference_pages, mentor.keeps, str) if part.section == "implement")
    kinds = [(item.kind, item.level) for item in implement.items[:2]]
    assert kinds == [("group", 2), ("chapter", 3)]
    full = next(part for part in plan_book(reference_pages, EDITIONS[0].keeps, str) if part.section == "implement")
    assert (full.items[0].kind, full.items[0].level, full.items[0].spec.path) == (
        "chapter",
        2,
        "implement/roles/index.md",
    )


def test_a_section_page_titled_like_its_section_opens_the_part(reference_pages: list[PageSpec]) -> None:
    parts = {part.section: part for part in plan_book(reference_pages, EDITIONS[0].keeps, str)}
    assert parts["glossary"].opening is not None and parts["glossary"].items == []
    assert parts["forms"].opening.spec.path == "forms/index.md"
    assert parts["plan"].opening is None


def test_links_to_pages_outside_the_edition_become_text() -> None:
    html = '<p><a href="#p-a" data-kit-page="a.md">kept</a> and <a href="#p-b--x" data-kit-page="b.md">gone</a></p>'
    assert link_pages(html, {"a.md"}) == '<p><a href="#p-a">kept</a> and gone</p>'


def test_page_counters_keep_the_translation_order() -> None:
    assert page_counters("%(pages)s / <%(page)s>") == (
        '<span class="page-y"></span> / &lt;<span class="page-x"></span>&gt;'
    )


# --- bytes, languages, overrides ------------------------------------------------------------


def test_same_inputs_give_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PEERKIT_NO_CACHE", "1")
    project = copy_kit(DATA / "minimal", tmp_path / "minimal")
    first = render(project, tmp_path / "first", workers=1)
    second = render(project, tmp_path / "second", workers=2)
    for edition, info in first.items():
        assert info.path.read_bytes() == second[edition].path.read_bytes(), edition


def test_arabic_is_right_to_left_and_tagged_ar(arabic: dict[str, HandbookInfo]) -> None:
    for info in arabic.values():
        with pikepdf.open(info.path) as pdf:
            assert str(pdf.Root.Lang) == "ar"
    assert list(arabic) == ["mentor"]
    reader = pypdf.PdfReader(arabic["mentor"].path)
    assert len(reader.pages) >= 30
    assert "الإصدار" in reader.pages[0].extract_text()


def test_a_project_stylesheet_replaces_the_built_in_one(tmp_path: Path) -> None:
    project = copy_kit(DATA / "minimal", tmp_path / "minimal")
    (project / "templates" / "pdf").mkdir(parents=True)
    (project / "templates" / "pdf" / "handbook.css").write_text(".cover { display: none; }\n", encoding="utf-8")
    infos = render(project, tmp_path / "build", workers=1)
    first = pypdf.PdfReader(infos["full"].path).pages[0].extract_text()
    assert "Contents" in first and "Someone in danger?" not in first


def test_a_broken_project_template_is_reported_with_its_file(tmp_path: Path) -> None:
    project = copy_kit(DATA / "minimal", tmp_path / "minimal")
    override = project / "templates" / "pdf" / "handbook.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text("<html>\n{{ program.name }\n</html>\n", encoding="utf-8")
    with pytest.raises(KitError, match=re.escape("templates/pdf/handbook.html.j2:2:1:")):
        render(project, tmp_path / "syntax", workers=1)
    override.write_text("<html>{{ no_such_thing.title }}</html>\n", encoding="utf-8")
    with pytest.raises(KitError, match="no_such_thing"):
        render(project, tmp_path / "undefined", workers=1)
