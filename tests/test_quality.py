"""`kit check`'s review: each gap caught in a small kit, reading levels by their formulas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kit.cli import main
from kit.i18n import add_language
from kit.readability import english_syllables, fernandez_huerta, huerta_grade, measure, spanish_syllables


def check(kit: Path, *options: str):
    return CliRunner().invoke(main, ["check", str(kit), *options], catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_flesch_kincaid_grade_follows_the_formula() -> None:
    text = "The cat sat on the mat. It was a very happy cat."
    reading = measure(text, "en")
    assert (reading.sentences, reading.words, reading.syllables) == (2, 12, 14)
    assert reading.grade == round(0.39 * 12 / 2 + 11.8 * 14 / 12 - 15.59, 1)
    assert [english_syllables(w) for w in ("cancer", "mentor", "make", "table", "the")] == [2, 2, 1, 2, 1]


def test_fernandez_huerta_follows_the_formula() -> None:
    text = "Usted puede llamar a su coordinador. Estamos aquí para ayudarle."
    reading = measure(text, "es")
    assert (reading.sentences, reading.words, reading.syllables) == (2, 10, 24)
    assert reading.score == round(206.84 - 0.60 * 240 - 1.02 * 20, 1)
    assert reading.grade == huerta_grade(fernandez_huerta(2, 10, 24))
    assert [spanish_syllables(w) for w in ("día", "poeta", "ciudad", "coordinador")] == [2, 3, 2, 5]
    assert measure("مرحبا بكم.", "ar") is None


def test_clean_minimal_kit(minimal_kit: Path) -> None:
    result = check(minimal_kit)
    assert result.exit_code == 0
    assert "Tiny Peers: 0 errors, 0 warnings" in result.output


def test_competency_nobody_teaches_or_checks(minimal_kit: Path) -> None:
    (minimal_kit / "content/competencies.yml").write_text(
        (minimal_kit / "content/competencies.yml").read_text()
        + "  - id: referral\n    title: Referral\n    description: Knows where to send people.\n"
    )
    result = check(minimal_kit)
    assert result.exit_code == 1
    assert "content/competencies.yml:5: competency 'referral' is taught by no training module" in result.output
    assert "content/competencies.yml:5: competency 'referral' is checked by no assessment" in result.output


def test_module_no_role_requires_is_a_warning(minimal_kit: Path) -> None:
    edit(minimal_kit / "content/roles/mentor.yml", "training: [listening]", "training: []")
    result = check(minimal_kit)
    assert result.exit_code == 0
    assert (
        "content/training/listening.yml:1: warning: no role requires the training module 'listening'" in result.output
    )
    assert check(minimal_kit, "--strict").exit_code == 1


def test_broken_link_in_a_page(minimal_kit: Path) -> None:
    page = minimal_kit / "content/pages/about.md"
    page.write_text(page.read_text() + "\nRead the [policy](../implement/policies/privacy-policy.md).\n")
    result = check(minimal_kit)
    assert result.exit_code == 1
    assert (
        "content/pages/about.md:10: the link '../implement/policies/privacy-policy.md' leads to no page"
        in result.output
    )


def test_template_that_drops_the_crisis_route(minimal_kit: Path) -> None:
    override = minimal_kit / "templates/site/policy.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# {{ policy.title|text }}\n\n{{ policy.purpose|text }}\n")
    result = check(minimal_kit)
    assert result.exit_code == 1
    assert "content/policies/privacy.yml:1: this mentor-facing page does not show the crisis route" in result.output


def test_hard_participant_text_is_listed_with_its_hardest_sentence(minimal_kit: Path) -> None:
    hard = (
        "Notwithstanding institutional considerations, comprehensive psychosocial interventions "
        "necessitate interdisciplinary collaboration among oncological professionals."
    )
    edit(minimal_kit / "content/surveys/feedback.yml", "purpose: Tell us how it went.", f"purpose: {hard}")
    result = check(minimal_kit)
    assert result.exit_code == 0
    assert "content/surveys/feedback.yml:4: warning: [en] reads at grade" in result.output
    assert "above grade 8" in result.output and "Notwithstanding institutional" in result.output
    edit(minimal_kit / "content/program.yml", "languages: [en]", "languages: [en]\nreading_level: 30")
    assert check(minimal_kit).exit_code == 1, "the threshold itself is checked: 3 to 16"


def test_threshold_comes_from_the_program(minimal_kit: Path) -> None:
    edit(minimal_kit / "content/program.yml", "languages: [en]", "languages: [en]\nreading_level: 3")
    edit(
        minimal_kit / "content/surveys/feedback.yml",
        "purpose: Tell us how it went.",
        "purpose: Tell us how the program helped you and your family during treatment.",
    )
    result = check(minimal_kit)
    assert "above grade 3" in result.output


def test_language_without_a_formula_is_named_unchecked(minimal_kit: Path) -> None:
    add_language(minimal_kit, "ar")
    result = check(minimal_kit)
    assert "[ar] reading level not checked: kit has no formula for this language" in result.output


@pytest.mark.parametrize("broken", [False, True])
def test_json_report(minimal_kit: Path, broken: bool) -> None:
    if broken:
        edit(minimal_kit / "content/roles/mentor.yml", "training: [listening]", "training: [listenin]")
    result = check(minimal_kit, "--format", "json")
    report = json.loads(result.output)
    assert report["errors"] == (1 if broken else 0)
    assert result.exit_code == (1 if broken else 0)
    if broken:
        finding = next(f for f in report["findings"] if f["level"] == "error")
        assert finding["file"] == "content/roles/mentor.yml" and finding["line"] == 9
