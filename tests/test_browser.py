"""The built site in headless Chromium: language switcher, root language choice, search per language."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served_site(reference_site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(reference_site))
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def test_switcher_keeps_the_reader_on_the_same_page(served_site: str, browser) -> None:
    page = browser.new_page()
    page.goto(f"{served_site}/es/implement/policies/confidentiality/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.hover(".md-header__option .md-select")
    page.click('.md-select__link[hreflang="ar"]')
    page.wait_for_url("**/ar/implement/policies/confidentiality/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("body").get_attribute("dir") == "rtl"
    page.close()


@pytest.mark.parametrize(("browser_language", "expected"), [("es-MX", "/es/"), ("ar-EG", "/ar/"), ("de-DE", "/en/")])
def test_root_page_sends_the_reader_to_their_language(
    served_site: str, browser, browser_language: str, expected: str
) -> None:
    context = browser.new_context(locale=browser_language)
    page = context.new_page()
    page.goto(f"{served_site}/")
    page.wait_for_url(f"**{expected}")
    context.close()


def test_search_finds_only_the_current_language(reference_site: Path) -> None:
    for language in ("en", "es", "ar"):
        index = json.loads((reference_site / language / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert language in index["config"]["lang"] or index["config"]["lang"] == ["en"]
        locations = [doc["location"] for doc in index["docs"]]
        assert locations and not any(location.startswith(("../", "/")) for location in locations)
    english = (reference_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8")
    spanish = (reference_site / "es" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Confidencialidad y privacidad" in spanish and "Confidencialidad y privacidad" not in english
