"""`kit serve` serves the site and rebuilds it after a content change."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


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


def wait_for(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("gave up waiting")


def test_serve_rebuilds_after_a_change_and_keeps_last_good_site(minimal_kit: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "kit", "serve", str(minimal_kit), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: fetch(f"{base}/__kit_version") == "1")
        glossary = wait_for(lambda: fetch(f"{base}/en/glossary/"))
        assert "A trained person who has been through cancer." in glossary
        assert "/__kit_version" in glossary, "pages carry the reload script"

        terms = minimal_kit / "content/glossary.yml"
        terms.write_text(terms.read_text().replace("has been through cancer", "has lived with cancer"))
        wait_for(lambda: fetch(f"{base}/__kit_version") == "2")
        assert "A trained person who has lived with cancer." in fetch(f"{base}/en/glossary/")

        terms.write_text("terms: [\n")
        time.sleep(3)
        assert fetch(f"{base}/__kit_version") == "2"
        assert "has lived with cancer" in fetch(f"{base}/en/glossary/"), "the last good site stays served"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "content/glossary.yml:" in output, output
    assert "Traceback" not in output
