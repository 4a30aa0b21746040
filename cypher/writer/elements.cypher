// title: Write the elements of innovations: their separable parts (a method, a tool, a governance arrangement, a funding model)
UNWIND $rows AS row
MERGE (n:Element {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
  WITH n, row
  OPTIONAL MATCH (n)-[old:ELEMENT_OF|CITES]->() DELETE old
  WITH DISTINCT n, row
  MERGE (i:Innovation {id: row.props.innovation}) MERGE (n)-[:ELEMENT_OF]->(i)
  FOREACH (s IN CASE WHEN row.props.source IS NULL THEN [] ELSE [row.props.source] END |
    MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.props.section, '')}]->(src))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
