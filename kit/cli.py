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
