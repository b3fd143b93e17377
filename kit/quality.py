"""`kit check`'s review of a valid kit: traceability, crisis routes, links, and reading level by language."""

from __future__ import annotations

import posixpath
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from kit import model
from kit.errors import Problem
from kit.readability import measure, sentences_of
from kit.render import paths_of, plan_pages, render_pages
from kit.texts import markdown_blocks, texts_of, units_of
from kit.translate import Fallback, make_translator, translate_kit

LINK = re.compile(r"\]\(([^)\s#]+\.md)(#[^)]*)?\)")
CRISIS_MARK = "!!! danger"
DEFAULT_MAX_GRADE = 8.0


@dataclass(frozen=True, order=True)
class Finding:
    """One thing `kit check` tells about a kit that loads."""

    file: str
    line: int
    level: str
    """'error', 'warning' or 'note'."""
    message: str
    column: int = 0
    where: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        """'file:line:col: where: message', as the loader reports, with the level before non-errors."""
        text = str(Problem(self.file, self.line, self.column, self.where, self.message))
        if self.level == "error":
            return text
        head, _, tail = text.rpartition(f" {self.message}") if self.file else ("", "", text)
        return f"{head} {self.level}: {self.message}" if head else f"{self.level}: {self.message}"


def review(project: Path, kit: model.Kit) -> list[Finding]:
    """Every finding about KIT, sorted by file and line."""
    findings = traceability(kit) + page_links(kit) + crisis_routes(project, kit)
    for language in kit.program.languages:
        findings += reading_level(project, kit, language)
    return sorted(findings)


def _place(kit: model.Kit, file: str, path: tuple) -> int:
    return kit._sources.position(file, path)[0]


def traceability(kit: model.Kit) -> list[Finding]:
    """Each competency is taught by a module and checked by an assessment; each module is needed by a role."""
    findings = []
    taught = {c for module in kit.modules for c in module.competencies}
    checked = {c for module in kit.modules for c in module.assessment.checks}
    for index, competency in enumerate(kit.competencies):
        line = _place(kit, "content/competencies.yml", ("competencies", index))
        if competency.id not in taught:
            findings.append(
                Finding(
                    "content/competencies.yml",
                    line,
                    "error",
                    f"competency '{competency.id}' is taught by no training module; add it to a module's competencies",
                )
            )
        if competency.id not in checked:
            findings.append(
                Finding(
                    "content/competencies.yml",
                    line,
                    "error",
                    f"competency '{competency.id}' is checked by no assessment; add it to a module's assessment.checks",
                )
            )
    required = {module_id for role in kit.roles for module_id in role.training}
    for module in kit.modules:
        if module.id not in required:
            findings.append(Finding(module.source, 1, "warning", f"no role requires the training module '{module.id}'"))
    return findings


def page_links(kit: model.Kit) -> list[Finding]:
    """Relative links in Markdown pages must reach a page of the site."""
    site_paths = {spec.path for spec in plan_pages(kit)} | set(paths_of(kit).values())
    findings = []
    for page in kit.pages:
        here = f"{page.meta.section}/{page.id}.md"
        for block in markdown_blocks(page.body):
            for match in LINK.finditer(block.text):
                target = match.group(1)
                if "://" in target:
                    continue
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
                if resolved not in site_paths:
                    line = page.body_line + block.line
                    findings.append(
                        Finding(page.source, line, "error", f"the link '{target}' leads to no page of the site")
                    )
    return findings


def crisis_routes(project: Path, kit: model.Kit) -> list[Finding]:
    """Every mentor-facing page, as rendered (templates included), shows the crisis route."""
    translator = make_translator(project, kit, kit.program.languages[0])
    findings = []
    with tempfile.TemporaryDirectory(prefix="peerkit-check-") as folder:
        docs = Path(folder)
        for spec in render_pages(kit, project, docs, translator):
            if spec.audience == "mentor" and CRISIS_MARK not in (docs / spec.path).read_text(encoding="utf-8"):
                source = next((getattr(item, "source", "") for item in spec.context.values()), "") or spec.path
                findings.append(
                    Finding(
                        source,
                        1,
                        "error",
                        "this mentor-facing page does not show the crisis route; keep crisis_if_mentor in its template",
                    )
                )
    return findings


def reading_level(project: Path, kit: model.Kit, language: str) -> list[Finding]:
    """Participant-facing documents above the program's grade, with their hardest sentences."""
    maximum = kit.program.reading_level or DEFAULT_MAX_GRADE
    if measure("Short.", language) is None:
        return [Finding("", 0, "note", f"[{language}] reading level not checked: kit has no formula for this language")]
    translator = make_translator(project, kit, language)
    findings = []
    everything = []
    for file, texts in _participant_texts(translate_kit(kit, translator)).items():
        shown = [(line, text) for line, text in texts if translator.is_source or not isinstance(text, Fallback)]
        everything += [text for _, text in shown]
        reading = measure(" ".join(text for _, text in shown), language)
        if reading is not None and reading.grade > maximum:
            hardest = _hardest(shown, language)
            quoted = " | ".join(f'line {line}: "{sentence}"' for line, sentence in hardest)
            findings.append(
                Finding(
                    file,
                    hardest[0][0] if hardest else 0,
                    "warning",
                    f"[{language}] reads at {_described(reading)}, above grade {maximum:g}; hardest: {quoted}",
                )
            )
    overall = measure(" ".join(everything), language)
    if overall is not None:
        findings.append(
            Finding("", 0, "note", f"[{language}] participant-facing text reads at {_described(overall)} overall")
        )
    return findings


def _described(reading) -> str:  # noqa: ANN001
    score = f" (Fernández Huerta {reading.score:g})" if reading.score is not None else ""
    return f"grade {reading.grade:g}{score}"


def _participant_texts(kit: model.Kit) -> dict[str, list[tuple[int, str]]]:
    """Sentences participants read, by file, with their lines."""
    texts: dict[str, list[tuple[int, str]]] = {}
    for unit in units_of(kit):
        if unit.audience != "participant" or unit.file == "content/program.yml":
            continue
        for path, text, _ in texts_of(unit.obj, unit.prefix):
            if len(text.split()) >= 4:
                texts.setdefault(unit.file, []).append((_place(kit, unit.file, path), text))
    for page in kit.pages:
        if page.meta.audience == "participant":
            for block in markdown_blocks(page.body):
                if len(block.text.split()) >= 4:
                    texts.setdefault(page.source, []).append((page.body_line + block.line, block.text))
    return texts


def _hardest(texts: list[tuple[int, str]], language: str, count: int = 3) -> list[tuple[int, str]]:
    graded = []
    for line, text in texts:
        for sentence in sentences_of(text):
            reading = measure(sentence, language)
            if reading is not None and reading.words >= 6:
                graded.append((reading.grade, line, sentence))
    graded.sort(key=lambda item: -item[0])
    return [(line, sentence if len(sentence) < 90 else sentence[:87] + "...") for _, line, sentence in graded[:count]]
