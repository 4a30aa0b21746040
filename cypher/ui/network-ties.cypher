// title: Ties among actors
// question: Which ties of this network type join these actors (one row per ordered pair)?
// param ids: list = null -- actor ids
// param network: str = all -- a network type, or `all`
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: source, target, networks, weight, synthetic
UNWIND $ids AS id
MATCH (a:Actor {id: id})-[t:TIE]->(b:Actor)
WHERE a <> b AND b.id IN $ids AND ($network = 'all' OR t.network = $network) AND t.superseded IS NULL
  AND ($include_synthetic OR NOT coalesce(t.synthetic, false))
RETURN a.id AS source, b.id AS target, collect(t.network) AS networks, sum(coalesce(t.weight, 1)) AS weight,
       max(coalesce(t.synthetic, false)) AS synthetic
