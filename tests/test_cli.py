"""The `kit` command through click's CliRunner: exit codes, messages, and the user's files kept safe."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from kit.cli import main
from tests.conftest import DATA


def run(*arguments: str):
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_check_passes_on_minimal_kit(minimal_kit: Path) -> None:
    result = run("check", str(minimal_kit))
    assert result.exit_code == 0, result.output
    assert "Tiny Peers: 0 errors, 0 warnings" in result.output


def test_check_reports_problems_with_exit_1_and_no_traceback(minimal_kit: Path) -> None:
    shutil.copytree(DATA / "bad" / "bad-reference", minimal_kit, dirs_exist_ok=True)
    result = run("check", str(minimal_kit))
    assert result.exit_code == 1
    assert (
        "content/roles/mentor.yml:9:12: training[0]: no training module 'listenin' (did you mean 'listening'?)"
        in result.output
    )
    assert ": 1 error, 0 warnings" in result.output
    assert "Traceback" not in result.output


def test_build_writes_site_and_reports_pages(minimal_kit: Path) -> None:
    result = run("build", str(minimal_kit))
    assert result.exit_code == 0, result.output
    assert (minimal_kit / "site/en/index.html").is_file()
    assert (minimal_kit / "site/index.html").is_file()
    assert "en: 17 pages" in result.output


def test_failed_build_leaves_previous_site_untouched(minimal_kit: Path) -> None:
    assert run("build", str(minimal_kit)).exit_code == 0
    before = snapshot(minimal_kit / "site")
    shutil.copytree(DATA / "bad" / "syntax-error", minimal_kit, dirs_exist_ok=True)
    result = run("build", str(minimal_kit))
    assert result.exit_code == 1
    assert "content/forms/contact-log.yml:9:4: the YAML cannot be read" in result.output
    assert snapshot(minimal_kit / "site") == before
    assert not list(minimal_kit.glob(".site-*")), "no half-written build is left behind"


def test_failed_render_leaves_previous_site_untouched(minimal_kit: Path) -> None:
    """A failure after loading (here a broken link in a page, caught by MkDocs) keeps the old site too."""
    assert run("build", str(minimal_kit)).exit_code == 0
    before = snapshot(minimal_kit / "site")
    page = minimal_kit / "content/pages/about.md"
    page.write_text(page.read_text() + "\nSee [nowhere](../nowhere.md).\n")
    result = run("build", str(minimal_kit))
    assert result.exit_code == 1
    assert "content/pages/about.md" in result.output and "nowhere.md" in result.output
    assert snapshot(minimal_kit / "site") == before
    assert not list(minimal_kit.glob(".site-*"))


def test_page_template_error_names_the_page_and_line(minimal_kit: Path) -> None:
    page = minimal_kit / "content/pages/about.md"
    page.write_text(page.read_text() + "\nBroken {% if %}\n")
    result = run("build", str(minimal_kit))
    assert result.exit_code == 1
    assert "content/pages/about.md:10:1: Expected an expression" in result.output


def test_build_refuses_to_replace_a_folder_it_did_not_make(minimal_kit: Path) -> None:
    mine = minimal_kit / "site"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    result = run("build", str(minimal_kit))
    assert result.exit_code == 1
    assert "was not made by kit" in result.output
    assert (mine / "notes.txt").read_text() == "mine"


def test_project_template_overrides_builtin(minimal_kit: Path) -> None:
    override = minimal_kit / "templates/site/glossary.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# Words\n\nOur own glossary page with {{ kit.glossary|length }} term.\n")
    assert run("build", str(minimal_kit)).exit_code == 0
    html = (minimal_kit / "site/en/glossary/index.html").read_text()
    assert "Our own glossary page with 1 term." in html
