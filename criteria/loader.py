"""Reading a framework from YAML with every problem reported at once, and its content hash."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from criteria.models import Framework
from criteria.validation import semantic_problems, shape_problems
from i18n.problems import InputError, Problem, located

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader (C where built), noting every key repeated in one mapping instead of keeping the last."""

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key != "<<" and key in seen:
                self.repeated.append((key, key_node.start_mark.line + 1))
            seen.add(key)
        return super().construct_mapping(node, deep)


MAX_FRAMEWORK_BYTES = 2 * 1024 * 1024  # the bundled framework is about 0.1 MB
MAX_ALIASES = 50  # anchors and aliases together: enough for a hand-written framework, far from a bomb
MAX_DEPTH = 32  # a framework nests about 8 levels deep
MAX_DIGITS = 30  # longer numbers mean nothing in a framework (and Python refuses to parse 4,300 digits)
_NUMBER = re.compile(r"^[-+]?(0[xob])?[0-9_.a-fA-F]+([eE][-+]?[0-9]+)?$")


def _bound_problems(text: str | bytes, source: str) -> list[Problem]:
    """Size, aliases, nesting and number length, checked on the parser's events before any object is built.

    Composing nodes shares aliased subtrees, so the check costs as much as the text is long; building
    the objects of a "billion laughs" document is what would exhaust memory.
    """
    if len(text) > MAX_FRAMEWORK_BYTES:
        mb = 1024 * 1024
        params = {"found": f"{len(text) / mb:.1f}", "max": f"{MAX_FRAMEWORK_BYTES / mb:.0f}"}
        return [Problem("security.yaml_too_large", params, file=source)]
    references = depth = 0
    problems: list[Problem] = []
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            references += 1
            if references > MAX_ALIASES:
                params = {"found": f"> {MAX_ALIASES}", "max": MAX_ALIASES}
                return [Problem("security.yaml_aliases", params, file=source, row=line)]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                params = {"found": f"> {MAX_DEPTH}", "max": MAX_DEPTH}
                return [Problem("security.yaml_depth", params, file=source, row=line)]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and event.implicit[0] and not event.style:
            digits = sum(c.isdigit() for c in event.value)
            if digits > MAX_DIGITS and _NUMBER.match(event.value):
                params = {"found": digits, "max": MAX_DIGITS}
                problems.append(Problem("security.yaml_number", params, file=source, row=line))
    return problems


def _load_yaml(text: str | bytes, source: str) -> Any:
    """Parsed YAML, or InputError naming a syntax error's line, a bound exceeded or every repeated key."""
    try:
        if problems := _bound_problems(text, source):
            raise InputError(problems)
    except yaml.YAMLError:
        pass  # the loader below reports the syntax error with its line
    except RecursionError:
        raise InputError([Problem("security.yaml_depth", {"found": "∞", "max": MAX_DEPTH}, file=source)]) from None
    loader = _UniqueKeyLoader(text)
    try:
        data = loader.get_single_data()
    except (ValueError, OverflowError, RecursionError, MemoryError) as error:  # a corner the bounds missed
        raise InputError([Problem("fw.yaml", {"found": type(error).__name__}, file=source)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise InputError([Problem("fw.yaml", {"found": problem}, file=source, row=row)]) from None
    finally:
        loader.dispose()
    if loader.repeated:
        raise InputError(
            [Problem("fw.repeated_key", {"found": key}, file=source, row=row) for key, row in loader.repeated]
        )
    return data


FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"
DEFAULT_FRAMEWORK = FRAMEWORKS_DIR / "changning-2025.yaml"
"""The bundled framework offered for new cycles and the demo: version 2025.1."""
PREVIOUS_FRAMEWORKS: tuple[Path, ...] = (FRAMEWORKS_DIR / "changning-2024.yaml",)
"""Earlier bundled versions, kept unchanged so that cycles scored with them can still be read and compared."""


def parse_framework(data: Any, source: str = "framework") -> Framework:
    """A valid framework from already-parsed data, or InputError naming every problem."""
    from scoring.metrics import METRICS  # the registry of metric names a framework may use

    if not isinstance(data, dict):
        raise InputError([Problem("fw.not_mapping", {"found": type(data).__name__}, file=source)])
    try:
        framework = Framework.model_validate(data)
    except ValidationError as error:
        raise InputError(located(shape_problems(error), file=source)) from None
    problems = semantic_problems(framework, METRICS)
    if problems:
        raise InputError(located(problems, file=source))
    return framework


def parse_framework_text(text: str | bytes, source: str = "framework.yaml") -> Framework:
    """A valid framework from YAML text."""
    return parse_framework(_load_yaml(text, source), source)


def load_framework(path: str | Path = DEFAULT_FRAMEWORK) -> Framework:
    """A valid framework from a YAML file."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as error:
        raise InputError(
            [Problem("file.unreadable", {"found": error.strerror or str(error)}, file=str(path))]
        ) from None
    return parse_framework_text(text, path.name)


def framework_hash(framework: Framework) -> str:
    """A SHA-256 of the framework's canonical JSON: equal content, equal hash, whatever the YAML layout."""
    data = _without_empty_actions(framework.model_dump(mode="json"))
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _without_empty_actions(data: Any) -> Any:
    """The dump without `action: null` keys, so that versions written before items had actions keep their hash."""
    if isinstance(data, dict):
        return {k: _without_empty_actions(v) for k, v in data.items() if not (k == "action" and v is None)}
    if isinstance(data, list):
        return [_without_empty_actions(v) for v in data]
    return data
