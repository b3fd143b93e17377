"""The Jinja environment kit renders with: template lookup, plain-text filter and language functions."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from babel.dates import format_date
from babel.numbers import format_decimal

from kit import words
from kit.translate import Fallback, Tally, Translated, Translator

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
NOTICE_MARK = "<!-- kit:notice -->"


def template_environment(project: Path, translator: Translator | None = None) -> jinja2.Environment:
    """Jinja with the project's templates/ first, then the built-in ones, file by file.

    HTML templates (for PDFs) are autoescaped; Markdown templates escape content with the `text` filter.
    """
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(project / "templates")), jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))]
    )
    environment = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=lambda name: name is not None and ".html" in name,
        extensions=["jinja2.ext.i18n"],
    )
    language = LanguageFunctions(translator)
    environment.install_gettext_callables(language.plain_gettext, language.plain_ngettext, newstyle=True)
    environment.filters["text"] = language.text
    environment.globals.update(
        _=language.gettext,
        ngettext=language.ngettext,
        date=language.date,
        number=language.number,
        minutes=language.minutes,
        language=translator.language if translator else "en",
        direction=translator.locale.text_direction if translator else "ltr",
        **{name: getattr(words, name) for name in dir(words) if name.isupper()},
    )
    return environment


class LanguageFunctions:
    """Template functions for one language; they count what they show on a page's Tally."""

    def __init__(self, translator: Translator | None) -> None:
        self.translator = translator
        self.locale = translator.locale if translator else "en"

    def plain_gettext(self, text: str, **variables: Any) -> str:
        looked = self.translator.gettext(text) if self.translator else text
        return looked % variables if variables else looked

    def plain_ngettext(self, singular: str, plural: str, count: int, **variables: Any) -> str:
        looked = (
            self.translator.ngettext(singular, plural, count)
            if self.translator
            else (singular if count == 1 else plural)
        )
        return looked % {"num": self.number(count), **variables}

    @jinja2.pass_context
    def gettext(self, context: jinja2.runtime.Context, text: str, **variables: Any) -> str:
        """Interface text in the page's language, counted on the page's tally."""
        looked = self.translator.gettext(text) if self.translator else text
        _tally(context).count(looked)
        return _keep_kind(looked, variables)

    @jinja2.pass_context
    def ngettext(
        self, context: jinja2.runtime.Context, singular: str, plural: str, count: int, **variables: Any
    ) -> str:
        looked = (
            self.translator.ngettext(singular, plural, count)
            if self.translator
            else (singular if count == 1 else plural)
        )
        _tally(context).count(looked)
        return _keep_kind(looked, {"num": self.number(count), **variables})

    @jinja2.pass_context
    def text(self, context: jinja2.runtime.Context, value: object) -> str:
        """Content is text, not markup: escape it; mark text shown in the source language."""
        _tally(context).count(value)
        escaped = plain_text(value)
        if isinstance(value, Fallback):
            return f'<span lang="{value.lang}" dir="{value.direction}">{escaped}</span>'
        return escaped

    def date(self, value: datetime.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def minutes(self, total: int) -> str:
        hours, rest = divmod(total, 60)
        parts = []
        if hours:
            parts.append(self.plain_ngettext(*words.TIME_UNITS["hour"], hours))
        if rest or not hours:
            parts.append(self.plain_ngettext(*words.TIME_UNITS["minute"], rest))
        return " ".join(parts)


def _tally(context: jinja2.runtime.Context) -> Tally:
    return context.get("tally") or Tally()


def _keep_kind(looked: str, variables: dict[str, Any]) -> str:
    """Format LOOKED with VARIABLES, keeping whether it was translated or fell back."""
    formatted = looked % variables if variables else str(looked)
    if isinstance(looked, Fallback):
        return Fallback(formatted, looked.lang)
    return Translated(formatted) if isinstance(looked, Translated) else formatted


def plain_text(value: object) -> str:
    """Escape HTML and Markdown link syntax, so content and translations stay plain text."""
    escaped = str(markupsafe.escape(str(value))).replace("&#39;", "'").replace("&#34;", '"')
    return escaped.replace("[", "&#91;").replace("]", "&#93;")
