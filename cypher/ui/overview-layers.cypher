// title: Layers
// question: How many organisations and people sit in each layer of local innovation systems?
// columns: layer, name, organisations, people, with_ties
MATCH (y:Layer)
RETURN y.id AS layer, y.name AS name,
       COUNT { (:Organisation)-[:IN_LAYER]->(y) } AS organisations,
       COUNT { (:Person)-[:IN_LAYER]->(y) } AS people,
       COUNT { (a:Actor)-[:IN_LAYER]->(y) WHERE EXISTS { (a)-[:TIE]-() } } AS with_ties
ORDER BY y.rank
