"""Kumu-style spreadsheets: an elements table (Label, Type, ...) and a connections table
(From, To, Type, ...), as two CSV files or two sheets `Elements` and `Connections` of one
workbook. Element `Type` is Person or Organisation/Organization; a `Layer` column is
required (every actor has a layer). Connection `Type` is the network type; `From`/`To`
name elements by Label (or by ID when an ID column exists). An element's actor id is its ID,
or else its Label, as a lower-case slug; two elements whose different IDs or Labels make
the same actor id (`Ann Smith`, `ann smith`) are refused, both named. Optional: ID, Description,
Role, Locality, Weight/Strength, Date, Direction (directed, undirected or mutual).
"""

from __future__ import annotations

from loaders.gephi import ORG_TYPES, ActorIds, slug
from kb.model import LoadBatch, Origin
from loaders.rows import make_record
from loaders.tables import Sheet, check_header

ELEMENT_COLUMNS = ("id", "label", "type", "layer", "description", "role", "org type", "locality", "tags",
                   "source", "section", "synthetic", "notes")
CONNECTION_COLUMNS = ("from", "to", "type", "weight", "strength", "date", "direction", "label", "description",
                      "source", "section", "synthetic", "notes")


def _lower(sheet: Sheet) -> Sheet:
    return Sheet(sheet.file, sheet.name, [h.strip().lower() for h in sheet.header],
                 [(i, {str(k).strip().lower(): v for k, v in r.items() if k is not None}) for i, r in sheet.rows])


def is_elements(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"label", "type"} <= names and "from" not in names


def is_connections(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"from", "to"} <= names and "network" not in names


def load_elements(sheet: Sheet, batch: LoadBatch, labels: dict[str, str]) -> None:
    sheet = _lower(sheet)
    if not check_header(sheet, ELEMENT_COLUMNS, ("label", "type", "layer"), batch):
        return
    ids = ActorIds(batch)
    for index, row in sheet.rows:
        label = str(row.get("label") or "").strip()
        actor_id = slug(row.get("id") or label) if (row.get("id") or label) else ""
        if actor_id:
            ids.add(str(row.get("id") or label).strip(), Origin(sheet.file, index), "ID" if row.get("id") else "Label")
        kind = str(row.get("type") or "").strip().lower()
        if kind not in ORG_TYPES | {"person"}:
            batch.problem(sheet.file, index, "Type", f"element type {row.get('type')!r} is neither Person nor Organisation")
            continue
        common = {"id": actor_id, "name": label, "layer": str(row.get("layer") or "").strip().lower(),
                  "locality": row.get("locality"), "notes": row.get("description") or row.get("notes"),
                  "source": row.get("source"), "section": row.get("section"), "synthetic": row.get("synthetic")}
        if kind == "person":
            make_record("people", {**common, "role": row.get("role")}, Origin(sheet.file, index), batch)
        else:
            make_record("organisations", {**common, "org_type": row.get("org type")}, Origin(sheet.file, index), batch)
        if label:
            labels[label] = actor_id
            if row.get("id"):
                labels[str(row["id"]).strip()] = actor_id


def load_connections(sheet: Sheet, batch: LoadBatch, labels: dict[str, str]) -> None:
    sheet = _lower(sheet)
    if not check_header(sheet, CONNECTION_COLUMNS, ("from", "to", "type"), batch):
        return
    for index, row in sheet.rows:
        ends = []
        for column in ("from", "to"):
            name = str(row.get(column) or "").strip()
            ends.append(labels.get(name, slug(name) if name else ""))
        direction = str(row.get("direction") or "directed").strip().lower()
        pairs = [tuple(ends)] if direction == "directed" else [tuple(ends), tuple(reversed(ends))]
        for a, b in pairs:
            make_record("ties", {"from": a, "to": b, "network": str(row.get("type") or "").strip().lower(),
                                 "weight": row.get("weight") or row.get("strength"), "date": row.get("date"),
                                 "notes": row.get("description"), "source": row.get("source"),
                                 "section": row.get("section"), "synthetic": row.get("synthetic")},
                        Origin(sheet.file, index), batch)
