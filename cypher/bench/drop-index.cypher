// title: Benchmark: drop the index named $name, if there is one (cypher/schema/ creates it again)
DROP INDEX $name IF EXISTS
