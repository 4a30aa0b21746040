from kb.store.schema import apply_schema, schema_statements


def _schema(kb):
    constraints = {r["name"] for r in kb.read("SHOW CONSTRAINTS YIELD name")}
    indexes = {r["name"] for r in kb.read("SHOW INDEXES YIELD name")}
    return constraints, indexes


def test_schema_is_idempotent(kb):
    before = _schema(kb)
    assert apply_schema(kb) == len(schema_statements())
    assert apply_schema(kb) == len(schema_statements())
    after = _schema(kb)
    assert before == after
    constraints, indexes = after
    assert {"innovation_id", "actor_id", "locality_id"} <= constraints
    assert {"innovation_text", "actor_text"} <= indexes


def test_constraint_rejects_duplicate_ids(kb):
    import neo4j.exceptions
    import pytest

    kb.write("CREATE (:Innovation {id: 'x'})")
    with pytest.raises(neo4j.exceptions.ConstraintError):
        kb.write("CREATE (:Innovation {id: 'x'})")


def test_init_command(cli_env):
    from tests.conftest import run_kb

    result = run_kb(["init"], cli_env, check=True)
    assert f"Schema applied: {len(schema_statements())} statements." in result.stdout
