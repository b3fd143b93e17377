"""Problems found in a kit, each tied to a file, line and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the kit, reported on one line."""

    file: str
    line: int
    column: int
    where: str
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.line:
            place += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        where = f" {self.where}:" if self.where else ""
        return f"{place}:{where} {self.message}" if place else self.message


class KitError(click.ClickException):
    """The kit cannot be used as it is; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, 0, "", problems)]
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        count = len(lines)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found.")
        return "\n".join(lines)

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(self.report(), err=True, file=file)


def did_you_mean(wrong: str, known: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest known name, or ''."""
    close = difflib.get_close_matches(wrong, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
