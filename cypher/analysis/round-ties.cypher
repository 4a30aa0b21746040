// title: The ties of one survey round (`kb change`, the Change page): each actor with a tie in the
// round (of the locality, when $locality is given: located there or a member of an organisation
// located there; both ends of a tie must be), its layer and name, whether it named anyone in the
// round (a respondent), and its outgoing ties of network type $network ('all': every type) in
// the round as parallel lists of targets, weights and synthetic flags
MATCH (a:Actor)-[t:TIE {round: $round}]-(:Actor)
WITH DISTINCT a
WHERE $locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
      OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) }
WITH collect(a) AS actors
UNWIND actors AS a
RETURN a.id AS id, a.layer AS layer, a.name AS name, coalesce(a.synthetic, false) AS synthetic_actor,
       EXISTS { (a)-[:TIE {round: $round}]->(:Actor) } AS respondent,
       [(a)-[t:TIE {round: $round}]->(b:Actor) WHERE b IN actors AND ($network = 'all' OR t.network = $network)
        | [b.id, coalesce(t.weight, 1.0), coalesce(t.synthetic, false)]] AS ties
ORDER BY id
