// title: Benchmark, LOAD CSV (b) and row by row (c): the problems table's rows as the writer
// stores them (same labels, relationships and properties, except content_hash). `row` is a
// map of CSV strings (empty cells are null), `line` its row number; $file, $load_id and
// $loaded_at the provenance the writer records too. bench/load.py wraps it in
// cypher/bench/load-csv.cypher or cypher/bench/load-row.cypher.
MERGE (n:Problem {id: row.id})
SET n = {id: row.id, name: row.name, description: row.description, source: row.source, section: row.section, synthetic: coalesce(toBoolean(row.synthetic), false), notes: row.notes, source_file: $file, source_row: toString(line), load_id: $load_id, loaded_at: $loaded_at}
FOREACH (s IN CASE WHEN row.source IS NULL THEN [] ELSE [row.source] END | MERGE (src:Source {id: s}) MERGE (n)-[:CITES {section: coalesce(row.section, '')}]->(src))
