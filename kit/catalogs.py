"""The gettext catalogs of a kit: read them safely, check them, and keep them up to date."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from kit.errors import KitError, Problem

DOMAINS = ("messages", "content")
"""messages: the interface (templates); content: the program's own texts."""
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|%\(\w+\)[sd]|\{\w+\}|\]\([^)\s]*\)|\{:[^}]*\}|`[^`]*`")
"""What a translation must keep as it is: template expressions, named placeholders, link targets, code."""


def catalog_path(project: Path, language: str, domain: str) -> Path:
    return project / "translations" / language / "LC_MESSAGES" / f"{domain}.po"


def parse_locale(language: str) -> Locale:
    """Babel's Locale for a code like 'es', 'pt-BR' or 'pt_BR'."""
    return Locale.parse(language.replace("-", "_"))


def check_language_code(language: str) -> None:
    """Refuse a code Babel does not know, naming the problem in plain words."""
    try:
        parse_locale(language)
    except (ValueError, UnknownLocaleError):
        raise KitError(
            f"'{language}' is not a language code kit knows; use a code like 'es', 'ar' or 'pt-BR'"
        ) from None


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@dataclass
class LoadedCatalog:
    """A catalog read from disk, with the problems found in it."""

    path: Path
    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)


def read_catalog(project: Path, language: str, domain: str) -> LoadedCatalog:
    """Read one .po file; a malformed file becomes a problem with its line, not a traceback."""
    path = catalog_path(project, language, domain)
    shown = path.relative_to(project).as_posix()
    if not path.exists():
        return LoadedCatalog(path, None)
    try:
        text = path.read_text(encoding="utf-8")
        malformed = malformed_lines(text)
        if malformed:
            raise PoFileError(f"line {malformed[0][0]}: {malformed[0][1]}", None, "", malformed[0][0])
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language.replace("-", "_"), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        line = int(match.group(1)) if (match := re.search(r"line (\d+)", str(error))) else 0
        reason = str(error).split(":", 1)[-1].strip() if line else str(error)
        message = f"this translation file cannot be read ({reason}); open it in Poedit or fix the quoting"
        return LoadedCatalog(path, None, [Problem(shown, line, 1 if line else 0, "", message)])
    restore_previous_ids(catalog, text)
    return LoadedCatalog(path, catalog, placeholder_problems(catalog, shown))


PO_LINE = re.compile(r'^(#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+".*"|".*"|\s*)$')
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"$')


def malformed_lines(text: str) -> list[tuple[int, str]]:
    """Lines a .po file may not have, with their numbers (Babel reads some of these silently)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not PO_LINE.match(stripped):
            found.append((number, "a line that is not a comment, a keyword or a quoted string"))
        elif stripped and not stripped.startswith("#") and not QUOTED.search(stripped):
            found.append((number, "a string whose closing quote is missing"))
    return found


def restore_previous_ids(catalog: Catalog, text: str) -> None:
    """Babel drops '#| msgid' lines when reading; keep them, so a second update still shows the old text."""
    previous: list[str] = []
    by_line = {message.lineno: message for message in catalog if message.id}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#| msgid "):
            previous = [_unquote(line.removeprefix("#| msgid "))]
        elif line.startswith('#| "') and previous:
            previous[-1] += _unquote(line.removeprefix("#| "))
        elif line.startswith("msgid ") and previous:
            if number in by_line and by_line[number].fuzzy:
                by_line[number].previous_id = previous
            previous = []
        elif not line.startswith("#"):
            previous = []


def _unquote(quoted: str) -> str:
    return unescape(quoted.strip())


def placeholder_problems(catalog: Catalog, shown: str) -> list[Problem]:
    """A translation must keep every placeholder and link target of its source text."""
    problems = []
    for message in catalog:
        if not message.id or not is_translated(message):
            continue
        for source, translation in _pairs(message):
            missing = sorted(set(placeholders(source)) - set(placeholders(translation)))
            extra = sorted(set(placeholders(translation)) - set(placeholders(source)))
            if missing or extra:
                parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                    [f"not in the source: {', '.join(extra)}"] if extra else []
                )
                problems.append(
                    Problem(
                        shown,
                        message.lineno or 0,
                        1 if message.lineno else 0,
                        "",
                        f"the translation of '{_short(source)}' must keep its placeholders and links "
                        f"({'; '.join(parts)})",
                    )
                )
                break
    return problems


def _pairs(message: Message) -> list[tuple[str, str]]:
    if isinstance(message.id, (list, tuple)):
        strings = list(message.string)
        return [(message.id[0 if index == 0 else 1], text) for index, text in enumerate(strings) if text]
    return [(message.id, message.string)]


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


def is_translated(message: Message) -> bool:
    """Translated and current: every form filled, and not marked fuzzy."""
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(strings)


def new_catalog(template: Catalog, language: str) -> Catalog:
    """An empty catalog for LANGUAGE holding every message of TEMPLATE."""
    catalog = Catalog(locale=language.replace("-", "_"), project=template.project, fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(
                message.id, locations=message.locations, auto_comments=message.auto_comments, context=message.context
            )
    return catalog


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write a catalog whole or not at all: a temporary file, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.stem == "content":
        # Program text is never %-formatted; Babel guesses 'python-format' from a '90% of ...' and
        # msgfmt would then demand the same '% o' in every translation.
        for message in catalog:
            message.flags.discard("python-format")
    partial = path.with_suffix(".po.partial")
    with partial.open("wb") as handle:
        write_po(handle, catalog, width=100, include_previous=True, sort_by_file=False)
    partial.replace(path)


def existing_languages(project: Path) -> list[str]:
    folder = project / "translations"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def all_problems(loaded: Iterable[LoadedCatalog]) -> list[Problem]:
    return [problem for item in loaded for problem in item.problems]


def check_catalogs(project: Path, languages: list[str]) -> list[Problem]:
    """Every problem in the catalogs of LANGUAGES: unreadable files, broken placeholders."""
    return all_problems(read_catalog(project, code, domain) for code in languages for domain in DOMAINS)
