"""A one-page transfer brief: the assessment of one innovation for one locality
(kb/services/transfer.py) told so that an intermediary can send it to a colleague, in
Markdown or as a self-contained, printable HTML page (docs/transfer.md "The brief").

Every fact in it carries its citation, `[n: section]`, where n numbers a source in the list
at the end (title, author, publisher, year): the innovation, the locality's profile, each
precondition, element, place where it was adopted and each step of an introduction path.
Editors' judgements (the editors' reading of a source, not stated in it) and synthetic
(illustrative, invented) data are labelled on the line they concern, and the brief opens
with a warning when any synthetic data is in it.

`compose` is pure (an Assessment and the sources read for it); `make_brief` reads both.
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass, field

from kb.services import InputError
from kb.services.transfer import MAX_HOPS, Assessment, assess
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement

FORMATS = ("md", "html")
EDITORS_BADGE = "⚖ editors' judgement"
SYNTHETIC_BADGE = "⚗ synthetic"
KEY = (f"{EDITORS_BADGE}: the editors' reading of the source, not stated in it. {SYNTHETIC_BADGE}: illustrative "
       "data invented for the demonstration, not a fact from a source. [n: section]: source n in the list below, "
       "at that section or page.")
VERDICT_WORDS = {"met": "met", "unmet": "UNMET", "unknown": "unknown", "as_is": "travels as it is",
                 "adapt": "needs adapting", "unknown_element": "not known whether it travels"}


class BriefInputError(InputError):
    """A brief in a format that does not exist."""


@dataclass
class Item:
    text: str
    cites: list[tuple[int, str | None]] = field(default_factory=list)
    editors: bool = False
    synthetic: bool = False
    lead: str | None = None      # a verdict or role, in bold before the text


@dataclass
class Section:
    heading: str
    items: list[Item]
    empty: str = "none recorded"


@dataclass
class Brief:
    title: str
    summary: str
    score: float
    components: dict[str, float]
    sections: list[Section]
    references: list[dict]
    synthetic: bool
    editors: bool
    generated: str
    command: str
    assessment: Assessment | None = None   # what it tells (for a dossier drawn beside it)

    def markdown(self) -> str:
        return to_markdown(self)

    def html(self) -> str:
        return to_html(self)

    def render(self, fmt: str) -> str:
        check_format(fmt)
        return self.markdown() if fmt == "md" else self.html()


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise BriefInputError(f"--brief must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    return fmt


class _Citer:
    """Numbers the sources in the order they are first cited."""

    def __init__(self, sources: dict[str, dict]):
        self.sources, self.order = sources, []

    def __call__(self, source: str | None, section: str | None) -> list[tuple[int, str | None]]:
        if not source:
            return []
        if source not in self.order:
            self.order.append(source)
        return [(self.order.index(source) + 1, section)]

    def references(self) -> list[dict]:
        out = []
        for n, sid in enumerate(self.order, 1):
            s = self.sources.get(sid) or {"id": sid, "known": False}
            out.append({"number": n, "id": sid, "known": bool(s.get("known")), "title": s.get("title") or sid,
                        "author": s.get("author"), "publisher": s.get("publisher"), "year": s.get("year"),
                        "url": s.get("url")})
        return out


def cited_sources(a: Assessment) -> list[str]:
    """Every source id the assessment's facts cite, in the order the brief cites them."""
    ids = [a.innovation.get("source"), a.locality.get("source")]
    ids += [v.get("source") for v in a.preconditions] + [e.get("source") for e in a.elements]
    ids += [p.get("source") for p in a.places]
    ids += [link.get("cited") for p in a.paths for link in p["links"]]
    return list(dict.fromkeys(i for i in ids if i))


def _place_line(p: dict, inn: dict, cite: _Citer) -> Item:
    year = f" ({p['year']})" if p.get("year") else ""
    if p["role"] == "origin":
        return Item(f"{p['place']}{year}", cite(p.get("source") or inn.get("source"),
                                                  p.get("section") or inn.get("section")),
                    synthetic=p.get("synthetic") or inn.get("synthetic"), lead="started in")
    text = f"{p['place']}{year}: outcome **{p.get('outcome') or 'unknown'}**"
    if p.get("adaptation"):
        text += f"; what they changed: {p['adaptation']}"
    sim = p.get("similarity")
    text += f"; similarity to here {sim:.2f}" if sim is not None else "; similarity to here unknown"
    return Item(text, cite(p.get("source"), p.get("section")), synthetic=p.get("synthetic"), lead="adopted in")


def _path_line(p: dict, cite: _Citer) -> Item:
    def name(actor: dict) -> str:
        return actor["name"] + (" (⚗ invented)" if actor.get("synthetic") else "")

    chain = name(p["actors"][0])
    invented = []
    for a, b, link in zip(p["actors"], p["actors"][1:], p["links"]):
        chain += (" ⇢⚗ " if link.get("synthetic") else " → ") + name(b)
        if link.get("synthetic"):
            invented.append(f"{a['name']} – {b['name']}")
    text = f"{chain} ({p['hops']} step{'s' if p['hops'] != 1 else ''}, cost {p['cost']:g}"
    text += f"; known brokers: {', '.join(p['brokers'])})" if p["brokers"] else ")"
    if invented:
        text += (f". {len(invented)} of its {len(p['links'])} steps are invented ties ({'; '.join(invented)}): "
                 "do not contact anyone on the strength of this path")
    cites = []
    for link in p["links"]:
        for c in cite(link.get("cited"), link.get("section")):
            if c not in cites:
                cites.append(c)
    return Item(text, cites, synthetic=p.get("synthetic"))


def compose(a: Assessment, sources: dict[str, dict], *, generated: str | None = None) -> Brief:
    """The brief of an assessment; `sources` maps source ids to their rows (title, ...)."""
    cite = _Citer(sources)
    inn, here = a.innovation, a.locality
    about = Item(f"{inn['name']}: evidence level {a.evidence['level'] if a.evidence['level'] else 'not recorded'}"
                 + (f"; transferability: {inn['transferability']}" if inn.get("transferability") else ""),
                 cite(inn.get("source"), inn.get("section")), synthetic=inn.get("synthetic"), lead="the innovation")
    place = Item(f"{here['name']}: " + ", ".join(f"{k} {here[k]}" for k in ("country", "kind", "population")
                                                  if here.get(k) is not None),
                 cite(here.get("source"), here.get("section")), synthetic=here.get("synthetic"), lead="the locality")
    both = cite(inn.get("source"), inn.get("section")) + cite(here.get("source"), here.get("section"))
    both = list(dict.fromkeys(both))
    problems = [Item(p["name"], both, lead="exactly") for p in a.problems["exact"]]
    problems += [Item(f"{p['name']} ~ {p['like']} (cosine {p['similarity']})", both, lead="by meaning")
                 for p in a.problems["by_meaning"]]
    places = [_place_line(p, inn, cite) for p in a.places]
    failures = a.evidence.get("failures") or []
    places.append(Item("failed in " + ", ".join(failures) if failures else "none recorded", lead="failures"))
    pre = [Item(f"{v['description'] or v['precondition']} Fact: {v['fact']}.", cite(v.get("source"), v.get("section")),
                editors=v.get("editors_judgement"), synthetic=v.get("synthetic"), lead=VERDICT_WORDS[v["verdict"]])
           for v in a.preconditions]
    elements = []
    for e in a.elements:
        text = f"{e['name']} ({e['kind'] or 'kind not recorded'}): {e['why']}"
        if e["others_changed"]:
            text += "; adopters changed: " + "; ".join(f"{c['place']}: {c['adaptation']}" for c in e["others_changed"])
        verdict = VERDICT_WORDS["unknown_element" if e["verdict"] == "unknown" else e["verdict"]]
        elements.append(Item(text, cite(e.get("source"), e.get("section")), editors=e.get("editors_judgement"),
                             synthetic=e.get("synthetic"), lead=verdict))
    paths = [_path_line(p, cite) for p in a.paths]
    sections = [Section("What is assessed", [about, place]),
                Section("Problems matched", problems, "none"),
                Section("Preconditions", pre, "none recorded (the source is silent)"),
                Section("Elements: what travels", elements),
                Section("Where it has been: outcomes, failures included", places),
                Section("Introduction paths", paths, "no introduction path found")]
    items = [i for s in sections for i in s.items]
    return Brief(title=f"Could {inn['name']} work in {here['name']}?", summary=a.reason, score=a.score,
                 components=dict(a.components), sections=sections, references=cite.references(),
                 synthetic=bool(a.synthetic or any(i.synthetic for i in items)),
                 editors=any(i.editors for i in items),
                 generated=generated or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 command=f"kb assess {inn['id']} {here['id']} --brief md", assessment=a)


def read_sources(kb: KnowledgeBase, ids: list[str], timeout: float | None = None) -> dict[str, dict]:
    return {r["id"]: dict(r) for r in kb.read(statement("transfer/sources"), {"ids": ids}, timeout=timeout)}


def make_brief(kb: KnowledgeBase, innovation: str, locality: str, *, max_hops: int = MAX_HOPS,
               timeout: float | None = None, include_synthetic: bool = True) -> Brief:
    """The brief of `kb assess INNOVATION LOCALITY` (TransferInputError when either is unknown)."""
    a = assess(kb, innovation, locality, max_hops=max_hops, timeout=timeout, include_synthetic=include_synthetic)
    return compose(a, read_sources(kb, cited_sources(a), timeout=timeout))


# -- rendering ----------------------------------------------------------------------------------
def _reference_text(r: dict) -> str:
    who = r.get("author") or r.get("publisher") or "author not recorded"
    year = f" ({r['year']})" if r.get("year") else " (no date)"
    text = f"{who}{year}. {r['title']}."
    if r.get("publisher") and r.get("publisher") != who:
        text += f" {r['publisher']}."
    if r.get("url"):
        text += f" {r['url']}"
    if not r["known"]:
        text += " (this source id is not in the knowledge base's sources)"
    return text + f" [id: {r['id']}]"


def _cite_text(cites) -> str:
    return " ".join(f"[{n}: {s}]" if s else f"[{n}]" for n, s in cites) if cites else "[no source recorded]"


def _marks(item: Item) -> list[str]:
    return [m for m, on in ((EDITORS_BADGE, item.editors), (SYNTHETIC_BADGE, item.synthetic)) if on]


def _warning(b: Brief) -> str | None:
    if not b.synthetic:
        return None
    return ("This brief includes SYNTHETIC data (marked ⚗): illustrative, invented for the demonstration, not "
            "facts from a source. Do not act on those parts.")


def to_markdown(b: Brief) -> str:
    out = [f"# {b.title}", ""]
    if _warning(b):
        out += [f"> **{_warning(b)}**", ""]
    out += [f"**Score {b.score:g}.** {b.summary}", "",
            "| component | points |", "|---|---|"]
    out += [f"| {k.replace('_', ' ')} | {v:+g} |" for k, v in b.components.items()]
    out += [f"| **total** | **{b.score:g}** |", ""]
    for s in b.sections:
        out += [f"## {s.heading}", ""]
        if not s.items:
            out.append(f"- {s.empty}")
        for i in s.items:
            marks = "".join(f" *{m}*" for m in _marks(i))
            lead = f"**{i.lead}**: " if i.lead else ""
            cites = f" {_cite_text(i.cites)}" if i.lead not in ("failures",) else ""
            out.append(f"- {lead}{i.text}{cites}{marks}")
        out.append("")
    out += ["## Sources", ""]
    out += [f"{r['number']}. {_reference_text(r)}" for r in b.references] or ["- none recorded"]
    out += ["", f"*Marks.* {KEY}", "",
            f"*Generated {b.generated} by localinnovation-kb from its knowledge base (`{b.command}`).*", ""]
    return "\n".join(out)


CSS = """
@page { size: A4; margin: 12mm; }
body { font: 10pt/1.35 Georgia, 'Times New Roman', serif; color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 4pt; } h2 { font-size: 11pt; margin: 8pt 0 2pt; border-bottom: 1px solid #999; }
ul, ol { margin: 0; padding-left: 16pt; } li { margin: 1pt 0; } p { margin: 3pt 0; }
table { border-collapse: collapse; font-size: 9pt; margin: 3pt 0; } td, th { border: 1px solid #bbb; padding: 1pt 5pt; }
td.n { text-align: right; } .cite { color: #333; font-size: 8.5pt; }
.mark { font-size: 8.5pt; padding: 0 3pt; border-radius: 3pt; white-space: nowrap; }
.editors { background: #fff1c1; border: 1px solid #c9a227; } .synthetic { background: #eadcf5; border: 1px dashed #7b4fa0; }
.warning { border: 2px dashed #7b4fa0; background: #f6effb; padding: 4pt 6pt; font-weight: bold; }
.small { font-size: 8.5pt; color: #444; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def _inline(text: str) -> str:
    """Escaped text; **bold** kept as <b>."""
    parts = html.escape(text).split("**")
    return "".join(f"<b>{p}</b>" if n % 2 else p for n, p in enumerate(parts))


def to_html(b: Brief) -> str:
    e = html.escape
    body = [f"<h1>{e(b.title)}</h1>"]
    if _warning(b):
        body.append(f'<p class="warning">{e(_warning(b))}</p>')
    body.append(f"<p><b>Score {b.score:g}.</b> {e(b.summary)}</p>")
    body.append("<table><tr><th>component</th><th>points</th></tr>"
                + "".join(f'<tr><td>{e(k.replace("_", " "))}</td><td class="n">{v:+g}</td></tr>'
                          for k, v in b.components.items())
                + f'<tr><td><b>total</b></td><td class="n"><b>{b.score:g}</b></td></tr></table>')
    for s in b.sections:
        body.append(f"<h2>{e(s.heading)}</h2><ul>")
        if not s.items:
            body.append(f"<li>{e(s.empty)}</li>")
        for i in s.items:
            marks = "".join(f' <span class="mark {"editors" if m == EDITORS_BADGE else "synthetic"}">{e(m)}</span>'
                            for m in _marks(i))
            lead = f"<b>{e(i.lead)}</b>: " if i.lead else ""
            cites = f' <span class="cite">{e(_cite_text(i.cites))}</span>' if i.lead != "failures" else ""
            body.append(f"<li>{lead}{_inline(i.text)}{cites}{marks}</li>")
        body.append("</ul>")
    body.append("<h2>Sources</h2><ol>" + "".join(f"<li>{e(_reference_text(r))}</li>" for r in b.references)
                + "</ol>")
    body.append(f'<p class="small"><i>Marks.</i> {e(KEY)}</p>')
    body.append(f'<p class="small"><i>Generated {e(b.generated)} by localinnovation-kb from its knowledge base '
                f"(<code>{e(b.command)}</code>).</i></p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(b.title)}</title><style>{CSS}</style></head>\n<body>\n" + "\n".join(body)
            + "\n</body></html>\n")


__all__ = ["Brief", "BriefInputError", "EDITORS_BADGE", "FORMATS", "SYNTHETIC_BADGE", "check_format",
           "cited_sources", "compose", "make_brief", "read_sources", "to_html", "to_markdown"]
