"""Translators' commands: add a language, merge new source texts into every catalog, report progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from ruamel.yaml import YAML

from kit.catalogs import (
    DOMAINS,
    all_problems,
    catalog_path,
    check_language_code,
    is_translated,
    new_catalog,
    read_catalog,
    write_catalog,
)
from kit.errors import KitError
from kit.extract import content_catalog, interface_catalog
from kit.validate import load_kit


def templates(project: Path) -> dict[str, Catalog]:
    """Fresh catalog templates of both domains, from the sources as they are now."""
    return {"messages": interface_catalog(project), "content": content_catalog(project)}


def add_language(project: Path, language: str, draft: bool = False) -> list[Path]:
    """Create LANGUAGE's catalogs and add it to program.yml; refuse to overwrite existing catalogs."""
    check_language_code(language)
    kit = load_kit(project)
    if language == kit.program.languages[0]:
        raise KitError(f"'{language}' is the language the content is written in; it needs no translation")
    existing = [catalog_path(project, language, domain) for domain in DOMAINS]
    if any(path.exists() for path in existing):
        raise KitError(f"translations/{language}/ already has catalogs; run 'kit i18n update' to refresh them")
    written = []
    for domain, template in templates(project).items():
        path = catalog_path(project, language, domain)
        write_catalog(new_catalog(template, language), path)
        written.append(path)
    _add_to_program(project, language, draft)
    return written


def _add_to_program(project: Path, language: str, draft: bool) -> None:
    """Add LANGUAGE to program.yml's languages, keeping the file's comments and layout."""
    path = project / "content" / "program.yml"
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    tree = yaml.load(path.read_text(encoding="utf-8"))
    if language not in tree["languages"]:
        tree["languages"].append(language)
    if draft:
        drafts = tree.setdefault("draft_languages", [])
        if language not in drafts:
            drafts.append(language)
    partial = path.with_suffix(".yml.partial")
    with partial.open("w", encoding="utf-8") as handle:
        yaml.dump(tree, handle)
    partial.replace(path)


def update_catalogs(project: Path) -> dict[str, dict[str, int]]:
    """Merge the current sources into every catalog: changed texts go fuzzy, removed ones obsolete.

    Returns, per language, how many entries are new, fuzzy and obsolete after the merge.
    """
    kit = load_kit(project)
    fresh = templates(project)
    languages = [code for code in kit.program.languages[1:]]
    loaded = {(code, domain): read_catalog(project, code, domain) for code in languages for domain in DOMAINS}
    problems = all_problems(loaded.values())
    if problems:
        raise KitError(problems)
    summary = {}
    for code in languages:
        counts = {"new": 0, "fuzzy": 0, "obsolete": 0}
        for domain in DOMAINS:
            catalog = loaded[(code, domain)].catalog or new_catalog(Catalog(), code)
            before = {message.id for message in catalog if message.id}
            earlier = {(m.id, m.context): m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
            catalog.update(fresh[domain], update_header_comment=False, keep_user_comments=True)
            for message in catalog:
                if message.fuzzy and not message.previous_id and (message.id, message.context) in earlier:
                    message.previous_id = earlier[(message.id, message.context)]
            counts["new"] += sum(1 for m in catalog if m.id and m.id not in before and not m.fuzzy)
            counts["fuzzy"] += sum(1 for m in catalog if m.id and m.fuzzy)
            counts["obsolete"] += len(catalog.obsolete)
            write_catalog(catalog, catalog_path(project, code, domain))
        summary[code] = counts
    return summary


@dataclass
class Progress:
    """Counts of one language, or one document of it."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    documents: dict[str, Progress] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.translated / self.total

    def count(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)


def status(project: Path) -> dict[str, Progress]:
    """Per language and per document: translated, fuzzy and untranslated entries, counted one per entry."""
    kit = load_kit(project)
    report = {}
    for code in kit.program.languages[1:]:
        progress = Progress()
        for domain in DOMAINS:
            loaded = read_catalog(project, code, domain)
            if loaded.problems:
                raise KitError(loaded.problems)
            for message in loaded.catalog or []:
                if not message.id:
                    continue
                state = "translated" if is_translated(message) else ("fuzzy" if message.fuzzy else "untranslated")
                progress.count(state)
                document = message.locations[0][0] if message.locations else domain
                if domain == "messages":
                    document = "interface"
                progress.documents.setdefault(document, Progress()).count(state)
        report[code] = progress
    return report
