// title: What forgetting a person would remove: name, relationships by type, scores
MATCH (p:Person {id: $id})
OPTIONAL MATCH (p)-[r]-()
WITH p, type(r) AS type, count(DISTINCT r) AS n
WITH p, collect(CASE WHEN type IS NULL THEN null ELSE {type: type, n: n} END) AS relationships
OPTIONAL MATCH (p)-[:HAS_SCORE]->(s:Score)
RETURN p.name AS name, relationships, count(DISTINCT s) AS scores
