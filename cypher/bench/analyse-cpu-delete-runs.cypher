// title: Benchmark (bench/analyse_cpu.py): delete the throwaway runs and their scores
MATCH (run:AnalysisRun {network: 'bench-cpu'})
OPTIONAL MATCH (run)<-[:IN_RUN]-(s:Score)
CALL (s) { DETACH DELETE s } IN TRANSACTIONS OF 10000 ROWS
WITH DISTINCT run
DETACH DELETE run
