"""Check what the typed model alone cannot: references between files and unique ids."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kit import model
from kit.errors import KitError, Problem, did_you_mean
from kit.load import Loaded, load_files

# (where in a document a reference sits, what kind of thing it names)
KIND_NAMES = {
    "roles": "role",
    "modules": "training module",
    "policies": "policy",
    "competencies": "competency",
    "documents": "form or survey",
    "attributes": "vocabulary attribute",
    "scales": "scale",
}


def load_kit(root: str | Path) -> model.Kit:
    """Load and validate the kit at ROOT; raise KitError listing every problem found."""
    loaded = load_files(Path(root))
    problems = loaded.problems + check_references(loaded)
    if problems:
        raise KitError(problems)
    return _assemble(loaded)


def _assemble(loaded: Loaded) -> model.Kit:
    singles = loaded.singles
    instruments = singles.get("instruments.yml")
    kit = model.Kit(
        root=str(loaded.root),
        program=singles["program.yml"],
        goals=singles["goals.yml"].goals,
        competencies=singles["competencies.yml"].competencies,
        vocabulary=singles["vocabulary.yml"].attributes,
        scales=singles["scales.yml"].scales,
        matching=singles["matching.yml"],
        glossary=singles["glossary.yml"].terms,
        instruments=instruments.instruments if instruments else [],
        policies=loaded.folders["policies"],
        roles=loaded.folders["roles"],
        modules=loaded.folders["training"],
        forms=loaded.folders["forms"],
        surveys=loaded.folders["surveys"],
        pages=loaded.pages,
    )
    kit.program.source = "content/program.yml"
    kit._sources = loaded.sources
    return kit


class _Checker:
    """Collects problems while walking the kit."""

    def __init__(self, loaded: Loaded) -> None:
        self.sources = loaded.sources
        self.problems: list[Problem] = []
        folders = loaded.folders
        self.known: dict[str, list[str] | None] = {
            "roles": self._ids(loaded, "roles"),
            "modules": self._ids(loaded, "training"),
            "policies": self._ids(loaded, "policies"),
            "documents": self._ids(loaded, "forms") + self._ids(loaded, "surveys"),
            "competencies": self._single_ids(loaded, "competencies.yml", "competencies"),
            "attributes": self._single_ids(loaded, "vocabulary.yml", "attributes"),
            "scales": self._single_ids(loaded, "scales.yml", "scales"),
        }
        self.documents = [*folders["forms"], *folders["surveys"]]

    @staticmethod
    def _ids(loaded: Loaded, folder: str) -> list[str]:
        """Ids of a folder's documents, counting files that failed to load (reported already)."""
        failed = [name.split("/", 1)[1] for name in loaded.failed if name.startswith(f"{folder}/")]
        return [document.id for document in loaded.folders[folder]] + failed

    @staticmethod
    def _single_ids(loaded: Loaded, file: str, key: str) -> list[str] | None:
        """Ids listed in a single file, or None when that file could not be read."""
        single = loaded.singles.get(file)
        return None if single is None else [item.id for item in getattr(single, key)]

    def refer(self, file: str, path: tuple, name: str | None, kind: str) -> None:
        """Report NAME at PATH if no thing of KIND has that id."""
        known = self.known[kind]
        if name is None or known is None or name in known:
            return
        hint = did_you_mean(name, self.known[kind])
        self.add(file, path, f"no {KIND_NAMES[kind]} '{name}'{hint}")

    def refer_all(self, file: str, path: tuple, names: Iterable[str], kind: str) -> None:
        for index, name in enumerate(names):
            self.refer(file, (*path, index), name, kind)

    def unique(self, file: str, path: tuple, ids: list[str], what: str) -> None:
        """Report every id in IDS that was already used earlier in the list."""
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                self.add(file, (*path, index, "id"), f"{what} id '{item_id}' is used twice; ids must be unique")
            seen.add(item_id)

    def add(self, file: str, path: tuple, message: str) -> None:
        self.problems.append(self.sources.problem(file, path, message))


def check_references(loaded: Loaded) -> list[Problem]:
    """Every reference between files names something that exists; ids are unique."""
    check = _Checker(loaded)
    _check_single_files(loaded.singles, check)
    for policy in loaded.folders["policies"]:
        check.refer_all(policy.source, ("applies_to",), policy.applies_to, "roles")
    for role in loaded.folders["roles"]:
        check.refer_all(role.source, ("training",), role.training, "modules")
    for module in loaded.folders["training"]:
        check.refer_all(module.source, ("competencies",), module.competencies, "competencies")
        check.refer_all(module.source, ("policies",), module.policies, "policies")
        check.refer_all(module.source, ("assessment", "checks"), module.assessment.checks, "competencies")
    for document in check.documents:
        _check_document(document, check)
    return check.problems


def _check_single_files(singles: dict, check: _Checker) -> None:
    """References and unique ids inside program.yml, goals.yml and the other single files."""
    program = singles.get("program.yml")
    if program is not None:
        check.unique("content/program.yml", ("timelines",), [t.id for t in program.timelines], "timeline")
        for index, timeline in enumerate(program.timelines):
            check.refer("content/program.yml", ("timelines", index, "form"), timeline.form, "documents")
    goals = singles.get("goals.yml")
    if goals is not None:
        check.unique("content/goals.yml", ("goals",), [goal.id for goal in goals.goals], "goal")
        for index, goal in enumerate(goals.goals):
            check.refer_all("content/goals.yml", ("goals", index, "measured_by"), goal.measured_by, "documents")
    for file, key, what in (
        ("competencies.yml", "competencies", "competency"),
        ("vocabulary.yml", "attributes", "attribute"),
        ("scales.yml", "scales", "scale"),
        ("instruments.yml", "instruments", "instrument"),
    ):
        if singles.get(file) is not None:
            check.unique(f"content/{file}", (key,), [item.id for item in getattr(singles[file], key)], what)
    matching = singles.get("matching.yml")
    if matching is not None:
        for index, criterion in enumerate(matching.criteria):
            check.refer("content/matching.yml", ("criteria", index, "attribute"), criterion.attribute, "attributes")


def _check_document(document: model.Form, check: _Checker) -> None:
    """Sections and fields of a form or survey: unique ids, choices and scales that exist."""
    file = document.source
    check.refer(file, ("policy",), document.policy, "policies")
    check.unique(file, ("sections",), [section.id for section in document.sections], "section")
    field_ids = [field.id for _, field in document.all_fields()]
    for s, section in enumerate(document.sections):
        check.unique(file, ("sections", s, "fields"), [field.id for field in section.fields], "field")
        for f, field in enumerate(section.fields):
            path = ("sections", s, "fields", f)
            check.refer(file, (*path, "attribute"), field.attribute, "attributes")
            check.refer(file, (*path, "scale"), field.scale, "scales")
            for problem in _field_shape_problems(field, document):
                check.add(file, path, problem)
            if field.skip and field.skip.to not in field_ids:
                hint = did_you_mean(field.skip.to, field_ids)
                check.add(file, (*path, "skip", "to"), f"no field '{field.skip.to}' in this document{hint}")


def _field_shape_problems(field: model.FormField, document: model.Form) -> list[str]:
    """What a field of its type needs and must not have."""
    problems = []
    if field.type in model.CHOICE_TYPES and not field.choices and not field.attribute:
        problems.append(f"a {field.type} field needs 'choices' or an 'attribute' from the vocabulary")
    if field.type not in model.CHOICE_TYPES and (field.choices or field.attribute):
        problems.append(f"a {field.type} field has no choices; use type single_choice or multiple_choice")
    if field.type == "scale_item" and not field.scale:
        problems.append("a scale_item field needs a 'scale' (an id from scales.yml)")
    if field.type != "scale_item" and field.scale:
        problems.append("only scale_item fields take a 'scale'")
    if document.kind == "survey" and field.identifier:
        problems.append("a survey may not ask for identifying details; move this field to a form")
    return problems
