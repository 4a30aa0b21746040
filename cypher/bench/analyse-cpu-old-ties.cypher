// title: Benchmark (bench/analyse_cpu.py): the ties as kb analyse read them before issue 16 (a row per tie)
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE $network = 'all' OR t.network = $network
RETURN a.id AS source, b.id AS target, coalesce(t.weight, 1.0) AS weight
