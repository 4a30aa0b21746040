// title: Warm-up examples
// question: Which locality, innovation and actor should the pages' warm-up (ui/warm.py) open the parameterised views with?
// columns: locality, candidate, innovation, actor
// The first of each by id (index order: cheap on any size): a locality facing a problem, an
// innovation addressing one of its problems that neither originated nor was adopted there, an
// innovation with an origin, and an actor with a tie.
CALL () {
  OPTIONAL MATCH (l:Locality) WHERE EXISTS { (l)-[:FACES]->(:Problem) }
  RETURN l ORDER BY l.id LIMIT 1
}
CALL (l) {
  OPTIONAL MATCH (l)-[:FACES]->(:Problem)<-[:ADDRESSES]-(i:Innovation)
  WHERE NOT EXISTS { (i)-[:ORIGINATED_IN|ADOPTED_IN]->(l) }
  RETURN i.id AS candidate ORDER BY candidate LIMIT 1
}
CALL () {
  OPTIONAL MATCH (i:Innovation) WHERE EXISTS { (i)-[:ORIGINATED_IN]->() }
  RETURN i.id AS innovation ORDER BY innovation LIMIT 1
}
CALL () {
  OPTIONAL MATCH (a:Actor) WHERE EXISTS { (a)-[:TIE]-() }
  RETURN a.id AS actor ORDER BY actor LIMIT 1
}
RETURN l.id AS locality, candidate, innovation, actor
