// title: Benchmark (bench/readers.py --uri): make no analysis run current (the phase "without an analysis run" on a knowledge base already analysed); the runs stay, as `kb analyse` leaves earlier runs
MATCH (r:AnalysisRun {current: true}) SET r.current = false RETURN count(r) AS retired
