// title: Candidate introduction paths for a transfer assessment (kb/services/transfer.py): the 12
// fewest-hop chains of ties and memberships from an actor of the locality (located there, or a
// member of an organisation located there) to an actor behind the innovation (an originator or
// adopter), as in `introduction-path`. One bidirectional search between the locality and the
// innovation. kb.analytics.paths then picks the cheapest distinct ones by tie strength,
// recency and brokers (docs/transfer.md). `start` is the index of the local actor in `nodes`.
MATCH (here:Locality {id: $locality}), (i:Innovation {id: $innovation})
MATCH path = SHORTEST 12 (here)(()<-[:LOCATED_IN|MEMBER_OF]-()){1,2}(:Actor)
                         (()-[:TIE|MEMBER_OF]-()){0,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)
WITH path, CASE WHEN type(relationships(path)[1]) = 'MEMBER_OF'
                     AND endNode(relationships(path)[1]) = nodes(path)[1] THEN 2 ELSE 1 END AS start
WHERE length(path) - 1 - start <= $max_hops
RETURN [n IN nodes(path)[start .. length(path)] |
        {id: n.id, name: coalesce(n.name, n.id), layer: n.layer,
         kind: CASE WHEN n:Organisation THEN 'organisation' ELSE 'person' END}] AS nodes,
       [r IN relationships(path)[start .. length(path) - 1] |
        {source: startNode(r).id, target: endNode(r).id, type: type(r), network: r.network, weight: r.weight,
         date: r.date, synthetic: coalesce(r.synthetic, false)}] AS links
