"""A criteria framework as an Excel workbook of the same shape as the YAML, both ways.

The bureau downloads the framework in use, edits it in Excel (items, points, levels, thresholds,
tiers) and uploads it back; the upload goes through the same validation as YAML, and every problem
is reported with its sheet, row and column instead of a YAML path.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from criteria.loader import load_framework, parse_framework
from criteria.models import Framework, QuantitativeItem, Text
from i18n.problems import InputError, Problem
from reports.zip_guard import Limits, container_problems

SHEETS: dict[str, tuple[str, ...]] = {
    "framework": ("key", "value", "value_en"),
    "tiers": ("id", "name_zh", "name_en", "min_score", "domain_min_pct", "note_zh", "note_en"),
    "vetoes": ("tier", "item", "min_level"),
    "items": (
        "domain",
        "domain_zh",
        "domain_en",
        "indicator",
        "indicator_zh",
        "indicator_en",
        "item",
        "title_zh",
        "title_en",
        "clause",
        "source",
        "points",
        "method",
        "applies_to",
        "allow_na",
        "verify_by",
        "metric",
        "direction",
        "params",
        "guidance_zh",
        "guidance_en",
        "action_zh",
        "action_en",
    ),
    "levels": (
        "item",
        "level",
        "label_zh",
        "label_en",
        "descriptor_zh",
        "descriptor_en",
        "fraction",
        "action_zh",
        "action_en",
    ),
    "thresholds": ("item", "level", "bound"),
    "evidence": ("item", "evidence", "title_zh", "title_en", "required"),
}
TRUE = {"1", "true", "yes", "y", "是"}


# ----------------------------------------------------------------------------------------- writing


def framework_to_xlsx(fw: Framework) -> bytes:
    """The framework as a workbook, one sheet per part; user text is written as text, never a formula."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    for name, rows in _sheet_rows(fw).items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, SHEETS[name], bold)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is not None:
                    sheet.write_number(r, c, value)
        sheet.set_column(0, len(SHEETS[name]) - 1, 16)
    book.close()
    return buffer.getvalue()


def _sheet_rows(fw: Framework) -> dict[str, list[list[Any]]]:
    rows: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    rows["framework"] = [
        ["schema_version", fw.schema_version, None],
        ["id", fw.id, None],
        ["version", fw.version, None],
        ["name", fw.name.zh, fw.name.en],
        *([["issuer", fw.issuer.zh, fw.issuer.en]] if fw.issuer else []),
        ["total_points", fw.total_points, None],
        *(["basis", b, None] for b in fw.basis),
        *(["note", n.zh, n.en] for n in fw.notes),
    ]
    for tier in fw.tiers:
        rows["tiers"].append([tier.id, *_text(tier.name), tier.min_score, tier.domain_min_pct, *_text(tier.note)])
        rows["vetoes"] += [[tier.id, v.item, v.min_level] for v in tier.vetoes]
    for domain in fw.domains:
        for ind in domain.indicators:
            for item in ind.items:
                rows["items"].append(_item_row(domain.id, domain.title, ind.id, ind.title, item))
                if item.method != "check":
                    rows["levels"] += [
                        [item.id, lv.id, *_text(lv.label), *_text(lv.descriptor), lv.fraction, *_text(lv.action)]
                        for lv in item.levels
                    ]
                if isinstance(item, QuantitativeItem):
                    rows["thresholds"] += [[item.id, th.level, th.bound] for th in item.rule.thresholds]
                rows["evidence"] += [[item.id, e.id, *_text(e.title), 1 if e.required else 0] for e in item.evidence]
    return rows


def _text(text: Text | None) -> list[str | None]:
    return [text.zh, text.en] if text else [None, None]


def _item_row(domain: str, d_title: Text, indicator: str, i_title: Text, item: Any) -> list[Any]:
    rule = item.rule if isinstance(item, QuantitativeItem) else None
    params = ";".join(f"{k}={v:g}" for k, v in rule.params.items()) if rule else None
    return [
        domain,
        *_text(d_title),
        indicator,
        *_text(i_title),
        item.id,
        *_text(item.title),
        item.clause,
        item.source,
        item.points,
        item.method,
        ";".join(s.value for s in item.applies_to),
        1 if item.allow_na else 0,
        ";".join(item.verify_by),
        rule.metric if rule else None,
        rule.direction if rule else None,
        params,
        *_text(item.guidance),
        *_text(item.action),
    ]


# ----------------------------------------------------------------------------------------- reading


@dataclass
class _Locations:
    """Framework paths → the sheet and row they were read from, to report problems where the user typed."""

    rows: dict[str, tuple[str, int, str]] = field(default_factory=dict)

    def mark(self, path: str, sheet: str, row: int, mode: str = "") -> None:
        """Remember where `path` was read; `mode` says how its fields map to columns (see `_column`)."""
        self.rows.setdefault(path, (sheet, row, mode))

    def locate(self, problem: Problem, file: str) -> Problem:
        """The problem with sheet, row and column instead of a framework path."""
        path = problem.path or ""
        for prefix in sorted(self.rows, key=len, reverse=True):
            if path == prefix or path.startswith((prefix + ".", prefix + "[")):
                sheet, row, mode = self.rows[prefix]
                rest = re.sub(r"\[\d+\]", "", path[len(prefix) :]).strip(".")
                column = _column(sheet, mode, rest)
                return Problem(problem.key, problem.params, file=file, sheet=sheet, row=row, column=column)
        return Problem(problem.key, problem.params, file=file, path=path or None)


ID_COLUMN = {"items": "item", "levels": "level", "evidence": "evidence"}


def _column(sheet: str, mode: str, rest: str) -> str | None:
    """The column that holds a field: ('items', '', 'title.zh') → 'title_zh'; ('items', 'domain', 'id') → 'domain'."""
    if mode in ("domain", "indicator"):
        return mode + {"title.zh": "_zh", "title.en": "_en"}.get(rest, "")
    if mode == "value":
        return "value"
    if mode == "text":
        return "value_en" if rest == "en" else "value"
    if rest == "id":
        return ID_COLUMN.get(sheet, "id")
    return rest.removeprefix("rule.").replace(".", "_") or None


def framework_from_xlsx(data: bytes, file: str = "framework.xlsx", limits: Limits | None = None) -> Framework:
    """A valid framework from a workbook written by `framework_to_xlsx` (and edited), or InputError."""
    problems = container_problems(data, limits or Limits.from_settings(), file)
    if problems:
        raise InputError(problems)
    sheets, problems = _read_book(data, file)
    if problems:
        raise InputError(problems)
    where = _Locations()
    raw = _assemble(sheets, where)
    try:
        return parse_framework(raw, file)
    except InputError as error:
        raise InputError([where.locate(p, file) for p in error.problems]) from None


Row = dict[str, Any]


def _read_book(data: bytes, file: str) -> tuple[dict[str, list[tuple[int, Row]]], list[Problem]]:
    """The sheets of the workbook, or the problem that it cannot be read at all.

    Read-only mode parses lazily, so a damaged part (garbage or empty styles.xml, workbook.xml or a
    sheet) can fail while loading or while iterating: both are caught here. Each sheet's stored
    dimension is reset before reading, because WPS writes `A1:A1` whatever the size and read-only
    mode would then see a single cell.
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any parser failure on a user's file is a located message
        return {}, [_unreadable(error, file)]
    try:
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
        return _read_sheets(book, file)
    except Exception as error:
        return {}, [_unreadable(error, file)]
    finally:
        book.close()


def _unreadable(error: Exception, file: str) -> Problem:
    cause = error.__cause__ or error.__context__
    if isinstance(error, DefusedXmlException) or isinstance(cause, DefusedXmlException):
        return Problem("template.hostile_xml", {"found": "XML"}, file=file)
    return Problem("template.unreadable", {"found": type(error).__name__}, file=file)


def _read_sheets(book: Any, file: str) -> tuple[dict[str, list[tuple[int, Row]]], list[Problem]]:
    """Each sheet as (row number, {column: value}) pairs, or the sheets and columns that are missing."""
    sheets: dict[str, list[tuple[int, Row]]] = {}
    problems: list[Problem] = []
    for name, columns in SHEETS.items():
        if name not in book.sheetnames:
            problems.append(Problem("fwx.missing_sheet", {"expected": name}, file=file, sheet=name))
            continue
        rows = book[name].iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        missing = [c for c in columns if c not in header]
        if missing:
            problems.append(Problem("fwx.missing_columns", {"expected": ", ".join(missing)}, file=file, sheet=name))
            continue
        sheets[name] = [
            (n, {col: _cell(values[header.index(col)] if header.index(col) < len(values) else None) for col in columns})
            for n, values in enumerate(rows, start=2)
            if any(v not in (None, "") for v in values)
        ]
    return sheets, problems


def _cell(value: Any) -> Any:
    """Text stripped, empty text as None, whole floats as int; numbers and others as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _assemble(sheets: dict[str, list[tuple[int, Row]]], where: _Locations) -> dict[str, Any]:
    """The framework's plain data, as YAML would give it, with where each part came from."""
    data = _top(sheets["framework"], where)
    by_item = {name: _group(sheets[name]) for name in ("levels", "thresholds", "evidence")}
    vetoes = _group(sheets["vetoes"], key="tier")
    data["tiers"] = [_tier(n, t, row, vetoes.get(row["id"], []), where) for t, (n, row) in enumerate(sheets["tiers"])]
    data["domains"] = _domains(sheets["items"], by_item, where)
    return data


def _top(rows: list[tuple[int, Row]], where: _Locations) -> dict[str, Any]:
    data: dict[str, Any] = {"basis": [], "notes": []}
    for n, row in rows:
        key, value, value_en = row["key"], row["value"], row["value_en"]
        if key == "basis":
            data["basis"].append(str(value))
        elif key == "note":
            where.mark(f"notes[{len(data['notes'])}]", "framework", n, "text")
            data["notes"].append(_text_data(value, value_en))
        elif key in ("name", "issuer"):
            data[key] = _text_data(value, value_en)
            where.mark(key, "framework", n, "text")
        elif key is not None:
            data[str(key)] = str(value) if key in ("id", "version") else value
            where.mark(str(key), "framework", n, "value")
    return data


def _text_data(zh: Any, en: Any) -> dict[str, Any]:
    return {"zh": "" if zh is None else str(zh), **({"en": str(en)} if en is not None else {})}


def _group(rows: list[tuple[int, Row]], key: str = "item") -> dict[Any, list[tuple[int, Row]]]:
    out: dict[Any, list[tuple[int, Row]]] = {}
    for n, row in rows:
        out.setdefault(row[key], []).append((n, row))
    return out


def _tier(n: int, t: int, row: Row, vetoes: list[tuple[int, Row]], where: _Locations) -> dict[str, Any]:
    where.mark(f"tiers[{t}]", "tiers", n)
    for v, (vn, _) in enumerate(vetoes):
        where.mark(f"tiers[{t}].vetoes[{v}]", "vetoes", vn)
    tier = {
        "id": str(row["id"]),
        "name": _text_data(row["name_zh"], row["name_en"]),
        "min_score": row["min_score"],
        "vetoes": [{"item": str(v["item"]), "min_level": str(v["min_level"])} for _, v in vetoes],
    }
    if row["domain_min_pct"] is not None:
        tier["domain_min_pct"] = row["domain_min_pct"]
    if row["note_zh"] is not None:
        tier["note"] = _text_data(row["note_zh"], row["note_en"])
    return tier


def _domains(
    rows: list[tuple[int, Row]], by_item: dict[str, dict[Any, list[tuple[int, Row]]]], where: _Locations
) -> list[Any]:
    domains: dict[Any, dict[str, Any]] = {}
    for n, row in rows:
        d = domains.setdefault(
            row["domain"],
            {"id": str(row["domain"]), "title": _text_data(row["domain_zh"], row["domain_en"]), "indicators": {}},
        )
        d_pos = list(domains).index(row["domain"])
        where.mark(f"domains[{d_pos}]", "items", n, "domain")
        ind = d["indicators"].setdefault(
            row["indicator"],
            {"id": str(row["indicator"]), "title": _text_data(row["indicator_zh"], row["indicator_en"]), "items": []},
        )
        i_pos = list(d["indicators"]).index(row["indicator"])
        where.mark(f"domains[{d_pos}].indicators[{i_pos}]", "items", n, "indicator")
        path = f"domains[{d_pos}].indicators[{i_pos}].items[{len(ind['items'])}]"
        where.mark(path, "items", n)
        ind["items"].append(_item(path, n, row, by_item, where))
    for d in domains.values():
        d["indicators"] = list(d["indicators"].values())
    return list(domains.values())


def _item(
    path: str, n: int, row: Row, by_item: dict[str, dict[Any, list[tuple[int, Row]]]], where: _Locations
) -> dict[str, Any]:
    item_id = row["item"]
    item: dict[str, Any] = {
        "id": "" if item_id is None else str(item_id),
        "title": _text_data(row["title_zh"], row["title_en"]),
        "clause": "" if row["clause"] is None else str(row["clause"]),
        "points": row["points"],
        "method": row["method"],
        "applies_to": _words(row["applies_to"]),
        "allow_na": str(row["allow_na"]).lower() in TRUE,
        "verify_by": _words(row["verify_by"]),
    }
    if row["source"] is not None:
        item["source"] = str(row["source"])
    if row["guidance_zh"] is not None:
        item["guidance"] = _text_data(row["guidance_zh"], row["guidance_en"])
    if row.get("action_zh") is not None:
        item["action"] = _text_data(row["action_zh"], row.get("action_en"))
    if row["method"] != "check":
        item["levels"] = list(_levels(path, by_item["levels"].get(item_id, []), where))
    if row["method"] == "quantitative":
        item["rule"] = _rule(path, row, by_item["thresholds"].get(item_id, []), where)
    evidence = by_item["evidence"].get(item_id, [])
    for e, (en, _) in enumerate(evidence):
        where.mark(f"{path}.evidence[{e}]", "evidence", en)
    item["evidence"] = [
        {
            "id": str(r["evidence"]),
            "title": _text_data(r["title_zh"], r["title_en"]),
            "required": str(r["required"]).lower() in TRUE,
        }
        for _, r in evidence
    ]
    return item


def _words(value: Any) -> list[str]:
    return [w for w in re.split(r"[;,、，\s]+", str(value or "")) if w]


def _levels(path: str, rows: list[tuple[int, Row]], where: _Locations) -> Iterator[dict[str, Any]]:
    for k, (n, r) in enumerate(rows):
        where.mark(f"{path}.levels[{k}]", "levels", n)
        level = {"id": str(r["level"]), "label": _text_data(r["label_zh"], r["label_en"]), "fraction": r["fraction"]}
        if r["descriptor_zh"] is not None:
            level["descriptor"] = _text_data(r["descriptor_zh"], r["descriptor_en"])
        if r.get("action_zh") is not None:
            level["action"] = _text_data(r["action_zh"], r.get("action_en"))
        yield level


def _rule(path: str, row: Row, thresholds: list[tuple[int, Row]], where: _Locations) -> dict[str, Any]:
    for k, (n, _) in enumerate(thresholds):
        where.mark(f"{path}.rule.thresholds[{k}]", "thresholds", n)
    params = {}
    for part in _words(row["params"]):
        name, _, value = part.partition("=")
        params[name] = float(value) if re.fullmatch(r"-?\d+(\.\d+)?", value) else value
    return {
        "metric": row["metric"],
        "direction": row["direction"] or "higher",
        "thresholds": [{"level": str(r["level"]), "bound": r["bound"]} for _, r in thresholds],
        "params": params,
    }


def load_framework_file(path: Path) -> Framework:
    """A framework from a YAML file or a workbook, chosen by the file's ending."""
    if path.suffix.lower() != ".xlsx":
        return load_framework(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem("file.unreadable", {"found": error.strerror or str(error)}, file=path.name)
        raise InputError([problem]) from None
    return framework_from_xlsx(data, path.name)
