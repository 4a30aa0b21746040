// title: The sourced network of one type: every actor that is not synthetic and has a tie
// that is not synthetic to another such actor, with its layer, name and localities
// (its own and its organisations'), and its outgoing sourced ties of network type
// $network (or every type: 'all') as parallel lists of target ids and weights. What the
// UI computes roles over when synthetic data is hidden (kb/services/sourced_roles.py).
MATCH (a:Actor) WHERE a.id IS NOT NULL AND NOT coalesce(a.synthetic, false)
  AND EXISTS { (a)-[t:TIE]-(o:Actor) WHERE t.superseded IS NULL AND NOT coalesce(t.synthetic, false) AND NOT coalesce(o.synthetic, false) }
WITH a, [(a)-[t:TIE]->(b:Actor) WHERE ($network = 'all' OR t.network = $network) AND a <> b AND t.superseded IS NULL
         AND NOT coalesce(t.synthetic, false) AND NOT coalesce(b.synthetic, false) | [b.id, coalesce(t.weight, 1.0)]] AS out
RETURN a.id AS id, coalesce(a.name, a.id) AS name, a.layer AS layer,
       COLLECT { MATCH (a)-[:LOCATED_IN|MEMBER_OF*1..2]->(l:Locality) RETURN DISTINCT l.id } AS localities,
       [x IN out | x[0]] AS targets, [x IN out | x[1]] AS weights
ORDER BY id
