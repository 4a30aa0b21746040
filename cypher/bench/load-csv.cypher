// title: Benchmark (b): one table read by Neo4j's LOAD CSV from $url, committing every 10000
// rows (bench/load.py TX_ROWS). bench/load.py puts the table's statement
// (cypher/bench/load/<table>.cypher) in place of the line `// BODY`.
LOAD CSV WITH HEADERS FROM $url AS row WITH row, linenumber() AS line
CALL (row, line) {
// BODY
} IN TRANSACTIONS OF 10000 ROWS
