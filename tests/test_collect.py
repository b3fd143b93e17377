"""Filled PDFs back to CSV: real fillable PDFs, filled by pypdf as a viewer would, read by `collect`."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfWriter
from weasyprint import HTML

from kit import KitError, Problem, load_kit, model
from kit.collect import SOURCE_COLUMNS, collect, pdf_identity
from kit.dictionary import answer_columns, field_name
from kit.render import choices_of

RADIO_TYPES = ("single_choice", "yes_no", "scale_item")
EXTRA_FIELDS = """
      - id: calls
        label: Calls this week
        type: single_choice
        choices:
          - {code: "0", label: None}
          - {code: "1", label: One}
          - {code: 2-or-more, label: Two or more}
      - id: topics
        label: What you talked about
        type: multiple_choice
        choices:
          - {code: sleep, label: Sleep}
          - {code: work, label: Work}
          - {code: family, label: Family}
"""
LOG_ANSWERS = {
    "contact.date": "2024-05-01",
    "contact.mode": "video",
    "contact.concern": "yes",
    "contact.what": "Talked about sleep, café and naïve worries.\nA second line.",
    "contact.calls": "1",
    "contact.topics.sleep": "yes",
    "contact.topics.family": "yes",
}


@pytest.fixture
def kit(minimal_kit: Path) -> model.Kit:
    """The minimal kit, its contact log given a multiple choice and choice codes that look like indexes."""
    with open(minimal_kit / "content/forms/contact-log.yml", "a", encoding="utf-8") as file:
        file.write(EXTRA_FIELDS)
    return load_kit(minimal_kit)


def fillable_pdf(kit: model.Kit, document: model.Form, path: Path, repaired: bool = True) -> Path:
    """A fillable PDF of DOCUMENT named by the contract (not by kit/pdf.py), as WeasyPrint writes it or repaired."""
    controls = []
    for section, form_field in document.all_fields():
        name, label = field_name(section, form_field), html.escape(form_field.label)
        choices = choices_of(kit, form_field)
        if form_field.type == "multiple_choice":
            controls += [f'<label><input type="checkbox" name="{name}.{c.code}">{c.label}</label>' for c in choices]
        elif form_field.type in RADIO_TYPES:
            controls += [
                f'<label><input type="radio" name="{name}" value="{c.code}">{c.label}</label>' for c in choices
            ]
        elif form_field.type == "long_text":
            controls.append(f'<label>{label}<textarea name="{name}"></textarea></label>')
        else:
            controls.append(f'<label>{label}<input type="text" name="{name}"></label>')
    page = f"<html lang='en'><title>{document.title}</title><form>{'<br>'.join(controls)}</form></html>"
    rendered = HTML(string=page).render(pdf_forms=True)
    rendered.metadata.custom.update(pdf_identity(document))
    data = rendered.write_pdf(pdf_forms=True, custom_metadata=True)
    path.write_bytes(_repaired(data) if repaired else data)
    return path


def _repaired(data: bytes) -> bytes:
    """The repair PDF-NOTES prescribes: radio widgets leave /AcroForm /Fields and lose their /T."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fields = pdf.Root.AcroForm.Fields
        for widget in [pdf_field for pdf_field in fields if "/Parent" in pdf_field]:
            del widget["/T"]
        pdf.Root.AcroForm.Fields = pikepdf.Array([pdf_field for pdf_field in fields if "/Parent" not in pdf_field])
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def fill(kit: model.Kit, document: model.Form, path: Path, answers: dict[str, str], states_are_codes: bool) -> None:
    """Fill the PDF with pypdf: text as typed, a radio button by its on-state, a ticked checkbox with /on."""
    values = {}
    for section, form_field in document.all_fields():
        name = field_name(section, form_field)
        codes = [choice.code for choice in choices_of(kit, form_field)]
        if form_field.type in RADIO_TYPES and name in answers:
            values[name] = f"/{answers[name]}" if states_are_codes else f"/{codes.index(answers[name])}"
        elif form_field.type == "multiple_choice":
            values |= {f"{name}.{code}": "/on" for code in codes if answers.get(f"{name}.{code}") == "yes"}
        elif name in answers:
            values[name] = answers[name]
    writer = PdfWriter(clone_from=path)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(path)


def expected_row(kit: model.Kit, document: model.Form, path: Path, answers: dict[str, str]) -> dict[str, str]:
    """The CSV row a filled PDF gives: what was filled in, '' for blanks, 'no' for unticked boxes."""
    row = dict(zip(SOURCE_COLUMNS, (str(path), document.id, document.version), strict=True))
    for column in answer_columns(kit, document):
        ticked = column not in [field_name(s, f) for s, f in document.all_fields()]
        row[column] = answers.get(column, "no" if ticked else "")
    return row


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize("repaired", [False, True], ids=["as-weasyprint-writes-it", "repaired"])
def test_round_trip(kit: model.Kit, tmp_path: Path, repaired: bool) -> None:
    log = kit.forms[0]
    full = fillable_pdf(kit, log, tmp_path / "full.pdf", repaired)
    fill(kit, log, full, LOG_ANSWERS, states_are_codes=False)
    blank = fillable_pdf(kit, log, tmp_path / "blank.pdf", repaired)
    result = collect(kit, [full, blank], tmp_path / "log.csv")
    assert (result.document.id, result.rows, result.problems) == ("contact-log", 2, [])
    assert read_csv(tmp_path / "log.csv") == [
        expected_row(kit, log, full, LOG_ANSWERS),
        expected_row(kit, log, blank, {}),
    ]


def test_scale_answers_are_codes(kit: model.Kit, tmp_path: Path) -> None:
    feedback = kit.surveys[0]
    pdf = fillable_pdf(kit, feedback, tmp_path / "feedback.pdf")
    fill(kit, feedback, pdf, {"experience.listened": "3"}, states_are_codes=False)
    collect(kit, [pdf], tmp_path / "feedback.csv")
    assert read_csv(tmp_path / "feedback.csv")[0]["experience.listened"] == "3"


def test_other_form_is_reported_and_not_mixed_in(kit: model.Kit, tmp_path: Path) -> None:
    log, feedback = kit.forms[0], kit.surveys[0]
    first, second = fillable_pdf(kit, log, tmp_path / "a.pdf"), fillable_pdf(kit, log, tmp_path / "c.pdf")
    survey = fillable_pdf(kit, feedback, tmp_path / "b.pdf")
    result = collect(kit, [first, survey, second], tmp_path / "log.csv")
    assert [row["source_file"] for row in read_csv(tmp_path / "log.csv")] == [str(first), str(second)]
    message = "this PDF is the 'feedback' survey version 1.0, not 'contact-log' version 1.0"
    assert result.problems == [Problem(str(survey), 0, 0, "", message)]


def test_other_version_is_reported(kit: model.Kit, tmp_path: Path) -> None:
    log = kit.forms[0]
    current = fillable_pdf(kit, log, tmp_path / "current.pdf")
    old = fillable_pdf(kit, log.model_copy(update={"version": "0.9"}), tmp_path / "old.pdf")
    result = collect(kit, [current, old], tmp_path / "log.csv")
    assert result.rows == 1
    assert [str(problem) for problem in result.problems] == [
        f"{old}: this PDF is the 'contact-log' form version 0.9, not 'contact-log' version 1.0; "
        "collect it with the kit it was made from"
    ]


def test_first_pdf_of_an_old_version_does_not_choose_it(kit: model.Kit, tmp_path: Path) -> None:
    """The kit can read only its own version of a form: an old first PDF is reported like any other."""
    log = kit.forms[0]
    old = fillable_pdf(kit, log.model_copy(update={"version": "0.9"}), tmp_path / "old.pdf")
    current = fillable_pdf(kit, log, tmp_path / "current.pdf")
    result = collect(kit, [old, current], tmp_path / "log.csv")
    assert (result.rows, [problem.file for problem in result.problems]) == (1, [str(old)])


def test_files_that_are_not_peerkit_forms_are_reported(kit: model.Kit, tmp_path: Path) -> None:
    good = fillable_pdf(kit, kit.forms[0], tmp_path / "good.pdf")
    (tmp_path / "plain.pdf").write_bytes(HTML(string="<p>Hello</p>").write_pdf())
    (tmp_path / "notes.pdf").write_text("Not a PDF at all.\n")
    (tmp_path / "broken.pdf").write_bytes(good.read_bytes()[:400])
    stranger = kit.forms[0].model_copy(update={"id": "intake"})
    fillable_pdf(kit, stranger, tmp_path / "stranger.pdf")
    names = ["plain.pdf", "notes.pdf", "broken.pdf", "stranger.pdf", "missing.pdf", "good.pdf"]
    result = collect(kit, [tmp_path / name for name in names], tmp_path / "log.csv")
    assert result.rows == 1
    messages = {Path(problem.file).name: problem.message for problem in result.problems}
    assert messages.keys() == set(names) - {"good.pdf"}
    assert messages["plain.pdf"].startswith("this PDF is not a peerkit form (it has no /PeerkitDocument entry)")
    assert messages["notes.pdf"] == "this file is not a PDF; give the filled-in PDF forms"
    assert messages["broken.pdf"].startswith("this file cannot be read as a PDF (")
    assert messages["stranger.pdf"] == "this PDF is the 'intake' form version 1.0, which this kit does not have"
    assert messages["missing.pdf"] == "no such file"


def test_caller_chooses_the_document(kit: model.Kit, tmp_path: Path) -> None:
    log = fillable_pdf(kit, kit.forms[0], tmp_path / "log.pdf")
    feedback = fillable_pdf(kit, kit.surveys[0], tmp_path / "feedback.pdf")
    result = collect(kit, [log, feedback], tmp_path / "out.csv", document_id="feedback")
    assert (result.document.id, result.rows, [p.file for p in result.problems]) == ("feedback", 1, [str(log)])
    with pytest.raises(KitError, match=r"this kit has no form or survey 'feedbak' \(did you mean 'feedback'\?\)"):
        collect(kit, [log], tmp_path / "out.csv", document_id="feedbak")


def test_nothing_to_collect_is_an_error(kit: model.Kit, tmp_path: Path) -> None:
    with pytest.raises(KitError, match="no PDF files given; nothing to collect"):
        collect(kit, [], tmp_path / "out.csv")
    (tmp_path / "notes.pdf").write_text("Not a PDF at all.\n")
    with pytest.raises(KitError) as caught:
        collect(kit, [tmp_path / "notes.pdf"], tmp_path / "out.csv")
    assert (
        caught.value.report()
        == f"{tmp_path / 'notes.pdf'}: this file is not a PDF; give the filled-in PDF forms\n1 problem found."
    )
    assert not (tmp_path / "out.csv").exists()


def test_real_pdfs_round_trip(kit: model.Kit, tmp_path: Path) -> None:
    """The PDFs kit/pdf.py renders, filled in and collected again."""
    from kit import pdf

    pdf.render_document_pdfs(kit, Path(kit.root), tmp_path / "pdfs", workers=1)
    answers = {"contact-log": LOG_ANSWERS, "feedback": {"experience.listened": "2"}}
    for document in kit.documents():
        path = tmp_path / "pdfs" / f"{document.id}.pdf"
        fill(kit, document, path, answers[document.id], states_are_codes=True)
        result = collect(kit, [path], tmp_path / f"{document.id}.csv")
        assert result.problems == []
        assert read_csv(tmp_path / f"{document.id}.csv") == [expected_row(kit, document, path, answers[document.id])]


def test_collect_command_reports_a_wrong_form_and_exits_1(kit: model.Kit, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kit import pdf
    from kit.cli import main

    pdf.render_document_pdfs(kit, Path(kit.root), tmp_path / "pdfs", workers=1)
    log, feedback = tmp_path / "pdfs" / "contact-log.pdf", tmp_path / "pdfs" / "feedback.pdf"
    fill(kit, kit.forms[0], log, LOG_ANSWERS, states_are_codes=True)
    out = tmp_path / "answers.csv"
    result = CliRunner().invoke(main, ["collect", str(log), str(feedback), "-o", str(out), "--kit", kit.root])
    assert result.exit_code == 1
    assert "Wrote 1 rows of 'contact-log'" in result.output
    assert f"skipped {feedback}" in result.output
    assert len(read_csv(out)) == 1
