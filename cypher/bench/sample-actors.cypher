// title: A sample of actors with every property (bench/load.py: the bulk load's graph against the loader's)
UNWIND $ids AS id
MATCH (a:Actor {id: id})
RETURN a.id AS id, labels(a) AS labels, properties(a) AS props
