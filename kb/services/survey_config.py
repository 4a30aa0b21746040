"""A survey round's questions and scale: the defaults, or a YAML/JSON file (docs/surveys.md).

The default questions are this project's own wording in the style of NetForm surveys (the
report names the networks but does not print its questions): one "who do you go to ..."
question per network type of KB_NETWORK_TYPES. The default scale asks how often.

A config file:

    questions:                     # any subset of the network types, in the order asked
      - network: innovation
        text: Who do you go to to kick around a new idea?
    scale:                         # numeric values (the tie's weight) and their labels
      - {value: 1, label: Rarely}
      - {value: 2, label: Often}
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from kb.model import Problem
from kb.services import InputError

DEFAULT_QUESTIONS = {
    "work": "Who do you work with, or go to for information, to get your day-to-day work done?",
    "social": "Who do you check in with or spend time with socially, at or outside work?",
    "innovation": "Who do you go to to kick around a new idea or a new way of doing things?",
    "expertise": "Who do you go to for expert or technical advice?",
    "career": "Who do you go to for advice about your career and your future?",
    "learning": "Who do you go to when you want to learn how to improve the way something is done?",
    "strategic": "Who do you talk with about the strategic direction of your work or your organisation?",
}
DEFAULT_SCALE = [
    {"value": 1, "label": "Rarely (a few times a year)"},
    {"value": 2, "label": "Sometimes (about monthly)"},
    {"value": 3, "label": "Often (about weekly)"},
    {"value": 4, "label": "Very often (daily)"},
]


class SurveyConfigProblems(InputError):
    """A config file with problems, each located (file: field)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"Survey config refused: {len(problems)} problem(s); no round was created.")


def default_questions(network_types) -> list[dict]:
    return [{"network": n, "text": DEFAULT_QUESTIONS.get(n, f"Who do you go to in your {n} network?")}
            for n in network_types]


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def check_config(document, file: str, network_types) -> tuple[list[dict], list[dict]]:
    """The questions and scale of a parsed document; SurveyConfigProblems when wrong."""
    problems: list[Problem] = []
    if not isinstance(document, dict):
        raise SurveyConfigProblems([Problem(file, None, None, "expected a mapping with `questions` and/or `scale`")])
    unknown = sorted(set(document) - {"questions", "scale"})
    if unknown:
        problems.append(Problem(file, None, unknown[0], "unknown field; expected `questions` and `scale`"))
    questions = document.get("questions", default_questions(network_types))
    scale = document.get("scale", DEFAULT_SCALE)
    if not isinstance(questions, list) or not questions:
        problems.append(Problem(file, None, "questions", "expected a non-empty list of {network, text}"))
        questions = []
    seen = set()
    for n, q in enumerate(questions):
        where = f"questions[{n}]"
        if not isinstance(q, dict):
            problems.append(Problem(file, None, where, "expected {network: ..., text: ...}"))
            continue
        network = str(q.get("network") or "").strip()
        if network not in network_types:
            problems.append(Problem(file, None, f"{where}.network", f"{network!r} is not a network type "
                                    f"(one of {', '.join(network_types)}; KB_NETWORK_TYPES)"))
        elif network in seen:
            problems.append(Problem(file, None, f"{where}.network", f"{network!r} is asked twice"))
        seen.add(network)
        if not str(q.get("text") or "").strip():
            problems.append(Problem(file, None, f"{where}.text", "the question's text is missing"))
    if not isinstance(scale, list) or len(scale) < 2:
        problems.append(Problem(file, None, "scale", "expected a list of at least two {value, label}"))
        scale = []
    values = set()
    for n, step in enumerate(scale):
        where = f"scale[{n}]"
        if not isinstance(step, dict):
            problems.append(Problem(file, None, where, "expected {value: number, label: text}"))
            continue
        value = _number(step.get("value"))
        if value is None or value <= 0:
            problems.append(Problem(file, None, f"{where}.value", f"{step.get('value')!r} is not a number above 0 "
                                    "(it becomes the tie's weight)"))
        elif value in values:
            problems.append(Problem(file, None, f"{where}.value", f"{step.get('value')!r} is on the scale twice"))
        values.add(value)
        if not str(step.get("label") or "").strip():
            problems.append(Problem(file, None, f"{where}.label", "the label is missing"))
    if problems:
        raise SurveyConfigProblems(problems)
    return ([{"network": str(q["network"]).strip(), "text": str(q["text"]).strip()} for q in questions],
            [{"value": int(v) if float(v).is_integer() else v, "label": str(s["label"]).strip()}
             for s in scale for v in [_number(s["value"])]])


def read_config(path: str | Path | None, network_types) -> tuple[list[dict], list[dict]]:
    """The questions and scale of a YAML/JSON file, or the defaults when there is none."""
    if path is None:
        return default_questions(network_types), [dict(s) for s in DEFAULT_SCALE]
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyConfigProblems([Problem(file, None, None, f"cannot be read: {getattr(exc, 'strerror', None) or exc}")])
    try:
        if Path(path).suffix.lower() == ".json":
            document = json.loads(text)
        else:
            import yaml

            document = yaml.safe_load(text)
    except (ValueError, Exception) as exc:  # yaml.YAMLError and json.JSONDecodeError
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise SurveyConfigProblems([Problem(file, (line + 1) if line is not None else getattr(exc, "lineno", None),
                                            None, f"not valid {'JSON' if file.endswith('.json') else 'YAML'}: "
                                            f"{getattr(exc, 'problem', None) or getattr(exc, 'msg', None) or exc}")])
    return check_config(document, file, network_types)
