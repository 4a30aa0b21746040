"""JSON and YAML documents: one case study with its innovations, organisations, people
and ties nested. Top-level keys are the table names of docs/casebase-format.md; a
`case_study` object (or list `case_studies`) may hold the rest, and an innovation may nest
its `adoptions`. Document-level `source`, `section` and `synthetic` apply to every record
that does not set its own. Rows are located by their path, e.g. `innovations[2]`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from kb.model import ENTITIES, LoadBatch, Origin
from loaders.files import UnreadableFile, read_bytes
from loaders.rows import MAX_NUMBER_DIGITS, LongNumber, make_record

MAX_DEPTH = 20
INHERITED = ("source", "section", "synthetic")


class Mapping(dict):
    """A JSON object or YAML mapping; `repeated` lists the keys it holds more than once
    (with their YAML line), which the last value would silently win."""

    repeated: list[tuple[str, int | None]]

    def __init__(self, pairs=(), repeated=None):
        super().__init__(pairs)
        self.repeated = repeated or []


def _json_object(pairs: list[tuple[str, Any]]) -> Mapping:
    seen: set[str] = set()
    repeated = []
    for key, _ in pairs:
        if key in seen:
            repeated.append((key, None))
        seen.add(key)
    return Mapping(pairs, repeated)


def _json_int(text: str) -> int | LongNumber:
    """JSON integers as int, but one too long for int() (Python refuses more than 4,300
    digits) kept as its text, for make_record to refuse with its field named."""
    return LongNumber(text) if len(text.lstrip("-")) > MAX_NUMBER_DIGITS else int(text)


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors/aliases: they allow cyclic data and 'billion laughs' expansion.
    Mappings note their repeated keys; integers too long for int() stay text (LongNumber)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"aliases (*{event.anchor}) are not allowed, line {event.start_mark.line + 1}")
        return super().compose_node(parent, index)

    def construct_yaml_map(self, node):
        data = Mapping()
        yield data
        data.update(self.construct_mapping(node))
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node)
            if key in seen:
                data.repeated.append((str(key), key_node.start_mark.line + 1))
            seen.add(key)

    def construct_yaml_int(self, node):
        digits = str(self.construct_scalar(node)).replace("_", "").lstrip("+-")
        if len(digits) > MAX_NUMBER_DIGITS:
            return LongNumber(self.construct_scalar(node))
        return super().construct_yaml_int(node)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:map", _NoAliasLoader.construct_yaml_map)
_NoAliasLoader.add_constructor("tag:yaml.org,2002:int", _NoAliasLoader.construct_yaml_int)


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def parse_document(path: Path, encoding: str = "utf-8-sig") -> Any:
    try:
        text = read_bytes(path).decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(str(path), f"is not valid UTF-8 (byte {exc.start})") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
        else:
            data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise UnreadableFile(str(path), f"is nested too deeply (more than {MAX_DEPTH} levels)") from None
    except json.JSONDecodeError as exc:
        raise UnreadableFile(str(path), f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                             row=exc.lineno) from None
    except yaml.YAMLError as exc:
        raise UnreadableFile(str(path), f"is not valid YAML: {exc}".replace("\n", " ")) from None
    except ValueError as exc:  # a value the parser cannot make (e.g. a date like 2024-02-30)
        raise UnreadableFile(str(path), f"is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
                             f"{exc}") from None
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise UnreadableFile(str(path), f"is nested too deeply (more than {MAX_DEPTH} levels)")
    return data


def _repeated_keys(data: Any, file: str, batch: LoadBatch) -> None:
    """Report every key repeated in one mapping, at its path (e.g. people[1], key layer):
    a document is refused rather than let the last value silently win."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, Mapping):
            for key, line in item.repeated:
                at = f" (line {line})" if line else ""
                batch.problem(file, where or None, key, f"key {key!r} appears more than once in this mapping{at}; "
                              "keep one")
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))


def read_document(path: Path, batch: LoadBatch, encoding: str = "utf-8-sig") -> None:
    data = parse_document(path, encoding)
    file = str(path)
    _repeated_keys(data, file, batch)
    if not isinstance(data, dict):
        batch.problem(file, None, None, "expected a mapping of tables (sources, localities, innovations, ...)")
        return
    _read_tables(data, "", {k: data[k] for k in INHERITED if k in data}, file, batch)


def _read_tables(data: dict, prefix: str, inherited: dict, file: str, batch: LoadBatch) -> None:
    known = set(ENTITIES) | {"case_study", *INHERITED, "title", "description"}
    for key in data:
        if key not in known:
            batch.problem(file, prefix.rstrip(".") or None, str(key),
                          f"unknown key; expected tables: {', '.join(ENTITIES)} or case_study")
    case = data.get("case_study")
    if case is not None:
        if not isinstance(case, dict):
            batch.problem(file, f"{prefix}case_study", None, "case_study must be a mapping")
        else:
            _read_case_study(case, f"{prefix}case_study", inherited, file, batch)
    for name in ENTITIES:
        items = data.get(name)
        if items is None:
            continue
        if not isinstance(items, list):
            batch.problem(file, f"{prefix}{name}", None, "expected a list")
            continue
        for i, item in enumerate(items):
            where = f"{prefix}{name}[{i}]"
            if name == "case_studies" and isinstance(item, dict):
                _read_case_study(item, where, inherited, file, batch)
            else:
                _read_item(name, item, where, inherited, file, batch)


def _read_case_study(case: dict, where: str, inherited: dict, file: str, batch: LoadBatch) -> None:
    nested = {k: v for k, v in case.items() if k in ENTITIES}
    own = {k: v for k, v in case.items() if k not in ENTITIES}
    inherit = {**inherited, **{k: own[k] for k in INHERITED if k in own}}
    record = _read_item("case_studies", own, where, inherited, file, batch)
    if record is not None:
        inherit["case_study"] = record.values["id"]
    _read_tables(nested, f"{where}.", inherit, file, batch)


def _read_item(name: str, item: Any, where: str, inherited: dict, file: str, batch: LoadBatch):
    if not isinstance(item, dict):
        batch.problem(file, where, None, f"expected a mapping for one {name} row")
        return None
    entity = ENTITIES[name]
    nested_adoptions = item.get("adoptions") if name == "innovations" else None
    row = {k: v for k, v in item.items() if not (name == "innovations" and k == "adoptions")}
    for key in row:
        if entity.column(str(key)) is None:
            batch.problem(file, where, str(key), f"unknown field for {name}; expected: {', '.join(entity.column_names)}")
    defaults = {k: v for k, v in inherited.items() if entity.column(k) is not None}
    record = make_record(name, {k: v for k, v in row.items() if entity.column(str(k))}, Origin(file, where),
                         batch, defaults=defaults)
    if nested_adoptions is not None:
        if not isinstance(nested_adoptions, list):
            batch.problem(file, f"{where}.adoptions", None, "expected a list")
        else:
            for j, adoption in enumerate(nested_adoptions):
                if isinstance(adoption, dict) and record is not None:
                    adoption = {"innovation": record.values["id"], **adoption}
                _read_item("adoptions", adoption, f"{where}.adoptions[{j}]",
                           {k: v for k, v in inherited.items() if k != "case_study"}, file, batch)
    return record
