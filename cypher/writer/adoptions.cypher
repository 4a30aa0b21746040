// title: Write adoptions: an innovation adopted in a locality, and by which actors
UNWIND $rows AS row
MATCH (i:Innovation {id: row.props.innovation})
MATCH (l:Locality {id: row.props.locality})
MERGE (i)-[n:ADOPTED_IN]->(l)
WITH i, l, n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same
CALL (i, l, n, row, same) {
  WITH i, l, n, row WHERE NOT same
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
  WITH i, l, n, row
  OPTIONAL MATCH (i)<-[old:ADOPTED {locality: l.id}]-() DELETE old
  WITH DISTINCT i, l, n, row
  FOREACH (x IN coalesce(row.props.adopters, []) | MERGE (a:Actor {id: x}) MERGE (a)-[:ADOPTED {locality: l.id}]->(i))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
