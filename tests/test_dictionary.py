"""The data dictionary and the XLSForm: every YAML field once, identifiers flagged, forms ODK accepts."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pyxform.xls2xform import convert
from ruamel.yaml import YAML

from kit import KitError, load_kit
from kit.dictionary import COLUMNS, dictionary_rows, write_data_dictionary, write_xlsform, xlsform_path
from kit.model import FormField, Skip
from tests.conftest import DATA, ROOT

JAVA = shutil.which("java") is not None  # ODK Validate (shipped with pyxform) runs on Java
XFORMS = "{http://www.w3.org/2002/xforms}"


def yaml_fields(kit_root: Path, source: str) -> list[dict]:
    """The fields of a form as its YAML file lists them, read without kit's loader."""
    data = YAML(typ="safe").load((kit_root / source).read_text(encoding="utf-8"))
    return [{"section": section["id"], **field} for section in data["sections"] for field in section["fields"]]


@pytest.fixture(scope="module")
def minimal():
    return load_kit(DATA / "minimal")


def test_rows_equal_the_yaml_fields_one_for_one(minimal, reference_kit) -> None:
    for kit, root in ((minimal, DATA / "minimal"), (reference_kit, ROOT)):
        for document in kit.documents():
            rows = dictionary_rows(kit, document)
            fields = yaml_fields(root, document.source)
            assert [row["field_name"] for row in rows] == [f"{f['section']}.{f['id']}" for f in fields]
            assert [row["label"] for row in rows] == [f["label"] for f in fields]
            assert [row["type"] for row in rows] == [f["type"] for f in fields]
            assert [row["required"] for row in rows] == ["yes" if f.get("required") else "no" for f in fields]
            assert [row["question_number"] for row in rows] == [str(n) for n in range(1, len(fields) + 1)]


def test_identifiers_are_flagged(reference_kit) -> None:
    flagged = 0
    for document in reference_kit.documents():
        fields = yaml_fields(ROOT, document.source)
        rows = dictionary_rows(reference_kit, document)
        assert [row["identifier"] for row in rows] == ["yes" if f.get("identifier") else "no" for f in fields]
        flagged += sum(row["identifier"] == "yes" for row in rows)
    assert flagged > 0, "the reference kit's forms ask for names and phone numbers"


def test_choices_carry_their_codes(minimal) -> None:
    log, feedback = minimal.documents()
    rows = {row["field_name"]: row for row in dictionary_rows(minimal, log) + dictionary_rows(minimal, feedback)}
    assert rows["contact.mode"]["choices"] == "phone=Phone|video=Video"
    assert rows["contact.concern"]["choices"] == "yes=Yes|no=No"
    assert rows["contact.notes"]["choices"] == ""
    assert rows["experience.listened"]["choices"] == "1=Disagree|2=Not sure|3=Agree"
    assert rows["experience.listened"]["scale"] == "agree-3"


def test_csv_holds_the_rows(minimal, tmp_path: Path) -> None:
    document = minimal.documents()[0]
    write_data_dictionary(minimal, document, tmp_path / "dictionary.csv")
    with open(tmp_path / "dictionary.csv", encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == COLUMNS
        assert list(reader) == dictionary_rows(minimal, document)


def convert_strictly(path: Path) -> dict[str, str]:
    """Convert an XLSForm with pyxform (and ODK Validate when Java is here), failing on any warning.

    Return each question's 'relevant' expression (spaces tidied), by the question's path.
    """
    warnings: list[str] = []
    xform = ElementTree.fromstring(convert(path, warnings=warnings, validate=JAVA).xform)
    assert warnings == []
    return {bind.get("nodeset"): " ".join(bind.get("relevant", "").split()) for bind in xform.iter(f"{XFORMS}bind")}


def surveys_to_convert() -> list:
    return [pytest.param("minimal", "feedback", id="minimal-feedback")] + [
        pytest.param("reference", path.stem, id=path.stem) for path in sorted((ROOT / "content/surveys").glob("*.yml"))
    ]


@pytest.mark.parametrize(("which", "survey_id"), surveys_to_convert())
def test_xlsform_converts(which: str, survey_id: str, minimal, reference_kit, tmp_path: Path) -> None:
    kit = minimal if which == "minimal" else reference_kit
    survey = next(survey for survey in kit.surveys if survey.id == survey_id)
    write_xlsform(kit, survey, tmp_path / f"{survey_id}.xlsx")
    relevant = convert_strictly(tmp_path / f"{survey_id}.xlsx")
    questions = [f"/data/{xlsform_path(row['field_name'])}" for row in dictionary_rows(kit, survey)]
    assert [path for path in relevant if path in questions] == questions
    skipping = [field for _, field in survey.all_fields() if field.skip]
    assert sum(bool(expression) for expression in relevant.values()) >= len(skipping)


def test_skip_logic_becomes_relevant(minimal, tmp_path: Path) -> None:
    """contact-log skips from 'concern' (when 'no') to 'notes': only 'what' lies between."""
    write_xlsform(minimal, minimal.forms[0], tmp_path / "log.xlsx")
    relevant = convert_strictly(tmp_path / "log.xlsx")
    assert relevant["/data/contact/what"] == "/data/contact/concern != 'no'"
    assert relevant["/data/contact/concern"] == relevant["/data/contact/notes"] == ""


def test_backward_skip_is_reported_at_its_line() -> None:
    kit = load_kit(DATA / "minimal")
    kit.forms[0].sections[0].fields[3].skip = Skip(when="no", to="date")
    with pytest.raises(KitError) as caught:
        write_xlsform(kit, kit.forms[0], Path("unused.xlsx"))
    assert "content/forms/contact-log.yml:" in caught.value.report()
    assert "field 'what' skips back to 'date'; a skip may only go forward" in caught.value.report()


def test_names_odk_cannot_tell_apart_are_reported() -> None:
    kit = load_kit(DATA / "minimal")
    kit.forms[0].sections[0].fields.append(FormField(id="no-tes", label="More notes", type="text"))
    kit.forms[0].sections[0].fields.append(FormField(id="no_tes", label="Even more", type="text"))
    with pytest.raises(KitError, match="fields 'no-tes' and 'no_tes' are both 'no_tes' in an XLSForm"):
        write_xlsform(kit, kit.forms[0], Path("unused.xlsx"))
