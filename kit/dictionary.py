"""Describe each form's data: a CSV data dictionary, and an XLSForm of each survey for ODK.

One name ties the printed form, its fillable PDF and the collected data together: the field
name `<section id>.<field id>` (`field_name`). A multiple-choice field is ticked per choice, so
its answers are the columns `<section id>.<field id>.<choice code>`, each 'yes' or 'no'.

In an XLSForm each section is a group and each field a question in it, so the field name
`<section>.<field>` is the submission path `<section>/<field>` (`xlsform_path`). XLSForm names
must be XML names (`xlsform_name`): '-' becomes '_' and a name starting with a digit gets a
leading '_'; `getting-in-touch.contact-made` is `getting_in_touch/contact_made`. Names that
ODK could not tell apart after this mapping are an error.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from kit import model
from kit.errors import KitError, Problem
from kit.render import choices_of, question_numbers
from kit.sources import Sources, format_path

COLUMNS = ["field_name", "question_number", "section", "label", "type", "choices", "required", "identifier", "scale"]
SURVEY_COLUMNS = "type name label hint required relevant appearance constraint constraint_message parameters".split()
XLSFORM_TYPES = {
    "text": "text",
    "long_text": "text",
    "date": "date",
    "phone": "text",
    "email": "text",
    "number": "integer",  # the model has no decimal flag; every number in the kits is a count
    "initials": "text",
    "signature": "image",  # ODK's signature pad: an image with appearance 'signature'
    "single_choice": "select_one",
    "yes_no": "select_one",
    "scale_item": "select_one",
    "multiple_choice": "select_multiple",
}
APPEARANCES = {"long_text": "multiline", "signature": "signature", "scale_item": "likert"}
EMAIL_CHECK = {
    "constraint": r"regex(., '^[^@\s]+@[^@\s]+\.[^@\s]+$')",
    "constraint_message": "Enter an email address, like name@example.org.",
}


def field_name(section: model.Section, field: model.FormField) -> str:
    """The field's name in the data dictionary, the fillable PDF and the collected CSV."""
    return f"{section.id}.{field.id}"


def answer_columns(kit: model.Kit, document: model.Form) -> list[str]:
    """The CSV columns that hold a document's answers: one per field, one per choice of a multiple choice."""
    columns = []
    for section, field in document.all_fields():
        name = field_name(section, field)
        if field.type == "multiple_choice":
            columns += [f"{name}.{choice.code}" for choice in choices_of(kit, field)]
        else:
            columns.append(name)
    return columns


def dictionary_rows(kit: model.Kit, document: model.Form) -> list[dict[str, str]]:
    """One row per field of DOCUMENT, in the order of the printed form."""
    numbers = question_numbers(document)
    rows = []
    for section, field in document.all_fields():
        rows.append(
            {
                "field_name": field_name(section, field),
                "question_number": str(numbers[field.id]),
                "section": section.title,
                "label": field.label,
                "type": field.type,
                "choices": "|".join(f"{choice.code}={choice.label}" for choice in choices_of(kit, field)),
                "required": _yes_no(field.required),
                "identifier": _yes_no(field.identifier),
                "scale": field.scale or "",
            }
        )
    return rows


def write_data_dictionary(kit: model.Kit, document: model.Form, path: str | Path) -> None:
    """Write DOCUMENT's data dictionary to PATH as UTF-8 CSV."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(dictionary_rows(kit, document))


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# --- XLSForm ---------------------------------------------------------------------------


def xlsform_name(name: str) -> str:
    """An XML name for a section, field or list id: 'how-it-went' -> 'how_it_went', '2nd' -> '_2nd'."""
    xml = name.replace("-", "_")
    return f"_{xml}" if xml[:1].isdigit() else xml


def xlsform_path(name: str) -> str:
    """Where a field name's answer sits in an XLSForm submission: 'a-b.c-d' -> 'a_b/c_d'."""
    return "/".join(xlsform_name(part) for part in name.split(".", 1))


def write_xlsform(kit: model.Kit, survey: model.Form, path: str | Path) -> None:
    """Write SURVEY as an XLSForm workbook (survey, choices, settings) for ODK and its kin."""
    survey_rows, lists = _survey_sheet(kit, survey)
    workbook = openpyxl.Workbook()
    _fill(workbook.active, "survey", SURVEY_COLUMNS, survey_rows)
    choice_rows = [{"list_name": name, "name": c.code, "label": c.label} for name, cs in lists.items() for c in cs]
    _fill(workbook.create_sheet(), "choices", ["list_name", "name", "label"], choice_rows)
    settings = {"form_title": survey.title, "form_id": xlsform_name(survey.id), "version": survey.version}
    _fill(workbook.create_sheet(), "settings", list(settings), [settings])
    workbook.save(path)


def _fill(sheet: Worksheet, title: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    sheet.title = title
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])


def _survey_sheet(kit: model.Kit, survey: model.Form) -> tuple[list[dict[str, str]], dict[str, list[model.Choice]]]:
    """The survey sheet's rows and the choice lists they use, by list name."""
    names = _question_names(kit, survey)
    relevant = _relevant_expressions(kit, survey, names)
    credit = " ".join(part for part in (survey.attribution, survey.licence and f"({survey.licence})") if part)
    intro = f"{survey.purpose}\n\n{credit}" if credit else survey.purpose
    rows = [{"type": "note", "name": "_purpose", "label": intro}]
    lists: dict[str, list[model.Choice]] = {}
    for section in survey.sections:
        rows.append({"type": "begin_group", "name": xlsform_name(section.id), "label": section.title})
        if section.intro:
            rows.append({"type": "note", "name": "_intro", "label": section.intro})
        for field in section.fields:
            name = names[field_name(section, field)]
            relevant_here = relevant.get(field_name(section, field), "")
            row = {
                "type": XLSFORM_TYPES[field.type],
                "name": name,
                "label": field.label,
                "hint": field.help or "",
                "required": "yes" if field.required else "",
                "relevant": relevant_here,
                "appearance": APPEARANCES.get(field.type, ""),
            }
            if row["type"].startswith("select_"):
                list_name = _list_name(field, f"{xlsform_name(section.id)}__{name}")
                lists[list_name] = choices_of(kit, field)
                row["type"] = f"{row['type']} {list_name}"
            if field.type == "signature":
                row["parameters"] = "max-pixels=1024"  # ODK's advice: keep signature images small
            if field.type == "email":
                row |= EMAIL_CHECK
            rows.append(row)
        rows.append({"type": "end_group", "name": ""})
    return rows, lists


def _question_names(kit: model.Kit, survey: model.Form) -> dict[str, str]:
    """The XLSForm name of each field name; report names that ODK could not tell apart."""
    problems = []
    for s, earlier, later in _twins([section.id for section in survey.sections]):
        problems.append(_problem(kit, survey, ("sections", s, "id"), _twin_message("sections", earlier, later)))
    for s, section in enumerate(survey.sections):
        for f, earlier, later in _twins([field.id for field in section.fields]):
            place = ("sections", s, "fields", f, "id")
            problems.append(_problem(kit, survey, place, _twin_message("fields", earlier, later)))
    names = {field_name(section, field): xlsform_name(field.id) for section, field in survey.all_fields()}
    count = Counter(names.values())
    for s, section in enumerate(survey.sections):
        for f, field in enumerate(section.fields):
            if field.skip and count[names[field_name(section, field)]] > 1:
                message = f"skip logic refers to '{field.id}' by name, so no other field of the survey may be called so"
                problems.append(_problem(kit, survey, ("sections", s, "fields", f, "id"), message))
    if problems:
        raise KitError(problems)
    return names


def _twins(ids: list[str]) -> list[tuple[int, str, str]]:
    """(index, earlier id, id) for each id whose XLSForm name an earlier id already has."""
    first: dict[str, str] = {}
    twins = []
    for index, id_ in enumerate(ids):
        earlier = first.setdefault(xlsform_name(id_), id_)
        if earlier != id_:
            twins.append((index, earlier, id_))
    return twins


def _twin_message(what: str, earlier: str, later: str) -> str:
    return f"{what} '{earlier}' and '{later}' are both '{xlsform_name(later)}' in an XLSForm; rename one of them"


def _list_name(field: model.FormField, question: str) -> str:
    """Shared lists for scales, vocabulary attributes and yes/no; a list of its own otherwise."""
    if field.scale:
        return f"scale_{xlsform_name(field.scale)}"
    if field.attribute:
        return f"vocabulary_{xlsform_name(field.attribute)}"
    return "yes_no" if field.type == "yes_no" else question


def _relevant_expressions(kit: model.Kit, survey: model.Form, names: dict[str, str]) -> dict[str, str]:
    """Skip logic as 'relevant', by field name: a question between a skip and its target shows unless it applies."""
    fields = [(field, field_name(section, field)) for section, field in survey.all_fields()]
    position = {field.id: index for index, (field, _) in reversed(list(enumerate(fields)))}
    conditions: dict[str, list[str]] = {}
    problems = []
    for index, (field, name) in enumerate(fields):
        if not field.skip:
            continue
        target = position.get(field.skip.to, -1)
        if target <= index:
            message = f"field '{field.id}' skips back to '{field.skip.to}'; a skip may only go forward"
            problems.append(_problem(kit, survey, _place(survey, field, "skip", "to"), message))
            continue
        code, question = _xpath_string(field.skip.when), f"${{{names[name]}}}"
        shown = f"not(selected({question}, {code}))" if field.type == "multiple_choice" else f"{question} != {code}"
        for _, skipped in fields[index + 1 : target]:
            conditions.setdefault(skipped, []).append(shown)
    if problems:
        raise KitError(problems)
    return {name: " and ".join(parts) for name, parts in conditions.items()}


def _xpath_string(text: str) -> str:
    """TEXT as an XPath string literal (XPath 1.0 has no escapes: pick the other quote)."""
    return f'"{text}"' if "'" in text else f"'{text}'"


def _place(document: model.Form, field: model.FormField, *path: str) -> tuple:
    """The YAML path of FIELD (or of PATH inside it) in DOCUMENT."""
    for s, section in enumerate(document.sections):
        for f, candidate in enumerate(section.fields):
            if candidate is field:
                return ("sections", s, "fields", f, *path)
    raise ValueError(f"{field.id} is not a field of {document.id}")


def _problem(kit: model.Kit, document: model.Form, place: tuple, message: str) -> Problem:
    """A problem at a YAML node of DOCUMENT, with its line when the kit kept its sources."""
    sources = kit._sources
    if isinstance(sources, Sources):
        return sources.problem(document.source, place, message)
    return Problem(document.source, 0, 0, format_path(place), message)
