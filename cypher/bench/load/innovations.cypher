// title: Benchmark, LOAD CSV (b) and row by row (c): the innovations table's rows as the writer
// stores them (same labels, relationships and properties, except content_hash). `row` is a
// map of CSV strings (empty cells are null), `line` its row number; $file, $load_id and
// $loaded_at the provenance the writer records too. bench/load.py wraps it in
// cypher/bench/load-csv.cypher or cypher/bench/load-row.cypher.
MERGE (n:Innovation {id: row.id})
SET n = {id: row.id, name: row.name, description: row.description, sector: row.sector,
         problems: split(row.problems, ';'), lifecycle_stage: row.lifecycle_stage,
         evidence_level: toInteger(row.evidence_level), outcomes: row.outcomes, resources: row.resources,
         cost: row.cost, transferability: row.transferability, preconditions: row.preconditions,
         origin_locality: row.origin_locality, origin_year: toInteger(row.origin_year),
         originators: split(row.originators, ';'), derived_from: row.derived_from,
         funded_by: split(row.funded_by, ';'), case_study: row.case_study, source: row.source, section: row.section, synthetic: coalesce(toBoolean(row.synthetic), false), notes: row.notes, source_file: $file, source_row: toString(line), load_id: $load_id, loaded_at: $loaded_at}
FOREACH (x IN coalesce(split(row.problems, ';'), []) | MERGE (p:Problem {id: x}) MERGE (n)-[:ADDRESSES]->(p))
FOREACH (x IN CASE WHEN row.sector IS NULL THEN [] ELSE [trim(row.sector)] END | MERGE (s:Sector {id: replace(toLower(x), ' ', '_')}) ON CREATE SET s.name = x MERGE (n)-[:IN_SECTOR]->(s))
FOREACH (x IN CASE WHEN row.origin_locality IS NULL THEN [] ELSE [row.origin_locality] END |
  MERGE (l:Locality {id: x}) MERGE (n)-[o:ORIGINATED_IN]->(l) SET o.year = toInteger(row.origin_year))
FOREACH (x IN coalesce(split(row.originators, ';'), []) | MERGE (a:Actor {id: x}) MERGE (a)-[:ORIGINATED]->(n))
FOREACH (x IN CASE WHEN row.derived_from IS NULL THEN [] ELSE [row.derived_from] END |
  MERGE (d:Innovation {id: x}) MERGE (n)-[:DERIVED_FROM]->(d))
FOREACH (x IN coalesce(split(row.funded_by, ';'), []) | MERGE (f:FundingInstrument {id: x}) MERGE (n)-[:FUNDED_BY]->(f))
FOREACH (x IN CASE WHEN row.case_study IS NULL THEN [] ELSE [row.case_study] END | MERGE (c:CaseStudy {id: x}) MERGE (n)-[:DOCUMENTED_IN]->(c))
FOREACH (s IN CASE WHEN row.source IS NULL THEN [] ELSE [row.source] END | MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.section, '')}]->(src))
