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
