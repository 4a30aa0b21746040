// title: Introduction path
// question: What is the shortest chain of ties and memberships from an actor of this locality to an actor behind the innovation (an originator or adopter)?
// note: One shortest-path search from the locality to the innovation (not one per pair of actors), so it stays fast on large networks. An actor of the locality is located there or is a member of an organisation located there, as in `transferable-innovations`; hops count the ties and memberships after that actor.
// param locality: str = knowsley -- the locality to transfer to
// param innovation: str = south_tyneside_pa_projects -- the innovation id
// param max_hops: int = 6 -- most ties and memberships in the chain (at most 6)
// param include_synthetic: bool = true -- false searches only sourced ties, memberships and actors
// columns: nodes, links, hops, synthetic_links
MATCH (here:Locality {id: $locality}), (i:Innovation {id: $innovation})
// Without synthetic data, every relationship and actor on the way must be sourced
// (inline predicates: they prune the search itself).
OPTIONAL MATCH path = SHORTEST 1 (here)(()<-[m:LOCATED_IN|MEMBER_OF WHERE $include_synthetic OR NOT coalesce(m.synthetic, false)]-
                                        (x WHERE $include_synthetic OR NOT coalesce(x.synthetic, false))){1,2}(:Actor)
                                 (()-[t:TIE|MEMBER_OF WHERE t.superseded IS NULL AND ($include_synthetic OR NOT coalesce(t.synthetic, false))]-
                                  (y WHERE $include_synthetic OR NOT coalesce(y.synthetic, false))){0,6}
                                 (:Actor)-[:ORIGINATED|ADOPTED]->(i)
WHERE length(path) <= $max_hops + 3
// The local actor: the one located here, or a member of the organisation located here.
WITH path, CASE WHEN path IS NOT NULL AND type(relationships(path)[1]) = 'MEMBER_OF'
                     AND endNode(relationships(path)[1]) = nodes(path)[1] THEN 2 ELSE 1 END AS start
WITH path, start, length(path) - 1 - start AS hops
WHERE path IS NULL OR hops <= $max_hops
RETURN [n IN nodes(path)[start .. length(path)] |
        {id: n.id, name: coalesce(n.name, n.id), layer: n.layer,
         kind: CASE WHEN n:Organisation THEN 'organisation' ELSE 'person' END,
         synthetic: coalesce(n.synthetic, false)}] AS nodes,
       [r IN relationships(path)[start .. length(path) - 1] |
        {source: startNode(r).id, target: endNode(r).id, type: type(r), network: r.network,
         synthetic: coalesce(r.synthetic, false)}] AS links,
       hops,
       size([r IN relationships(path)[start .. length(path) - 1] WHERE coalesce(r.synthetic, false)]) AS synthetic_links
