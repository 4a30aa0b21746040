// title: Actors with ties
// question: Which organisations and people have ties (for choosing one)?
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// param name: str = null -- only actors whose name contains this text (any case)
// param ids: list = null -- only these actors
// param limit: int = null -- at most this many (by name); null: all
// columns: actor, name, layer, kind, synthetic
MATCH (a:Actor)
WHERE ($ids IS NULL OR a.id IN $ids)
  AND ($name IS NULL OR toLower(coalesce(a.name, a.id)) CONTAINS toLower($name))
  AND EXISTS { (a)-[t:TIE]-() WHERE t.superseded IS NULL AND ($include_synthetic OR NOT coalesce(t.synthetic, false)) }
  AND ($include_synthetic OR NOT coalesce(a.synthetic, false))
RETURN a.id AS actor, coalesce(a.name, a.id) AS name, a.layer AS layer,
       CASE WHEN a:Organisation THEN 'organisation' ELSE 'person' END AS kind, coalesce(a.synthetic, false) AS synthetic
ORDER BY name, actor
LIMIT coalesce($limit, 100000000)
