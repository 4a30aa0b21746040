// title: Ties of an actor
// question: Whom does this actor name, and who names them, in a network?
// param actor: str = null -- the actor id
// param network: str = all -- a network type, or `all`
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: direction, actor, name, layer, network, weight, date, synthetic
MATCH (a:Actor {id: $actor})-[t:TIE]-(b:Actor)
WHERE ($network = 'all' OR t.network = $network) AND t.superseded IS NULL
  AND ($include_synthetic OR NOT coalesce(t.synthetic, false) AND NOT coalesce(b.synthetic, false))
RETURN CASE WHEN startNode(t) = a THEN 'names' ELSE 'named by' END AS direction, b.id AS actor,
       coalesce(b.name, b.id) AS name, b.layer AS layer, t.network AS network, t.weight AS weight, t.date AS date,
       coalesce(t.synthetic, false) OR coalesce(b.synthetic, false) AS synthetic
ORDER BY network, direction, name
