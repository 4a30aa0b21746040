// title: Where an innovation could transfer
// question: Which localities face a problem this innovation addresses, and have not adopted it yet?
// param innovation: str = see_through_shutters -- the innovation id
// columns: locality, name, shared_problems, synthetic
MATCH (i:Innovation {id: $innovation})-[:ADDRESSES]->(p:Problem)<-[:FACES]-(l:Locality)
WHERE NOT (i)-[:ADOPTED_IN]->(l) AND NOT (i)-[:ORIGINATED_IN]->(l)
WITH l, collect(coalesce(p.name, p.id)) AS shared_problems
RETURN l.id AS locality, coalesce(l.name, l.id) AS name, shared_problems, coalesce(l.synthetic, false) AS synthetic
ORDER BY size(shared_problems) DESC, name
