"""Turn one raw row (column -> text or value) into a typed Record, noting every problem."""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Mapping

from kb.model import ENTITIES, ID_PATTERN, LIST_SEPARATOR, LoadBatch, Origin, Record

MAX_CELL_CHARS = 100_000
# A number written with more digits is refused (JSON and YAML integers; Python itself
# refuses to turn more than 4,300 digits into an int).
MAX_NUMBER_DIGITS = 100
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0", ""}
# A text cell a spreadsheet may run as a formula: it starts with =, +, -, @, tab or CR.
# `kb export` (kb.store.exporter) neutralises such a cell with one leading single quote, and also
# quotes a cell that already starts with quotes before one of those characters, so that
# reading strips exactly one quote and the round trip is exact ("'=x" <-> "''=x").
FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


class LongNumber(str):
    """The text of a document's integer with more than MAX_NUMBER_DIGITS digits."""


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: repr, cut short when long."""
    text = repr(str(value) if isinstance(value, str) else value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(str(value)):,} characters)"


def unescape_formula(text: str) -> str:
    """Strip the one leading ' that neutralises a spreadsheet formula (see FORMULA_START)."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


def _blank(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and value.strip() == ""


def convert(value: Any, typ: str) -> Any:
    """Convert a cell to the column's type; raises ValueError with a short reason."""
    if typ == "list":
        if isinstance(value, (list, tuple)):
            items = [str(v).strip() for v in value]
        else:
            items = [part.strip() for part in unescape_formula(str(value).strip()).split(LIST_SEPARATOR)]
        return list(dict.fromkeys(i for i in items if i))  # a set of references: repeats once
    if isinstance(value, (list, dict, tuple, set)):
        raise ValueError(f"expected a single {typ} value, got a {type(value).__name__}")
    if isinstance(value, LongNumber):
        raise ValueError(f"a number of {len(value.lstrip('+-'))} digits is too long (the limit is "
                         f"{MAX_NUMBER_DIGITS})")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")  # JSON NaN/Infinity, YAML .nan/.inf
    text = str(value).strip()
    if typ == "str":
        return unescape_formula(text)
    if typ == "bool":
        if isinstance(value, bool):
            return value
        low = text.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise ValueError(f"expected true or false, got {shown(text)}")
    if typ == "int":
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {shown(text)}")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a whole number, got {shown(text)}") from None
        if not number.is_integer():
            raise ValueError(f"expected a whole number, got {shown(text)}")
        return int(number)
    if typ == "float":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {shown(text)}") from None
        if math.isnan(number) or math.isinf(number):
            raise ValueError(f"expected a finite number, got {shown(text)}")
        return number
    if typ == "year":
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.year
        if not re.fullmatch(r"\d{4}(\.0)?", text):
            raise ValueError(f"expected a year like 2007, got {shown(text)}")
        return int(float(text))
    if typ == "date":
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.date().isoformat() if isinstance(value, _dt.datetime) else value.isoformat()
        if re.fullmatch(r"\d{4}(\.0)?", text):
            return str(int(float(text)))
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
            try:
                _dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
            except ValueError:
                raise ValueError(f"not a real date: {shown(text)}") from None
            return text
        raise ValueError(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {shown(text)}")
    raise AssertionError(f"unknown column type {typ}")


def make_record(entity_name: str, raw: Mapping[str, Any], origin: Origin, batch: LoadBatch,
                defaults: Mapping[str, Any] | None = None, clean_keys: bool = False) -> Record | None:
    """Build a Record from `raw`; report problems into `batch`. Returns None if unusable.
    `clean_keys`: the keys of `raw` are already stripped strings (a sheet's header)."""
    entity = ENTITIES[entity_name]
    values: dict[str, Any] = {}
    ok = True
    if clean_keys and not defaults:
        merged = raw
    else:
        merged = dict(defaults or {})
        merged.update({str(k).strip(): v for k, v in raw.items() if k is not None})
    for column in entity.columns:
        value = merged.get(column.name)
        if value.__class__ is str:
            # The common case (every CSV cell): text, blank or not, and most columns text.
            text = value.strip()
            if not text:
                if column.required:
                    batch.problem(origin.file, origin.row, column.name, "required value is missing")
                    ok = False
                continue
            if len(value) <= MAX_CELL_CHARS:
                typ = column.type
                if typ == "str":
                    converted = unescape_formula(text) if text[0] == "'" else text
                    if "\x00" in converted:
                        batch.problem(origin.file, origin.row, column.name, "contains a NUL character")
                        ok = False
                        continue
                    values[column.name] = converted
                    continue
                # Numbers and true/false as `convert` reads them; anything else goes the
                # general way below, which says what is wrong.
                if typ == "float":
                    try:
                        number = float(text)
                    except ValueError:
                        number = math.nan
                    if math.isfinite(number):
                        values[column.name] = number
                        continue
                elif typ == "bool":
                    low = text.lower()
                    if low in TRUE_WORDS or low in FALSE_WORDS:
                        values[column.name] = low in TRUE_WORDS
                        continue
        elif _blank(value) or (column.type == "list" and isinstance(value, list) and not value):
            if column.required:
                batch.problem(origin.file, origin.row, column.name, "required value is missing")
                ok = False
            continue
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            batch.problem(origin.file, origin.row, column.name,
                          f"cell is {len(value)} characters; the limit is {MAX_CELL_CHARS}")
            ok = False
            continue
        try:
            converted = convert(value, column.type)
        except ValueError as exc:
            batch.problem(origin.file, origin.row, column.name, str(exc))
            ok = False
            continue
        if column.type == "str" and ("\x00" in converted):
            batch.problem(origin.file, origin.row, column.name, "contains a NUL character")
            ok = False
            continue
        values[column.name] = converted
    for key_col in entity.key:
        if key_col in ("id",) and key_col in values and not ID_PATTERN.match(str(values[key_col])):
            batch.problem(origin.file, origin.row, key_col,
                          f"id {shown(values[key_col])} must be lower-case letters, digits, '_', '-' or '.'")
            ok = False
    if not ok:
        return None
    record = Record(entity_name, values, origin)
    batch.add(record)
    return record
