"""Extract a kit's texts for translators: content (YAML and Markdown) and interface (templates)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir

from kit import model
from kit.load import FOLDERS, SINGLE_FILES, Loaded, _load_document, _load_page
from kit.sources import format_path
from kit.templating import BUILTIN_TEMPLATES
from kit.texts import LISTS_IN_FILES, WHOLE_FILES, markdown_blocks, texts_of, units_of
from kit.validate import load_kit

BUILTIN_TEMPLATE_PREFIX = "kit/templates/"
JINJA_METHOD = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}

Message = tuple[int, str | None, str, list[str]]
"""(line, context, text, notes for translators)."""


def _notes(file: str, path: tuple, audience: str) -> list[str]:
    return [f"{file.removeprefix('content/')}: {format_path(path)}", f"audience: {audience}"]


def document_messages(unit_file: str, obj: Any, prefix: tuple, audience: str, sources) -> Iterator[Message]:  # noqa: ANN001
    """The messages of one model object, at the lines its texts have in its file."""
    for path, text, context in texts_of(obj, prefix):
        line, _ = sources.position(unit_file, path)
        yield line, context, text, _notes(unit_file, path, audience)


def page_messages(page: model.Page) -> Iterator[Message]:
    """One message per heading, paragraph, list item or table row of a Markdown page's body."""
    for number, block in enumerate(markdown_blocks(page.body)):
        yield page.body_line + block.line, None, block.text, _notes(page.source, ("body", number), page.meta.audience)


def content_catalog(project: Path) -> Catalog:
    """Every content text of the kit at PROJECT, as a gettext catalog template."""
    kit = load_kit(project)
    catalog = Catalog(project=kit.program.name, charset="utf-8", fuzzy=False)
    for unit in units_of(kit):
        for line, context, text, notes in document_messages(
            unit.file, unit.obj, unit.prefix, unit.audience, kit._sources
        ):
            catalog.add(text, locations=[(unit.file, line)], auto_comments=notes, context=context)
    for page in kit.pages:
        for line, context, text, notes in page_messages(page):
            catalog.add(text, locations=[(page.source, line)], auto_comments=notes, context=context)
    return catalog


def interface_catalog(project: Path) -> Catalog:
    """Every interface text of the built-in templates and the project's own templates."""
    catalog = Catalog(charset="utf-8", fuzzy=False)
    folders = [(BUILTIN_TEMPLATES, BUILTIN_TEMPLATE_PREFIX)]
    if (project / "templates").is_dir():
        folders.append((project / "templates", "templates/"))
    method_map = [("**.j2", JINJA_METHOD), ("**.html", JINJA_METHOD)]
    for folder, shown_as in folders:
        options = {pattern: JINJA_OPTIONS for pattern, _ in method_map}
        for file, line, text, notes, context in extract_from_dir(
            str(folder), method_map, options_map=options, comment_tags=("Translators:",)
        ):
            catalog.add(text, locations=[(shown_as + file, line)], auto_comments=notes, context=context)
    words = Path(__file__).parent / "words.py"
    with words.open("rb") as handle:
        for line, text, notes, context in extract("python", handle, keywords={"N_": None, "NP_": (1, 2)}):
            catalog.add(text, locations=[("kit/words.py", line)], auto_comments=notes, context=context)
    return catalog


def extract_content(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    """Babel extractor for one content file, so `pybabel extract -F babel.cfg` gives kit's catalog.

    Yields (line, funcname, message, comments); context is passed through pgettext's spec.
    """
    path = Path(fileobj.name).resolve()
    root = next((parent.parent for parent in path.parents if parent.name == "content"), path.parent)
    loaded = Loaded(root)
    relative = loaded.sources.relative(path)
    if path.suffix == ".md":
        page = _load_page(loaded, path)
        if page is None:
            return
        for line, context, text, notes in _page_meta_and_body(page, loaded):
            yield _babel_tuple(line, context, text, notes)
        return
    kind = FOLDERS.get(path.parent.name) if path.parent.name != "content" else SINGLE_FILES.get(path.name)
    if kind is None:
        return
    document = _load_document(loaded, path, kind)
    if document is None:
        return
    audience = getattr(document, "audience", None)
    for prefix, obj, unit_audience in _units_in_file(relative, document, audience):
        for line, context, text, notes in document_messages(relative, obj, prefix, unit_audience, loaded.sources):
            yield _babel_tuple(line, context, text, notes)


def _babel_tuple(line: int, context: str | None, text: str, notes: list[str]) -> tuple:
    if context:
        return line, "pgettext", (context, text), notes
    return line, "gettext", text, notes


def _page_meta_and_body(page: model.Page, loaded: Loaded) -> Iterator[Message]:
    yield from document_messages(page.source, page.meta, (), page.meta.audience, loaded.sources)
    yield from page_messages(page)


def _units_in_file(relative: str, document: Any, audience: str | None) -> Iterator[tuple[tuple, Any, str]]:
    """The same units `units_of` gives for this file, so both extractions agree."""
    name = relative.removeprefix("content/")
    if name in LISTS_IN_FILES:
        key, _, list_audience = LISTS_IN_FILES[name]
        for index, item in enumerate(getattr(document, key)):
            yield (key, index), item, list_audience
    elif name in WHOLE_FILES:
        yield (), document, WHOLE_FILES[name][1]
    else:
        yield (), document, audience or "staff"
