"""Whole-load validation: every problem at once, before anything is written.

Checks: vocabularies (layer, network type, lifecycle stage, outcome, quality, evidence
level), the same key with conflicting values, an id used by both an organisation and a
person, and references to unknown entities (looked up in the load itself, then in the
database through `known_ids`).
"""

from __future__ import annotations

from typing import Callable, Iterable

from kb.model import (ADOPTION_OUTCOMES, ELEMENT_KINDS, ELEMENT_TRAVELS, ENTITIES, LAYER_LINK_QUALITIES, LAYERS,
                      LIFECYCLE_STAGES, PRECONDITION_FIELDS, PRECONDITION_KINDS, LoadBatch, Problem, Record, gc_paused)
from loaders.rows import shown

KnownIds = Callable[[str, set[str]], set[str]]
# A tie's weight is a strength (survey strengths are 1 to 5; counts of contacts are more):
# finite, at least 0 and at most this, so that sums over many ties stay finite.
MAX_TIE_WEIGHT = 1_000_000
# What a reference names, for messages ("refers to unknown locality 'x'"); rstrip("s") made
# "localitie" and "case studie" of the table names.
_REFERENCE_NAMES = {"actors": "actor (organisation or person)", "localities": "locality", "problems": "problem",
                    "case_studies": "case study", "organisations": "organisation", "people": "person",
                    "funding": "funding instrument", "innovations": "innovation", "sources": "source",
                    "elements": "element"}


class LoadRefused(Exception):
    """The load was refused; nothing was written. `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(str(p) for p in problems))


def _vocabularies(network_types: Iterable[str]) -> dict[str, tuple[str, ...]]:
    return {"layer": tuple(LAYERS), "network": tuple(network_types), "lifecycle_stage": LIFECYCLE_STAGES,
            "outcome": ADOPTION_OUTCOMES, "quality": LAYER_LINK_QUALITIES, "element_kind": ELEMENT_KINDS,
            "travels": ELEMENT_TRAVELS, "precondition_kind": PRECONDITION_KINDS}


def _dedupe(batch: LoadBatch, problems: list[Problem]) -> dict[str, list[Record]]:
    """Identical repeats collapse to one record; the same key with other values is an error."""
    unique: dict[str, list[Record]] = {}
    for name, records in batch.records.items():
        seen: dict[tuple, Record] = {}
        for record in records:
            first = seen.setdefault(record.key, record)
            if first is record:
                continue
            if _content(first) != _content(record):
                diff = sorted(k for k in set(first.values) | set(record.values)
                              if first.values.get(k) != record.values.get(k) and k not in ("notes",))
                if not diff:
                    continue
                key = "/".join(str(k) for k in record.key if k is not None)
                problems.append(Problem(record.origin.file, record.origin.row, diff[0],
                                        f"{ENTITIES[name].label} {key!r} is also defined at "
                                        f"{first.origin.at()} with a different {', '.join(diff)}"))
        unique[name] = list(seen.values())
    return unique


def _content(record: Record) -> dict:
    return {k: v for k, v in record.values.items() if k != "notes"}


def _values_in_range(name: str, records: list[Record], vocab: dict[str, tuple[str, ...]]) -> bool:
    """Does every value of these records lie in its vocabulary and range? A column at a
    time (1M ties are 1M records); _value_problems then says which do not, row by row."""
    for column in ENTITIES[name].columns:
        if column.vocabulary:
            allowed = set(vocab[column.vocabulary])
            allowed.add(None)
            if not all(r.values.get(column.name) in allowed for r in records):
                return False
    if name == "innovations":
        return all(1 <= level <= 5 for level in (r.values.get("evidence_level") for r in records)
                   if level is not None)
    if name in ("preconditions", "elements", "adoptions", "localities"):
        return False  # few rows: _value_problems checks them one by one
    if name == "ties":
        return (all(0 <= weight <= MAX_TIE_WEIGHT for weight in (r.values.get("weight") for r in records)
                    if weight is not None)
                and all(r.values["from"] != r.values["to"] for r in records))
    return True


def _value_problems(name: str, records: list[Record], vocab: dict[str, tuple[str, ...]]) -> list[Problem]:
    problems = []
    entity = ENTITIES[name]
    for record in records:
        for column in entity.columns:
            value = record.values.get(column.name)
            if value is None:
                continue
            if column.vocabulary and value not in vocab[column.vocabulary]:
                problems.append(Problem(record.origin.file, record.origin.row, column.name,
                                        f"unknown {column.vocabulary.replace('_', ' ')} {value!r}; expected one "
                                        f"of {', '.join(vocab[column.vocabulary])}"))
        level = record.values.get("evidence_level")
        if name == "innovations" and level is not None and not 1 <= level <= 5:
            problems.append(Problem(record.origin.file, record.origin.row, "evidence_level",
                                    f"evidence level {level} is outside Nesta's standards 1 to 5"))
        if name in ("preconditions", "elements", "adoptions", "localities"):
            problems.extend(transfer_problems(name, record))
        if name == "ties":
            weight = record.values.get("weight")
            if weight is not None and weight < 0:
                problems.append(Problem(record.origin.file, record.origin.row, "weight",
                                        "a tie's weight cannot be negative"))
            elif weight is not None and weight > MAX_TIE_WEIGHT:
                problems.append(Problem(record.origin.file, record.origin.row, "weight",
                                        f"a tie's weight of {weight:g} is over the limit of {MAX_TIE_WEIGHT:,}"))
            if record.values["from"] == record.values["to"]:
                problems.append(Problem(record.origin.file, record.origin.row, "to",
                                        f"a tie from {shown(record.values['from'])} to itself: a tie joins two "
                                        "different actors"))
    return problems


def transfer_problems(name: str, record: Record) -> list[Problem]:
    """The model of transfer (docs/transfer.md): a precondition has the structured field its
    kind is checked on, a sane population band; numbers of people are not negative."""
    out, v = [], record.values
    where = (record.origin.file, record.origin.row)
    if name == "preconditions" and v.get("kind") in PRECONDITION_FIELDS:
        fields = PRECONDITION_FIELDS[v["kind"]]
        if all(v.get(f) is None for f in fields):
            out.append(Problem(*where, fields[0], f"a precondition of kind {v['kind']!r} needs "
                                                  f"{' or '.join(fields)}: the fact it is checked on"))
        low, high = v.get("population_min"), v.get("population_max")
        for column, value in (("population_min", low), ("population_max", high)):
            if value is not None and value < 0:
                out.append(Problem(*where, column, "a population cannot be negative"))
        if low is not None and high is not None and low > high:
            out.append(Problem(*where, "population_max", f"population_max {high} is below population_min {low}"))
    if name == "localities" and v.get("population") is not None and v["population"] < 0:
        out.append(Problem(*where, "population", "a population cannot be negative"))
    if name == "localities":
        out.extend(coordinate_problems(record))
    return out


def coordinate_problems(record: Record) -> list[Problem]:
    """A locality's optional point on the map: latitude -90 to 90, longitude -180 to 180
    (decimal degrees, WGS 84), both or neither."""
    out, v = [], record.values
    where = (record.origin.file, record.origin.row)
    lat, lon = v.get("latitude"), v.get("longitude")
    if lat is not None and not -90 <= lat <= 90:
        out.append(Problem(*where, "latitude", f"a latitude of {lat:g} is outside -90 to 90 (decimal degrees)"))
    if lon is not None and not -180 <= lon <= 180:
        out.append(Problem(*where, "longitude", f"a longitude of {lon:g} is outside -180 to 180 (decimal degrees)"))
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        out.append(Problem(*where, missing, f"a locality with a {'latitude' if lat is not None else 'longitude'} "
                                            f"needs a {missing} too (or neither)"))
    return out


def _elements_belong(unique: dict[str, list[Record]], problems: list[Problem]) -> None:
    """An element named by a precondition or an adoption (in this load) is one of the same
    innovation's elements."""
    owner = {r.values["id"]: r.values["innovation"] for r in unique.get("elements", [])}
    for name, column in (("preconditions", "element"), ("adoptions", "elements")):
        for record in unique.get(name, []):
            value = record.values.get(column)
            for item in (value if isinstance(value, list) else [value] if value else []):
                if item in owner and owner[item] != record.values["innovation"]:
                    problems.append(Problem(record.origin.file, record.origin.row, column,
                                            f"element {item!r} is an element of innovation {owner[item]!r}, "
                                            f"not of {record.values['innovation']!r}"))


@gc_paused()
def validate(batch: LoadBatch, network_types: Iterable[str], known_ids: KnownIds | None = None) -> LoadBatch:
    """Return a batch of unique records, or raise LoadRefused with every problem found."""
    problems = list(batch.problems)
    vocab = _vocabularies(network_types)
    unique = _dedupe(batch, problems)

    for name, records in unique.items():
        if not _values_in_range(name, records, vocab):
            problems.extend(_value_problems(name, records, vocab))
    _elements_belong(unique, problems)

    # Organisations and people share one actor id space (ties point at either).
    orgs = {r.values["id"]: r for r in unique["organisations"]}
    for person in unique["people"]:
        other = orgs.get(person.values["id"])
        if other is not None:
            problems.append(Problem(person.origin.file, person.origin.row, "id",
                                    f"id {person.values['id']!r} is already an organisation at {other.origin.at()}; "
                                    "organisations and people need different ids"))
    # ... and with the knowledge base: the writer MERGEs both on (:Actor {id}), so a person
    # loaded with an organisation's id would silently become both.
    if known_ids:
        for name, other_name, what in (("people", "organisations", "an organisation"),
                                       ("organisations", "people", "a person")):
            mine = {r.values["id"] for r in unique[name]} - {r.values["id"] for r in unique[other_name]}
            taken = known_ids(other_name, mine) if mine else set()
            for record in unique[name]:
                if record.values["id"] in taken:
                    problems.append(Problem(record.origin.file, record.origin.row, "id",
                                            f"id {record.values['id']!r} is already {what} in the knowledge base; "
                                            "organisations and people need different ids"))

    # References: in this load, else in the database.
    in_load: dict[str, set[str]] = {name: {r.values["id"] for r in unique[name]}
                                    for name, e in ENTITIES.items() if e.key == ("id",)}
    in_load["actors"] = in_load["organisations"] | in_load["people"]
    wanted: dict[str, set[str]] = {}
    refs: list[tuple[Record, str, str, str]] = []
    for name, records in unique.items():
        for column in ENTITIES[name].columns:
            if not column.refers_to:
                continue
            targets = in_load[column.refers_to]
            for record in records:
                value = record.values.get(column.name)
                if value is None or value.__class__ is str and value in targets:
                    continue
                for item in (value if isinstance(value, list) else [value]):
                    if item not in targets:
                        wanted.setdefault(column.refers_to, set()).add(item)
                        refs.append((record, column.name, column.refers_to, item))
    found: dict[str, set[str]] = {}
    for target, ids in wanted.items():
        found[target] = known_ids(target, ids) if known_ids else set()
    for record, column, target, item in refs:
        if item not in found[target]:
            what = _REFERENCE_NAMES.get(target, target)
            problems.append(Problem(record.origin.file, record.origin.row, column,
                                    f"refers to unknown {what} {item!r}"))

    if problems:
        raise LoadRefused(problems)
    clean = LoadBatch(files=list(batch.files))
    for name, records in unique.items():
        clean.records[name] = records
    return clean
