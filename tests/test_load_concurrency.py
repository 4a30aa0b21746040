"""Concurrent loads keep the actor id rule: organisations and people share one id space, and
no node is ever both (issue 18 item 2).

Validation reads the stored ids before the write transaction starts, so two loads started
together cannot see each other there. The guarantee is in the writing transaction: every
load first takes the write lock of the vocabulary (its chunks are serialised with every
other load's), and the person and organisation statements refuse an id that the node
already carries as the other kind of actor, failing the transaction with a located message.

Each repetition loads a people.csv and an organisations.csv that give the same fresh id,
from two threads with their own connections released together (as two `kb load` processes
would be; threads keep the test fast: no interpreter start per load).
"""

from __future__ import annotations

import threading

import pytest

from kb.services.loading import LoadProblems, load_files
from kb.store.connection import KnowledgeBase
from kb.store.known_ids import known_ids
from kb.store.writer import ActorKindConflict, write_batch
from loaders import read_paths, validate
from tests.test_loaders_formats import write_csv

REPETITIONS = 24


def _race(settings, connections, paths):
    """Run load_files on every path at once (one thread and connection each); each result
    is the LoadResult or the exception it raised."""
    barrier = threading.Barrier(len(paths))
    results: list = [None] * len(paths)

    def run(index):
        barrier.wait()
        try:
            results[index] = load_files(settings, connections[index], [paths[index]], progress=False)
        except Exception as exc:  # noqa: BLE001 - the test looks at what each load raised
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(paths))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _dual_labelled(kb) -> int:
    return kb.read("MATCH (n:Person:Organisation) RETURN count(n) AS n")[0]["n"]


@pytest.fixture
def two_connections(test_settings):
    connections = [KnowledgeBase.connect(test_settings) for _ in range(2)]
    yield connections
    for connection in connections:
        connection.close()


def test_conflicting_loads_started_together_never_make_a_node_both_kinds(kb, test_settings, two_connections,
                                                                          tmp_path):
    outcomes = {"person": 0, "organisation": 0}
    for i in range(REPETITIONS):
        actor = f"race_x{i}"
        people = write_csv(tmp_path / f"p{i}" / "people.csv", ["id", "name", "layer"],
                           [[actor, f"Person {i}", "community"]])
        organisations = write_csv(tmp_path / f"o{i}" / "organisations.csv", ["id", "name", "layer"],
                                  [[actor, f"Organisation {i}", "local_authority"]])
        paths = [people, organisations] if i % 2 == 0 else [organisations, people]
        results = _race(test_settings, two_connections, paths)
        loaded = [p for p, r in zip(paths, results) if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(loaded) == 1, f"repetition {i}: {len(loaded)} of the two conflicting loads succeeded: {results}"
        (problem,) = refused
        assert isinstance(problem, LoadProblems), repr(problem)
        assert len(problem.problems) == 1
        kind = "person" if loaded[0].name == "people.csv" else "organisation"
        outcomes[kind] += 1
        other = organisations if kind == "person" else people
        text = str(problem.problems[0])
        assert text.startswith(f"{other}:2:id: id '{actor}' is already a") and "different ids" in text, text
        labels = kb.read("MATCH (n:Actor {id: $id}) RETURN labels(n) AS l", {"id": actor})[0]["l"]
        assert sorted(labels) == sorted(["Actor", "Person" if kind == "person" else "Organisation"])
        # The refused load wrote nothing: the node's facts are the winner's.
        name = kb.read("MATCH (n:Actor {id: $id}) RETURN n.name AS name", {"id": actor})[0]["name"]
        assert name == (f"Person {i}" if kind == "person" else f"Organisation {i}")
    assert _dual_labelled(kb) == 0
    # Only the refused loads' records are missing: one :Load per winner.
    assert kb.read("MATCH (l:Load) RETURN count(l) AS n")[0]["n"] == REPETITIONS
    print(f"\n{REPETITIONS} races: the person won {outcomes['person']}, the organisation {outcomes['organisation']}")


def test_the_writer_refuses_an_id_of_the_other_kind_even_when_validation_did_not_see_it(kb, test_settings,
                                                                                         tmp_path):
    """The in-transaction check alone (validation run before the other load was written),
    for a one-transaction load and a staged one."""
    types = test_settings.kb_network_types
    people = validate(read_paths([write_csv(tmp_path / "p" / "people.csv", ["id", "name", "layer"],
                                            [["ann", "Ann", "community"], ["north", "North", "national"]])]),
                      types, known_ids(kb))
    organisations = validate(read_paths([write_csv(tmp_path / "o" / "organisations.csv", ["id", "name", "layer"],
                                                   [["north", "North Council", "local_authority"]])]),
                             types, known_ids(kb))
    write_batch(kb, organisations, types, progress=False)
    before = kb.counts()
    with pytest.raises(ActorKindConflict) as caught:
        write_batch(kb, people, types, progress=False)
    assert [str(p).replace(str(tmp_path / "p") + "/", "") for p in caught.value.problems] == [
        "people.csv:3:id: id 'north' is already an organisation in the knowledge base (written by another load "
        "at the same time); organisations and people need different ids"]
    assert kb.counts() == before and _dual_labelled(kb) == 0
    assert kb.read("MATCH (n:Person) RETURN count(n) AS n")[0]["n"] == 0

    with pytest.raises(ActorKindConflict) as caught:
        write_batch(kb, people, types, progress=False, chunk=1, transaction_rows=1)
    assert caught.value.staged[1:] == (1, 2)  # ann's chunk was committed, north's rolled back
    assert _dual_labelled(kb) == 0


def test_a_load_transaction_waits_for_another_to_finish(kb, test_settings):
    """The serialisation the check relies on: the vocabulary statement, run first by every
    load's transaction, blocks a second one until the first ends (even though it changes
    nothing)."""
    from neo4j.exceptions import ClientError

    from kb.model import LAYERS
    from kb.store.cypher import statement

    vocabulary = {"layers": [{"id": k, "name": v, "rank": i} for i, (k, v) in enumerate(LAYERS.items())],
                  "networks": ["work"]}
    kb.write(statement("writer/vocabulary"), vocabulary)
    with kb.driver.session(database=kb.database) as first:
        holding = first.begin_transaction()
        holding.run(statement("writer/vocabulary"), vocabulary).consume()
        with kb.driver.session(database=kb.database) as second, pytest.raises(ClientError, match="(?i)timeout|terminated"):
            with second.begin_transaction(timeout=2) as waiting:
                waiting.run(statement("writer/vocabulary"), vocabulary).consume()
        holding.rollback()


def test_the_service_reports_the_conflict_as_a_located_problem(kb, test_settings, tmp_path, monkeypatch):
    """load_files turns the writer's refusal into LoadProblems (exit 2, nothing written)."""
    write_csv(tmp_path / "o" / "organisations.csv", ["id", "name", "layer"], [["north", "North", "national"]])
    load_files(test_settings, kb, [tmp_path / "o"], progress=False)
    # Validation as it was before the organisation was written (a load that started at the same time).
    import kb.services.loading as loading

    monkeypatch.setattr(loading, "known_ids", lambda _kb: (lambda target, ids: set()))
    write_csv(tmp_path / "p" / "people.csv", ["id", "name", "layer"], [["north", "North", "community"]])
    with pytest.raises(LoadProblems) as caught:
        load_files(test_settings, kb, [tmp_path / "p"], progress=False)
    assert "nothing was written" in str(caught.value)
    assert [str(p).split(": id")[0] for p in caught.value.problems] == [f"{tmp_path / 'p' / 'people.csv'}:2:id"]
    assert caught.value.usage  # exit 2, as for any refused input
    assert _dual_labelled(kb) == 0 and kb.read("MATCH (n:Person) RETURN count(n) AS n")[0]["n"] == 0
