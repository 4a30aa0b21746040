"""The role thresholds of `kb analyse`: the defaults, or a thresholds file (YAML, JSON or
TOML; `--thresholds FILE` or the setting KB_ROLE_THRESHOLDS), read and checked with errors
that name the file, the line and the threshold."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.analytics.thresholds import RoleThresholds, ThresholdError
from kb.services import InputError
from kb.settings import Settings

SUFFIXES = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON", ".toml": "TOML"}
DEFAULTS = "defaults"


class ThresholdsFileError(InputError):
    """A thresholds file that cannot be used (the message says where and what)."""


@dataclass(frozen=True)
class ChosenThresholds:
    """The thresholds of a run and where they came from (`defaults` or the file's path)."""

    thresholds: RoleThresholds
    source: str = DEFAULTS


def _line_of(text: str, key: str) -> int | None:
    """The first line where `key` is written as a key (YAML/TOML `key:`/`key =`, JSON `"key":`)."""
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*[:=]", re.M)
    match = pattern.search(text) or re.search(r"[\"']" + re.escape(key) + r"[\"']\s*:", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _parse(path: Path, text: str, kind: str):
    try:
        if kind == "JSON":
            return json.loads(text)
        if kind == "TOML":
            return tomllib.loads(text)
        return yaml.safe_load(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ThresholdsFileError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsFileError(f"{path}: not valid TOML ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ThresholdsFileError(f"{path}{where}: not valid YAML ({problem})") from None


def read_thresholds(path: Path) -> RoleThresholds:
    """The thresholds in a YAML, JSON or TOML file: a table of `RoleThresholds` fields
    (docs/analytics.md, "Roles"); fields left out keep their defaults."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ThresholdsFileError(f"{path}: a thresholds file must end in .yaml, .yml, .json or .toml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ThresholdsFileError(f"{path}: no such thresholds file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ThresholdsFileError(f"{path}: cannot read it ({exc})") from None
    values = _parse(path, text, kind)
    if values is None:
        values = {}
    try:
        return RoleThresholds.from_dict(values)
    except ThresholdError as exc:
        line = _line_of(text, exc.key) if exc.key else None
        where = f", line {line}" if line else ""
        raise ThresholdsFileError(f"{path}{where}: {exc}") from None


def choose_thresholds(settings: Settings, path: Path | None = None) -> ChosenThresholds:
    """The thresholds of `kb analyse`: the file given, else KB_ROLE_THRESHOLDS, else the defaults."""
    path = path or settings.kb_role_thresholds
    if not path:
        return ChosenThresholds(RoleThresholds(), DEFAULTS)
    return ChosenThresholds(read_thresholds(Path(path)), str(path))


__all__ = ["DEFAULTS", "ChosenThresholds", "ThresholdsFileError", "choose_thresholds", "read_thresholds"]
