"""Check what the typed model alone cannot: references between files and unique ids."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kit import model
from kit.errors import KitError, Problem, did_you_mean
from kit.load import Loaded, load_files
from kit.sources import Sources

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
    root = Path(root)
    loaded = load_files(root)
    problems = list(loaded.problems)
    if problems or any(name not in loaded.singles for name in ("program.yml", "goals.yml")):
        raise KitError(problems)
    kit = _assemble(loaded)
    problems += check_references(kit, loaded.sources)
    if problems:
        raise KitError(problems)
    return kit


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

    def __init__(self, kit: model.Kit, sources: Sources) -> None:
        self.sources = sources
        self.problems: list[Problem] = []
        self.known = {
            "roles": [role.id for role in kit.roles],
            "modules": [module.id for module in kit.modules],
            "policies": [policy.id for policy in kit.policies],
            "competencies": [competency.id for competency in kit.competencies],
            "documents": [document.id for document in kit.documents()],
            "attributes": [attribute.id for attribute in kit.vocabulary],
            "scales": [scale.id for scale in kit.scales],
        }

    def refer(self, file: str, path: tuple, name: str | None, kind: str) -> None:
        """Report NAME at PATH if no thing of KIND has that id."""
        if name is None or name in self.known[kind]:
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


def check_references(kit: model.Kit, sources: Sources) -> list[Problem]:
    """Every reference between files names something that exists; ids are unique."""
    check = _Checker(kit, sources)
    _check_program_files(kit, check)
    for policy in kit.policies:
        check.refer_all(policy.source, ("applies_to",), policy.applies_to, "roles")
    for role in kit.roles:
        check.refer_all(role.source, ("training",), role.training, "modules")
    for module in kit.modules:
        check.refer_all(module.source, ("competencies",), module.competencies, "competencies")
        check.refer_all(module.source, ("policies",), module.policies, "policies")
        check.refer_all(module.source, ("assessment", "checks"), module.assessment.checks, "competencies")
    for document in kit.documents():
        _check_document(document, check)
    return check.problems


def _check_program_files(kit: model.Kit, check: _Checker) -> None:
    program = "content/program.yml"
    check.unique(program, ("timelines",), [t.id for t in kit.program.timelines], "timeline")
    for index, timeline in enumerate(kit.program.timelines):
        check.refer(program, ("timelines", index, "form"), timeline.form, "documents")
    check.unique("content/goals.yml", ("goals",), [goal.id for goal in kit.goals], "goal")
    for index, goal in enumerate(kit.goals):
        check.refer_all("content/goals.yml", ("goals", index, "measured_by"), goal.measured_by, "documents")
    check.unique("content/competencies.yml", ("competencies",), check.known["competencies"], "competency")
    check.unique("content/vocabulary.yml", ("attributes",), check.known["attributes"], "attribute")
    check.unique("content/scales.yml", ("scales",), check.known["scales"], "scale")
    check.unique("content/instruments.yml", ("instruments",), [i.id for i in kit.instruments], "instrument")
    for index, criterion in enumerate(kit.matching.criteria):
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
