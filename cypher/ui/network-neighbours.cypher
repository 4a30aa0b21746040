// title: Neighbours
// question: Which actors are one tie away from these actors?
// param ids: list = null -- actor ids
// param network: str = all -- a network type, or `all`
// columns: actor
UNWIND $ids AS id
MATCH (:Actor {id: id})-[t:TIE]-(b:Actor)
WHERE $network = 'all' OR t.network = $network
RETURN DISTINCT b.id AS actor
