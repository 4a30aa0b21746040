// title: Benchmark: drop the index on TIE(network) (bench/load.py TIE_INDEX; cypher/schema/
// creates it again)
DROP INDEX tie_network IF EXISTS
