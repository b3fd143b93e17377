"""Load a kit's content files into the typed model, keeping where every value came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from kit import model
from kit.errors import KitError, Problem, did_you_mean
from kit.sources import Sources, format_path

SINGLE_FILES: dict[str, type[BaseModel]] = {
    "program.yml": model.Program,
    "goals.yml": model.Goals,
    "competencies.yml": model.Competencies,
    "vocabulary.yml": model.Vocabulary,
    "scales.yml": model.Scales,
    "matching.yml": model.Matching,
    "glossary.yml": model.Glossary,
    "instruments.yml": model.Instruments,
}
OPTIONAL_FILES = {"instruments.yml"}
FOLDERS: dict[str, type[model.Document]] = {
    "policies": model.Policy,
    "roles": model.Role,
    "training": model.Module,
    "forms": model.Form,
    "surveys": model.Survey,
}
PLAIN_TYPES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a set of 'key: value' lines",
    "model_type": "a set of 'key: value' lines",
    "model_attributes_type": "a set of 'key: value' lines",
    "date_type": "a date like 2026-01-31",
    "date_from_datetime_parsing": "a date like 2026-01-31",
    "date_parsing": "a date like 2026-01-31",
}


class Loaded:
    """The raw result of loading: one model per file, plus every problem met."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sources = Sources(root)
        self.problems: list[Problem] = []
        self.singles: dict[str, Any] = {}
        self.folders: dict[str, list[model.Document]] = {name: [] for name in FOLDERS}
        self.failed: set[str] = set()
        """Files that exist but could not be loaded: their ids still count as known."""
        self.pages: list[model.Page] = []


def load_files(root: Path) -> Loaded:
    """Read every content file under ROOT/content; collect problems instead of stopping."""
    loaded = Loaded(root)
    content = root / "content"
    if not content.is_dir():
        raise KitError(f"{root}: no 'content' folder here. Run kit in a kit's folder, or create one with 'kit new'.")
    for name, kind in SINGLE_FILES.items():
        path = content / name
        if not path.exists():
            if name not in OPTIONAL_FILES:
                loaded.problems.append(
                    Problem(loaded.sources.relative(path), 0, 0, "", "this file is missing; every kit needs it")
                )
            continue
        loaded.singles[name] = _load_document(loaded, path, kind)
        if loaded.singles[name] is None:
            loaded.failed.add(name)
    for folder, kind in FOLDERS.items():
        for path in sorted((content / folder).glob("*.yml")):
            document = _load_document(loaded, path, kind)
            if document is not None:
                loaded.folders[folder].append(document)
            else:
                loaded.failed.add(f"{folder}/{path.stem}")
        _report_stray_files(loaded, content / folder)
    for path in sorted((content / "pages").glob("*.md")):
        page = _load_page(loaded, path)
        if page is not None:
            loaded.pages.append(page)
    return loaded


def _report_stray_files(loaded: Loaded, folder: Path) -> None:
    """A '.yaml' file would be silently skipped: say so instead."""
    for path in sorted(folder.glob("*.yaml")):
        loaded.problems.append(
            Problem(loaded.sources.relative(path), 0, 0, "", "content files end in '.yml'; rename this file to use it")
        )


def read_yaml(loaded: Loaded, path: Path, text: str | None = None, line_offset: int = 0) -> Any:
    """Parse YAML text, recording a syntax error as a problem and returning None."""
    relative = loaded.sources.relative(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            loaded.problems.append(Problem(relative, 0, 0, "", "is not UTF-8 text; save it as UTF-8"))
            return None
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        column = (mark.column + 1) if mark else 0
        loaded.problems.append(Problem(relative, line, column, "", _syntax_message(error)))
        return None
    loaded.sources.add(relative, tree, line_offset)
    return tree


def _syntax_message(error: MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    if "duplicate key" in problem:
        return f"{problem}; each key may appear once in a block"
    hint = "check the indentation, and put text that contains ': ' or starts with a quote in quotes"
    return f"the YAML cannot be read ({problem}); {hint}"


def _load_document(loaded: Loaded, path: Path, kind: type[BaseModel]) -> Any:
    relative = loaded.sources.relative(path)
    tree = read_yaml(loaded, path)
    if tree is None:
        if relative in loaded.sources:
            loaded.problems.append(Problem(relative, 0, 0, "", "the file is empty"))
        return None
    if not isinstance(tree, dict):
        loaded.problems.append(Problem(relative, 1, 1, "", "expected 'key: value' lines at the top of the file"))
        return None
    data = dict(tree)
    if issubclass(kind, model.Document):
        for reserved in ("id", "source"):
            if reserved in data:
                loaded.problems.append(
                    loaded.sources.problem(
                        relative, (reserved,), f"unknown key '{reserved}' (the file name is the {reserved})", key=True
                    )
                )
                del data[reserved]
        data["id"] = path.stem
    return _validate(loaded, relative, kind, data)


def _validate(loaded: Loaded, relative: str, kind: type[BaseModel], data: dict) -> Any:
    try:
        document = kind.model_validate({**data, "source": relative} if "source" in kind.model_fields else data)
    except ValidationError as error:
        for detail in error.errors():
            loaded.problems.append(_problem_from_pydantic(loaded.sources, relative, kind, detail))
        return None
    return document


def _problem_from_pydantic(sources: Sources, relative: str, kind: type[BaseModel], detail: dict) -> Problem:
    """Turn one pydantic error into a plain-words problem at the YAML node it concerns."""
    path = tuple(detail["loc"])
    kind_of_error = detail["type"]
    if kind_of_error == "extra_forbidden":
        known = _known_keys(kind, path[:-1])
        message = f"unknown key '{path[-1]}'{did_you_mean(str(path[-1]), known)}"
        return sources.problem(relative, path, message, key=True)
    if kind_of_error == "missing":
        return sources.problem(relative, path[:-1], f"missing required key '{path[-1]}'", where=format_path(path))
    value = detail.get("input")
    if kind_of_error in PLAIN_TYPES:
        message = f"expected {PLAIN_TYPES[kind_of_error]}, got {_describe(value)}"
        if kind_of_error == "string_type" and isinstance(value, (int, float)):
            message += f"; put it in quotes: '{value}'"
    elif kind_of_error == "literal_error":
        message = f"'{value}' is not allowed here; use one of: {detail['ctx']['expected']}"
        message = message.replace(" or ", ", ")
    elif kind_of_error == "string_pattern_mismatch":
        message = f"'{value}' is not a valid id; use lowercase letters, digits and '-'"
    elif kind_of_error == "too_short":
        message = "needs at least one entry" if detail["ctx"].get("min_length") == 1 else detail["msg"].lower()
    elif kind_of_error == "value_error":
        message = str(detail["ctx"]["error"])
    else:
        message = detail["msg"][0].lower() + detail["msg"][1:]
    return sources.problem(relative, path, message)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _known_keys(kind: type[BaseModel], path: tuple) -> list[str]:
    """The keys a model accepts at PATH, for a did-you-mean."""
    current: Any = kind
    for step in path:
        if isinstance(step, int):
            continue
        field = current.model_fields.get(step) if isinstance(current, type) else None
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _model_in(annotation: Any) -> Any:
    """Find the BaseModel inside an annotation like list[X] or X | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _load_page(loaded: Loaded, path: Path) -> model.Page | None:
    """Read a Markdown page with a YAML front matter block between '---' lines."""
    relative = loaded.sources.relative(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        loaded.problems.append(
            Problem(relative, 1, 1, "", "a page starts with a front matter block between '---' lines (title, section)")
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        loaded.problems.append(Problem(relative, 1, 1, "", "the front matter block is not closed by a '---' line"))
        return None
    meta = read_yaml(loaded, path, "".join(lines[1:end]) or "{}", line_offset=1)
    if meta is None:
        return None
    if not isinstance(meta, dict):
        loaded.problems.append(Problem(relative, 2, 1, "", "expected 'key: value' lines in the front matter"))
        return None
    page_meta = _validate(loaded, relative, model.PageMeta, dict(meta))
    if page_meta is None:
        return None
    return model.Page(id=path.stem, source=relative, meta=page_meta, body="".join(lines[end + 1 :]), body_line=end + 2)
