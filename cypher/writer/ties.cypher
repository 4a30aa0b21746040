// title: Write ties between actors (directed, one per network type and survey round)
// A tie's key is (from, to, network, round): the same pair can have a tie in each round,
// and a tie without a round is another tie again (round missing on both sides matches).
// The existing tie is looked up from its two (bound) actors, without a property predicate
// in the pattern: with the TIE(network) index in place the planner costs MERGE's pattern,
// or a pattern filtered on the network, as an index seek on the network type plus a filter
// on the two ends, which reads the ties of that type already written for each new one (a
// load quadratic in its ties, or twice as slow; docs/benchmarks.md). Two loads never write
// ties at the same time: each load holds the vocabulary's write locks while it writes
// (kb/store/writer.py), and the actors are seeked with locks.
UNWIND $rows AS row
MATCH (a:Actor {id: row.from})
MATCH (b:Actor {id: row.to})
WITH a, b, row, head([e IN [(a)-[x:TIE]->(b) | x] WHERE e.network = row.props.network
                                                   AND coalesce(e.round, '') = coalesce(row.props.round, '')]) AS old
CALL (a, b, row, old) {
  WITH a, b, row WHERE old IS NULL
  CREATE (a)-[n:TIE]->(b)
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
}
WITH row, old, coalesce(old.content_hash = row.props.content_hash, false) AS same
CALL (row, old, same) {
  WITH row, old WHERE old IS NOT NULL AND NOT same
  SET old = row.props, old.source_file = $files[row.f], old.load_id = $load_id, old.loaded_at = $loaded_at
}
RETURN sum(toInteger(old IS NULL)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
