// title: Actors in the analysed population: every actor with at least one tie
MATCH (a:Actor) WHERE EXISTS { (a)-[:TIE]-() }
RETURN a.id AS id, a.layer AS layer, a.org_type AS org_type
