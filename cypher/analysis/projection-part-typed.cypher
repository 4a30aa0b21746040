// title: One part of the projection of every network type at once (`kb analyse` of several
// types, the default): as projection-part.cypher with $network = 'all', plus the network type
// of each outgoing tie as a third parallel list, so that one read of the ties serves every
// type (split by type in the client) instead of one read per type. The three lists stay
// parallel: collect() drops nulls, so a target without an id (outside the population anyway)
// is left out and a missing type is ''; an actor without outgoing ties gets empty lists
// (an aggregation over no rows).
MATCH (a:Actor) WHERE a.id IS NOT NULL
WITH a ORDER BY a.id SKIP $skip LIMIT $limit
WHERE EXISTS { (a)-[:TIE]-() }
CALL (a) {
  MATCH (a)-[t:TIE]->(b:Actor) WHERE t.superseded IS NULL AND b.id IS NOT NULL
  RETURN collect(b.id) AS targets, collect(coalesce(t.weight, 1.0)) AS weights,
         collect(coalesce(t.network, '')) AS networks
}
RETURN a.id AS id, a.layer AS layer, targets, weights, networks
