"""Where each value of a kit came from: the parsed YAML trees, kept with their positions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kit.errors import Problem


def format_path(path: tuple) -> str:
    """('sections', 0, 'fields', 2) -> 'sections[0].fields[2]'."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


class Sources:
    """The YAML tree of every file read, by path relative to the kit root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._trees: dict[str, tuple[Any, int]] = {}

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def add(self, relative: str, tree: Any, line_offset: int = 0) -> None:
        self._trees[relative] = (tree, line_offset)

    def __contains__(self, relative: str) -> bool:
        return relative in self._trees

    def position(self, relative: str, path: tuple, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at PATH, or of its nearest existing parent."""
        tree, offset = self._trees.get(relative, (None, 0))
        line, column = (1, 1)
        if tree is None:
            return (0, 0)
        node = tree
        if hasattr(node, "lc"):
            line, column = node.lc.line + 1, node.lc.col + 1
        for index, step in enumerate(path):
            last = index == len(path) - 1
            if isinstance(node, dict) and step in node:
                spot = node.lc.key(step) if (key and last) else node.lc.value(step)
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                spot = node.lc.item(step)
                node = node[step]
            else:
                break
            line, column = spot[0] + 1, spot[1] + 1
        return (line + offset, column)

    def problem(self, relative: str, path: tuple, message: str, key: bool = False, where: str | None = None) -> Problem:
        """A problem placed at the YAML node reached by PATH in file RELATIVE."""
        line, column = self.position(relative, path, key=key)
        return Problem(relative, line, column, format_path(path) if where is None else where, message)
