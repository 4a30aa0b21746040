// title: Benchmark (bench/readers.py): every actor's id (the ends of the new ties loaded while readers run)
MATCH (a:Actor) RETURN a.id AS id
