"""The knowledge base's entities: their columns, types, vocabularies, labels and keys.

One spec per table of docs/casebase-format.md. Every reader produces `Record`s of these
entities, so validation and the writer are shared by all formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LAYERS", "LAYER_ORDER", "LIFECYCLE_STAGES", "ADOPTION_OUTCOMES", "LAYER_LINK_QUALITIES", "PROVENANCE",
           "ELEMENT_KINDS", "ELEMENT_TRAVELS", "PRECONDITION_KINDS", "PRECONDITION_FIELDS",
           "ID_PATTERN", "LIST_SEPARATOR", "Column", "Entity", "ENTITIES", "WRITE_ORDER", "ACTOR_ENTITIES",
           "REFERENCE_LABELS", "TIE_TYPE", "ACTOR_LABEL"]

LAYERS = {
    "national": "National and regional bodies",
    "local_authority": "Local authority (strategic)",
    "sectoral": "Sectoral services and agencies",
    "frontline": "Frontline units",
    "community": "Individuals, service users, residents and community/voluntary groups",
}
LAYER_ORDER = tuple(LAYERS)
LIFECYCLE_STAGES = ("identify_problems", "generate_ideas", "develop_proposals", "implement", "evaluate", "diffuse")
ADOPTION_OUTCOMES = ("successful", "promising", "mixed", "failed", "ongoing", "unknown")
LAYER_LINK_QUALITIES = ("rich_dense", "thin_atrophied", "fragmented", "mixed")
PROVENANCE = ("source", "section", "synthetic", "notes")
# The separable parts of an innovation (docs/model.md "Elements and preconditions").
ELEMENT_KINDS = ("method", "tool", "governance", "funding_model", "practice")
# Whether an element travels as it is, needs adapting, or nobody has said.
ELEMENT_TRAVELS = ("as_is", "adapt", "unknown")
# Each kind of precondition and the structured columns it is checked on (at least one of
# them must be filled); docs/transfer.md gives each kind's check against a locality.
PRECONDITION_FIELDS = {
    "support": ("layer", "org_type"),        # support from a layer or an organisation type
    "partner": ("org_type", "layer"),        # a kind of partner present in the place
    "funding": ("instrument_type",),         # a funding instrument of a type
    "population": ("population_min", "population_max"),
    "place_kind": ("place_kind",),           # city, local authority area, rural area ...
    "country": ("country",),
    "legal_system": ("legal_system",),
    "capacity": ("capacity",),               # a skill or capacity held in the place
    "problem": ("problem",),                 # the place faces a problem (e.g. vacant properties)
}
PRECONDITION_KINDS = tuple(PRECONDITION_FIELDS)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "str"          # str, int, float, bool, list, year, date
    required: bool = False
    refers_to: str | None = None  # entity whose id this column holds (for lists: each item)
    vocabulary: str | None = None  # layer, network, lifecycle_stage, outcome, quality, element_kind, travels,
    #                                precondition_kind


@dataclass(frozen=True)
class Entity:
    name: str                  # table name == CSV file stem == Excel sheet name
    label: str                 # Neo4j label
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _cols(*columns: Column) -> tuple[Column, ...]:
    return (*columns, Column("source", refers_to="sources"), Column("section"),
            Column("synthetic", "bool"), Column("notes"))


ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity("sources", "Source", (Column("id", required=True), Column("title", required=True), Column("author"),
                                 Column("publisher"), Column("year", "year"), Column("url"), Column("notes"))),
    Entity("problems", "Problem", _cols(Column("id", required=True), Column("name", required=True),
                                        Column("description"))),
    Entity("localities", "Locality", _cols(
        Column("id", required=True), Column("name", required=True), Column("country", required=True),
        Column("region"), Column("kind"), Column("problems", "list", refers_to="problems"),
        Column("population", "int"), Column("governance"), Column("legal_system"), Column("capacities", "list"),
        Column("latitude", "float"), Column("longitude", "float"))),
    Entity("case_studies", "CaseStudy", _cols(
        Column("id", required=True), Column("title", required=True),
        Column("locality", required=True, refers_to="localities"), Column("year", "year"),
        Column("summary"), Column("findings"))),
    Entity("organisations", "Organisation", _cols(
        Column("id", required=True), Column("name", required=True), Column("org_type"),
        Column("layer", required=True, vocabulary="layer"), Column("locality", refers_to="localities"),
        Column("sector"), Column("case_study", refers_to="case_studies"))),
    Entity("people", "Person", _cols(
        Column("id", required=True), Column("name", required=True), Column("role"),
        Column("layer", required=True, vocabulary="layer"),
        Column("organisations", "list", refers_to="organisations"),
        Column("locality", refers_to="localities"), Column("case_study", refers_to="case_studies"))),
    Entity("funding", "FundingInstrument", _cols(
        Column("id", required=True), Column("name", required=True), Column("instrument_type"),
        Column("funder", refers_to="organisations"), Column("description"))),
    Entity("innovations", "Innovation", _cols(
        Column("id", required=True), Column("name", required=True), Column("description"), Column("sector"),
        Column("problems", "list", refers_to="problems"),
        Column("lifecycle_stage", vocabulary="lifecycle_stage"), Column("evidence_level", "int"),
        Column("outcomes"), Column("resources"), Column("cost"), Column("transferability"),
        Column("preconditions"), Column("origin_locality", refers_to="localities"),
        Column("origin_year", "year"), Column("originators", "list", refers_to="actors"),
        Column("derived_from", refers_to="innovations"), Column("funded_by", "list", refers_to="funding"),
        Column("case_study", refers_to="case_studies"))),
    Entity("adoptions", "Adoption", _cols(
        Column("innovation", required=True, refers_to="innovations"),
        Column("locality", required=True, refers_to="localities"), Column("year", "year"),
        Column("outcome", vocabulary="outcome"), Column("adaptation"),
        Column("adopters", "list", refers_to="actors"), Column("elements", "list", refers_to="elements")),
        key=("innovation", "locality")),
    Entity("elements", "Element", _cols(
        Column("id", required=True), Column("innovation", required=True, refers_to="innovations"),
        Column("name", required=True), Column("kind", vocabulary="element_kind"), Column("description"),
        Column("travels", vocabulary="travels"), Column("transferability"),
        Column("editors_judgement", "bool"))),
    Entity("preconditions", "Precondition", _cols(
        Column("id", required=True), Column("innovation", required=True, refers_to="innovations"),
        Column("element", refers_to="elements"), Column("kind", required=True, vocabulary="precondition_kind"),
        Column("description", required=True), Column("layer", vocabulary="layer"), Column("org_type"),
        Column("instrument_type"), Column("problem", refers_to="problems"), Column("place_kind"),
        Column("country"), Column("legal_system"), Column("population_min", "int"),
        Column("population_max", "int"), Column("capacity"), Column("editors_judgement", "bool"))),
    Entity("ties", "TIE", _cols(
        Column("from", required=True, refers_to="actors"), Column("to", required=True, refers_to="actors"),
        Column("network", required=True, vocabulary="network"), Column("weight", "float"),
        Column("date", "date"), Column("round")), key=("from", "to", "network", "round")),
    Entity("layer_links", "LayerLink", _cols(
        Column("locality", required=True, refers_to="localities"),
        Column("from_layer", required=True, vocabulary="layer"),
        Column("to_layer", required=True, vocabulary="layer"),
        Column("quality", required=True, vocabulary="quality"), Column("description")),
        key=("locality", "from_layer", "to_layer")),
)}

# Write order: referenced entities before the ones referring to them.
WRITE_ORDER = ("sources", "problems", "localities", "case_studies", "organisations", "people", "funding",
               "innovations", "elements", "preconditions", "adoptions", "ties", "layer_links")
ACTOR_ENTITIES = ("organisations", "people")

# Every actor (organisation or person) also carries this label; ties run between actors.
ACTOR_LABEL = "Actor"
# The relationship type of a tie (the `ties` table); its network type is a property.
TIE_TYPE = ENTITIES["ties"].label
# The label whose ids a reference column holds ("actors": organisations and people alike).
REFERENCE_LABELS = {"actors": ACTOR_LABEL, **{name: ENTITIES[name].label for name in
                                             ("localities", "problems", "case_studies", "organisations", "people",
                                              "funding", "innovations", "sources", "elements")}}
