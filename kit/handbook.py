"""The handbook as a book: the site's pages in one tagged PDF per edition, with a cover and contents.

The pages are read back from the Markdown that `render_pages` wrote, converted with the site's own
Markdown extensions, and laid out by `pdf/handbook.html.j2` and `pdf/handbook.css` (a project's
`templates/pdf/` overrides them file by file). Each section of the site is a part, each page a
chapter, a page inside a group (Roles, Policies, Training) one level deeper; links between pages
become links inside the book, and links to pages another edition holds become plain text.

The editions, each with only what its reader needs:

- `handbook.pdf`, the handbook: every page of the site.
- `handbook-mentor.pdf`, the mentor handbook: the pages whose audience is `mentor` or `participant`
  (overview, mentor roles and policies, training, mentor and participant forms, glossary); no staff
  page, so no budget, funding, SWOT, coordinator role or staff-only form.
- `handbook-coordinator.pdf`, the coordinator manual: the staff pages of Plan, Implement, Assess and
  Sustain, every role and policy, the lists of training, forms and surveys, and the Glossary; it
  leaves out the Overview, which speaks to participants and the public, and each training module in
  full, which trainers find in the handbook.

No edition repeats the questions of each form and survey: every one of them is a PDF of its own.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markdown
import markupsafe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from kit import __version__, model
from kit.errors import KitError, Problem
from kit.pdf import metadata_date, paper_size
from kit.pdfcache import cache_folder, cache_key, cached_pdf
from kit.publish import base_config, site_extensions
from kit.render import DOCUMENT_TEMPLATES, PageSpec
from kit.site_root import language_name
from kit.templating import template_environment
from kit.translate import Translator
from kit.words import SECTION_TITLES

OPTIONS = {"pdf_variant": "pdf/ua-1"}
TEMPLATE = "pdf/handbook.html.j2"
PRINT_SETTINGS = {"toc": {"permalink": False}, "pymdownx.tasklist": {"custom_checkbox": False}}
"""Site settings that make no sense on paper: heading permalinks, checkboxes drawn by the theme."""
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
PAGE_LINK = re.compile(
    r'<a\b(?P<attributes>[^>]*?)\s*\bdata-kit-page="(?P<page>[^"]*)"(?P<more>[^>]*)>(?P<text>.*?)</a>', re.DOTALL
)
"""A link between pages as the Markdown serializer writes it (in any attribute order), marked by `ChapterTree`."""


@dataclass(frozen=True)
class Edition:
    """One PDF of the handbook: its name, file and which pages it keeps."""

    name: str
    filename: str
    keeps: Callable[[PageSpec], bool]


def _in_a_book(spec: PageSpec) -> bool:
    """Each form and survey is its own PDF: a book lists them, it does not repeat their questions."""
    return spec.template != "document.md.j2"


def _for_coordinators(spec: PageSpec) -> bool:
    """Staff pages, every role and policy, and the lists; not the Overview nor each training module in full."""
    return spec.section != "overview" and (
        spec.audience == "staff"
        or spec.template in ("role.md.j2", "policy.md.j2", "glossary.md.j2")
        or spec.path.endswith("index.md")
    )


EDITIONS = (
    Edition("full", "handbook.pdf", _in_a_book),
    Edition(
        "mentor", "handbook-mentor.pdf", lambda spec: _in_a_book(spec) and spec.audience in ("mentor", "participant")
    ),
    Edition("coordinator", "handbook-coordinator.pdf", lambda spec: _in_a_book(spec) and _for_coordinators(spec)),
)


@dataclass(frozen=True)
class HandbookInfo:
    """One PDF written by `render_handbooks`."""

    edition: str
    path: Path
    title: str
    pages: int
    bytes: int


@dataclass
class Chapter:
    """One page of the site as a chapter: level 1 when it opens its part, 3 inside a group, else 2."""

    spec: PageSpec
    anchor: str
    level: int
    title: Markup = Markup()
    body: Markup = Markup()
    kind: str = "chapter"


@dataclass
class Group:
    """The heading of a group of chapters whose own index page the edition leaves out."""

    title: str
    anchor: str
    level: int = 2
    kind: str = "group"


@dataclass
class Part:
    """One section of the site: its title, and the page that opens it if it has one."""

    section: str
    title: str
    anchor: str
    opening: Chapter | None = None
    items: list[Chapter | Group] = field(default_factory=list)


# --- the public entry point ---------------------------------------------------------------


def render_handbooks(
    kit: model.Kit,
    project: Path,
    pages: list[PageSpec],
    docs: Path,
    out_dir: Path,
    translator: Translator,
    workers: int | None = None,
    editions: Collection[str] | None = None,
) -> list[HandbookInfo]:
    """Write the handbook's editions from the Markdown pages in DOCS to OUT_DIR; return them in order.

    EDITIONS names the editions to write (default: all of `EDITIONS`). They are typeset in up to
    WORKERS processes (default: one per core); 1 keeps the work in this process.
    """
    chosen = [edition for edition in EDITIONS if editions is None or edition.name in editions]
    unknown = set(editions or ()) - {edition.name for edition in EDITIONS}
    if unknown:
        known = ", ".join(edition.name for edition in EDITIONS)
        raise KitError(f"no handbook edition {', '.join(sorted(unknown))}; the editions are {known}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        binder = Binder(kit, Path(project), Path(docs), translator)
        converted = {spec.path: binder.convert(spec) for spec in pages}
        jobs = [_job(e, binder.html(e, pages, converted), out_dir) for e in chosen]
    except jinja2.TemplateError as error:
        raise KitError([template_problem(error, Path(project))]) from None
    return _typeset_all(jobs, binder.css, Path(docs).resolve().as_uri() + "/", workers, cache_folder(Path(project)))


def _job(edition: Edition, html: str, out_dir: Path) -> _Job:
    """An edition to typeset, with the title its HTML gives it."""
    title = TITLE.search(html)
    return _Job(
        edition.name,
        html,
        str(out_dir / edition.filename),
        markupsafe.Markup(title.group(1)).unescape() if title else "",
    )


def template_problem(error: jinja2.TemplateError, project: Path) -> Problem:
    """Say which handbook template failed, the project's own or the built-in one, and where."""
    name = getattr(error, "name", None) or TEMPLATE
    line = getattr(error, "lineno", None) or 0
    origin = f"templates/{name}" if (project / "templates" / name).exists() else f"built-in template {name}"
    return Problem(origin, line, 1 if line else 0, "", f"{error.message or error} (while making the handbook)")


def page_anchor(path: str) -> str:
    """The id of a page's chapter heading: 'implement/roles/coordinator.md' -> 'p-implement-roles-coordinator'."""
    return "p-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path.removesuffix(".md"))


def chapter_level(spec: PageSpec) -> int:
    """1 for a section's own index page (titled like its section), 3 for a page inside a group, else 2."""
    if spec.template not in DOCUMENT_TEMPLATES and spec.title == SECTION_TITLES[spec.section]:
        return 1
    return 3 if spec.group and not spec.path.endswith("index.md") else 2


def plan_book(pages: list[PageSpec], keeps: Callable[[PageSpec], bool], gettext: Callable[[str], str]) -> list[Part]:
    """The parts and chapters of one edition, in the site's order."""
    parts: list[Part] = []
    groups: set[str] = set()
    for spec in filter(keeps, pages):
        level, anchor = chapter_level(spec), page_anchor(spec.path)
        if not parts or parts[-1].section != spec.section:
            parts.append(Part(spec.section, gettext(SECTION_TITLES[spec.section]), f"part-{len(parts) + 1}"))
            if level == 1:
                parts[-1].opening, parts[-1].anchor = Chapter(spec, anchor, 1), anchor
                continue
        folder = posixpath.dirname(spec.path)
        if spec.group and folder not in groups:
            groups.add(folder)
            if level == 3:
                parts[-1].items.append(Group(gettext(spec.group), "g-" + page_anchor(folder)[2:]))
        parts[-1].items.append(Chapter(spec, anchor, level))
    return parts


def markdown_extensions(project: Path) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """The site's Markdown extensions (the project's mkdocs.yml, then those kit needs), set for print."""
    names: list[Any] = []
    settings: dict[str, dict[str, Any]] = {}
    for entry in site_extensions(base_config(project)):
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        settings[name] = dict(config or {})
    for name, overrides in PRINT_SETTINGS.items():
        if name in names:
            settings[name] = {**settings.get(name, {}), **overrides}
    return names, {name: config for name, config in settings.items() if config}


def link_pages(html: str, kept: set[str]) -> str:
    """Keep the links to pages this edition holds; make the others plain text."""

    def relink(found: re.Match[str]) -> str:
        if found["page"] in kept:
            return f"<a{found['attributes']}{found['more']}>{found['text']}</a>"
        return found["text"]

    return PAGE_LINK.sub(relink, html)


def page_counters(pattern: str) -> Markup:
    """'Page %(page)s of %(pages)s', translated, with the page counters in place of the numbers."""
    escaped = str(markupsafe.escape(pattern))
    return Markup(
        escaped.replace("%(page)s", '<span class="page-x"></span>').replace("%(pages)s", '<span class="page-y"></span>')
    )


def issue_date(epoch: str | None) -> datetime.date | None:
    """The date printed on the cover: only from SOURCE_DATE_EPOCH, so builds are reproducible."""
    return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date() if epoch else None


# --- one page of Markdown as a chapter ------------------------------------------------------


class ChapterTree(Treeprocessor):
    """Fit one page into the book: headings one level below its place, ids and links made book-wide."""

    def __init__(self, md: markdown.Markdown, spec: PageSpec, level: int, title: str) -> None:
        super().__init__(md)
        self.here, self.level, self.title = spec.path, level, title
        self.anchor = page_anchor(spec.path)

    def run(self, root: etree.Element) -> None:
        heading = next((element for element in root.iter("h1")), None)
        if heading is None:
            heading = etree.Element("h1")
            heading.text = self.title
            root.insert(0, heading)
        _drop_buttons(root)
        for element in root.iter():
            if element is not heading and "id" in element.attrib:
                element.set("id", f"{self.anchor}--{element.get('id')}")
            if re.fullmatch(r"h[1-6]", element.tag):
                self._shift(element)
            elif element.tag == "a" and "href" in element.attrib:
                self._relink(element)
        heading.set("id", self.anchor)
        heading.set("class", "part-title" if self.level == 1 else "chapter-title")

    def _shift(self, element: etree.Element) -> None:
        """Move a heading down to the chapter's level; headings too deep for the outline are 'minor'."""
        depth = int(element.tag[1]) + self.level - 1
        element.tag = f"h{min(depth, 6)}"
        if depth > self.level + 1:
            element.set("class", " ".join(filter(None, (element.get("class"), "minor"))))

    def _relink(self, element: etree.Element) -> None:
        """Point a link to another page at that page's chapter; mark it so editions can drop it."""
        parts = urlsplit(element.get("href", ""))
        if parts.scheme or parts.netloc or parts.path.startswith("/"):
            return
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(self.here), parts.path or posixpath.basename(self.here))
        )
        if not target.endswith(".md"):
            element.tag = "span"
            element.attrib.clear()
            return
        anchor = page_anchor(target) + (f"--{parts.fragment}" if parts.fragment else "")
        element.attrib.clear()
        element.set("href", f"#{anchor}")
        element.set("data-kit-page", target)


def _drop_buttons(root: etree.Element) -> None:
    """Remove the site's buttons (downloads, mostly): on paper they lead nowhere."""
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag == "a" and "md-button" in (child.get("class") or "").split():
                tail = (child.tail or "").strip()
                parent.remove(child)
                if tail and index:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + " " + tail
                elif tail:
                    parent.text = (parent.text or "") + " " + tail


class ChapterExtension(Extension):
    """Register `ChapterTree` after the toc extension has given headings their ids."""

    def __init__(self, spec: PageSpec, level: int, title: str) -> None:
        super().__init__()
        self.spec, self.level, self.title = spec, level, title

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(ChapterTree(md, self.spec, self.level, self.title), "kit-chapter", 4)


# --- the binder: each edition as HTML --------------------------------------------------------


class Binder:
    """Template and Markdown settings shared by every edition of one language; makes each edition's HTML."""

    def __init__(self, kit: model.Kit, project: Path, docs: Path, translator: Translator) -> None:
        self.kit, self.docs, self.translator = kit, docs, translator
        self.extensions, self.settings = markdown_extensions(project)
        self.environment = template_environment(project, translator)
        self.environment.filters["page_counters"] = page_counters
        self.template = self.environment.get_template(TEMPLATE)
        self.css = self.environment.loader.get_source(self.environment, "pdf/handbook.css")[0]
        self.epoch = os.environ.get("SOURCE_DATE_EPOCH")

    def convert(self, spec: PageSpec) -> tuple[Markup, Markup]:
        """The page's chapter title and body as HTML, its links still marked with their target page."""
        text = FRONT_MATTER.sub("", (self.docs / spec.path).read_text(encoding="utf-8"), count=1)
        level, title = chapter_level(spec), self._plain_title(spec)
        converter = markdown.Markdown(
            extensions=[*self.extensions, ChapterExtension(spec, level, title)], extension_configs=self.settings
        )
        html = converter.convert(text)
        anchor = re.escape(page_anchor(spec.path))
        heading = re.search(rf'<h([1-6])\b[^>]*\bid="{anchor}"[^>]*>(.*?)</h\1>', html, re.DOTALL)
        return Markup(heading[2] if heading else markupsafe.escape(title)), Markup(html)

    def _plain_title(self, spec: PageSpec) -> str:
        """The page's title as text, for a page whose Markdown has no heading of its own."""
        return spec.title if spec.template in DOCUMENT_TEMPLATES else self.translator.gettext(spec.title)

    def html(self, edition: Edition, pages: list[PageSpec], converted: dict[str, tuple[Markup, Markup]]) -> str:
        """EDITION as one HTML document, ready for WeasyPrint."""
        parts = plan_book(pages, edition.keeps, self.translator.gettext)
        kept = {spec.path for spec in pages if edition.keeps(spec)}
        for chapter in _chapters(parts):
            title, body = converted[chapter.spec.path]
            chapter.title, chapter.body = title, Markup(link_pages(body, kept))
        program, language = self.kit.program, self.translator.language
        return self.template.render(
            kit=self.kit,
            program=program,
            edition=edition.name,
            parts=parts,
            lang=language.replace("_", "-"),
            direction=self.translator.locale.text_direction,
            language_name=language_name(language),
            paper=paper_size(program, language),
            generator=f"peerkit {__version__}",
            dates=metadata_date(self.epoch),
            issued=issue_date(self.epoch),
        )


def _chapters(parts: list[Part]) -> list[Chapter]:
    """Every chapter of the book, the parts' opening pages included."""
    chapters = []
    for part in parts:
        chapters += [part.opening] if part.opening else []
        chapters += [item for item in part.items if isinstance(item, Chapter)]
    return chapters


# --- typesetting: HTML to PDF, in this process or in workers --------------------------------


@dataclass(frozen=True)
class _Job:
    """One edition to typeset; picklable, so it can go to a worker process."""

    edition: str
    html: str
    path: str
    title: str


def _typeset_all(
    jobs: list[_Job], css: str, base_url: str, workers: int | None, cache: Path | None
) -> list[HandbookInfo]:
    """Typeset every job, in worker processes when there is more than one core to use."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count < 2:
        _start_typesetter(css, base_url, cache)
        return [_typeset(job) for job in jobs]
    with ProcessPoolExecutor(count, initializer=_start_typesetter, initargs=(css, base_url, cache)) as pool:
        return list(pool.map(_typeset, jobs))


_typesetter: _Typesetter | None = None


def _start_typesetter(css: str, base_url: str, cache: Path | None) -> None:
    """Make this process's typesetter, kept for every edition it typesets."""
    global _typesetter
    _typesetter = _Typesetter(css, base_url, cache)


def _typeset(job: _Job) -> HandbookInfo:
    """Typeset one edition with this process's typesetter."""
    assert _typesetter is not None, "the typesetter was not started"
    return _typesetter.write(job)


class _Typesetter:
    """One FontConfiguration, the parsed stylesheet and an image cache, shared by the editions of a process."""

    def __init__(self, css: str, base_url: str, cache: Path | None) -> None:
        self.folder = cache
        self.fonts = FontConfiguration()
        self.css = CSS(string=css, font_config=self.fonts, base_url=base_url)
        self.css_text = css
        self.base_url = base_url
        self.cache: dict[str, Any] = {}

    def write(self, job: _Job) -> HandbookInfo:
        """Render JOB's HTML (or take it from the cache) and write the PDF to its path."""

        def typeset() -> tuple[bytes, int]:
            document = HTML(string=job.html, base_url=self.base_url).render(
                stylesheets=[self.css], font_config=self.fonts, cache=self.cache, **OPTIONS
            )
            return document.write_pdf(**OPTIONS), len(document.pages)

        data, pages = cached_pdf(self.folder, cache_key(job.html, self.css_text), typeset)
        path = Path(job.path)
        path.write_bytes(data)
        return HandbookInfo(job.edition, path, job.title, pages, len(data))
