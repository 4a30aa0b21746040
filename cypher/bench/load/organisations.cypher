// title: Benchmark, LOAD CSV (b) and row by row (c): the organisations table's rows as the writer
// stores them (same labels, relationships and properties, except content_hash). `row` is a
// map of CSV strings (empty cells are null), `line` its row number; $file, $load_id and
// $loaded_at the provenance the writer records too. bench/load.py wraps it in
// cypher/bench/load-csv.cypher or cypher/bench/load-row.cypher.
MERGE (n:Actor {id: row.id})
SET n = {id: row.id, name: row.name, org_type: row.org_type, layer: row.layer, locality: row.locality,
         sector: row.sector, case_study: row.case_study, source: row.source, section: row.section, synthetic: coalesce(toBoolean(row.synthetic), false), notes: row.notes, source_file: $file, source_row: toString(line), load_id: $load_id, loaded_at: $loaded_at}
SET n:Organisation
MERGE (layer:Layer {id: row.layer}) MERGE (n)-[:IN_LAYER]->(layer)
FOREACH (x IN CASE WHEN row.locality IS NULL THEN [] ELSE [row.locality] END | MERGE (l:Locality {id: x}) MERGE (n)-[:LOCATED_IN]->(l))
FOREACH (x IN CASE WHEN row.sector IS NULL THEN [] ELSE [trim(row.sector)] END | MERGE (s:Sector {id: replace(toLower(x), ' ', '_')}) ON CREATE SET s.name = x MERGE (n)-[:IN_SECTOR]->(s))
FOREACH (x IN CASE WHEN row.case_study IS NULL THEN [] ELSE [row.case_study] END | MERGE (c:CaseStudy {id: x}) MERGE (n)-[:DOCUMENTED_IN]->(c))
FOREACH (s IN CASE WHEN row.source IS NULL THEN [] ELSE [row.source] END | MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.section, '')}]->(src))
