"""`kit new` makes kits that build as generated; `kit schema` describes every content file."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from kit.cli import main
from kit.scaffold import archetypes
from kit.schema import schemas
from tests.conftest import ROOT, parse


def run(*arguments: str):
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def new(target: Path, *extra: str, archetype: str = "oncology-mentoring", country: str = "US"):
    """`kit new` with a made-up name and organization."""
    return run(
        "new", str(target), "--from", archetype, "--name", "X", "--organization", "Y", "--country", country, *extra
    )


def test_list_names_at_least_three_archetypes() -> None:
    result = run("new", "--list")
    assert result.exit_code == 0
    names = [line.split(":", 1)[0] for line in result.output.splitlines()]
    assert {"oncology-mentoring", "caregiver-mentoring", "group-support"} <= set(names)


@pytest.mark.parametrize("archetype", sorted(archetypes()))
def test_every_archetype_builds_as_generated_in_two_languages(tmp_path: Path, archetype: str) -> None:
    target = tmp_path / "our-program"
    result = run(
        "new",
        str(target),
        "--from",
        archetype,
        "--name",
        "Harbor Light Peers",
        "--organization",
        "Northside Clinic",
        "--country",
        "ES",
        "--language",
        "en",
        "--language",
        "es",
    )
    assert result.exit_code == 0, result.output
    assert run("check", str(target)).exit_code == 0
    built = run("build", str(target))
    assert built.exit_code == 0, built.output
    for language in ("en", "es"):
        home = parse(target / "site" / language / "index.html")
        assert "Harbor Light Peers" in home.get_text()
        assert "Northside Clinic" in home.get_text()
        banner = home.select_one(".kit-crisis").get_text()
        assert "112" in banner and "024" in banner, "Spain's emergency and crisis numbers"
    program = (target / "content/program.yml").read_text()
    assert "911" not in program and "988" not in program
    assert "paper: a4" in program


def test_new_refuses_a_folder_with_files_and_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = new(target)
    assert result.exit_code == 1
    assert "already has files in it" in result.output and "--force" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    forced = new(target, "--force")
    assert forced.exit_code == 0
    assert (target / "notes.txt").read_text() == "keep me"


def test_unknown_country_and_archetype_list_what_is_known(tmp_path: Path) -> None:
    result = new(tmp_path / "a", country="ZZ")
    assert result.exit_code == 1 and "known countries: US, CA, GB" in result.output
    result = new(tmp_path / "b", archetype="oncology-mentor")
    assert result.exit_code == 1 and "did you mean 'oncology-mentoring'" in result.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def _plain(value):
    """YAML dates as the ISO text a JSON validator expects."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def test_schemas_validate_the_reference_kit(tmp_path: Path) -> None:
    assert run("schema", str(tmp_path)).exit_code == 0
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text())
    yaml = YAML(typ="safe")
    checked = 0
    for name, (pattern, _) in schemas().items():
        schema = json.loads((tmp_path / "schemas" / f"{name}.schema.json").read_text())
        assert settings["yaml.schemas"][f"./schemas/{name}.schema.json"] == pattern
        for path in sorted(ROOT.glob(pattern)):
            jsonschema.validate(_plain(yaml.load(path.read_text())), schema)
            checked += 1
    assert checked >= 45


def test_schema_rejects_what_kit_check_rejects() -> None:
    role_schema = schemas()["role"][1]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "Mentor", "audience": "mentors"}, role_schema)
    assert "description" in role_schema["properties"]["training"]
