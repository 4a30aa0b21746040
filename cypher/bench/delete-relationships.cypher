// title: Benchmark: delete every relationship, committing every 50000
MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS
