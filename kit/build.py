"""The whole build, top to bottom: load -> validate -> render -> publish -> swap in."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kit import model
from kit.downloads import write_downloads
from kit.errors import KitError
from kit.handbook import render_handbooks
from kit.publish import build_site
from kit.render import render_pages
from kit.site_root import write_root_index
from kit.translate import make_translator, translate_kit
from kit.validate import load_kit

MARKER = ".peerkit-site"


@dataclass
class BuildResult:
    """What a build made."""

    output: Path
    languages: list[str]
    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build(
    project: str | Path,
    output: str | Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
    languages: list[str] | None = None,
    downloads: bool = True,
) -> BuildResult:
    """Build the kit at PROJECT into OUTPUT (default PROJECT/site); keep OUTPUT as it was on failure.

    DOWNLOADS False leaves out the PDFs and data files, for a quick preview of the pages.
    """
    started = time.perf_counter()
    project = Path(project).resolve()
    output = Path(output).resolve() if output else project / "site"
    progress("Loading content")
    kit = load_kit(project)
    chosen = _chosen_languages(kit, languages)
    _refuse_foreign_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=output.parent))
    result = BuildResult(output, chosen)
    try:
        for language in chosen:
            result.pages[language] = _build_language(kit, project, staging, language, progress, downloads)
        write_root_index(kit, staging)
        (staging / MARKER).write_text("This folder is made by 'kit build' and replaced on every build.\n")
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


def _build_language(
    kit: model.Kit, project: Path, staging: Path, language: str, progress: Callable[[str], None], with_downloads: bool
) -> int:
    """Translate, render and publish one language's site into STAGING/<language>; return its page count."""
    translator = make_translator(project, kit, language)
    translated = translate_kit(kit, translator)
    with tempfile.TemporaryDirectory(prefix="peerkit-") as work_dir:
        work = Path(work_dir)
        downloads = None
        if with_downloads:
            progress(f"Rendering PDFs of forms and surveys ({language})")
            downloads = write_downloads(translated, project, work / "docs", translator)
        progress(f"Rendering pages ({language})")
        pages = render_pages(translated, project, work / "docs", translator, downloads)
        if with_downloads:
            progress(f"Rendering the handbooks ({language})")
            render_handbooks(translated, project, pages, work / "docs", work / "docs" / "downloads", translator)
        progress(f"Building the site ({language}, {len(pages)} pages)")
        build_site(translated, project, work, staging / language, pages, translator)
    return len(pages)


def _chosen_languages(kit: model.Kit, languages: list[str] | None) -> list[str]:
    """The languages to build: all the program's, or those asked for if the program has them."""
    if not languages:
        return list(kit.program.languages)
    unknown = [code for code in languages if code not in kit.program.languages]
    if unknown:
        known = ", ".join(kit.program.languages)
        raise KitError(
            f"the program has no language {', '.join(unknown)}; it has {known} (add one with 'kit i18n add')"
        )
    return languages


def _refuse_foreign_output(output: Path) -> None:
    """Never replace a folder kit did not make."""
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise KitError(
            f"{output}: this folder exists and was not made by kit; "
            "choose another output folder, or move this one away first"
        )


def _swap_in(staging: Path, output: Path) -> None:
    """Replace OUTPUT with STAGING in two renames, removing the old build afterwards."""
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=output.parent))
        output.rename(old / "site")
    staging.rename(output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
