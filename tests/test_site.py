"""The reference kit's site, built once, read back as HTML."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.conftest import parse

LOADING_ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src"}


def page_of(site: Path, path: str) -> Path:
    """The HTML file MkDocs wrote for a docs path like 'implement/roles/coordinator.md'."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / "en" / stem.removesuffix("index") / "index.html"
    return site / "en" / stem / "index.html"


def html_pages(site: Path) -> list[Path]:
    return sorted(path for path in (site / "en").rglob("*.html"))


def test_site_has_every_document_page(reference_site: Path, reference_kit) -> None:
    kit = reference_kit
    expected = (
        [f"implement/policies/{p.id}.md" for p in kit.policies]
        + [f"implement/roles/{r.id}.md" for r in kit.roles]
        + [f"implement/training/{m.id}.md" for m in kit.modules]
        + [f"forms/{d.id}.md" for d in kit.documents()]
    )
    for path in expected:
        page = page_of(reference_site, path)
        assert page.is_file(), path
    titles = {heading_text(page_of(reference_site, f"forms/{d.id}.md")) for d in kit.documents()}
    assert titles == {d.title for d in kit.documents()}


def heading_text(page: Path) -> str:
    """The page's H1 without MkDocs' permalink sign."""
    heading = parse(page).h1
    for permalink in heading.select("a.headerlink"):
        permalink.decompose()
    return heading.get_text(strip=True)


def test_reference_kit_is_complete_and_large_enough(reference_site: Path, reference_kit) -> None:
    kit = reference_kit
    assert len(kit.goals) >= 5 and len(kit.policies) >= 10 and len(kit.modules) >= 12
    assert len(kit.roles) >= 4 and len(kit.forms) >= 8 and len(kit.surveys) >= 4
    role_plays = [a for m in kit.modules for a in m.activities if a.kind == "role_play"]
    assert len(role_plays) >= 6
    content_pages = [p for p in html_pages(reference_site) if p.name == "index.html"]
    assert (reference_site / "en" / "index.html").is_file()
    assert len(content_pages) >= 45


def test_every_internal_link_resolves(reference_site: Path) -> None:
    site = reference_site / "en"
    broken = []
    for page in html_pages(reference_site):
        if page.name == "404.html":  # served for any missing path, so its links are absolute
            continue
        for anchor in parse(page).find_all("a", href=True):
            href = anchor["href"]
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("#", "mailto:", "tel:")):
                continue
            target = Path(urljoin(page.as_uri(), parsed.path).removeprefix("file://"))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_links_go_both_ways(reference_site: Path, reference_kit) -> None:
    kit = reference_kit
    role = kit.roles[0]
    role_page = parse(page_of(reference_site, f"implement/roles/{role.id}.md"))
    hrefs = {a["href"] for a in role_page.find_all("a", href=True)}
    for module_id in role.training:
        assert f"../../training/{module_id}/" in hrefs
    module = next(m for m in kit.modules if role.id in {r.id for r in kit.roles if m.id in r.training})
    module_page = parse(page_of(reference_site, f"implement/training/{module.id}.md"))
    assert f"../../roles/{role.id}/" in {a["href"] for a in module_page.find_all("a", href=True)}


def test_nothing_is_loaded_from_another_host(reference_site: Path) -> None:
    outside = []
    for page in [*html_pages(reference_site), reference_site / "index.html"]:
        soup = parse(page)
        for tag, attribute in LOADING_ATTRIBUTES.items():
            for element in soup.find_all(tag, attrs={attribute: True}):
                if urlparse(element[attribute]).netloc:
                    outside.append(f"{page.name}: {element[attribute]}")
        for link in soup.find_all("link", href=True):
            if set(link.get("rel", [])) & {"stylesheet", "preload", "preconnect", "icon", "dns-prefetch"}:
                if urlparse(link["href"]).netloc:
                    outside.append(f"{page.name}: {link['href']}")
    for css in (reference_site / "en").rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "@import url(http" not in text, css
    assert outside == []


@pytest.mark.parametrize("kind", ["roles", "policies", "training"])
def test_crisis_route_on_every_mentor_facing_page(reference_site: Path, reference_kit, kind: str) -> None:
    kit = reference_kit
    documents = {"roles": kit.roles, "policies": kit.policies, "training": kit.modules}[kind]
    mentor_facing = [d for d in documents if d.audience == "mentor"]
    assert mentor_facing
    for document in mentor_facing:
        soup = parse(page_of(reference_site, f"implement/{kind}/{document.id}.md"))
        box = soup.select_one(".admonition.danger")
        assert box is not None, document.id
        assert kit.program.crisis.emergency_number in box.get_text()


def test_crisis_numbers_in_banner_on_every_page(reference_site: Path, reference_kit) -> None:
    number = reference_kit.program.crisis.emergency_number
    for page in html_pages(reference_site):
        banner = parse(page).select_one(".kit-crisis")
        assert banner is not None and number in banner.get_text(), page


def test_form_page_lists_every_field(reference_site: Path, reference_kit) -> None:
    for document in reference_kit.documents():
        soup = parse(page_of(reference_site, f"forms/{document.id}.md"))
        names = {code.get_text() for code in soup.select("td code")}
        expected = {f"{section.id}.{field.id}" for section, field in document.all_fields()}
        assert expected <= names, document.id


def test_navigation_follows_the_program_life(reference_site: Path) -> None:
    soup = parse(reference_site / "en" / "index.html")
    tabs = [a.get_text(strip=True) for a in soup.select(".md-tabs__link")]
    assert tabs == ["Overview", "Plan", "Implement", "Assess", "Sustain", "Forms and surveys", "Glossary"]


def test_coordinator_page_has_the_timelines_as_a_checklist(reference_site: Path, reference_kit) -> None:
    coordinator = next(role for role in reference_kit.roles if role.audience == "staff")
    soup = parse(page_of(reference_site, f"implement/roles/{coordinator.id}.md"))
    items = soup.select("li.task-list-item")
    assert len(items) == len(reference_kit.program.timelines)
    first = min(reference_kit.program.timelines, key=lambda t: t.days)
    assert f"Day {first.days}" in items[0].get_text() and first.what in items[0].get_text()
