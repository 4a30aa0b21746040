// title: Write funding instruments and who provides them
UNWIND $rows AS row
MERGE (n:FundingInstrument {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
  WITH n, row
  OPTIONAL MATCH (n)-[old:PROVIDED_BY|CITES]->() DELETE old
  WITH DISTINCT n, row
  FOREACH (x IN CASE WHEN row.props.funder IS NULL THEN [] ELSE [row.props.funder] END |
    MERGE (o:Actor {id: x}) MERGE (n)-[:PROVIDED_BY]->(o))
  FOREACH (s IN CASE WHEN row.props.source IS NULL THEN [] ELSE [row.props.source] END |
    MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.props.section, '')}]->(src))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
