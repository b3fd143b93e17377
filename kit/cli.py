"""The `kit` command: click wiring only; each command calls the library."""

from __future__ import annotations

from pathlib import Path

import click

KIT_PATH = click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))


@click.group()
@click.version_option(package_name="peerkit")
def main() -> None:
    """Build a peer-support program kit into a handbook website and PDFs."""


@main.command()
@KIT_PATH
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(path: Path, strict: bool, output_format: str) -> None:
    """Check the kit at PATH: every problem, then a review in plain words (links, training, reading level)."""
    from kit.report import check_kit

    report = check_kit(path)
    click.echo(report.as_json() if output_format == "json" else report.as_text())
    if report.errors or (strict and report.warnings):
        raise SystemExit(1)


@main.command()
@KIT_PATH
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: PATH/site).",
)
@click.option("--lang", "languages", multiple=True, metavar="LANG", help="Build only this language (repeatable).")
def build(path: Path, output: Path | None, languages: tuple[str, ...]) -> None:
    """Build the kit at PATH into a website (and PDFs) under site/."""
    from kit.build import build as build_kit

    result = build_kit(path, output, progress=_progress, languages=list(languages) or None)
    pages = ", ".join(f"{language}: {count} pages" for language, count in result.pages.items())
    click.echo(f"Built {_shown(result.output)} ({pages}) in {result.seconds:.1f} s.")


@main.command()
@KIT_PATH
@click.option("--port", default=8000, show_default=True, help="Port to serve on (this computer only).")
@click.option("--with-downloads", is_flag=True, help="Also make the PDFs and data files (slower after each change).")
def serve(path: Path, port: int, with_downloads: bool) -> None:
    """Preview the kit at PATH in a browser; rebuild what a saved file affects."""
    from kit.serve import serve as serve_kit

    serve_kit(path, port, progress=_progress, downloads=with_downloads)


def _progress(message: str) -> None:
    click.echo(f"  {message}...", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.group()
def i18n() -> None:
    """Translate the kit: add languages, update catalogs, see progress."""


@i18n.command("add")
@click.argument("language")
@click.option("--draft", is_flag=True, help="Mark the language as a draft until a qualified reviewer checks it.")
@click.option(
    "--path", "path", default=".", type=click.Path(file_okay=False, path_type=Path), help="The kit (default: here)."
)
def i18n_add(language: str, draft: bool, path: Path) -> None:
    """Create catalogs for LANGUAGE (like 'es' or 'pt-BR') and add it to the program."""
    from kit.i18n import add_language

    for written in add_language(path, language, draft):
        click.echo(f"Wrote {_shown(written)}")
    click.echo(f"Added '{language}' to content/program.yml. Translate the .po files in Poedit or Weblate.")


@i18n.command("update")
@click.option(
    "--path", "path", default=".", type=click.Path(file_okay=False, path_type=Path), help="The kit (default: here)."
)
def i18n_update(path: Path) -> None:
    """Merge new and changed source texts into every catalog; nothing translated is dropped."""
    from kit.i18n import update_catalogs

    for language, counts in update_catalogs(path).items():
        click.echo(
            f"{language}: {counts['new']} new, {counts['fuzzy']} to review (fuzzy), {counts['obsolete']} obsolete kept"
        )


@i18n.command("status")
@click.option(
    "--path", "path", default=".", type=click.Path(file_okay=False, path_type=Path), help="The kit (default: here)."
)
@click.option("--min", "minimum", type=click.FloatRange(0, 100), help="Exit 1 if a language is below this percent.")
@click.option("--documents/--no-documents", default=True, show_default=True, help="Also show each document.")
def i18n_status(path: Path, minimum: float | None, documents: bool) -> None:
    """Show translated, fuzzy and untranslated entries per language and per document."""
    from kit.errors import KitError
    from kit.i18n import status

    report = status(path)
    below = []
    for language, progress in report.items():
        click.echo(_progress_line(language, progress))
        if documents:
            for document, part in sorted(progress.documents.items()):
                click.echo("  " + _progress_line(document, part))
        if minimum is not None and progress.percent < minimum:
            below.append(f"{language} is {progress.percent:.1f}% translated, under the minimum of {minimum:g}%")
    if below:
        raise KitError("; ".join(below))


def _progress_line(name: str, progress) -> str:  # noqa: ANN001
    return (
        f"{name}: {progress.percent:.1f}% ({progress.translated} translated, {progress.fuzzy} fuzzy, "
        f"{progress.untranslated} untranslated of {progress.total})"
    )


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "archetype", metavar="ARCHETYPE", help="The starter kit to copy (see --list).")
@click.option("--name", help="The program's name, e.g. 'Side by Side'.")
@click.option("--organization", help="Who runs it, e.g. 'Riverbend Cancer Center'.")
@click.option("--country", help="Two-letter country code; sets emergency and crisis numbers and paper size.")
@click.option("--language", "languages", multiple=True, metavar="LANG", help="A language of the program (repeatable).")
@click.option("--force", is_flag=True, help="Write into a folder that already has files (same names are replaced).")
@click.option("--list", "list_only", is_flag=True, help="List the archetypes and exit.")
def new(
    directory: Path | None,
    archetype: str | None,
    name: str | None,
    organization: str | None,
    country: str | None,
    languages: tuple[str, ...],
    force: bool,
    list_only: bool,
) -> None:
    """Start a new program kit in DIRECTORY from an archetype."""
    from kit.scaffold import NewKit, archetypes, countries, create_kit

    if list_only:
        for archetype_name, about in archetypes().items():
            click.echo(f"{archetype_name}: {about}")
        return
    asking = _interactive() and not (archetype and name and organization and country)
    if directory is None:
        if not asking:
            raise click.UsageError(
                "give the folder for the new kit, e.g. 'kit new our-program --from oncology-mentoring'"
            )
        directory = Path(click.prompt("Folder for the new kit", default="our-program"))
    if asking:
        click.echo("Archetypes: " + ", ".join(archetypes()))
        archetype = archetype or click.prompt("Start from", default="oncology-mentoring")
        name = name or click.prompt("Program name")
        organization = organization or click.prompt("Organization")
        country = country or click.prompt("Country (two letters)", default="US")
        if not languages:
            languages = tuple(
                click.prompt("Languages (codes, comma-separated)", default="en").replace(" ", "").split(",")
            )
    missing = [
        flag
        for flag, value in (
            ("--from", archetype),
            ("--name", name),
            ("--organization", organization),
            ("--country", country),
        )
        if not value
    ]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or run 'kit new' in a terminal to be asked)")
    table = countries()
    chosen = list(languages) or [table.get(country.upper(), {}).get("language", "en")]
    request = NewKit(archetype, name, organization, country, chosen)
    written = create_kit(directory, request, force)
    click.echo(f"Created {directory} from {archetype} ({len(written)} files).")
    click.echo(
        f"Next: edit {directory}/content/program.yml (contacts, crisis steps), then run 'kit build {directory}'."
    )


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
def schema(path: Path) -> None:
    """Write JSON Schemas of the content files into PATH/schemas/ and editor settings."""
    from kit.schema import write_editor_settings, write_schemas

    written = write_schemas(path / "schemas")
    settings = write_editor_settings(path)
    click.echo(f"Wrote {len(written)} schemas to {_shown(path / 'schemas')} and {_shown(settings)}.")


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The CSV file to write."
)
@click.option(
    "--kit",
    "kit_path",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="The kit the forms come from (default: here).",
)
@click.option("--form", "document_id", help="Which form or survey (default: the one the first PDF is).")
def collect(pdfs: tuple[Path, ...], output: Path, kit_path: Path, document_id: str | None) -> None:
    """Read filled-in PDFs of one form back into a CSV, one row per PDF."""
    from kit.collect import collect as collect_answers
    from kit.validate import load_kit

    result = collect_answers(load_kit(kit_path), list(pdfs), output, document_id)
    for problem in result.problems:
        click.echo(f"skipped {problem}", err=True)
    click.echo(f"Wrote {result.rows} rows of '{result.document.id}' to {_shown(output)}.")
    if result.problems:
        raise SystemExit(1)
