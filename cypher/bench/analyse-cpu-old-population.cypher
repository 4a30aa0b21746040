// title: Benchmark (bench/analyse_cpu.py): the analysed population as kb analyse read it before issue 16
MATCH (a:Actor) WHERE EXISTS { (a)-[:TIE]-() }
RETURN a.id AS id, a.layer AS layer, a.org_type AS org_type
