"""The downloads of one language: form and survey PDFs, data dictionaries and XLSForms."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kit import model
from kit.dictionary import write_data_dictionary, write_xlsform
from kit.pdf import PdfInfo, render_document_pdfs
from kit.translate import Translator

FOLDER = "downloads"


@dataclass
class Downloads:
    """What a language's downloads folder holds, by document id."""

    pdfs: dict[str, list[PdfInfo]] = field(default_factory=dict)
    dictionaries: dict[str, str] = field(default_factory=dict)
    xlsforms: dict[str, str] = field(default_factory=dict)

    def of(self, document_id: str) -> list[PdfInfo]:
        return self.pdfs.get(document_id, [])


def write_downloads(
    kit: model.Kit, project: Path, docs: Path, translator: Translator, workers: int | None = None
) -> Downloads:
    """Render every PDF (in worker processes) and write each data dictionary and XLSForm into DOCS/downloads."""
    folder = docs / FOLDER
    downloads = Downloads()
    for info in render_document_pdfs(kit, project, folder, translator.language, workers, translator=translator):
        downloads.pdfs.setdefault(info.document, []).append(info)
    for document in kit.documents():
        dictionary = folder / f"{document.id}-dictionary.csv"
        write_data_dictionary(kit, document, dictionary)
        downloads.dictionaries[document.id] = dictionary.name
        if document.kind == "survey":
            xlsform = folder / f"{document.id}-xlsform.xlsx"
            write_xlsform(kit, document, xlsform)
            downloads.xlsforms[document.id] = xlsform.name
    return downloads
