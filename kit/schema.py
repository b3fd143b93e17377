"""JSON Schemas of the content files, for editors that complete and check YAML as it is typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kit.load import FOLDERS, SINGLE_FILES

DOCUMENT_FIELDS = ("id", "source")
"""Filled in by the loader from the file name: never written in a file."""


def schemas() -> dict[str, tuple[str, dict[str, Any]]]:
    """Schema name -> (glob of the files it describes, JSON Schema)."""
    found = {}
    for file, kind in SINGLE_FILES.items():
        found[file.removesuffix(".yml")] = (f"content/{file}", _schema(kind))
    for folder, kind in FOLDERS.items():
        found[kind.__name__.lower()] = (f"content/{folder}/*.yml", _schema(kind))
    return found


def _schema(kind: type[BaseModel]) -> dict[str, Any]:
    schema = kind.model_json_schema()
    for name in DOCUMENT_FIELDS:
        schema.get("properties", {}).pop(name, None)
        if name in schema.get("required", []):
            schema["required"].remove(name)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schemas(folder: Path) -> list[Path]:
    """Write one <name>.schema.json per kind of content file into FOLDER."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (_, schema) in schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def write_editor_settings(kit: Path) -> Path:
    """.vscode/settings.json mapping each content file pattern to its schema (Red Hat's YAML extension)."""
    settings_path = kit / ".vscode" / "settings.json"
    settings: dict[str, Any] = {}
    if settings_path.exists():
        settings = json.loads(settings_path.read_text(encoding="utf-8"))
    settings["yaml.schemas"] = {f"./schemas/{name}.schema.json": pattern for name, (pattern, _) in schemas().items()}
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings_path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return settings_path
