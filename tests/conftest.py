"""Fixtures in layers: kits on disk -> a scratch copy to break -> one session-wide build of the reference kit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SKIP_BUILT = shutil.ignore_patterns("site", ".site-*", "__pycache__")


def copy_kit(source: Path, target: Path) -> Path:
    """Copy a kit's sources (not its built site) to TARGET."""
    shutil.copytree(source, target, ignore=SKIP_BUILT)
    if source == ROOT:
        for extra in ("tests", "kit", "benchmarks", ".git", ".ci"):
            shutil.rmtree(target / extra, ignore_errors=True)
    return target


@pytest.fixture
def minimal_kit(tmp_path: Path) -> Path:
    """A fresh copy of the smallest valid kit, free to edit."""
    return copy_kit(DATA / "minimal", tmp_path / "minimal")


@pytest.fixture(scope="session")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference kit, built once for the whole test session."""
    from kit.build import build

    output = tmp_path_factory.mktemp("reference") / "site"
    build(ROOT, output)
    return output


@pytest.fixture(scope="session")
def reference_kit():
    from kit import load_kit

    return load_kit(ROOT)


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
