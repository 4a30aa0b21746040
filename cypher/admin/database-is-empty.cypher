// title: Whether the database holds any node
MATCH (n) RETURN count(n) > 0 AS has_nodes LIMIT 1
