"""The reader-facing texts of a kit: find them in the model and in Markdown, and put translations back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from kit import model

ANSWER_CONTEXT = "answer"
"""msgctxt of answer labels: a short 'Other' or 'Yes' may need another word than the same text elsewhere."""


def _is_text(annotation: Any, metadata: list[Any]) -> bool:
    """True when a field holds model.Text (alone, in a list, or optional)."""
    if model.TRANSLATABLE in metadata:
        return True
    if get_origin(annotation) is Annotated:
        return model.TRANSLATABLE in annotation.__metadata__
    return any(_is_text(argument, []) for argument in get_args(annotation))


def texts_of(obj: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str, str | None]]:
    """Every translatable text inside OBJ as (path, text, context), in file order."""
    for name, field in type(obj).model_fields.items():
        value = getattr(obj, name)
        if value is None:
            continue
        if _is_text(field.annotation, field.metadata):
            context = ANSWER_CONTEXT if isinstance(obj, model.Choice) else None
            if isinstance(value, list):
                yield from (((*path, name, index), item, context) for index, item in enumerate(value))
            else:
                yield (*path, name), value, context
        elif isinstance(value, BaseModel):
            yield from texts_of(value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from texts_of(item, (*path, name, index))


def replace_text(obj: Any, path: tuple, text: str) -> None:
    """Put TEXT at PATH inside OBJ (models are not re-validated, so a str subclass survives)."""
    *parents, last = path
    for step in parents:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    if isinstance(last, int):
        obj[last] = text
    else:
        setattr(obj, last, text)


@dataclass
class Unit:
    """One content file's model, with where its texts sit in the file."""

    file: str
    prefix: tuple
    obj: BaseModel
    audience: str


LISTS_IN_FILES = {
    "goals.yml": ("goals", "goals", "staff"),
    "competencies.yml": ("competencies", "competencies", "mentor"),
    "vocabulary.yml": ("attributes", "vocabulary", "participant"),
    "scales.yml": ("scales", "scales", "participant"),
    "glossary.yml": ("terms", "glossary", "participant"),
    "instruments.yml": ("instruments", "instruments", "staff"),
}
"""Single files holding a list: file -> (key in the file, attribute of the Kit, audience)."""
WHOLE_FILES = {"program.yml": ("program", "participant"), "matching.yml": ("matching", "staff")}


def units_of(kit: model.Kit) -> Iterator[Unit]:
    """Every model object of the kit with its file and its path inside that file."""
    for file, (attribute, audience) in WHOLE_FILES.items():
        yield Unit(f"content/{file}", (), getattr(kit, attribute), audience)
    for file, (key, attribute, audience) in LISTS_IN_FILES.items():
        for index, item in enumerate(getattr(kit, attribute)):
            yield Unit(f"content/{file}", (key, index), item, audience)
    for document in [*kit.policies, *kit.roles, *kit.modules, *kit.documents()]:
        yield Unit(document.source, (), document, document.audience)
    for page in kit.pages:
        yield Unit(page.source, (), page.meta, page.meta.audience)


# --- Markdown pages: one text per heading, paragraph, list item or table row -------------------

BLOCK_PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s?)?)(.*)$")
FENCE = re.compile(r"^\s*(```|~~~)")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")


@dataclass
class Block:
    """A translatable piece of a Markdown body: its first line, its lines, and the text in it."""

    line: int
    """0-based line of the body where the block starts."""
    end: int
    prefix: str
    text: str
    quoted: bool = False


def markdown_blocks(body: str) -> list[Block]:
    """Split a Markdown body into headings, paragraphs, list items, table rows (also inside quotes)."""
    lines = body.split("\n")
    blocks: list[Block] = []
    index = 0
    in_fence = False
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
            index += 1
        elif in_fence or not line.strip() or TABLE_SEPARATOR.match(line):
            index += 1
        elif line.lstrip().startswith(">"):
            end = index
            while end < len(lines) and lines[end].lstrip().startswith(">"):
                end += 1
            inner = "\n".join(_unquote(quoted) for quoted in lines[index:end])
            for block in markdown_blocks(inner):
                blocks.append(Block(index + block.line, index + block.end, block.prefix, block.text, quoted=True))
            index = end
        elif line.lstrip().startswith(("|", "#")):
            prefix, text = BLOCK_PREFIX.match(line).groups()
            blocks.append(Block(index, index + 1, prefix, text.strip()))
            index += 1
        else:
            end = _block_end(lines, index)
            prefix, first = BLOCK_PREFIX.match(line).groups()
            rest = [other.strip() for other in lines[index + 1 : end]]
            blocks.append(Block(index, end, prefix, "\n".join([first.strip(), *rest]).strip()))
            index = end
    return blocks


def _unquote(line: str) -> str:
    """'> text' -> 'text', keeping any further indentation."""
    line = line.lstrip().removeprefix(">")
    return line.removeprefix(" ")


def _block_end(lines: list[str], start: int) -> int:
    """The line after the paragraph or list item that starts at START."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if not line.strip() or FENCE.match(line) or line.lstrip().startswith(("|", "#", ">")):
            break
        if BLOCK_PREFIX.match(line).group(1).strip():
            break
        end += 1
    return end


def replace_blocks(body: str, translate) -> str:  # noqa: ANN001 - a callable(Block) -> str
    """Rebuild BODY with each block's text replaced by translate(block)."""
    lines = body.split("\n")
    for block in reversed(markdown_blocks(body)):
        indent = " " * len(block.prefix) if block.prefix.strip() else ""
        first, *rest = translate(block).split("\n")
        replacement = [block.prefix + first, *(indent + line for line in rest)]
        if block.quoted:
            replacement = [f"> {line}".rstrip() for line in replacement]
        lines[block.line : block.end] = replacement
    return "\n".join(lines)
