// title: Write ties between actors (directed, one per network type)
// The existing tie is looked up from its two (bound) actors, not by MERGE: with the
// TIE(network) index in place the planner costs MERGE's pattern on an empty or small
// database as an index seek on the network type plus a filter on the two ends, which reads
// every tie of that type already written for each new one (a load quadratic in its ties;
// docs/benchmarks.md). Two loads never write ties at the same time: each load holds the
// vocabulary's write locks while it writes (kb/writer.py).
UNWIND $rows AS row
MATCH (a:Actor {id: row.props.from})
MATCH (b:Actor {id: row.props.to})
WITH a, b, row, head([(a)-[e:TIE]->(b) WHERE e.network = row.props.network | e]) AS old
CALL (a, b, row, old) {
  WITH a, b, row WHERE old IS NULL
  CREATE (a)-[n:TIE]->(b)
  SET n = row.props
}
WITH row, old, coalesce(old.content_hash = row.hash, false) AS same
CALL (row, old, same) {
  WITH row, old WHERE old IS NOT NULL AND NOT same
  SET old = row.props
}
RETURN sum(toInteger(old IS NULL)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
