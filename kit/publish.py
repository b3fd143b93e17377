"""Publish rendered pages: MkDocs with Material builds each language's site in-process."""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import markupsafe
import material

from kit import model
from kit.errors import KitError, Problem
from kit.render import PageSpec, navigation
from kit.site_root import language_name
from kit.translate import Translator
from kit.words import CRISIS_BANNER, SWITCHER

THEME = Path(__file__).parent / "theme"
MATERIAL = Path(material.__file__).parent / "templates"
DEFAULT_CONFIG = "site_name: kit\ntheme:\n  name: material\n  font: false\n"
NEEDED_EXTENSIONS = ["admonition", "attr_list", "def_list", "md_in_html", "tables", "toc", "pymdownx.tasklist"]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def mkdocs_overrides(
    kit: model.Kit, project: Path, work: Path, site_dir: Path, pages: list[PageSpec], translator: Translator
) -> dict[str, Any]:
    """The parts of the MkDocs config that kit sets on top of the project's mkdocs.yml."""
    base = base_config(project)
    theme = {
        **base.get("theme", {}),
        "custom_dir": str(_theme_overrides(project, work)),
        "language": material_language(translator.language),
        "direction": translator.locale.text_direction,
    }
    theme.setdefault("name", "material")
    extensions = site_extensions(base)
    crisis = kit.program.crisis
    gettext = translator.gettext
    extra = {
        **(base.get("extra") or {}),
        "kit_crisis": {
            "title": escape(gettext(CRISIS_BANNER["title"])),
            "emergency_label": escape(gettext(CRISIS_BANNER["emergency"])),
            "emergency": escape(crisis.emergency_number),
            "lines": [{"name": escape(line.name), "number": escape(line.number)} for line in crisis.lines],
        },
        "kit_languages": [
            {"lang": code, "name": escape(language_name(code)), "draft": code in kit.program.draft_languages}
            for code in kit.program.languages
        ],
        "kit_words": {key: escape(gettext(text)) for key, text in SWITCHER.items()},
        "alternate": [
            {"name": language_name(code), "link": f"../{code}/", "lang": code} for code in kit.program.languages
        ]
        if len(kit.program.languages) > 1
        else [],
        "generator": False,
    }
    return {
        "site_name": kit.program.name,
        "docs_dir": str(work / "docs"),
        "site_dir": str(site_dir),
        "nav": navigation(pages, gettext),
        "theme": theme,
        "markdown_extensions": extensions,
        "extra": extra,
        "extra_css": [*(base.get("extra_css") or []), "assets/kit.css"],
        "use_directory_urls": base.get("use_directory_urls", True),
    }


def base_config(project: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as MkDocs reads it (INHERIT and !ENV resolved), or the plain default."""
    from mkdocs.utils.yaml import yaml_load

    path = project / "mkdocs.yml"
    if not path.exists():
        return yaml_load(DEFAULT_CONFIG)
    with path.open("rb") as handle:
        return yaml_load(handle) or {}


def site_extensions(base: dict[str, Any]) -> list[Any]:
    """The Markdown extensions of the site: the project's, then those kit's pages need."""
    extensions = list(base.get("markdown_extensions") or [])
    present = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    return extensions + [name for name in NEEDED_EXTENSIONS if name not in present]


def base_config_file(project: Path, work: Path) -> Path:
    """The project's mkdocs.yml, or a plain Material config when the kit has none."""
    if (project / "mkdocs.yml").exists():
        return project / "mkdocs.yml"
    default = work / "mkdocs-default.yml"
    if not default.exists():
        default.write_text(DEFAULT_CONFIG, encoding="utf-8")
    return default


def _theme_overrides(project: Path, work: Path) -> Path:
    """Built-in theme overrides, then the project's templates/theme/ on top, file by file."""
    overrides = work / "overrides"
    shutil.copytree(THEME, overrides, dirs_exist_ok=True)
    if (project / "templates" / "theme").is_dir():
        shutil.copytree(project / "templates" / "theme", overrides, dirs_exist_ok=True)
    shutil.copytree(overrides / "assets", work / "docs" / "assets", dirs_exist_ok=True)
    return overrides


def material_language(language: str) -> str:
    """The closest language Material's own interface is translated into (its files use 'pt-BR' style)."""
    available = {path.stem for path in (MATERIAL / "partials" / "languages").glob("*.html")}
    for candidate in (language.replace("_", "-"), language.replace("_", "-").split("-")[0]):
        if candidate in available:
            return candidate
    return "en"


def build_site(
    kit: model.Kit, project: Path, work: Path, site_dir: Path, pages: list[PageSpec], translator: Translator
) -> None:
    """Run MkDocs (strict) over the rendered pages in WORK/docs into SITE_DIR."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    overrides = mkdocs_overrides(kit, project, work, site_dir, pages, translator)
    base_file = base_config_file(project, work)
    with _mkdocs_messages() as messages:
        try:
            config = load_config(str(base_file), strict=True, **overrides)
            build(config)
            _set_document_language(site_dir, translator)
        except (Abort, ConfigurationError, SystemExit) as error:
            problems = [Problem("mkdocs.yml" if not messages else "", 0, 0, "", m) for m in messages] or [
                Problem("mkdocs.yml", 0, 0, "", str(error))
            ]
            raise KitError(_name_sources(problems, pages)) from None


def escape(text: str) -> str:
    """MkDocs themes print config values and nav titles as they are: escape what a translation holds."""
    return str(markupsafe.escape(str(text)))


HTML_TAG = re.compile(r"<html lang=\"[^\"]*\"")


def _set_document_language(site_dir: Path, translator: Translator) -> None:
    """Material names a few regions by their language only ('pt' for 'pt-BR'): state the kit's own code."""
    opening = f'<html lang="{translator.language}" dir="{translator.locale.text_direction}"'
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(HTML_TAG.sub(opening, text, count=1), encoding="utf-8")


def _name_sources(problems: list[Problem], pages: list[PageSpec]) -> list[Problem]:
    """Point a MkDocs warning about a generated page at the content file it came from."""
    named = []
    for problem in problems:
        source = next(
            (p.context["page"].source for p in pages if "page" in p.context and f"'{p.path}'" in problem.message), ""
        )
        named.append(Problem(source or problem.file, 0, 0, "", problem.message))
    return named


@contextmanager
def _mkdocs_messages() -> Iterator[list[str]]:
    """Collect MkDocs warnings instead of letting them print; keep its info lines quiet."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage().strip())

    logger = logging.getLogger("mkdocs")
    handler = Collect(level=logging.WARNING)
    saved = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved
