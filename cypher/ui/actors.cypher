// title: Actors with ties
// question: Which organisations and people have ties (for choosing one)?
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: actor, name, layer, kind, synthetic
MATCH (a:Actor) WHERE EXISTS { (a)-[t:TIE]-() WHERE t.superseded IS NULL AND ($include_synthetic OR NOT coalesce(t.synthetic, false)) } AND ($include_synthetic OR NOT coalesce(a.synthetic, false))
RETURN a.id AS actor, coalesce(a.name, a.id) AS name, a.layer AS layer,
       CASE WHEN a:Organisation THEN 'organisation' ELSE 'person' END AS kind, coalesce(a.synthetic, false) AS synthetic
ORDER BY name, actor
