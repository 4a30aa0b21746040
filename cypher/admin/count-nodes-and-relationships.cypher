// title: How many nodes and relationships the database holds
MATCH (n) WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
