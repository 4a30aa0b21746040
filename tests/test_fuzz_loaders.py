"""Hostile and broken input for every loader format (hypothesis), against the real Neo4j.

For each generated file: `read_paths` never raises (bad data becomes located problems);
a refused load leaves the database unchanged; an accepted one is written, and
Cypher-looking text is stored verbatim as data (it never runs).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kb.settings import DEFAULT_NETWORK_TYPES
from kb.store.known_ids import known_ids
from kb.store.writer import write_batch
from loaders import LoadRefused, read_paths, validate

pytestmark = pytest.mark.reliability

CYPHER = "'}) MATCH (n) DETACH DELETE n //"
FUZZ = settings(max_examples=50, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

nasty_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from([CYPHER, "x" + CYPHER, "\x00", "a\x00b", "x" * 200_000, "=1+1", "'=1+1", '"', '""',
                     "\n", "\r\n", ";", ",", "\t", "\ufeff", "é", "null", "{}", "[]", "<a/>", "&amp;",
                     "-1", "1e999", "NaN", " ", "person", "community", "work"]),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="kb-fuzz-"))


def _state(kb):
    return kb.counts(), kb.read("MATCH (n) RETURN count(DISTINCT n.content_hash) AS h")[0]["h"]


def _encode(text: str, encoding: str, nul: bool) -> bytes:
    data = text.encode(encoding, errors="replace")
    if nul:
        data = data[: len(data) // 2] + b"\x00" + data[len(data) // 2:]
    return data


def _check(kb, paths, fmt=None) -> bool:
    """Read, validate, write; True when the load was accepted and written."""
    batch = read_paths(paths, fmt=fmt)  # must not raise
    for problem in batch.problems:
        assert problem.file and problem.message, problem
        str(problem)
    before = _state(kb)
    try:
        clean = validate(batch, DEFAULT_NETWORK_TYPES, known_ids(kb))
    except LoadRefused as exc:
        assert exc.problems
        assert all(p.file for p in exc.problems)
        assert _state(kb) == before, "a refused load changed the database"
        return False
    write_batch(kb, clean, DEFAULT_NETWORK_TYPES, progress=False)
    after = _state(kb)
    assert after[0]["nodes"] >= before[0]["nodes"], "an accepted load removed nodes"
    return True


def _csv_text(header, rows, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# -- CSV entity tables ------------------------------------------------------------------------

ENTITY_TABLES = {
    "problems": ["id", "name", "description"],
    "localities": ["id", "name", "country", "problems"],
    "organisations": ["id", "name", "org_type", "layer", "locality"],
    "people": ["id", "name", "role", "layer", "organisations"],
    "ties": ["from", "to", "network", "weight", "date"],
    "sources": ["id", "title", "year", "url"],
}


@FUZZ
@given(table=st.sampled_from(sorted(ENTITY_TABLES)), data=st.data(), encoding=encodings, nul=st.booleans(),
       delimiter=st.sampled_from([",", ";", "\t"]), mangle=st.sampled_from(["none", "drop", "dup", "shuffle"]))
def test_entity_tables(kb, table, data, encoding, nul, delimiter, mangle):
    header = list(ENTITY_TABLES[table])
    if mangle == "drop":
        header = header[1:]
    elif mangle == "dup":
        header = header + [header[0]]
    elif mangle == "shuffle":
        header = list(reversed(header))
    rows = data.draw(st.lists(st.lists(nasty_text, min_size=0, max_size=len(header) + 1), max_size=4))
    folder = _tmp()
    try:
        (folder / f"{table}.csv").write_bytes(_encode(_csv_text(header, rows, delimiter), encoding, nul))
        _check(kb, [folder])
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(names=st.lists(nasty_text, min_size=1, max_size=3), bom=st.booleans())
def test_cypher_like_text_is_stored_verbatim(kb, names, bom):
    """A valid table whose names are hostile: the text is data, stored exactly."""
    # (cells over the loader's length limit are refused, as test_entity_tables covers)
    names = [n for n in names if n.strip() and "\x00" not in n and not n.startswith("'") and len(n) < 1000] + [CYPHER[1:], "x" + CYPHER]
    folder = _tmp()
    try:
        rows = [[f"fuzz_{i}", name] for i, name in enumerate(names)]
        text = _csv_text(["id", "name"], rows)
        (folder / "problems.csv").write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        assert _check(kb, [folder])
        stored = {r["id"]: r["name"] for r in kb.read(
            "MATCH (p:Problem) WHERE p.id STARTS WITH 'fuzz_' RETURN p.id AS id, p.name AS name")}
        for i, name in enumerate(names):
            expected = name.strip()
            assert stored[f"fuzz_{i}"] in (expected, expected.replace("\r\n", "\n")), (name, stored[f"fuzz_{i}"])
    finally:
        shutil.rmtree(folder)


# -- survey and Kumu CSV ----------------------------------------------------------------------

@FUZZ
@given(data=st.data(), encoding=encodings, nul=st.booleans(),
       kind=st.sampled_from(["survey", "kumu-elements", "kumu-both", "kumu-connections-only"]))
def test_survey_and_kumu(kb, data, encoding, nul, kind):
    folder = _tmp()
    try:
        def rows(width):
            return data.draw(st.lists(st.lists(nasty_text, min_size=0, max_size=width + 1), max_size=4))

        if kind == "survey":
            header = data.draw(st.permutations(["respondent", "contact", "question", "network", "weight",
                                                "respondent_layer", "contact_layer"]))
            header = header[: data.draw(st.integers(2, len(header)))]
            files = {"survey.csv": (header, rows(len(header)))}
            fmt = data.draw(st.sampled_from([None, "survey"]))
        else:
            elements = ["Label", "Type", "Layer", "Description", "ID"]
            connections = ["From", "To", "Type", "Weight"]
            files = {}
            if kind != "kumu-connections-only":
                files["elements.csv"] = (elements[: data.draw(st.integers(1, 5))], rows(5))
            if kind != "kumu-elements":
                files["connections.csv"] = (connections[: data.draw(st.integers(1, 4))], rows(4))
            fmt = data.draw(st.sampled_from([None, "kumu"]))
        for name, (header, body) in files.items():
            if data.draw(st.booleans()):
                header = header + header[:1]  # a duplicated column
            (folder / name).write_bytes(_encode(_csv_text(header, body), encoding, nul))
        _check(kb, [folder], fmt=fmt)
    finally:
        shutil.rmtree(folder)


# -- JSON and YAML documents ------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(nasty_text, inner, max_size=3)),
    max_leaves=15)

document = st.fixed_dictionaries({}, optional={
    "source": nasty_text, "synthetic": st.one_of(st.booleans(), nasty_text),
    "case_study": st.one_of(json_values, st.fixed_dictionaries({"id": nasty_text, "title": nasty_text})),
    "people": st.one_of(json_values, st.lists(st.fixed_dictionaries(
        {"id": nasty_text, "name": nasty_text, "layer": st.sampled_from(["community", "national", "x"])}), max_size=3)),
    "ties": st.one_of(json_values, st.lists(st.dictionaries(st.sampled_from(["from", "to", "network", "weight"]),
                                                            json_values), max_size=3)),
    "innovations": json_values,
    "junk": json_values,
})


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@FUZZ
@given(doc=st.one_of(document, json_values), suffix=st.sampled_from([".json", ".yaml", ".yml"]),
       hostile=st.sampled_from(["none", "deep", "alias", "bomb", "bad-utf8", "bom", "tag", "nul", "truncated"]))
def test_documents(kb, doc, suffix, hostile):
    if suffix == ".json":
        text = json.dumps(doc)
    else:
        import yaml

        text = yaml.safe_dump(doc, allow_unicode=True)
    raw = text.encode("utf-8")
    if hostile == "deep":
        raw = _deep(100_000).encode()
    elif hostile == "alias" and suffix != ".json":
        raw = b"a: &x [1, 2]\nb: *x\npeople:\n  - &p {id: p1, name: P, layer: community}\n  - *p\n"
    elif hostile == "bomb" and suffix != ".json":
        lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        for i in range(1, 9):
            prev = chr(ord("a") + i - 1)
            cur = chr(ord("a") + i)
            lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
        raw = "\n".join(lines).encode()
    elif hostile == "bad-utf8":
        raw = text.encode("latin-1", errors="replace") + b"\xe9\xff"
    elif hostile == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif hostile == "tag" and suffix != ".json":
        raw = b"!!python/object/apply:os.system ['echo hacked']\n"
    elif hostile == "nul":
        raw = raw[:1] + b"\x00" + raw[1:]
    elif hostile == "truncated":
        raw = raw[: max(1, len(raw) // 2)]
    folder = _tmp()
    try:
        (folder / f"doc{suffix}").write_bytes(raw)
        _check(kb, [folder])
    finally:
        shutil.rmtree(folder)


# -- GraphML and GEXF -------------------------------------------------------------------------

def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def _graphml(nodes, edges, directed) -> str:
    keys = ('<key id="d0" for="node" attr.name="label" attr.type="string"/>'
            '<key id="d1" for="node" attr.name="layer" attr.type="string"/>'
            '<key id="d2" for="node" attr.name="type" attr.type="string"/>'
            '<key id="d3" for="edge" attr.name="network" attr.type="string"/>'
            '<key id="d4" for="edge" attr.name="weight" attr.type="double"/>')
    body = "".join(f'<node id="{_xml_escape(i)}"><data key="d0">{_xml_escape(label)}</data>'
                   f'<data key="d1">{_xml_escape(layer)}</data><data key="d2">{_xml_escape(kind)}</data></node>'
                   for i, label, layer, kind in nodes)
    body += "".join(f'<edge source="{_xml_escape(s)}" target="{_xml_escape(t)}"><data key="d3">{_xml_escape(n)}</data>'
                    f'<data key="d4">{_xml_escape(w)}</data></edge>' for s, t, n, w in edges)
    return (f'<?xml version="1.0" encoding="UTF-8"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">{keys}'
            f'<graph edgedefault="{"directed" if directed else "undirected"}">{body}</graph></graphml>')


def _gexf(nodes, edges, directed) -> str:
    attrs = ('<attributes class="node"><attribute id="0" title="layer" type="string"/>'
             '<attribute id="1" title="type" type="string"/></attributes>'
             '<attributes class="edge"><attribute id="0" title="network" type="string"/></attributes>')
    body = "<nodes>" + "".join(
        f'<node id="{_xml_escape(i)}" label="{_xml_escape(label)}"><attvalues>'
        f'<attvalue for="0" value="{_xml_escape(layer)}"/><attvalue for="1" value="{_xml_escape(kind)}"/>'
        f'</attvalues></node>' for i, label, layer, kind in nodes) + "</nodes><edges>"
    body += "".join(f'<edge id="e{k}" source="{_xml_escape(s)}" target="{_xml_escape(t)}" weight="{_xml_escape(w)}">'
                    f'<attvalues><attvalue for="0" value="{_xml_escape(n)}"/></attvalues></edge>'
                    for k, (s, t, n, w) in enumerate(edges)) + "</edges>"
    return (f'<?xml version="1.0" encoding="UTF-8"?><gexf xmlns="http://gexf.net/1.3" version="1.3">{attrs[:0]}'
            f'<graph defaultedgetype="{"directed" if directed else "undirected"}">{attrs}{body}</graph></gexf>')


XML_ATTACKS = {
    "billion-laughs": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
                      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><graphml><graph><node id="&lol3;"/></graph></graphml>',
    "external-entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                       '<gexf><graph><nodes><node id="a" label="&xxe;"/></nodes></graph></gexf>',
    "dtd-only": '<?xml version="1.0"?><!DOCTYPE graphml SYSTEM "http://example.invalid/x.dtd"><graphml/>',
    "not-xml": "hello, world",
    "empty": "",
    "wrong-root": "<html><body/></html>",
    "unclosed": '<graphml><graph><node id="a">',
}


@FUZZ
@given(fmt=st.sampled_from(["graphml", "gexf"]),
       nodes=st.lists(st.tuples(nasty_text, nasty_text, st.sampled_from(["community", "national", "", "x"]),
                                st.sampled_from(["person", "organisation", "", "robot"])), max_size=4),
       edge_ends=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), nasty_text, nasty_text), max_size=4),
       directed=st.booleans(), attack=st.sampled_from([None, None, None, *XML_ATTACKS]),
       latin1=st.booleans())
def test_graphml_and_gexf(kb, fmt, nodes, edge_ends, directed, attack, latin1):
    nodes = [(i.replace("\x00", ""), label.replace("\x00", ""), layer, kind) for i, label, layer, kind in nodes]
    ids = [n[0] for n in nodes] or ["a"]
    edges = [(ids[s % len(ids)], ids[t % len(ids)], n.replace("\x00", ""), w.replace("\x00", ""))
             for s, t, n, w in edge_ends]
    if attack:
        text = XML_ATTACKS[attack]
    else:
        text = (_graphml if fmt == "graphml" else _gexf)(nodes, edges, directed)
    raw = text.encode("latin-1", errors="replace") if latin1 else text.encode("utf-8")
    folder = _tmp()
    try:
        (folder / f"net.{fmt}").write_bytes(raw)
        accepted = _check(kb, [folder])
        if attack in ("billion-laughs", "external-entity", "dtd-only"):
            assert not accepted
        if accepted:
            for _, label, _, _ in nodes:
                if label == CYPHER:
                    assert kb.read("MATCH (a:Actor {name: $n}) RETURN count(a) AS c", {"n": CYPHER})[0]["c"] >= 1
    finally:
        shutil.rmtree(folder)
