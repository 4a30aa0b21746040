// title: Actors with ties
// question: Which organisations and people have ties (for choosing one)?
// columns: actor, name, layer, kind
MATCH (a:Actor) WHERE EXISTS { (a)-[:TIE]-() }
RETURN a.id AS actor, coalesce(a.name, a.id) AS name, a.layer AS layer,
       CASE WHEN a:Organisation THEN 'organisation' ELSE 'person' END AS kind
ORDER BY name, actor
