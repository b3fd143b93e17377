"""Forms and surveys as PDFs, read back by structure: fields, tooltips, tags, fonts, pages, bytes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pypdf
import pytest
from bs4 import BeautifulSoup

from kit import KitError, load_kit, model
from kit.pdf import PdfInfo, checkbox_tooltip, document_html, paper_size, render_document_pdfs
from kit.render import choices_of
from tests.conftest import DATA, ROOT, copy_kit

LETTER = (612, 792)
A4 = (595, 842)
REQUIRED, MULTILINE, RADIO = 1 << 1, 1 << 12, 1 << 15


# --- fixtures: each kit rendered once per module ---------------------------------------------


@pytest.fixture(scope="module", params=["minimal", "reference"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(kit, PDFs) for the minimal kit and, when it loads, the reference kit."""
    if request.param == "minimal":
        project = copy_kit(DATA / "minimal", tmp_path_factory.mktemp("kit") / "minimal")
    else:
        project = ROOT
    try:
        kit = load_kit(project)
    except KitError as error:
        pytest.skip(f"the reference kit does not load yet:\n{error.report()}")
    out = tmp_path_factory.mktemp(f"pdf-{request.param}")
    return kit, render_document_pdfs(kit, project, out, workers=2)


def edit_yaml(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def document_of(kit: model.Kit, info: PdfInfo) -> model.Form:
    return next(document for document in kit.documents() if document.id == info.document)


# --- reading a PDF back ----------------------------------------------------------------------


def required_fields(document: model.Form) -> set[str]:
    """Names of the fields that must be answered (a multiple choice's boxes are each optional)."""
    return {f"{s.id}.{f.id}" for s, f in document.all_fields() if f.required and f.type != "multiple_choice"}


def expected_fields(kit: model.Kit, document: model.Form) -> dict[str, tuple[str, str, list[str]]]:
    """Name -> (kind, tooltip, radio values), straight from the YAML."""
    fields: dict[str, tuple[str, str, list[str]]] = {}
    for section in document.sections:
        for field in section.fields:
            name = f"{section.id}.{field.id}"
            choices = choices_of(kit, field)
            if field.type == "multiple_choice":
                for choice in choices:
                    fields[f"{name}.{choice.code}"] = ("checkbox", checkbox_tooltip(field.label, choice.label), [])
            elif field.type in ("single_choice", "yes_no", "scale_item"):
                fields[name] = ("radio", field.label, [choice.code for choice in choices])
            else:
                fields[name] = ("textarea" if field.type == "long_text" else "text", field.label, [])
    if document.witness:
        signed = [s for s in document.sections if any(f.type == "signature" for f in s.fields)]
        section = (signed or [s for s in document.sections if not s.office_use])[0 if signed else -1]
        for field_id, label in (
            ("witness-signature", "Witness signature"),
            ("witness-date", "Date witnessed"),
            ("witness-name", "Witness name"),
        ):
            fields[f"{section.id}.{field_id}"] = ("text", label, [])
    return fields


def read_fields(path: Path, required: set[str] | None = None) -> dict[str, tuple[str, str, list[str]]]:
    """Name -> (kind, tooltip, radio values), by walking the AcroForm field tree; REQUIRED gets the required ones."""
    fields: dict[str, tuple[str, str, list[str]]] = {}

    def walk(node: pikepdf.Dictionary, prefix: str) -> None:
        name = f"{prefix}.{node.T}" if prefix else str(node.T)
        assert "." not in str(node.T), f"{name}: a partial field name holds a dot"
        kids = list(node.get("/Kids", []))
        if kids and all("/T" in kid for kid in kids):
            for kid in kids:
                walk(kid, name)
            return
        assert not any("/T" in kid for kid in kids), f"{name}: a widget of this field has its own /T"
        flags = int(node.get("/Ff", 0))
        if required is not None and flags & REQUIRED:
            required.add(name)
        if node.FT == "/Tx":
            kind, values = ("textarea" if flags & MULTILINE else "text"), []
        elif flags & RADIO:
            kind = "radio"
            values = [str(state)[1:] for kid in kids for state in kid.AP.N.keys() if state != "/Off"]
        else:
            kind, values = "checkbox", []
        fields[name] = (kind, str(node.get("/TU", "")), values)

    with pikepdf.open(path) as pdf:
        for node in pdf.Root.AcroForm.Fields:
            assert "/Parent" not in node, "a radio widget is still listed in /AcroForm /Fields"
            walk(node, "")
    return fields


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def text_sizes(path: Path) -> list[tuple[str, float]]:
    """Every run of text with the size it is shown at, in points."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), abs(size * tm[0] * cm[0])))

    for page in pypdf.PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


# --- one PDF per document ----------------------------------------------------------------------


def test_every_document_and_large_print_variant_has_a_pdf(rendered) -> None:
    kit, infos = rendered
    expected = [(d.id, False) for d in kit.documents()] + [(d.id, True) for d in kit.documents() if d.large_print]
    assert sorted((info.document, info.large_print) for info in infos) == sorted(expected)
    for info in infos:
        suffix = "-large-print" if info.large_print else ""
        assert info.path.name == f"{info.document}{suffix}.pdf"
        assert info.size == info.path.stat().st_size > 0
        assert info.pages == len(pypdf.PdfReader(info.path).pages)
        document = document_of(kit, info)
        assert (info.title, info.audience, info.kind) == (document.title, document.audience, document.kind)


def test_fields_equal_the_yaml_one_for_one(rendered) -> None:
    kit, infos = rendered
    for info in infos:
        expected = expected_fields(kit, document_of(kit, info))
        required: set[str] = set()
        found = read_fields(info.path, required)
        assert required == required_fields(document_of(kit, info)), info.path.name
        assert {n: k for n, (k, _, _) in found.items()} == {n: k for n, (k, _, _) in expected.items()}, info.path.name
        assert len(found) == len(expected)
        for name, (_, _, values) in expected.items():
            assert found[name][2] == values, f"{info.path.name}: {name} has values {found[name][2]}"


def test_every_field_has_its_label_as_tooltip(rendered) -> None:
    kit, infos = rendered
    for info in infos:
        expected = expected_fields(kit, document_of(kit, info))
        for name, (_, tooltip, _) in read_fields(info.path).items():
            assert tooltip == expected[name][1], f"{info.path.name}: {name}"


def test_pypdf_reads_the_same_fields(rendered) -> None:
    kit, infos = rendered
    for info in infos:
        fields = pypdf.PdfReader(info.path).get_fields() or {}
        terminal = {name for name, field in fields.items() if field.get("/FT")}
        assert terminal == set(expected_fields(kit, document_of(kit, info))), info.path.name


def test_tagged_with_language_title_and_structure(rendered) -> None:
    kit, infos = rendered
    for info in infos:
        with pikepdf.open(info.path) as pdf:
            assert str(pdf.Root.Lang) == "en"
            assert "/StructTreeRoot" in pdf.Root
            assert bool(pdf.Root.MarkInfo.Marked)
            assert str(pdf.docinfo.Title).startswith(info.title)
            assert str(pdf.docinfo.PeerkitDocument) == f"{info.document}@{document_of(kit, info).version}"
            with pdf.open_metadata() as xmp:
                assert xmp["pdfuaid:part"] == "1"
                assert xmp["dc:title"].startswith(info.title)


def test_page_size_follows_the_program(rendered) -> None:
    kit, infos = rendered
    size = LETTER if paper_size(kit.program, "en") == "letter" else A4
    for info in infos:
        for page in pypdf.PdfReader(info.path).pages:
            assert (round(page.mediabox.width), round(page.mediabox.height)) == size


def test_all_fonts_embedded(rendered) -> None:
    _, infos = rendered
    for info in infos:
        with pikepdf.open(info.path) as pdf:
            descriptors = [
                obj.FontDescriptor
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/FontDescriptor" in obj
            ]
            assert descriptors
            for descriptor in descriptors:
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), descriptor.FontName
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", infos[0].path], capture_output=True, text=True, check=True).stdout
        for line in listing.splitlines()[2:]:
            assert line.split()[-5] == "yes", line


def test_pikepdf_and_qpdf_find_nothing_wrong(rendered) -> None:
    _, infos = rendered
    for info in infos:
        with pikepdf.open(info.path) as pdf:
            assert pdf.check_pdf_syntax() == [], info.path.name
        if shutil.which("qpdf"):
            result = subprocess.run(["qpdf", "--check", info.path], capture_output=True, text=True)
            assert result.returncode == 0 and "WARNING" not in result.stdout + result.stderr, result.stdout


def test_footer_on_every_page(rendered) -> None:
    kit, infos = rendered
    for info in infos:
        texts = page_texts(info.path)
        version = document_of(kit, info).version
        for number, text in enumerate(texts, start=1):
            flat = " ".join(text.split())
            assert f"Page {number} of {len(texts)}" in flat
            assert f"{kit.program.name} · {info.title} · Version {version} · en" in flat


def test_crisis_route_on_mentor_documents_and_licence_when_given(rendered) -> None:
    kit, infos = rendered
    for info in infos:
        document = document_of(kit, info)
        text = " ".join(" ".join(page_texts(info.path)).split())
        crisis = "If someone may be in danger" in text
        assert crisis == (document.audience == "mentor"), info.path.name
        if crisis:
            assert all(" ".join(step.split()[:4]) in text for step in kit.program.crisis.steps)
            assert f"Emergency: {kit.program.crisis.emergency_number}" in text
        if document.licence:
            assert f"Licence: {document.licence}." in text


def test_large_print_body_is_at_least_16pt(rendered) -> None:
    kit, infos = rendered
    large = [info for info in infos if info.large_print]
    for info in large:
        labels = [field.label for _, field in document_of(kit, info).all_fields()]
        runs = text_sizes(info.path)
        label_runs = [size for text, size in runs if len(text) > 3 and any(label.startswith(text) for label in labels)]
        assert label_runs and min(label_runs) >= 15.99, info.path.name
        weighted = Counter()
        for text, size in runs:
            weighted[round(size, 1)] += len(text)
        assert weighted.most_common(1)[0][0] >= 16, info.path.name


# --- the minimal kit, changed for one behaviour each --------------------------------------------


def test_two_renders_give_identical_bytes(minimal_kit: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PEERKIT_NO_CACHE", "1")
    kit = load_kit(minimal_kit)
    first = render_document_pdfs(kit, minimal_kit, tmp_path / "one", workers=1)
    second = render_document_pdfs(kit, minimal_kit, tmp_path / "two", workers=2)
    assert [info.path.read_bytes() for info in first] == [info.path.read_bytes() for info in second]
    with pikepdf.open(first[0].path) as pdf:
        assert "/CreationDate" not in pdf.docinfo and "/ModDate" not in pdf.docinfo


def test_source_date_epoch_sets_the_dates(minimal_kit: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("PEERKIT_NO_CACHE", "1")
    kit = load_kit(minimal_kit)
    infos = render_document_pdfs(kit, minimal_kit, tmp_path / "one", workers=1)
    again = render_document_pdfs(kit, minimal_kit, tmp_path / "two", workers=1)
    assert infos[0].path.read_bytes() == again[0].path.read_bytes()
    with pikepdf.open(infos[0].path) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20231114221320")


def test_skip_logic_numbers_and_codes_in_words(minimal_kit: Path, tmp_path: Path) -> None:
    kit = load_kit(minimal_kit)
    log = render_document_pdfs(kit, minimal_kit, tmp_path, workers=1)[0]
    text = " ".join(" ".join(page_texts(log.path)).split())
    assert "3 Any safety concern?" in text
    assert "If No, skip to question 5." in text
    assert "Contact log" in text


def test_paper_a4_by_setting_and_by_country(minimal_kit: Path, tmp_path: Path) -> None:
    edit_yaml(minimal_kit / "content/program.yml", "country: US", "country: US\npaper: a4")
    kit = load_kit(minimal_kit)
    info = render_document_pdfs(kit, minimal_kit, tmp_path, workers=1)[0]
    page = pypdf.PdfReader(info.path).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == A4
    kit.program.paper = None
    assert paper_size(kit.program, "en") == "letter"
    assert paper_size(kit.program, "es_MX") == "letter"
    assert paper_size(kit.program, "en_GB") == "A4"
    kit.program.country = "CA"
    assert paper_size(kit.program, "fr") == "letter"
    kit.program.country = "DE"
    assert paper_size(kit.program, "en") == "A4"


def test_large_print_witness_and_initials(minimal_kit: Path, tmp_path: Path) -> None:
    edit_yaml(
        minimal_kit / "content/surveys/feedback.yml",
        "attribution: Tiny Peers",
        "attribution: Tiny Peers\nlarge_print: true",
    )
    edit_yaml(
        minimal_kit / "content/forms/contact-log.yml",
        "policy: privacy",
        "policy: privacy\nwitness: true",
    )
    edit_yaml(
        minimal_kit / "content/forms/contact-log.yml",
        "      - id: notes\n",
        "      - id: ok\n        label: I agree.\n        type: initials\n"
        "      - id: sign\n        label: Signature\n        type: signature\n"
        "      - id: notes\n",
    )
    kit = load_kit(minimal_kit)
    infos = render_document_pdfs(kit, minimal_kit, tmp_path, workers=1)
    assert [(info.document, info.large_print) for info in infos] == [
        ("contact-log", False), ("feedback", False), ("feedback", True),
    ]  # fmt: skip
    fields = read_fields(infos[0].path)
    assert fields["contact.witness-signature"] == ("text", "Witness signature", [])
    assert fields["contact.ok"] == ("text", "I agree.", [])
    sizes = [size for text, size in text_sizes(infos[2].path) if "mentor listened" in text]
    assert sizes and min(sizes) >= 15.99


def test_scale_grid_headers_have_scope_and_text(minimal_kit: Path) -> None:
    kit = load_kit(minimal_kit)
    feedback = next(document for document in kit.documents() if document.id == "feedback")
    soup = BeautifulSoup(document_html(kit, minimal_kit, feedback), "html.parser")
    headers = soup.select("table.grid th")
    assert headers
    for header in headers:
        assert header.get("scope") in ("col", "row") and header.get_text(strip=True)
    assert soup.html["lang"] == "en" and soup.html["dir"] == "ltr" and soup.title.get_text() == "Feedback"
    assert soup.select("form input")


def test_right_to_left_languages_get_dir_rtl(minimal_kit: Path) -> None:
    kit = load_kit(minimal_kit)
    soup = BeautifulSoup(document_html(kit, minimal_kit, kit.documents()[0], "ar"), "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")


def test_project_templates_override_the_built_in_ones(minimal_kit: Path, tmp_path: Path) -> None:
    override = minimal_kit / "templates/pdf/print.css"
    override.parent.mkdir(parents=True)
    override.write_text("html { font-size: 20pt; }\n")
    kit = load_kit(minimal_kit)
    info = render_document_pdfs(kit, minimal_kit, tmp_path, workers=1)[0]
    assert max(size for _, size in text_sizes(info.path)) >= 19.99


def test_a_choice_code_with_a_dot_is_an_error(minimal_kit: Path, tmp_path: Path) -> None:
    edit_yaml(
        minimal_kit / "content/forms/contact-log.yml",
        "      - id: notes\n",
        "      - id: pick\n        label: Pick\n        type: multiple_choice\n"
        "        choices:\n          - {code: a.b, label: A}\n          - {code: c, label: C}\n"
        "      - id: notes\n",
    )
    kit = load_kit(minimal_kit)
    with pytest.raises(KitError, match=re.escape("contact.pick.a.b")):
        render_document_pdfs(kit, minimal_kit, tmp_path, workers=1)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_broken_project_template_is_reported_with_its_file(minimal_kit: Path, tmp_path: Path, workers: int) -> None:
    override = minimal_kit / "templates/pdf/document.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text("<html>\n{{ document.title }\n</html>\n")
    kit = load_kit(minimal_kit)
    with pytest.raises(KitError, match=re.escape("templates/pdf/document.html.j2:2:1:")):
        render_document_pdfs(kit, minimal_kit, tmp_path, workers=workers)
    override.write_text("<html>{{ no_such_thing.title }}</html>\n")
    with pytest.raises(KitError, match="no_such_thing"):
        render_document_pdfs(kit, minimal_kit, tmp_path, workers=workers)


SPANISH = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

msgid "Page %(page)s of %(pages)s"
msgstr "Página %(page)s de %(pages)s <b>"

msgid "Witness signature"
msgstr "Firma del testigo"

msgid "If %(answer)s, skip to question %(number)s."
msgstr "Si %(answer)s, pase a la pregunta %(number)s."

msgid "No"
msgstr "No"
"""


def test_interface_words_are_translated_and_escaped(minimal_kit: Path, tmp_path: Path) -> None:
    catalog = minimal_kit / "translations/es/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(SPANISH, encoding="utf-8")
    edit_yaml(minimal_kit / "content/forms/contact-log.yml", "policy: privacy", "policy: privacy\nwitness: true")
    kit = load_kit(minimal_kit)
    info = render_document_pdfs(kit, minimal_kit, tmp_path, language="es", workers=1)[0]
    text = " ".join(" ".join(page_texts(info.path)).split())
    pages = len(pypdf.PdfReader(info.path).pages)
    assert f"Página 1 de {pages} <b>" in text
    assert "Si No, pase a la pregunta 5." in text
    assert read_fields(info.path)["contact.witness-signature"] == ("text", "Firma del testigo", [])
    with pikepdf.open(info.path) as pdf:
        assert str(pdf.Root.Lang) == "es"


def test_changing_one_form_typesets_only_that_form_again(minimal_kit: Path, tmp_path: Path) -> None:
    cache = minimal_kit / ".kit-cache" / "pdf"
    first = render_document_pdfs(load_kit(minimal_kit), minimal_kit, tmp_path / "one", workers=1)
    entries = set(cache.glob("*.pdf"))
    assert len(entries) == len(first)
    again = render_document_pdfs(load_kit(minimal_kit), minimal_kit, tmp_path / "two", workers=1)
    assert set(cache.glob("*.pdf")) == entries
    assert [i.path.read_bytes() for i in first] == [i.path.read_bytes() for i in again]
    log = minimal_kit / "content/forms/contact-log.yml"
    log.write_text(log.read_text().replace("label: Notes", "label: Anything else"))
    changed = render_document_pdfs(load_kit(minimal_kit), minimal_kit, tmp_path / "three", workers=1)
    assert len(set(cache.glob("*.pdf")) - entries) == 1
    by_id = {info.document: info.path.read_bytes() for info in changed}
    assert by_id["feedback"] == next(i.path.read_bytes() for i in first if i.document == "feedback")
    assert by_id["contact-log"] != next(i.path.read_bytes() for i in first if i.document == "contact-log")
