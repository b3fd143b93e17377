"""Read filled-in PDF forms back into a CSV: one row per PDF, in the data dictionary's columns.

Each PDF names the form it is in its document information: the entry /PeerkitDocument holds
'<document id>@<version>' (`pdf_identity`). Only PDFs of one document and of the version the kit
has now are collected; every other file is reported, never mixed in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from kit import model
from kit.dictionary import answer_columns
from kit.errors import KitError, Problem, did_you_mean

IDENTITY_KEY = "PeerkitDocument"
"""The document-information key (written /PeerkitDocument) that says which form a PDF is."""
SOURCE_COLUMNS = ["source_file", "document_id", "version"]
NOTHING = Problem("", 0, 0, "", "no PDF files given; nothing to collect")
RADIO = 1 << 15  # /Ff bit 16: the button is a radio button
PUSH_BUTTON = 1 << 16


def pdf_identity(document: model.Form) -> dict[str, str]:
    """The document-information entries every PDF of DOCUMENT carries, keys without the leading '/'.

    With WeasyPrint: `rendered.metadata.custom.update(pdf_identity(document))`, then
    `rendered.write_pdf(..., custom_metadata=True)`. A `<meta name="PeerkitDocument">` tag also
    works: WeasyPrint lowercases its name, and `collect` reads the key in any case.
    """
    return {IDENTITY_KEY: f"{document.id}@{document.version}"}


@dataclass
class CollectResult:
    """What a collection wrote, and the files it left out."""

    output: Path
    document: model.Form
    rows: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Filled:
    """One PDF as read: which document it says it is, and its field values by name."""

    path: str
    identity: tuple[str, str] | None
    values: dict[str, str]


class _Unreadable(Exception):
    """The file cannot be read as a PDF; the message says why, in plain words."""


def collect(
    kit: model.Kit, pdf_paths: Iterable[str | Path], out_csv: str | Path, document_id: str | None = None
) -> CollectResult:
    """Write one CSV row per filled PDF of DOCUMENT_ID (default: the first PDF's document) to OUT_CSV."""
    filled, problems = [], []
    for path in pdf_paths:
        try:
            filled.append(_read(Path(path)))
        except _Unreadable as error:
            problems.append(Problem(str(path), 0, 0, "", str(error)))
    document = _chosen_document(kit, document_id, filled, problems)
    columns = answer_columns(kit, document)
    rows = []
    for pdf in filled:
        problem = _mismatch(kit, document, pdf.identity) or _missing_fields(columns, pdf.values)
        if problem:
            problems.append(Problem(pdf.path, 0, 0, "", problem))
            continue
        rows.append([pdf.path, document.id, document.version, *(pdf.values[column] for column in columns)])
    if not rows:
        raise KitError(problems or [NOTHING])
    with open(out_csv, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([*SOURCE_COLUMNS, *columns])
        writer.writerows(rows)
    return CollectResult(Path(out_csv), document, len(rows), sorted(problems))


def _chosen_document(
    kit: model.Kit, document_id: str | None, filled: list[_Filled], problems: list[Problem]
) -> model.Form:
    """The document asked for, or that of the first PDF that is one of this kit's documents."""
    documents = {document.id: document for document in kit.documents()}
    if document_id is None:
        ids = [pdf.identity[0] for pdf in filled if pdf.identity and pdf.identity[0] in documents]
        if not ids:
            for pdf in filled:
                problems.append(Problem(pdf.path, 0, 0, "", _mismatch(kit, None, pdf.identity)))
            raise KitError(problems or [NOTHING])
        document_id = ids[0]
    if document_id not in documents:
        hint = did_you_mean(document_id, documents)
        raise KitError(f"this kit has no form or survey '{document_id}'{hint}")
    return documents[document_id]


def _mismatch(kit: model.Kit, document: model.Form | None, identity: tuple[str, str] | None) -> str:
    """Why a PDF with IDENTITY is not one of DOCUMENT's, or '' when it is."""
    if identity is None:
        return f"this PDF is not a peerkit form (it has no /{IDENTITY_KEY} entry); only kit's PDFs can be collected"
    other = next((d for d in kit.documents() if d.id == identity[0]), None)
    what = f"the '{identity[0]}' {other.kind if other else 'form'} version {identity[1]}"
    if other is None:
        return f"this PDF is {what}, which this kit does not have"
    if document is None or (document.id, document.version) == identity:
        return ""
    hint = "; collect it with the kit it was made from" if document.id == identity[0] else ""
    return f"this PDF is {what}, not '{document.id}' version {document.version}{hint}"


def _missing_fields(columns: list[str], values: dict[str, str]) -> str:
    missing = [f"'{column}'" for column in columns if column not in values]
    if not missing:
        return ""
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    return f"this PDF has no field {', '.join(missing[:3])}{more}; it was changed after kit made it"


# --- reading one PDF --------------------------------------------------------------------


def _read(path: Path) -> _Filled:
    """The identity and field values of the PDF at PATH."""
    if not path.is_file():
        raise _Unreadable("no such file" if not path.exists() else "this is a folder, not a PDF file")
    with open(path, "rb") as file:
        if b"%PDF-" not in file.read(1024):
            raise _Unreadable("this file is not a PDF; give the filled-in PDF forms")
    try:
        with pikepdf.open(path) as pdf:
            return _Filled(str(path), _identity(pdf), _field_values(pdf))
    except pikepdf.PasswordError:
        raise _Unreadable("this PDF is protected by a password; save a copy without one and collect that") from None
    except pikepdf.PdfError as error:
        raise _Unreadable(f"this file cannot be read as a PDF ({error}); it may be damaged") from None


def _identity(pdf: pikepdf.Pdf) -> tuple[str, str] | None:
    """(document id, version) from the document information, or None for a PDF kit did not make."""
    info = pdf.trailer.get("/Info")
    keys = sorted(info.keys() if info is not None else [], key=lambda key: key != f"/{IDENTITY_KEY}")
    value = next((str(info[key]) for key in keys if key.lower() == f"/{IDENTITY_KEY}".lower()), "")
    document_id, at, version = value.partition("@")
    return (document_id, version) if document_id and at else None


def _field_values(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Every terminal field's value by its full name: text as typed, radio as its export value, checkbox yes/no."""
    acroform = pdf.Root.get("/AcroForm")
    values: dict[str, str] = {}
    # WeasyPrint also lists radio widgets at the top level; they are reached through their parent.
    for root in acroform.get("/Fields", []) if acroform is not None else []:
        if "/Parent" not in root:
            _walk(root, "", values)
    return values


def _walk(node: pikepdf.Dictionary, prefix: str, values: dict[str, str]) -> None:
    title = str(node.get("/T", ""))
    name = f"{prefix}.{title}" if prefix and title else prefix or title
    # A kid without a name of its own is a widget, and so is one named like its parent field (WeasyPrint's radios).
    kids = [kid for kid in node.get("/Kids", []) if "/T" in kid and not ("/FT" in node and str(kid.T) == title)]
    for kid in kids:
        _walk(kid, name, values)
    if not kids and name:
        values[name] = _value(node)


def _value(node: pikepdf.Dictionary) -> str:
    kind, flags, value = _inherited(node, "/FT"), int(_inherited(node, "/Ff") or 0), _inherited(node, "/V")
    if kind == "/Btn" and not flags & PUSH_BUTTON:
        state = _button_state(node, value)
        if not flags & RADIO:
            return "yes" if state else "no"
        if not state:
            return ""
        options = [str(option) for option in node.get("/Opt", [])]
        index = state[1:]
        return options[int(index)] if index.isdigit() and int(index) < len(options) else index
    if isinstance(value, pikepdf.Array):
        return "|".join(str(item) for item in value)
    text = str(value) if value is not None else ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _inherited(node: pikepdf.Dictionary, key: str) -> object:
    """KEY from the field or the nearest parent that has it (PDF fields inherit /FT, /Ff, /V)."""
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _button_state(node: pikepdf.Dictionary, value: object) -> str:
    """The on-state shown: the field's /V, else a ticked widget's (fillers differ on unrepaired radios); '' if off."""
    widgets = node.get("/Kids", [node])
    states = [value, *(widget.get(key) for widget in widgets for key in ("/V", "/AS"))]
    return next((str(state) for state in states if isinstance(state, pikepdf.Name) and state != "/Off"), "")
