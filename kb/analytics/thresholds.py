"""Role thresholds: every number of the hub, gatekeeper and pulsetaker rules
(:mod:`kb.analytics.roles`), their defaults, and their validation when they come from
a thresholds file (`kb analyse --thresholds FILE`)."""

from __future__ import annotations

import difflib
import math
from dataclasses import asdict, dataclass, fields

MEASURE_LABELS = {
    "closeness": "closeness",
    "information_wf": "information centrality",
    "information": "information centrality",
    "two_step_reach": "2-step reach",
    "harmonic": "harmonic closeness",
}


@dataclass(frozen=True)
class RoleThresholds:
    """Thresholds of the role rules (defaults in brackets).

    hub_quantile [0.9]: a hub's in-degree is at least this quantile of all in-degrees
        in the network (top decile).
    hub_min_nominations [3]: and at least this many nominations received.
    gatekeeper_cut_vertex [True]: cut vertices count as gatekeepers.
    gatekeeper_min_cut_off [2]: ... if removing one cuts at least this many actors off
        the largest remaining part of its component (1 = any cut vertex; the default 2
        leaves out an actor whose only "gate" is one pendant contact).
    gatekeeper_brokerage_z [1.96]: Gould-Fernandez gatekeeper + representative z-score.
    gatekeeper_betweenness_residual [2.0]: standardised residual of betweenness on degree.
    pulsetaker_quantile [0.9]: top-decile cut for the pulsetaker measures.
    pulsetaker_measures [closeness, information_wf, two_step_reach]: measure columns.
    pulsetaker_min_hub_nominations [2]: nominated by at least this many hubs.
    """

    hub_quantile: float = 0.9
    hub_min_nominations: int = 3
    gatekeeper_cut_vertex: bool = True
    gatekeeper_min_cut_off: int = 2
    gatekeeper_brokerage_z: float = 1.96
    gatekeeper_betweenness_residual: float = 2.0
    pulsetaker_quantile: float = 0.9
    pulsetaker_measures: tuple[str, ...] = ("closeness", "information_wf", "two_step_reach")
    pulsetaker_min_hub_nominations: int = 2

    def to_dict(self) -> dict:
        d = asdict(self)
        d["pulsetaker_measures"] = list(self.pulsetaker_measures)
        return d

    def changed(self) -> dict:
        """The fields whose value differs from the default."""
        default = RoleThresholds().to_dict()
        return {k: v for k, v in self.to_dict().items() if v != default[k]}

    @classmethod
    def from_dict(cls, values: dict) -> "RoleThresholds":
        """Thresholds from a mapping of field names (e.g. a thresholds file); fields left
        out keep their defaults. Raises :class:`ThresholdError` naming the field.

        >>> RoleThresholds.from_dict({"hub_quantile": 0.8}).hub_quantile
        0.8
        >>> RoleThresholds.from_dict({"hub_quantil": 0.8})
        Traceback (most recent call last):
        ...
        kb.analytics.thresholds.ThresholdError: hub_quantil: unknown threshold (did you mean hub_quantile?)
        """
        if not isinstance(values, dict):
            raise ThresholdError("", f"expected a table of thresholds (name: value), got {type(values).__name__}")
        kinds = {f.name: f.type for f in fields(cls)}
        out = {}
        for key, value in values.items():
            if key not in kinds:
                near = difflib.get_close_matches(str(key), list(kinds), n=1)
                hint = f" (did you mean {near[0]}?)" if near else f" (known: {', '.join(kinds)})"
                raise ThresholdError(str(key), "unknown threshold" + hint)
            out[key] = _checked(key, value)
        return cls(**out)


class ThresholdError(ValueError):
    """A role threshold with a wrong name or value; ``key`` names it."""

    def __init__(self, key: str, problem: str):
        self.key, self.problem = key, problem
        super().__init__(f"{key}: {problem}" if key else problem)


_QUANTILES = ("hub_quantile", "pulsetaker_quantile")
_COUNTS = {"hub_min_nominations": 0, "gatekeeper_min_cut_off": 1, "pulsetaker_min_hub_nominations": 0}
_SCORES = ("gatekeeper_brokerage_z", "gatekeeper_betweenness_residual")


def _checked(key: str, value):
    """One threshold value checked against its field (see RoleThresholds)."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if key in _QUANTILES:
        if not number or not 0 <= value <= 1:
            raise ThresholdError(key, f"must be a number from 0 to 1 (a quantile), got {value!r}")
        return float(value)
    if key in _COUNTS:
        if not isinstance(value, int) or isinstance(value, bool) or value < _COUNTS[key]:
            raise ThresholdError(key, f"must be a whole number >= {_COUNTS[key]}, got {value!r}")
        return value
    if key in _SCORES:
        if not number or math.isnan(value):
            raise ThresholdError(key, f"must be a number (a z-score; .inf turns the rule off), got {value!r}")
        return float(value)
    if key == "gatekeeper_cut_vertex":
        if not isinstance(value, bool):
            raise ThresholdError(key, f"must be true or false, got {value!r}")
        return value
    # pulsetaker_measures
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ThresholdError(key, f"must be a list of measure names ({', '.join(MEASURE_LABELS)}), got {value!r}")
    unknown = [v for v in value if v not in MEASURE_LABELS]
    if unknown:
        raise ThresholdError(key, f"unknown measure {unknown[0]!r} (one of {', '.join(MEASURE_LABELS)})")
    return tuple(value)
