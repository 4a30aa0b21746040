// title: Benchmark, LOAD CSV (b) and row by row (c): the sources table's rows as the writer
// stores them (same labels, relationships and properties, except content_hash). `row` is a
// map of CSV strings (empty cells are null), `line` its row number; $file, $load_id and
// $loaded_at the provenance the writer records too. bench/load.py wraps it in
// cypher/bench/load-csv.cypher or cypher/bench/load-row.cypher.
MERGE (n:Source {id: row.id})
SET n = {id: row.id, title: row.title, author: row.author, publisher: row.publisher, year: toInteger(row.year),
         url: row.url, notes: row.notes, synthetic: false, source_file: $file, source_row: toString(line),
         load_id: $load_id, loaded_at: $loaded_at}
