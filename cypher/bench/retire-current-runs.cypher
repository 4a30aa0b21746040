// title: Benchmark (bench/readers.py --uri): make no analysis run current (the phase "without an analysis run" on a knowledge base already analysed); the runs stay, as `kb analyse` leaves earlier runs, and their ids are returned so that the benchmark can make them current again at its end
MATCH (r:AnalysisRun {current: true}) SET r.current = false RETURN collect(r.id) AS retired
