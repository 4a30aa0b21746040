// title: Benchmark: delete every node (after its relationships), committing every 50000
MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 50000 ROWS
