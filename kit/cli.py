"""The `kit` command: click wiring only; each command calls the library."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

KIT_PATH = click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))


@click.group()
@click.version_option(package_name="peerkit")
def main() -> None:
    """Build a peer-support program kit into a handbook website and PDFs."""


@main.command()
@KIT_PATH
def check(path: Path) -> None:
    """Load and validate the kit at PATH; report every problem."""
    from kit.validate import load_kit

    started = time.perf_counter()
    kit = load_kit(path)
    counts = (
        f"{len(kit.policies)} policies, {len(kit.roles)} roles, {len(kit.modules)} training modules, "
        f"{len(kit.forms)} forms, {len(kit.surveys)} surveys, {len(kit.pages)} pages"
    )
    click.echo(f"{kit.program.name}: no problems found ({counts}) in {time.perf_counter() - started:.1f} s.")


@main.command()
@KIT_PATH
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site (default: PATH/site).")
def build(path: Path, output: Path | None) -> None:
    """Build the kit at PATH into a website (and PDFs) under site/."""
    from kit.build import build as build_kit

    result = build_kit(path, output, progress=_progress)
    pages = ", ".join(f"{language}: {count} pages" for language, count in result.pages.items())
    click.echo(f"Built {_shown(result.output)} ({pages}) in {result.seconds:.1f} s.")


@main.command()
@KIT_PATH
@click.option("--port", default=8000, show_default=True, help="Port to serve on (this computer only).")
def serve(path: Path, port: int) -> None:
    """Preview the kit at PATH in a browser; rebuild when content changes."""
    from kit.serve import serve as serve_kit

    serve_kit(path, port, progress=_progress)


def _progress(message: str) -> None:
    click.echo(f"  {message}...", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
