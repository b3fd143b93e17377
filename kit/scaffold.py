"""`kit new`: a complete starter kit from an archetype, made for one program's name, country and languages."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from kit.catalogs import check_language_code
from kit.errors import KitError, did_you_mean

ARCHETYPES = Path(__file__).parent / "archetypes"
COUNTRIES = Path(__file__).parent / "data" / "countries.yml"
KIT_PARTS = ("content", "translations", "templates", "mkdocs.yml")


@dataclass
class NewKit:
    """What the coordinator asked for."""

    archetype: str
    name: str
    organization: str
    country: str
    languages: list[str]


def archetypes() -> dict[str, str]:
    """Every archetype shipped with kit, with its one-line description."""
    found = {}
    for folder in sorted(ARCHETYPES.iterdir()):
        about = folder / "about.txt"
        if (folder / "content").is_dir():
            found[folder.name] = about.read_text(encoding="utf-8").strip() if about.exists() else ""
    return found


def countries() -> dict[str, dict[str, str]]:
    return YAML(typ="safe").load(COUNTRIES.read_text(encoding="utf-8"))


def create_kit(target: Path, request: NewKit, force: bool = False) -> list[str]:
    """Write a new kit into TARGET; return the files written. Nothing is written if anything is wrong."""
    country = _checked_request(request)
    existing = _refuse_to_overwrite(target, force)
    with tempfile.TemporaryDirectory(prefix=".kit-new-", dir=target.parent if target.parent.exists() else None) as work:
        staging = Path(work) / "kit"
        _copy_archetype(ARCHETYPES / request.archetype, staging)
        source_language = _adapt_program(staging, request, country)
        _localise_numbers(staging, country)
        _add_languages(staging, [code for code in request.languages if code != source_language])
        _write_editor_support(staging)
        (staging / ".gitignore").write_text("site/\n.kit-cache/\n*.mo\n", encoding="utf-8")
        from kit.validate import load_kit

        load_kit(staging)
        written = sorted(str(path.relative_to(staging)) for path in staging.rglob("*") if path.is_file())
        replaced = [name for name in written if name in existing]
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, target, dirs_exist_ok=True)
    return [f"{name} (replaced)" if name in replaced else name for name in written]


def _checked_request(request: NewKit) -> dict[str, str]:
    """Refuse an unknown archetype, country or language, saying what is known."""
    known = archetypes()
    if request.archetype not in known:
        hint = did_you_mean(request.archetype, known)
        raise KitError(f"no archetype '{request.archetype}'{hint}; choose one of: {', '.join(known)}")
    table = countries()
    code = request.country.upper()
    if code not in table:
        raise KitError(f"kit has no numbers for country '{request.country}'; known countries: {', '.join(table)}")
    for language in request.languages:
        check_language_code(language)
    for label, value in (("--name", request.name), ("--organization", request.organization)):
        if not value.strip():
            raise KitError(f"{label} must not be empty")
    return {**table[code], "code": code}


def _refuse_to_overwrite(target: Path, force: bool) -> set[str]:
    """The files already in TARGET; refuse a non-empty folder unless FORCE."""
    if target.exists() and not target.is_dir():
        raise KitError(f"{target} is a file; choose a folder name for the new kit")
    existing = {str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()} if target.exists() else set()
    if existing and not force:
        raise KitError(
            f"{target} already has files in it; choose an empty folder, or add --force to write the kit "
            "into it (files with the same names are replaced, others are kept)"
        )
    return existing


def _copy_archetype(archetype: Path, staging: Path) -> None:
    staging.mkdir(parents=True)
    for part in KIT_PARTS:
        source = archetype / part
        if source.is_dir():
            shutil.copytree(source, staging / part, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        elif source.is_file():
            shutil.copy2(source, staging / part)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _adapt_program(staging: Path, request: NewKit, country: dict[str, str]) -> str:
    """Put the program's own name, organization, country, paper and languages in program.yml."""
    path = staging / "content" / "program.yml"
    yaml = _yaml()
    program = yaml.load(path.read_text(encoding="utf-8"))
    source_language = program["languages"][0]
    program["name"] = request.name
    program["organization"] = request.organization
    program["country"] = country["code"]
    program["paper"] = country["paper"]
    if country["code"] != "US":
        program["crisis"]["lines"][:] = [{"name": country["line"], "number": country["line_number"]}]
    kept = [code for code in program["languages"] if code in request.languages or code == source_language]
    program["languages"][:] = kept
    if "draft_languages" in program:
        program["draft_languages"][:] = [code for code in program["draft_languages"] if code in kept]
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(program, handle)
    _drop_unused_translations(staging, kept)
    return source_language


def _drop_unused_translations(staging: Path, languages: list[str]) -> None:
    folder = staging / "translations"
    if folder.is_dir():
        for language in folder.iterdir():
            if language.name not in languages:
                shutil.rmtree(language)


ARCHETYPE_NUMBERS = re.compile(r"\b(911|988)\b")


def _localise_numbers(staging: Path, country: dict[str, str]) -> None:
    """Swap the archetype's US emergency (911) and crisis (988) numbers for the country's, everywhere at once."""
    numbers = {"911": country["emergency"], "988": country["line_number"]}
    files = [staging / "content" / "program.yml", *sorted((staging / "translations").rglob("*.po"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        path.write_text(ARCHETYPE_NUMBERS.sub(lambda match: numbers[match.group(1)], text), encoding="utf-8")


def _add_languages(staging: Path, languages: list[str]) -> None:
    """Languages the archetype has no catalogs for get empty ones, ready for a translator."""
    from kit.catalogs import catalog_path
    from kit.i18n import add_language

    for language in languages:
        if not catalog_path(staging, language, "content").exists():
            add_language(staging, language)


def _write_editor_support(staging: Path) -> None:
    """JSON Schemas and VS Code settings, so the editor completes and checks the YAML."""
    from kit.schema import write_editor_settings, write_schemas

    write_schemas(staging / "schemas")
    write_editor_settings(staging)
