"""Translate a validated kit into one language, falling back honestly where a translation is missing."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from kit import model
from kit.catalogs import DOMAINS, LoadedCatalog, all_problems, is_translated, parse_locale, read_catalog
from kit.errors import KitError
from kit.texts import replace_blocks, replace_text, texts_of, units_of


class Translated(str):
    """A text shown in the reader's language."""


class Fallback(str):
    """A text shown in the source language because its translation is missing or outdated."""

    lang: str = "en"

    def __new__(cls, text: str, lang: str) -> Fallback:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __getnewargs__(self) -> tuple[str, str]:
        return str(self), self.lang

    @property
    def direction(self) -> str:
        """Direction of the source language, so it reads right inside a page of the other direction."""
        return parse_locale(self.lang).text_direction


@dataclass
class Tally:
    """How many texts of one page are shown translated, and how many fell back."""

    translated: int = 0
    fallback: int = 0

    def count(self, text: object) -> None:
        if isinstance(text, Fallback):
            self.fallback += 1
        elif isinstance(text, Translated):
            self.translated += 1

    def add(self, other: Tally) -> None:
        self.translated += other.translated
        self.fallback += other.fallback

    @property
    def percent(self) -> int:
        total = self.translated + self.fallback
        return 100 if total == 0 else int(100 * self.translated / total)


def fallback_chain(language: str) -> list[str]:
    """The catalogs to look in, most specific first: 'pt-BR' -> ['pt-BR', 'pt']."""
    chain = [language]
    if "-" in language or "_" in language:
        chain.append(language.replace("_", "-").split("-")[0])
    return chain


@dataclass
class Translator:
    """Looks texts up for one language; the source language translates to itself."""

    language: str
    source: str
    locale: Locale
    tables: dict[str, dict[tuple[str | None, object], object]] = field(default_factory=dict)
    plural_expr: str | None = None
    """The catalog's C plural expression; kept as text so a Translator can go to worker processes."""
    draft: bool = False

    @property
    def is_source(self) -> bool:
        return self.language == self.source

    def content(self, text: str, context: str | None = None) -> str:
        return self._look_up("content", text, context)

    def gettext(self, text: str) -> str:
        return self._look_up("messages", text, None)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if self.is_source:
            return singular if count == 1 else plural
        found = self.tables.get("messages", {}).get((None, singular))
        if isinstance(found, list):
            index = gettext.c2py(self.plural_expr)(count) if self.plural_expr else (0 if count == 1 else 1)
            return Translated(found[min(index, len(found) - 1)])
        return Fallback(singular if count == 1 else plural, self.source)

    def _look_up(self, domain: str, text: str, context: str | None) -> str:
        if self.is_source:
            return text
        found = self.tables.get(domain, {}).get((context, text))
        if isinstance(found, str):
            return Translated(found)
        return Fallback(text, self.source)


def make_translator(project: Path, kit: model.Kit, language: str) -> Translator:
    """Read LANGUAGE's catalogs (and those it falls back to); report every problem in them."""
    source = kit.program.languages[0]
    translator = Translator(language, source, parse_locale(language), draft=language in kit.program.draft_languages)
    if translator.is_source:
        return translator
    loaded = [read_catalog(project, code, domain) for code in fallback_chain(language) for domain in DOMAINS]
    problems = all_problems(loaded)
    if problems:
        raise KitError(problems)
    for domain in DOMAINS:
        translator.tables[domain] = _table([item for item in loaded if item.path.stem == domain])
    first = next((item.catalog for item in loaded if item.catalog is not None), None)
    if first is not None:
        translator.plural_expr = first.plural_expr
    return translator


def _table(loaded: list[LoadedCatalog]) -> dict[tuple[str | None, object], object]:
    """(context, source) -> translation, the most specific catalog winning; fuzzy entries left out."""
    table: dict[tuple[str | None, object], object] = {}
    for item in reversed(loaded):
        if item.catalog is None:
            continue
        for message in item.catalog:
            if message.id and is_translated(message):
                key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
                value = list(message.string) if isinstance(message.string, (list, tuple)) else message.string
                table[(message.context, key)] = value
    return table


def translate_kit(kit: model.Kit, translator: Translator) -> model.Kit:
    """A copy of KIT with every reader-facing text in the translator's language (or marked fallback)."""
    if translator.is_source:
        return kit
    translated = kit.model_copy(deep=True)
    translated._sources = kit._sources
    for unit in units_of(translated):
        for path, text, context in texts_of(unit.obj):
            replace_text(unit.obj, path, translator.content(text, context))
    for page in translated.pages:
        tally = Tally()

        def translate_block(block, tally: Tally = tally) -> str:  # noqa: ANN001
            text = translator.content(block.text)
            tally.count(text)
            if isinstance(text, Fallback):
                if block.prefix.lstrip().startswith("|"):
                    return text
                return f'<span lang="{text.lang}" dir="{text.direction}">{text}</span>'
            return escape_markup(text)

        page.body = replace_blocks(page.body, translate_block)
        page._body_tally = tally
    return translated


def escape_markup(text: str) -> str:
    """Translations are untrusted: no raw HTML gets through, only Markdown the source also had."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
