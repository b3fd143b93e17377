"""A cache of typeset PDFs, keyed by everything that goes into them, so an unchanged rebuild is quick."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import weasyprint

from kit import __version__

FOLDER = ".kit-cache"
"""Under the kit's own folder; safe to delete at any time."""


def cache_folder(project: Path) -> Path | None:
    """Where PDFs are cached, or None when PEERKIT_NO_CACHE is set."""
    return None if os.environ.get("PEERKIT_NO_CACHE") else project / FOLDER / "pdf"


def cache_key(*parts: str) -> str:
    """A hash of the inputs, kit's and WeasyPrint's versions and the build date setting."""
    digest = hashlib.sha256()
    for part in (__version__, weasyprint.__version__, os.environ.get("SOURCE_DATE_EPOCH", ""), *parts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def cached_pdf(folder: Path | None, key: str, make: Callable[[], tuple[bytes, int]]) -> tuple[bytes, int]:
    """The PDF bytes and page count for KEY: from the cache, or made now and kept."""
    if folder is None:
        return make()
    data_path, pages_path = folder / f"{key}.pdf", folder / f"{key}.pages"
    if data_path.exists() and pages_path.exists():
        return data_path.read_bytes(), int(pages_path.read_text())
    data, pages = make()
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in ((data_path, data), (pages_path, str(pages).encode())):
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(content)
        partial.replace(path)
    return data, pages
