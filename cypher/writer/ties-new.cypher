// title: Write ties between actors into a knowledge base that has none yet
// The first load of ties (kb/store/writer.py checks that the database holds no TIE at the start
// of the load, while holding the vocabulary's write locks, and no other load can write
// ties before it finishes): no tie can exist yet and validation has removed repeats, so
// each is created without looking for an existing one (about a fifth faster than
// ties.cypher; docs/benchmarks.md).
UNWIND $rows AS row
MATCH (a:Actor {id: row.from})
MATCH (b:Actor {id: row.to})
CREATE (a)-[n:TIE]->(b)
SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
RETURN count(*) AS created, 0 AS unchanged, count(*) AS rows
