"""Render the kit's pages as Markdown from Jinja templates, ready for MkDocs."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import markupsafe
from babel.numbers import format_decimal

from kit import model
from kit.errors import KitError, Problem
from kit.templating import NOTICE_MARK, plain_text, template_environment
from kit.translate import Tally, Translator
from kit.words import FILE_SIZE, GROUP_TITLES, NOTICES, PAGE_TITLES, SECTION_TITLES, TYPE_WORDS, YES_NO


@dataclass
class PageSpec:
    """One page of the site: where it goes, how it is made, where it sits in the navigation."""

    path: str
    template: str
    title: str
    section: str
    group: str | None = None
    audience: str = "staff"
    context: dict[str, Any] = field(default_factory=dict)


def paths_of(kit: model.Kit) -> dict[tuple[str, str], str]:
    """The site path of every document, by (kind, id)."""
    paths = {("role", role.id): f"implement/roles/{role.id}.md" for role in kit.roles}
    paths |= {("policy", p.id): f"implement/policies/{p.id}.md" for p in kit.policies}
    paths |= {("module", m.id): f"implement/training/{m.id}.md" for m in kit.modules}
    paths |= {("document", d.id): f"forms/{d.id}.md" for d in kit.documents()}
    paths |= {("page", page.id): f"{page.meta.section}/{page.id}.md" for page in kit.pages}
    return paths


def plan_pages(kit: model.Kit) -> list[PageSpec]:
    """Every page of the site, in navigation order."""
    pages = [PageSpec("index.md", "home.md.j2", PAGE_TITLES["home"], "overview", audience="participant")]
    pages += _free_pages(kit, "overview")
    pages.append(PageSpec("plan/goals.md", "goals.md.j2", PAGE_TITLES["goals"], "plan"))
    pages += _free_pages(kit, "plan")
    pages += _implement_pages(kit)
    pages.append(PageSpec("assess/index.md", "assess.md.j2", PAGE_TITLES["assess"], "assess"))
    pages.append(PageSpec("assess/indicators.md", "indicators.md.j2", PAGE_TITLES["indicators"], "assess"))
    pages += _free_pages(kit, "assess")
    pages += _free_pages(kit, "sustain")
    pages.append(PageSpec("forms/index.md", "documents.md.j2", SECTION_TITLES["forms"], "forms"))
    for document in kit.documents():
        context = {"document": document}
        pages.append(
            PageSpec(
                f"forms/{document.id}.md", "document.md.j2", document.title, "forms", None, document.audience, context
            )
        )
    pages.append(
        PageSpec("glossary.md", "glossary.md.j2", SECTION_TITLES["glossary"], "glossary", audience="participant")
    )
    return pages


def _free_pages(kit: model.Kit, section: str) -> list[PageSpec]:
    chosen = sorted((p for p in kit.pages if p.meta.section == section), key=lambda p: (p.meta.order, p.meta.title))
    return [
        PageSpec(
            f"{section}/{page.id}.md", "page.md.j2", page.meta.title, section, None, page.meta.audience, {"page": page}
        )
        for page in chosen
    ]


def _implement_pages(kit: model.Kit) -> list[PageSpec]:
    pages = []
    groups = (
        ("roles", GROUP_TITLES["roles"], "role", kit.roles),
        ("policies", GROUP_TITLES["policies"], "policy", kit.policies),
        ("training", GROUP_TITLES["training"], "module", kit.modules),
    )
    for folder, title, kind, documents in groups:
        pages.append(PageSpec(f"implement/{folder}/index.md", f"{folder}.md.j2", title, "implement", title))
        for document in sorted(documents, key=lambda d: d.title) if kind != "module" else documents:
            pages.append(
                PageSpec(
                    f"implement/{folder}/{document.id}.md",
                    f"{kind}.md.j2",
                    document.title,
                    "implement",
                    title,
                    document.audience,
                    {kind: document},
                )
            )
    pages.append(PageSpec("implement/matching.md", "matching.md.j2", PAGE_TITLES["matching"], "implement"))
    pages.append(PageSpec("implement/competencies.md", "competencies.md.j2", PAGE_TITLES["competencies"], "implement"))
    pages += _free_pages(kit, "implement")
    return pages


class Links:
    """Relative links from one page to any document of the kit."""

    def __init__(self, here: str, paths: dict[tuple[str, str], str]) -> None:
        self.here = here
        self.paths = paths

    def to(self, target: str) -> str:
        """Relative path from this page to the site path TARGET."""
        return posixpath.relpath(target, posixpath.dirname(self.here) or ".")

    def __call__(self, kind: str, document_id: str, text: str) -> str:
        return f"[{plain_text(text)}]({self.to(self.paths[(kind, document_id)])})"


def cross_references(kit: model.Kit) -> dict[str, dict[str, list[Any]]]:
    """The reverse of each reference, so pages can link both ways."""
    reverse: dict[str, dict[str, list[Any]]] = {
        "roles_requiring_module": {m.id: [] for m in kit.modules},
        "policies_for_role": {r.id: [] for r in kit.roles},
        "documents_for_policy": {p.id: [] for p in kit.policies},
        "modules_relying_on_policy": {p.id: [] for p in kit.policies},
        "modules_teaching": {c.id: [] for c in kit.competencies},
        "modules_assessing": {c.id: [] for c in kit.competencies},
    }
    for role in kit.roles:
        for module_id in role.training:
            reverse["roles_requiring_module"][module_id].append(role)
    for policy in kit.policies:
        for role_id in policy.applies_to:
            reverse["policies_for_role"][role_id].append(policy)
    for document in kit.documents():
        if document.policy:
            reverse["documents_for_policy"][document.policy].append(document)
    for module in kit.modules:
        for policy_id in module.policies:
            reverse["modules_relying_on_policy"][policy_id].append(module)
        for competency_id in module.competencies:
            reverse["modules_teaching"][competency_id].append(module)
        for competency_id in module.assessment.checks:
            reverse["modules_assessing"][competency_id].append(module)
    return reverse


def choices_of(kit: model.Kit, field: model.FormField, gettext: Any = str) -> list[model.Choice]:
    """The choices a field offers: its own, its vocabulary attribute's, its scale's points, or yes and no."""
    if field.attribute:
        return next(a.choices for a in kit.vocabulary if a.id == field.attribute)
    if field.scale:
        return next(s.points for s in kit.scales if s.id == field.scale)
    if field.type == "yes_no":
        return [model.Choice(code=code, label=gettext(label)) for code, label in YES_NO.items()]
    return field.choices


def answer_words(kit: model.Kit, field: model.FormField, gettext: Any = str) -> str:
    """How a field is answered, in words: 'Choose one', or the scale's title."""
    if field.scale:
        return next(scale.title for scale in kit.scales if scale.id == field.scale)
    return gettext(TYPE_WORDS[field.type])


def skip_answer(kit: model.Kit, field: model.FormField, gettext: Any = str) -> str:
    """The label of the answer that makes the reader skip ahead."""
    choices = choices_of(kit, field, gettext)
    return next((choice.label for choice in choices if choice.code == field.skip.when), field.skip.when)


def question_numbers(document: model.Form) -> dict[str, int]:
    """Question number of each field id, counted through the whole document."""
    return {field.id: number for number, (_, field) in enumerate(document.all_fields(), start=1)}


def render_pages(
    kit: model.Kit, project: Path, docs: Path, translator: Translator, downloads: Any = None
) -> list[PageSpec]:
    """Write every page of the site as Markdown under DOCS, in the translator's language.

    DOWNLOADS (kit.downloads.Downloads), when given, lets form pages link their PDFs and files.
    """
    environment = template_environment(project, translator)
    pages = plan_pages(kit)
    paths = paths_of(kit)
    gettext = translator.gettext
    shared = {
        "kit": kit,
        "program": kit.program,
        "reverse": cross_references(kit),
        "choices_of": lambda field: choices_of(kit, field, gettext),
        "answer_words": lambda field: answer_words(kit, field, gettext),
        "skip_answer": lambda field: skip_answer(kit, field, gettext),
        "question_numbers": question_numbers,
        "all_pages": pages,
        "notice": NOTICE_MARK,
        "downloads": downloads,
        "file_size": lambda size: (
            translator.gettext(FILE_SIZE) % {"size": format_decimal(round(size / 1024), locale=translator.locale)}
        ),
    }
    problems = []
    for page in pages:
        try:
            _render_page(environment, page, {**shared, **page.context}, paths, docs, translator)
        except jinja2.TemplateError as error:
            problems.append(_template_problem(error, page, project))
    if problems:
        raise KitError(problems)
    return pages


def _render_page(
    environment: jinja2.Environment,
    page: PageSpec,
    context: dict[str, Any],
    paths: dict,
    docs: Path,
    translator: Translator,
) -> None:
    links = Links(page.path, paths)
    tally = Tally()
    context = {**context, "spec": page, "link": links, "to": links.to, "tally": tally}
    if "page" in page.context:
        free_page = page.context["page"]
        context["body"] = _page_body(free_page, context["program"])
        if free_page._body_tally is not None:
            tally.add(free_page._body_tally)
    markdown = environment.get_template(f"site/{page.template}").render(context)
    markdown = f"---\ntitle: {json.dumps(page_title(page, translator.gettext))}\n---\n\n" + markdown
    target = docs / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown.replace(NOTICE_MARK, language_notice(translator, tally)), encoding="utf-8")


def _page_body(page: model.Page, program: model.Program) -> str:
    """A free page's Markdown with the program's facts filled in; the sandbox keeps it to facts only."""
    sandbox = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return sandbox.from_string(page.body).render(program=program)


def language_notice(translator: Translator, tally: Tally) -> str:
    """What the reader must know about this page's translation: draft status, untranslated parts."""
    notes = []
    if translator.draft:
        notes.append(
            '!!! info "{}"\n    {}'.format(
                translator.gettext(NOTICES["draft_title"]), translator.gettext(NOTICES["draft_text"])
            )
        )
    if tally.fallback:
        notes.append(
            '!!! warning "{}"\n    {}'.format(
                translator.gettext(NOTICES["partial_title"]),
                translator.gettext(NOTICES["partial_text"]) % {"percent": tally.percent},
            )
        )
    return "\n\n".join(notes)


def _template_problem(error: jinja2.TemplateError, page: PageSpec, project: Path) -> Problem:
    """Say which file holds the template error: a Markdown page, or a template."""
    message = str(error.message or error).replace("'kit.model.Program object'", "program")
    line = getattr(error, "lineno", None) or 0
    name = getattr(error, "name", None) or getattr(error, "filename", None)
    if "page" in page.context and not name:
        free_page = page.context["page"]
        hint = " (to show '{{' as text, write {{ '{{' }})" if isinstance(error, jinja2.TemplateSyntaxError) else ""
        return Problem(
            free_page.source, free_page.body_line + line - 1 if line else 0, 1 if line else 0, "", f"{message}{hint}"
        )
    origin = f"templates/{name}" if name and (project / "templates" / name).exists() else f"built-in template {name}"
    return Problem(origin, line, 1 if line else 0, "", f"{message} (while making {page.path})")


def navigation(pages: list[PageSpec], gettext: Any = str) -> list[dict[str, Any]]:
    """MkDocs `nav` for the pages: a tab per section, a sub-section per group, titles translated."""
    nav: list[dict[str, Any]] = []
    sections: dict[str, list[Any]] = {}
    groups: dict[tuple[str, str], list[Any]] = {}
    for page in pages:
        if page.section not in sections:
            sections[page.section] = []
            nav.append({str(markupsafe.escape(gettext(SECTION_TITLES[page.section]))): sections[page.section]})
        entries = sections[page.section]
        if page.group:
            if (page.section, page.group) not in groups:
                groups[(page.section, page.group)] = []
                entries.append({str(markupsafe.escape(gettext(page.group))): groups[(page.section, page.group)]})
            entries = groups[(page.section, page.group)]
        entries.append(page.path if page.path.endswith("index.md") else {page_title(page, gettext): page.path})
    return nav


def page_title(page: PageSpec, gettext: Any) -> str:
    """The page's title as HTML text: an interface word translated, or the content's own title escaped."""
    title = page.title if page.template in DOCUMENT_TEMPLATES else gettext(page.title)
    return str(markupsafe.escape(str(title)))


DOCUMENT_TEMPLATES = {"role.md.j2", "policy.md.j2", "module.md.j2", "document.md.j2", "page.md.j2"}
"""Pages titled by content (already translated), not by an interface word."""
