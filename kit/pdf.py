"""Forms and surveys as PDFs: fillable on screen, clean on paper, tagged for accessibility.

Each document is rendered from `pdf/document.html.j2` and `pdf/print.css` (a project's
`templates/pdf/` overrides them file by file) by WeasyPrint as PDF/UA-1 with AcroForm fields,
then its field tree is tidied with pikepdf: fields nest by section (`<section>.<field>`),
radio groups take their question as tooltip and their choice codes as values.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pikepdf
from babel import Locale, UnknownLocaleError
from babel.dates import get_date_format
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from kit import __version__, model
from kit.collect import pdf_identity
from kit.dictionary import field_name
from kit.errors import KitError, Problem
from kit.pdfcache import cache_folder, cache_key, cached_pdf
from kit.render import choices_of, question_numbers, skip_answer
from kit.templating import template_environment
from kit.translate import Translator, make_translator

# CLDR supplemental data, measurementData/paperSize "US-Letter" (Babel does not carry it).
LETTER_TERRITORIES = frozenset("BZ CA CL CO CR GT MX NI PA PH PR SV US VE".split())
LARGE_PRINT_SUFFIX = "-large-print"
GRID_MAX_POINTS = 7
"""Scales with more points (0 to 10) print as a row under each item, not as a grid."""
WITNESS_FIELDS = ("witness-signature", "witness-date", "witness-name")
TEMPLATE, STYLESHEET = "pdf/document.html.j2", "pdf/print.css"
REQUIRED = 1 << 1
"""Field flag bit 2: the field must be filled in."""
OPTIONS = {"pdf_forms": True, "pdf_variant": "pdf/ua-1", "custom_metadata": True}


@dataclass(frozen=True)
class PdfInfo:
    """One PDF written by `render_document_pdfs`."""

    document: str
    path: Path
    title: str
    audience: str
    kind: str
    pages: int
    size: int
    large_print: bool


@dataclass(frozen=True)
class PdfField:
    """One AcroForm field a document's PDF holds: its full name, kind and tooltip."""

    name: str
    kind: str
    """'text', 'textarea', 'radio' or 'checkbox'."""
    label: str
    values: tuple[str, ...] = ()
    """Radio groups: the choice codes, in order."""
    required: bool = False


@dataclass
class Block:
    """A run of fields printed together: one field, a scale grid, a signature line, a witness line."""

    kind: str
    fields: list[model.FormField] = field(default_factory=list)
    scale: model.Scale | None = None


@dataclass(frozen=True)
class _Job:
    """One PDF to make; picklable, so it can go to a worker process."""

    document: str
    path: str
    large_print: bool


# --- the public entry point ---------------------------------------------------------------


def render_document_pdfs(
    kit: model.Kit,
    project: Path,
    out_dir: Path,
    language: str = "en",
    workers: int | None = None,
    translator: Translator | None = None,
) -> list[PdfInfo]:
    """Write OUT_DIR/<id>.pdf (and <id>-large-print.pdf) for every form and survey; return them in order.

    KIT's content is printed as it is (give a kit already in LANGUAGE, see `translate_kit`); the
    templates' own words are translated here, with TRANSLATOR or one made for LANGUAGE.
    """
    project, out_dir = Path(project).resolve(), Path(out_dir)
    translator = translator or make_translator(project, kit, language)
    check_field_names(kit)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [
        _Job(document.id, str(out_dir / f"{document.id}{LARGE_PRINT_SUFFIX if large else ''}.pdf"), large)
        for document in kit.documents()
        for large in ((False, True) if document.large_print else (False,))
    ]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        template_environment(project, translator).get_template(TEMPLATE)  # syntax errors, before forking
        if workers == 1 or len(jobs) < 2:
            _start_worker(kit, project, translator, epoch)
            return [_work(job) for job in jobs]
        count = min(workers or os.cpu_count() or 1, len(jobs))
        with ProcessPoolExecutor(count, initializer=_start_worker, initargs=(kit, project, translator, epoch)) as pool:
            return list(pool.map(_work, jobs))
    except jinja2.TemplateError as error:
        raise KitError([_template_problem(error, project)]) from None


def _template_problem(error: jinja2.TemplateError, project: Path) -> Problem:
    """Say which PDF template failed: the project's own, or a built-in one."""
    name = getattr(error, "name", None) or TEMPLATE
    line = getattr(error, "lineno", None) or 0
    origin = f"templates/{name}" if (project / "templates" / name).exists() else f"built-in template {name}"
    return Problem(origin, line, 1 if line else 0, "", f"{error.message or error} (while making the PDFs)")


def document_html(
    kit: model.Kit, project: Path, document: model.Form, language: str = "en", large_print: bool = False
) -> str:
    """The HTML a document's PDF is made from, for previews and tests."""
    translator = make_translator(Path(project), kit, language)
    return _Renderer(kit, Path(project), translator, None).html(document, large_print)


def pdf_fields(kit: model.Kit, document: model.Form, gettext: Callable[[str], str] = str) -> list[PdfField]:
    """Every field the document's PDF holds, in order, with the name and tooltip it gets."""
    fields = []
    for section, form_field in _fields_with_witness(document, gettext):
        name = field_name(section, form_field)
        if form_field.type == "multiple_choice":
            fields += [
                PdfField(f"{name}.{choice.code}", "checkbox", checkbox_tooltip(form_field.label, choice.label))
                for choice in choices_of(kit, form_field)
            ]
        elif form_field.type in ("single_choice", "yes_no", "scale_item"):
            codes = tuple(choice.code for choice in choices_of(kit, form_field))
            fields.append(PdfField(name, "radio", form_field.label, codes, form_field.required))
        else:
            kind = "textarea" if form_field.type == "long_text" else "text"
            fields.append(PdfField(name, kind, form_field.label, required=form_field.required))
    return fields


def check_field_names(kit: model.Kit) -> None:
    """Fail on field names a PDF cannot hold: the same name twice, or a choice code with a dot."""
    problems = []
    for document in kit.documents():
        seen: set[str] = set()
        for pdf_field in pdf_fields(kit, document):
            if pdf_field.name in seen:
                message = f"field name '{pdf_field.name}' is used twice in the PDF; make it unique"
                problems.append(Problem(document.source, 0, 0, "", message))
            if pdf_field.name.count(".") > (2 if pdf_field.kind == "checkbox" else 1):
                message = f"field name '{pdf_field.name}': a choice code may not contain '.'"
                problems.append(Problem(document.source, 0, 0, "", message))
            seen.add(pdf_field.name)
    if problems:
        raise KitError(problems)


def checkbox_tooltip(question: str, choice: str) -> str:
    """A checkbox's tooltip names its question too, so a screen reader user knows what is asked."""
    return f"{question}: {choice}" if question[-1:].isalnum() else f"{question} {choice}"


def paper_size(program: model.Program, language: str) -> str:
    """'letter' or 'A4': the program's setting, else the custom of the locale's country."""
    if program.paper:
        return "A4" if program.paper == "a4" else "letter"
    return "letter" if locale_of(language, program.country).territory in LETTER_TERRITORIES else "A4"


def locale_of(language: str, country: str) -> Locale:
    """The language's locale, in the program's country unless the language names its own (pt_BR)."""
    language = language.replace("-", "_")
    if "_" not in language:
        try:
            return Locale.parse(f"{language}_{country}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(language)


# --- one process's renderer -----------------------------------------------------------------

_worker: _Renderer | None = None


def _start_worker(kit: model.Kit, project: Path, translator: Translator, epoch: str | None) -> None:
    """Make this process's renderer, kept across all the PDFs it renders."""
    global _worker
    _worker = _Renderer(kit, project, translator, epoch)


def _work(job: _Job) -> PdfInfo:
    """Render one PDF with this process's renderer."""
    assert _worker is not None, "the worker was not started"
    return _worker.write(job)


class _Renderer:
    """Fonts, parsed CSS, templates and an image cache shared by every render in one process."""

    def __init__(self, kit: model.Kit, project: Path, translator: Translator, epoch: str | None) -> None:
        self.kit, self.project, self.translator = kit, project, translator
        self.language = translator.language
        self.locale = locale_of(self.language, kit.program.country)
        self.dates = metadata_date(epoch)
        self.environment = template_environment(project, translator)
        self.template = self.environment.get_template(TEMPLATE)
        self.fonts = FontConfiguration()
        self.css_text = self.environment.loader.get_source(self.environment, STYLESHEET)[0]
        self.css = CSS(string=self.css_text, font_config=self.fonts, base_url=str(project))
        self.cache: dict[str, Any] = {}
        self.documents = {document.id: document for document in kit.documents()}

    def write(self, job: _Job) -> PdfInfo:
        """Render JOB's document and write it to its path."""
        document = self.documents[job.document]
        html = self.html(document, job.large_print)
        fields = pdf_fields(self.kit, document, self.translator.gettext)
        key = cache_key(html, self.css_text, repr(fields), repr(sorted(pdf_identity(document).items())))

        def typeset() -> tuple[bytes, int]:
            rendered = HTML(string=html, base_url=str(self.project)).render(
                stylesheets=[self.css], font_config=self.fonts, cache=self.cache, **OPTIONS
            )
            rendered.metadata.custom.update(pdf_identity(document))  # so `kit collect` knows the form
            return repair_fields(rendered.write_pdf(**OPTIONS), fields), len(rendered.pages)

        data, pages = cached_pdf(cache_folder(self.project), key, typeset)
        path = Path(job.path)
        path.write_bytes(data)
        return PdfInfo(
            document.id, path, document.title, document.audience, document.kind,
            pages, len(data), job.large_print,
        )  # fmt: skip

    def html(self, document: model.Form, large_print: bool = False) -> str:
        """The document as HTML, ready for WeasyPrint."""
        numbers, gettext = question_numbers(document), self.translator.gettext
        return self.template.render(
            kit=self.kit,
            program=self.kit.program,
            document=document,
            language=self.language,
            lang=self.language.replace("_", "-"),
            direction=self.translator.locale.text_direction,
            paper=paper_size(self.kit.program, self.language),
            generator=f"peerkit {__version__}",
            large_print=large_print,
            dates=self.dates,
            sections=[(section, blocks_of(self.kit, document, section, gettext)) for section in document.sections],
            numbers=numbers,
            choices_of=lambda form_field: choices_of(self.kit, form_field, gettext),
            skip_answer=lambda form_field: skip_answer(self.kit, form_field, gettext),
            checkbox_tooltip=checkbox_tooltip,
            date_hint=date_hint(self.locale),
            show_code=lambda choice: choice.code.casefold() != choice.label.casefold(),
        )


def metadata_date(epoch: str | None) -> str | None:
    """The W3C date for the PDF's metadata: only from SOURCE_DATE_EPOCH, so builds are reproducible."""
    if not epoch:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def date_hint(locale: Locale) -> str:
    """How to write a date in this locale, e.g. 'MM/DD/YYYY' or 'DD.MM.YYYY'."""
    pattern = get_date_format("short", locale=locale).pattern
    out, previous = [], ""
    for char in pattern.replace("'", ""):
        if char == previous and char in "dMy":
            continue
        out.append({"d": "DD", "M": "MM", "y": "YYYY"}.get(char, char))
        previous = char
    return "".join(out)


# --- what the template prints ---------------------------------------------------------------


def blocks_of(
    kit: model.Kit, document: model.Form, section: model.Section, gettext: Callable[[str], str] = str
) -> list[Block]:
    """The section's fields, grouped the way they print."""
    blocks: list[Block] = []
    fields = iter(section.fields)
    pending = next(fields, None)
    while pending is not None:
        current, pending = pending, next(fields, None)
        scale = next((s for s in kit.scales if s.id == current.scale), None)
        if scale and len(scale.points) <= GRID_MAX_POINTS:
            last = blocks[-1] if blocks else None
            if last and last.kind == "grid" and last.scale == scale:
                last.fields.append(current)
            else:
                blocks.append(Block("grid", [current], scale))
        elif current.type == "signature":
            block = Block("signature", [current])
            if pending is not None and pending.type == "date":
                block.fields.append(pending)
                pending = next(fields, None)
            blocks.append(block)
        else:
            blocks.append(Block("field", [current]))
    if document.witness and section is _witness_section(document):
        blocks.append(Block("witness", [form_field for _, form_field in _witness_fields(section, gettext)]))
    return blocks


def _witness_section(document: model.Form) -> model.Section:
    """The section holding the first signature (the witness signs below it), else the last one for the reader."""
    signed = next((section for section, f in document.all_fields() if f.type == "signature"), None)
    readers = [section for section in document.sections if not section.office_use] or document.sections
    return signed or readers[-1]


def _witness_fields(
    section: model.Section, gettext: Callable[[str], str] = str
) -> list[tuple[model.Section, model.FormField]]:
    """The witness's signature, date and printed name, as fields of SECTION."""
    # The template marks these words for translators (witness_labels); they are looked up here too.
    labels = (gettext("Witness signature"), gettext("Date witnessed"), gettext("Witness name"))
    types = ("signature", "date", "text")
    return [
        (section, model.FormField(id=name, label=label, type=kind))
        for name, label, kind in zip(WITNESS_FIELDS, labels, types, strict=True)
    ]


def _fields_with_witness(
    document: model.Form, gettext: Callable[[str], str] = str
) -> Iterator[tuple[model.Section, model.FormField]]:
    """The document's fields with the witness's fields after the first signature block."""
    witness_section = _witness_section(document) if document.witness else None
    for section in document.sections:
        for form_field in section.fields:
            yield section, form_field
        if section is witness_section:
            yield from _witness_fields(section, gettext)


# --- tidying the field tree -----------------------------------------------------------------


def repair_fields(data: bytes, fields: list[PdfField]) -> bytes:
    """Nest the fields by name, set tooltips, fix radio groups; save deterministically."""
    by_name = {pdf_field.name: pdf_field for pdf_field in fields}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        acroform = pdf.Root.get("/AcroForm", pikepdf.Dictionary(Fields=pikepdf.Array()))
        roots = []
        for pdf_field in acroform.Fields:
            if "/Parent" in pdf_field:  # a radio button's widget, listed by WeasyPrint as a field too
                if "/T" in pdf_field:
                    del pdf_field["/T"]
                continue
            roots.append(pdf_field)
        for pdf_field in roots:
            expected = by_name.get(str(pdf_field.T))
            if expected is None:
                continue
            # WeasyPrint takes the tooltip from a label's first line only (and a radio group's from
            # its first choice): set every tooltip to the whole label.
            pdf_field.TU = pikepdf.String(expected.label)
            if expected.required:  # WeasyPrint ignores `required`; viewers and screen readers read this flag
                pdf_field.Ff = int(pdf_field.get("/Ff", 0)) | REQUIRED
            if expected.kind == "radio":
                _fix_radio_group(pdf_field, expected)
        if roots:
            acroform.Fields = _nest(pdf, roots)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _fix_radio_group(group: pikepdf.Dictionary, expected: PdfField) -> None:
    """Make a radio group's choice codes its on-states, as /V holds them."""
    values = [str(value) for value in group.get("/Opt", [])] or list(expected.values)
    codes = {pikepdf.Name(f"/{index}"): pikepdf.Name(f"/{value}") for index, value in enumerate(values)}
    for index, kid in enumerate(group.Kids):
        state = pikepdf.Name(f"/{index}")
        normal = kid.AP.N
        if state in normal and state != codes[state]:
            normal[codes[state]] = normal[state]
            del normal[state]
        if kid.get("/AS") == state:
            kid.AS = codes[state]
    if group.get("/V") in codes:
        group.V = codes[group.V]
    if "/Opt" in group:
        del group["/Opt"]


def _nest(pdf: pikepdf.Pdf, roots: list[pikepdf.Dictionary]) -> pikepdf.Array:
    """Turn flat names 'a.b.c' into a field tree a -> b -> c: a partial name may not hold a dot."""
    top = pikepdf.Array()
    parents: dict[tuple[str, ...], pikepdf.Dictionary] = {}
    for pdf_field in roots:
        parts = str(pdf_field.T).split(".")
        siblings, parent = top, None
        for depth in range(1, len(parts)):
            key = tuple(parts[:depth])
            if key not in parents:
                node = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(parts[depth - 1]), Kids=pikepdf.Array()))
                if parent is not None:
                    node.Parent = parent
                siblings.append(node)
                parents[key] = node
            parent = parents[key]
            siblings = parent.Kids
        pdf_field.T = pikepdf.String(parts[-1])
        if parent is not None:
            pdf_field.Parent = parent
        siblings.append(pdf_field)
    return top
