// title: Benchmark (c): one CSV row of one table ($row, a map of strings; $line, its row number).
// bench/load.py puts the table's statement (cypher/bench/load/<table>.cypher) in place of the
// line `// BODY`.
WITH $row AS row, $line AS line
// BODY
