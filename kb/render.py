"""Turning query rows into tables, CSV and JSON for people (CLI, UI downloads)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from neo4j.graph import Node, Path, Relationship

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """Graph values and temporal types as plain JSON-ready Python."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": value.start_node.get("id") if value.start_node else None,
                "end": value.end_node.get("id") if value.end_node else None,
                **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(plain(value), ensure_ascii=False, default=str)
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def to_csv(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(plain(row.get(c))) for c in columns])
    return out.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps([plain(r) for r in rows], ensure_ascii=False, default=str, indent=2)


def to_table(columns: list[str], rows: list[dict], width: int = 40) -> str:
    def cell(v):
        v = plain(v)
        text = "" if v is None else (", ".join(map(str, v)) if isinstance(v, list) else str(v))
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)
