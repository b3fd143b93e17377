"""What `kit check` prints: problems and findings grouped by file, errors apart from warnings."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from kit.catalogs import check_catalogs
from kit.errors import KitError
from kit.quality import Finding, review
from kit.validate import load_kit

LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2}


@dataclass
class CheckReport:
    """Everything `kit check` found, and how long it took."""

    title: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def as_text(self) -> str:
        lines = []
        ordered = sorted(self.findings, key=lambda f: (f.file, LEVEL_ORDER[f.level], f.line))
        for file, items in groupby(ordered, key=lambda f: f.file):
            lines.append(f"{file or 'The whole kit'}:")
            lines += [f"  {item}" for item in items]
        summary = (
            f"{self.title}: {_count(self.errors, 'error')}, {_count(self.warnings, 'warning')} ({self.seconds:.1f} s)."
        )
        return "\n".join([*lines, summary])

    def as_json(self) -> str:
        return json.dumps(
            {
                "kit": self.title,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "findings": [f.as_dict() for f in self.findings],
            },
            indent=2,
            ensure_ascii=False,
        )


def check_kit(project: Path) -> CheckReport:
    """Load the kit and its catalogs; if they are sound, review the kit too."""
    started = time.perf_counter()
    try:
        kit = load_kit(project)
        problems = check_catalogs(project, kit.program.languages[1:])
        if problems:
            raise KitError(problems)
    except KitError as error:
        findings = [Finding(p.file, p.line, "error", p.message, p.column, p.where) for p in error.problems]
        return CheckReport(str(project), findings, time.perf_counter() - started)
    return CheckReport(kit.program.name, review(project, kit), time.perf_counter() - started)


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"
