// title: Benchmark: delete every tie (the actors stay), committing every 50000
MATCH ()-[r:TIE]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS
