// title: The ties from a sample of actors with every property (bench/load.py: the bulk load's graph against the loader's)
UNWIND $ids AS id
MATCH (a:Actor {id: id})-[t:TIE]->(b:Actor)
RETURN a.id AS from, b.id AS to, t.network AS network, properties(t) AS props
