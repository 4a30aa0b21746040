// title: The ties of one network type (or all: $network = 'all')
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE $network = 'all' OR t.network = $network
RETURN a.id AS source, b.id AS target, coalesce(t.weight, 1.0) AS weight
