// title: Write innovations with their origin, problems, sector, lineage and funding
UNWIND $rows AS row
MERGE (n:Innovation {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
  WITH n, row
  OPTIONAL MATCH (n)-[old:ADDRESSES|IN_SECTOR|ORIGINATED_IN|DERIVED_FROM|FUNDED_BY|DOCUMENTED_IN|CITES]->() DELETE old
  WITH DISTINCT n, row
  OPTIONAL MATCH (n)<-[old:ORIGINATED]-() DELETE old
  WITH DISTINCT n, row
  FOREACH (x IN coalesce(row.props.problems, []) | MERGE (p:Problem {id: x}) MERGE (n)-[:ADDRESSES]->(p))
  FOREACH (x IN CASE WHEN row.sector IS NULL THEN [] ELSE [row.sector] END |
    MERGE (s:Sector {id: x.id}) ON CREATE SET s.name = x.name MERGE (n)-[:IN_SECTOR]->(s))
  FOREACH (x IN CASE WHEN row.props.origin_locality IS NULL THEN [] ELSE [row.props.origin_locality] END |
    MERGE (l:Locality {id: x}) MERGE (n)-[o:ORIGINATED_IN]->(l) SET o.year = row.props.origin_year)
  FOREACH (x IN coalesce(row.props.originators, []) | MERGE (a:Actor {id: x}) MERGE (a)-[:ORIGINATED]->(n))
  FOREACH (x IN CASE WHEN row.props.derived_from IS NULL THEN [] ELSE [row.props.derived_from] END |
    MERGE (d:Innovation {id: x}) MERGE (n)-[:DERIVED_FROM]->(d))
  FOREACH (x IN coalesce(row.props.funded_by, []) | MERGE (f:FundingInstrument {id: x}) MERGE (n)-[:FUNDED_BY]->(f))
  FOREACH (x IN CASE WHEN row.props.case_study IS NULL THEN [] ELSE [row.props.case_study] END |
    MERGE (c:CaseStudy {id: x}) MERGE (n)-[:DOCUMENTED_IN]->(c))
  FOREACH (s IN CASE WHEN row.props.source IS NULL THEN [] ELSE [row.props.source] END |
    MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.props.section, '')}]->(src))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
