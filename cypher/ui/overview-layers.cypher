// title: Layers
// question: How many organisations and people sit in each layer of local innovation systems?
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: layer, name, organisations, people, with_ties, synthetic
MATCH (y:Layer)
RETURN y.id AS layer, y.name AS name,
       COUNT { (o:Organisation)-[:IN_LAYER]->(y) WHERE $include_synthetic OR NOT coalesce(o.synthetic, false) } AS organisations,
       COUNT { (p:Person)-[:IN_LAYER]->(y) WHERE $include_synthetic OR NOT coalesce(p.synthetic, false) } AS people,
       COUNT { (a:Actor)-[:IN_LAYER]->(y) WHERE ($include_synthetic OR NOT coalesce(a.synthetic, false)) AND EXISTS { (a)-[t:TIE]-() WHERE t.superseded IS NULL } } AS with_ties,
       CASE WHEN $include_synthetic THEN COUNT { (a:Actor)-[:IN_LAYER]->(y) WHERE a.synthetic } ELSE 0 END AS synthetic
ORDER BY y.rank
