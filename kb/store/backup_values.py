"""Property values in a backup archive: JSON as it is for plain values, and values JSON
cannot hold faithfully (temporal, spatial, bytes) as ``{"$type": ..., "value": ...}`` with
ISO strings. Property values are never maps, so a JSON object is always such a tagged value."""

from __future__ import annotations

import base64
import datetime as _dt
import re
from typing import Any

from neo4j.spatial import CartesianPoint, Point, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time


class BackupError(Exception):
    """An archive that cannot be restored, or a database that must not be restored into."""


def _zone_name(tz) -> str | None:
    name = getattr(tz, "key", None) or getattr(tz, "zone", None)  # zoneinfo / pytz
    return str(name) if name else None


def encode_value(value: Any) -> Any:
    """A property value as JSON: plain values unchanged, the rest as tagged ISO strings."""
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$type": "bytes", "value": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, DateTime):
        if value.tzinfo is None:
            return {"$type": "localdatetime", "value": value.iso_format()}
        tagged = {"$type": "datetime", "value": value.iso_format()}
        zone = _zone_name(value.tzinfo)
        if zone:
            tagged["zone"] = zone
        return tagged
    if isinstance(value, Date):
        return {"$type": "date", "value": value.iso_format()}
    if isinstance(value, Time):
        if value.tzinfo is None:
            return {"$type": "localtime", "value": value.iso_format()}
        return {"$type": "time", "value": value.iso_format()}
    if isinstance(value, Duration):
        return {"$type": "duration", "value": value.iso_format(),
                "months": value.months, "days": value.days, "seconds": value.seconds,
                "nanoseconds": value.nanoseconds}
    if isinstance(value, Point):
        coords = " ".join(repr(float(c)) for c in value)
        return {"$type": "point", "value": f"SRID={value.srid};POINT({coords})", "srid": value.srid,
                "coordinates": [float(c) for c in value]}
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):  # not from the driver, but safe
        return encode_value(_from_python(value))
    return value


def _from_python(value):
    if isinstance(value, _dt.datetime):
        return DateTime.from_native(value)
    if isinstance(value, _dt.date):
        return Date.from_native(value)
    if isinstance(value, _dt.time):
        return Time.from_native(value)
    return Duration(seconds=value.total_seconds())


_OFFSET = re.compile(r"([+-]\d{2}:\d{2}(?::\d{2})?|Z)$")


def decode_value(value: Any) -> Any:
    """The inverse of encode_value: driver values the server stores as the original type."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind, text = value.get("$type"), value.get("value")
    try:
        if kind == "bytes":
            return base64.b64decode(text)
        if kind == "date":
            return Date.from_iso_format(text)
        if kind == "localtime":
            return Time.from_iso_format(text)
        if kind == "time":
            return Time.from_iso_format(text)
        if kind == "localdatetime":
            return DateTime.from_iso_format(text)
        if kind == "datetime":
            moment = DateTime.from_iso_format(text)
            if value.get("zone"):
                # pytz, as the driver itself uses: a zoneinfo tzinfo on a neo4j DateTime
                # crashed the interpreter (the C zoneinfo expects a datetime.datetime).
                import pytz

                zone = pytz.timezone(value["zone"])
                wall = moment.replace(tzinfo=None)
                offset = moment.utcoffset()
                candidates = [zone.localize(wall, is_dst=dst) for dst in (False, True)]
                moment = next((c for c in candidates if c.utcoffset() == offset), candidates[0])
            return moment
        if kind == "duration":
            return Duration(months=value["months"], days=value["days"], seconds=value["seconds"],
                            nanoseconds=value["nanoseconds"])
        if kind == "point":
            srid, coords = int(value["srid"]), tuple(float(c) for c in value["coordinates"])
            cls = WGS84Point if srid in (4326, 4979) else CartesianPoint
            return cls(coords)
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"a tagged {kind!r} value {text!r} cannot be read: {exc}") from None
    raise BackupError(f"unknown tagged value type {kind!r}")


def props_out(props: dict) -> dict:
    return {k: encode_value(v) for k, v in props.items()}


def props_in(props: dict) -> dict:
    return {k: decode_value(v) for k, v in props.items()}


# -- the shape of a decoded line (a forged archive must get a message, not a traceback) -----

_SCALARS = (str, bool, int, float)


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BackupError(f"{where}: a string holds an unpaired surrogate (not valid Unicode)") from None


def _kind(value: Any, where: str) -> str:
    """The storable kind of one scalar or tagged value (a list's items must share it)."""
    if isinstance(value, str):
        _check_text(value, where)
        return "str"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        if not -(1 << 63) <= value < (1 << 63):
            raise BackupError(f"{where}: the integer {value} does not fit in 64 bits")
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, dict):
        if not isinstance(value.get("$type"), str):
            raise BackupError(f"{where}: a map is not a property value (only tagged values "
                              "{\"$type\": ...} are)")
        return "$" + value["$type"]
    raise BackupError(f"{where}: {type(value).__name__} is not a property value")


def check_props(props: Any, where: str) -> None:
    """Property values are scalars, tagged values, or lists of one kind of them (no nesting)."""
    if not isinstance(props, dict):
        raise BackupError(f"{where}: props is a {type(props).__name__}, not a map of properties")
    for name, value in props.items():
        _check_text(name, where)
        at = f"{where}: property {name!r}"
        if value is None:
            raise BackupError(f"{at}: null is not a property value")
        if isinstance(value, list):
            kinds = set()
            for item in value:
                if isinstance(item, list) or item is None:
                    raise BackupError(f"{at}: a list holds {'a list' if item is not None else 'null'}; a "
                                      "property is a value or a list of values of one type")
                kinds.add(_kind(item, at))
            if len(kinds) > 1:
                raise BackupError(f"{at}: a list mixes {', '.join(sorted(k.lstrip('$') for k in kinds))}; "
                                  "a property list holds values of one type")
        else:
            _kind(value, at)


def _names(value: Any, what: str, where: str, many: bool = False) -> None:
    items = value if many and isinstance(value, list) else [value]
    if (many and not isinstance(value, list)) or not items or \
            not all(isinstance(v, str) and v for v in items):
        kind = "a non-empty list of non-empty strings" if many else "a non-empty string"
        raise BackupError(f"{where}: {what} must be {kind}")
    for v in items:
        _check_text(v, where)


def check_row(row: Any, node: bool, where: str) -> dict:
    """A node row {key, labels, props} or a relationship row {type, start, end, props}."""
    if not isinstance(row, dict):
        raise BackupError(f"{where}: not a JSON object")
    for name in ("key", "labels") if node else ("type", "start", "end"):
        if name not in row:
            raise BackupError(f"{where}: a {'node' if node else 'relationship'} row lacks {name!r}")
    if node:
        _names(row["key"], "key", where)
        _names(row["labels"], "labels", where, many=True)
    else:
        for name in ("type", "start", "end"):
            _names(row[name], name, where)
    check_props(row.get("props", {}), where)
    return row
