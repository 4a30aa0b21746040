// title: Write people (actors), their layer and organisation memberships
UNWIND $rows AS row
MERGE (n:Actor {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props
  SET n:Person
  WITH n, row
  OPTIONAL MATCH (n)-[old:IN_LAYER|LOCATED_IN|MEMBER_OF|DOCUMENTED_IN|CITES]->() DELETE old
  WITH DISTINCT n, row
  MERGE (layer:Layer {id: row.props.layer}) MERGE (n)-[:IN_LAYER]->(layer)
  FOREACH (x IN coalesce(row.props.organisations, []) | MERGE (o:Actor {id: x}) MERGE (n)-[:MEMBER_OF]->(o))
  FOREACH (x IN CASE WHEN row.props.locality IS NULL THEN [] ELSE [row.props.locality] END |
    MERGE (l:Locality {id: x}) MERGE (n)-[:LOCATED_IN]->(l))
  FOREACH (x IN CASE WHEN row.props.case_study IS NULL THEN [] ELSE [row.props.case_study] END |
    MERGE (c:CaseStudy {id: x}) MERGE (n)-[:DOCUMENTED_IN]->(c))
  FOREACH (s IN CASE WHEN row.props.source IS NULL THEN [] ELSE [row.props.source] END |
    MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.props.section, '')}]->(src))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
