// title: Benchmark (bench/readers.py --uri): at its end, make the runs it made not current (retire-current-runs.cypher) current again, so that the server is left as it was found
MATCH (r:AnalysisRun) WHERE r.id IN $ids SET r.current = true RETURN count(r) AS restored
