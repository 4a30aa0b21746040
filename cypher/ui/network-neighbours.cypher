// title: Neighbours
// question: Which actors are one tie away from these actors?
// param ids: list = null -- actor ids
// param network: str = all -- a network type, or `all`
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: actor
UNWIND $ids AS id
MATCH (:Actor {id: id})-[t:TIE]-(b:Actor)
WHERE ($network = 'all' OR t.network = $network) AND t.superseded IS NULL
  AND ($include_synthetic OR NOT coalesce(t.synthetic, false) AND NOT coalesce(b.synthetic, false))
RETURN DISTINCT b.id AS actor
