// title: One part of the projection: the actors in places $skip .. $skip + $limit of the id order
// (index order) that have a tie of any type (the analysed population), each with its layer and
// its outgoing ties of network type $network (or every type: 'all') as two parallel lists,
// target ids and weights. Read in several sessions at once, one per part; a list per actor
// decodes far faster than a row per tie.
MATCH (a:Actor) WHERE a.id IS NOT NULL
WITH a ORDER BY a.id SKIP $skip LIMIT $limit
WHERE EXISTS { (a)-[:TIE]-() }
RETURN a.id AS id, a.layer AS layer,
       [(a)-[t:TIE]->(b:Actor) WHERE ($network = 'all' OR t.network = $network) AND t.superseded IS NULL | b.id] AS targets,
       [(a)-[t:TIE]->(b:Actor) WHERE ($network = 'all' OR t.network = $network) AND t.superseded IS NULL | coalesce(t.weight, 1.0)] AS weights
