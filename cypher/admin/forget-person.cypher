// title: Delete a person, their scores, and every relationship they take part in
MATCH (p:Person {id: $id})
OPTIONAL MATCH (p)-[:HAS_SCORE]->(s:Score)
WITH p, collect(s) AS scores
FOREACH (s IN scores | DETACH DELETE s)
DETACH DELETE p
RETURN size(scores) AS scores
