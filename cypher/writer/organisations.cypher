// title: Write organisations (actors), their layer, locality and sector
// A changed organisation's old layer, locality, sector, case-study and citation links are
// deleted first, so each is then created, not merged (a new organisation has none).
// An id that is already a person is not written but returned in `clashes`: the writer
// then fails the transaction (kb/store/writer.py ActorKindConflict). Every load holds the
// vocabulary's write locks first (writer/vocabulary.cypher), so the labels read here include
// every other load that committed before, and no node becomes both a Person and an Organisation.
UNWIND $rows AS row
MERGE (n:Actor {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same,
     n:Person AS clash
CALL (n, row, same, created, clash) {
  WITH n, row, created WHERE NOT same AND NOT clash
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
  SET n:Organisation
  WITH n, row, created
  CALL (n, created) {
    WITH n WHERE NOT created
    OPTIONAL MATCH (n)-[old:IN_LAYER|LOCATED_IN|IN_SECTOR|DOCUMENTED_IN|CITES]->() DELETE old
  }
  MERGE (layer:Layer {id: row.props.layer}) CREATE (n)-[:IN_LAYER]->(layer)
  FOREACH (x IN CASE WHEN row.props.locality IS NULL THEN [] ELSE [row.props.locality] END |
    MERGE (l:Locality {id: x}) CREATE (n)-[:LOCATED_IN]->(l))
  FOREACH (x IN CASE WHEN row.sector IS NULL THEN [] ELSE [row.sector] END |
    MERGE (s:Sector {id: x.id}) ON CREATE SET s.name = x.name CREATE (n)-[:IN_SECTOR]->(s))
  FOREACH (x IN CASE WHEN row.props.case_study IS NULL THEN [] ELSE [row.props.case_study] END |
    MERGE (c:CaseStudy {id: x}) CREATE (n)-[:DOCUMENTED_IN]->(c))
  FOREACH (s IN CASE WHEN row.props.source IS NULL THEN [] ELSE [row.props.source] END |
    MERGE (src:Source {id: s}) CREATE (n)-[:CITES {section: coalesce(row.props.section, '')}]->(src))
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows,
       collect(CASE WHEN clash THEN {id: row.key, f: row.f, row: row.props.source_row} END) AS clashes
