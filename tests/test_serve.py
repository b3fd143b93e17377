"""`kit serve` serves the site, rebuilds what a change affects, and shows a failed build in the page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from kit.catalogs import catalog_path
from kit.i18n import add_language


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition, seconds: float = 90.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("gave up waiting")


class Served:
    """A `kit serve` process on a free port."""

    def __init__(self, kit: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kit", "serve", str(kit), "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def version(self) -> str:
        return (fetch(f"{self.base}/__kit_version") or "-").split("-")[0]

    def state(self) -> str | None:
        return fetch(f"{self.base}/__kit_version")

    def stop(self) -> str:
        self.process.terminate()
        output, _ = self.process.communicate(timeout=30)
        return output


def test_serve_rebuilds_after_a_change_and_keeps_last_good_site(minimal_kit: Path) -> None:
    served = Served(minimal_kit)
    try:
        wait_for(lambda: served.version() == "1")
        glossary = wait_for(lambda: fetch(f"{served.base}/en/glossary/"))
        assert "A trained person who has been through cancer." in glossary
        assert "/__kit_version" in glossary, "pages carry the reload script"

        terms = minimal_kit / "content/glossary.yml"
        terms.write_text(terms.read_text().replace("has been through cancer", "has lived with cancer"))
        wait_for(lambda: served.version() == "2")
        assert "A trained person who has lived with cancer." in fetch(f"{served.base}/en/glossary/")

        good_state = served.state()
        terms.write_text("terms: [\n")
        wait_for(lambda: served.state() != good_state)
        page = fetch(f"{served.base}/en/glossary/")
        assert served.version() == "2"
        assert "has lived with cancer" in page, "the last good site stays served"
        assert "kit-build-error" in page and "content/glossary.yml:" in page
    finally:
        output = served.stop()
    assert "content/glossary.yml:" in output, output
    assert "Traceback" not in output


def test_a_catalog_change_rebuilds_only_its_language(minimal_kit: Path) -> None:
    add_language(minimal_kit, "es")
    served = Served(minimal_kit)
    try:
        wait_for(lambda: served.version() == "1")
        english_before = fetch(f"{served.base}/en/glossary/")
        path = catalog_path(minimal_kit, "es", "content")
        with path.open("rb") as handle:
            catalog = read_po(handle)
        catalog.get("A trained person who has been through cancer.").string = "Una persona formada."
        with path.open("wb") as handle:
            write_po(handle, catalog)
        wait_for(lambda: served.version() == "2")
        assert "Una persona formada." in fetch(f"{served.base}/es/glossary/")
        assert fetch(f"{served.base}/en/glossary/") == english_before
    finally:
        output = served.stop()
    assert "Rebuilt (es)" in output, output
