// title: Benchmark, LOAD CSV (b) and row by row (c): the adoptions table's rows as the writer
// stores them (same labels, relationships and properties, except content_hash). `row` is a
// map of CSV strings (empty cells are null), `line` its row number; $file, $load_id and
// $loaded_at the provenance the writer records too. bench/load.py wraps it in
// cypher/bench/load-csv.cypher or cypher/bench/load-row.cypher.
MATCH (i:Innovation {id: row.innovation})
MATCH (l:Locality {id: row.locality})
MERGE (i)-[n:ADOPTED_IN]->(l)
SET n = {innovation: row.innovation, locality: row.locality, year: toInteger(row.year), outcome: row.outcome,
         adaptation: row.adaptation, adopters: split(row.adopters, ';'), source: row.source, section: row.section, synthetic: coalesce(toBoolean(row.synthetic), false), notes: row.notes, source_file: $file, source_row: toString(line), load_id: $load_id, loaded_at: $loaded_at}
FOREACH (x IN coalesce(split(row.adopters, ';'), []) | MERGE (a:Actor {id: x}) MERGE (a)-[:ADOPTED {locality: l.id}]->(i))
