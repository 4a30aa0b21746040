// title: Write the preconditions of innovations (structured conditions), with the element and problem they concern
UNWIND $rows AS row
MERGE (n:Precondition {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
  WITH n, row
  OPTIONAL MATCH (n)-[old:CONDITION_OF|FOR_ELEMENT|ABOUT_PROBLEM|CITES]->() DELETE old
  WITH DISTINCT n, row
  MERGE (i:Innovation {id: row.props.innovation}) MERGE (n)-[:CONDITION_OF]->(i)
  FOREACH (x IN CASE WHEN row.props.element IS NULL THEN [] ELSE [row.props.element] END |
    MERGE (e:Element {id: x}) MERGE (n)-[:FOR_ELEMENT]->(e))
  FOREACH (x IN CASE WHEN row.props.problem IS NULL THEN [] ELSE [row.props.problem] END |
    MERGE (p:Problem {id: x}) MERGE (n)-[:ABOUT_PROBLEM]->(p))
  FOREACH (s IN CASE WHEN row.props.source IS NULL THEN [] ELSE [row.props.source] END |
    MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.props.section, '')}]->(src))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
