"""One bad kit per failure mode: each gives exactly the expected problems, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kit import KitError, load_kit
from tests.conftest import DATA

BAD_CASES = sorted(path for path in (DATA / "bad").iterdir() if path.is_dir())


def overlay(case: Path, kit: Path) -> None:
    """Put the case's broken files over a copy of the minimal kit."""
    shutil.copytree(case, kit, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt", "remove.txt"))
    removals = case / "remove.txt"
    if removals.exists():
        for name in removals.read_text().split():
            (kit / name).unlink()


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.name for case in BAD_CASES])
def test_bad_kit_reports_expected_problems(case: Path, minimal_kit: Path) -> None:
    overlay(case, minimal_kit)
    with pytest.raises(KitError) as raised:
        load_kit(minimal_kit)
    reported = [str(problem) for problem in raised.value.problems]
    assert reported == (case / "expect.txt").read_text().splitlines()


def test_minimal_kit_loads(minimal_kit: Path) -> None:
    kit = load_kit(minimal_kit)
    assert kit.program.name == "Tiny Peers"
    assert [role.id for role in kit.roles] == ["mentor"]


def test_every_problem_is_reported_in_one_run(minimal_kit: Path) -> None:
    for case in ("bad-reference", "bad-choice-of-value", "wrong-type", "syntax-error"):
        overlay(DATA / "bad" / case, minimal_kit)
    with pytest.raises(KitError) as raised:
        load_kit(minimal_kit)
    files = {problem.file for problem in raised.value.problems}
    assert files == {
        "content/roles/mentor.yml",
        "content/policies/privacy.yml",
        "content/training/listening.yml",
        "content/forms/contact-log.yml",
    }


def test_a_document_that_fails_still_counts_as_existing(minimal_kit: Path) -> None:
    """A broken module file must not also make every reference to it look wrong."""
    overlay(DATA / "bad" / "wrong-type", minimal_kit)
    with pytest.raises(KitError) as raised:
        load_kit(minimal_kit)
    assert all("no training module" not in problem.message for problem in raised.value.problems)


def test_stray_yaml_extension_is_reported(minimal_kit: Path) -> None:
    (minimal_kit / "content/forms/contact-log.yml").rename(minimal_kit / "content/forms/contact-log.yaml")
    with pytest.raises(KitError) as raised:
        load_kit(minimal_kit)
    messages = [str(problem) for problem in raised.value.problems]
    assert "content/forms/contact-log.yaml: content files end in '.yml'; rename this file to use it" in messages


def test_no_content_folder(tmp_path: Path) -> None:
    with pytest.raises(KitError, match="no 'content' folder here"):
        load_kit(tmp_path)
