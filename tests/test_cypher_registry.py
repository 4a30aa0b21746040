"""One Cypher registry: every statement is a file in cypher/, read by name through
kb.store.cypher; no Python file outside it holds Cypher; every file there is used."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from kb.model import REFERENCE_LABELS, WRITE_ORDER
from kb.settings import PROJECT_ROOT
from kb.store.cypher import CYPHER_DIR, QueryError, list_queries, statement, statements

CODE_FOLDERS = ("kb", "loaders", "ui", "bench")
# Where Cypher may be written in Python: the registry itself, and the console's example of
# the analyst's own text.
ALLOWED = {("kb/store/cypher.py", None), ("ui/views/console.py", "EXAMPLE")}

# What a Cypher statement looks like (keywords in capitals, as this project writes them).
CYPHER_SHAPES = re.compile(
    r"\b(?:(?:OPTIONAL\s+)?MATCH|MERGE|CREATE)\s*\("
    r"|\bUNWIND\s+[$\[\w]"
    r"|\bRETURN\s+[\w$*({\[]"
    r"|\bCALL\s+(?:db|dbms|apoc)\."
    r"|\bCALL\s*(?:\([\w\s,]*\))?\s*\{"
    r"|\bDETACH\s+DELETE\b"
    r"|\bLOAD\s+CSV\s+(?:WITH\s+HEADERS\s+)?FROM\b"
    r"|\b(?:CREATE|DROP)\s+(?:INDEX|CONSTRAINT|DATABASE)\b"
    r"|\bSHOW\s+(?:TRANSACTIONS|INDEXES|CONSTRAINTS|DATABASES?|PROCEDURES|FUNCTIONS|USERS|ROLES|SETTINGS)\b")
# Cypher quoted in `backticks` is prose (a docstring, a report), not a statement.
CODE_SPAN = re.compile(r"`[^`\n]*`")


def python_files(root: Path = PROJECT_ROOT):
    for folder in CODE_FOLDERS:
        yield from sorted((root / folder).rglob("*.py"))


def string_literals(tree: ast.AST):
    """(node, text, name it is assigned to) of every string literal but docstrings; an
    f-string is one literal, its {fields} left out."""
    skip: set[int] = set()
    assigned: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            for inner in ast.walk(node.value):
                assigned[id(inner)] = node.targets[0].id
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            yield node, "".join(v.value if isinstance(v, ast.Constant) else "\0" for v in node.values), \
                assigned.get(id(node))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node, node.value, assigned.get(id(node))


def inline_cypher(root: Path = PROJECT_ROOT) -> list[str]:
    """file:line of every string literal in kb/, loaders/, ui/, bench/ that looks like Cypher."""
    found = []
    for path in python_files(root):
        rel = path.relative_to(root).as_posix()
        if (rel, None) in ALLOWED:
            continue
        for node, text, name in string_literals(ast.parse(path.read_text(), str(path))):
            if (rel, name) in ALLOWED:
                continue
            match = CYPHER_SHAPES.search(CODE_SPAN.sub("", text))
            if match:
                found.append(f"{rel}:{node.lineno}: {match.group(0)!r} in {text.strip()[:60]!r}")
    return found


def statement_files(cypher_dir: Path = CYPHER_DIR) -> list[str]:
    """Every .cypher file that is not a named query, by its relative name (writer/ties)."""
    return sorted(p.relative_to(cypher_dir).with_suffix("").as_posix()
                  for p in cypher_dir.rglob("*.cypher") if p.parent != cypher_dir)


def unused_statements(root: Path = PROJECT_ROOT, cypher_dir: Path = CYPHER_DIR) -> list[str]:
    """Statement files no Python code in kb/, ui/, bench/ names: as a string ("writer/ties",
    or the UI's "facets" for cypher/ui/facets.cypher) or, for a whole folder, through
    statement_names("schema")."""
    literals: set[str] = set()
    folders: set[str] = set()
    for path in python_files(root):
        source = path.read_text()
        literals.update(text for _, text, _ in string_literals(ast.parse(source)))
        folders.update(re.findall(r"statement_names\(\s*[\"']([\w/-]+)[\"']\s*\)", source))
    unused = []
    for name in statement_files(cypher_dir):
        folder, _, stem = name.rpartition("/")
        ui_name = folder == "ui" and stem in literals
        if name not in literals and folder not in folders and not ui_name:
            unused.append(f"cypher/{name}.cypher")
    return unused


def test_no_inline_cypher_outside_the_registry():
    assert inline_cypher() == [], "Cypher written in Python: move it to a file in cypher/ and read it " \
                                  "with kb.store.cypher.statement"


def test_every_cypher_file_is_used():
    assert list_queries(), "the named queries (cypher/*.cypher) count as used"
    assert unused_statements() == [], "a .cypher file that no code reads: use it or delete it"


def test_the_checks_catch_an_inline_statement_and_an_unused_file(tmp_path):
    """The two checks above fail on what they are meant to catch (on a copy of the tree)."""
    root = tmp_path / "project"
    for folder in CODE_FOLDERS:
        (root / folder).mkdir(parents=True)
    (root / "kb" / "counts.py").write_text(
        '"""MATCH (n) RETURN n in a docstring is prose."""\n'
        'NOTE = "the writer\'s `MERGE (a)-[:TIE]->(b)`, quoted, is prose too"\n'
        'label = "Actor"\n'
        'def count(kb):\n'
        '    return kb.read(f"MATCH (n:{label}) RETURN count(n) AS n")\n'
        'def wait(kb):\n'
        '    kb.write("CALL db.awaitIndexes(300)")\n')
    (root / "ui" / "views").mkdir()
    (root / "ui" / "views" / "console.py").write_text('EXAMPLE = "MATCH (i:Innovation) RETURN i"\n'
                                                      'OTHER = "MATCH (i:Innovation) RETURN i"\n')
    assert inline_cypher(root) == [
        "kb/counts.py:5: 'MATCH (' in 'MATCH (n:\\x00) RETURN count(n) AS n'",
        "kb/counts.py:7: 'CALL db.' in 'CALL db.awaitIndexes(300)'",
        "ui/views/console.py:2: 'MATCH (' in 'MATCH (i:Innovation) RETURN i'"]

    cypher_dir = tmp_path / "cypher"
    for name in ("writer/ties", "writer/forgotten", "schema/001-constraints", "ui/facets", "ui/old-page"):
        (cypher_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (cypher_dir / f"{name}.cypher").write_text("// title: x\nRETURN 1\n")
    (root / "kb" / "uses.py").write_text('statement("writer/ties")\nstatement_names("schema")\nfetch("facets")\n')
    assert unused_statements(root, cypher_dir) == ["cypher/ui/old-page.cypher", "cypher/writer/forgotten.cypher"]


def test_statements_are_read_by_relative_name():
    assert statement("writer/ties") == (CYPHER_DIR / "writer" / "ties.cypher").read_text()
    assert statement("writer/ties") is statement("writer/ties")  # read once
    assert all(s.startswith("CREATE CONSTRAINT") for s in statements("schema/001-constraints"))
    for bad in ("writer/no-such-statement", "../README", "writer/ties.cypher", ""):
        with pytest.raises(QueryError, match="no Cypher statement"):
            statement(bad)


def test_the_writer_has_a_statement_for_every_table_and_label():
    from kb.store.writer import TABLE_STATEMENTS

    assert set(TABLE_STATEMENTS) == set(WRITE_ORDER)
    for name in TABLE_STATEMENTS.values():
        statement(name)
    assert ":ReferenceLabel " in statement("writer/known-ids")
    assert all(re.fullmatch(r"[A-Z]\w*", label) for label in REFERENCE_LABELS.values())


def test_the_stored_run_rule_is_not_copied_into_the_queries():
    readers = [q for q in list_queries() if any(p.name == "stored" for p in q.parameters)]
    assert {q.name for q in readers} == {"brokerage-roles", "layer-links", "weak-layer-links", "fragility",
                                         "brokers", "outside-core", "core-clique"}
    for q in readers:
        stored = next(p for p in q.parameters if p.name == "stored")
        assert stored.default is False, q.name  # Neo4j Browser: counted live
        assert "stored" not in {p.name for p in q.user_parameters}
        assert "run.actors" not in q.text and ":Load" not in q.text, q.name


STATEMENT_NAME = re.compile(r"^[a-z0-9_-]+/[a-z0-9_.-]+$")


def test_every_statement_named_in_code_exists():
    """A statement named in code ("writer/ties", "export/table-nodes") is a committed file
    under cypher/ (a file that .gitignore kept out would pass every other check here)."""
    missing = []
    for path in python_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in
                    ("statement", "statements", "cypher_statement")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                name = node.args[0].value
                if STATEMENT_NAME.match(name) and not (CYPHER_DIR / f"{name}.cypher").is_file():
                    missing.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {name}")
    assert not missing, "statements named in code without a file:\n" + "\n".join(missing)
    ignored = subprocess.run(["git", "check-ignore", *map(str, CYPHER_DIR.rglob("*.cypher"))], cwd=PROJECT_ROOT,
                             capture_output=True, text=True).stdout.split()
    assert not ignored, f"cypher files that git ignores: {ignored}"
