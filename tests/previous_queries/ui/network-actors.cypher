// title: Actors of a network picture
// question: Which actors to draw (ranked by a score, capped), with their layer, roles and size?
// note: score is `degree` (ties of this network type, counted here) or a property of the current `kb analyse` Score (in_degree, betweenness, ...); actors without a score fall back to their degree.
// param network: str = all -- a network type, or `all`
// param locality: str = null -- only actors of this locality
// param ids: list = null -- only these actors (e.g. an actor and its neighbourhood)
// param score: str = degree -- what sizes and ranks the nodes
// param limit: int = 300 -- most nodes drawn (the top by score)
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: actor, name, kind, layer, organisation, degree, size, roles, total, synthetic, core
MATCH (a:Actor)
WHERE ($ids IS NULL OR a.id IN $ids) AND ($include_synthetic OR NOT coalesce(a.synthetic, false))
  AND ($locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
       OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
WITH a, COUNT { (a)-[t:TIE]-(:Actor) WHERE ($network = 'all' OR t.network = $network) AND t.superseded IS NULL AND ($include_synthetic OR NOT coalesce(t.synthetic, false)) } AS degree
WHERE degree > 0 OR $ids IS NOT NULL
OPTIONAL MATCH (a)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(:AnalysisRun {network: $network, current: true})
WITH a, degree, s,
     CASE WHEN $score = 'degree' OR s IS NULL OR s[$score] IS NULL THEN toFloat(degree) ELSE toFloat(s[$score]) END AS size
ORDER BY size DESC, a.name, a.id
WITH collect({a: a, degree: degree, size: size, roles: coalesce(s.roles, []), core: coalesce(s.in_main_core, false)}) AS ranked
WITH size(ranked) AS total, ranked[0..$limit] AS kept
UNWIND kept AS r
WITH total, r, r.a AS a
RETURN a.id AS actor, coalesce(a.name, a.id) AS name,
       CASE WHEN a:Organisation THEN 'organisation' ELSE 'person' END AS kind, a.layer AS layer,
       CASE WHEN a:Organisation THEN null ELSE COLLECT { MATCH (a)-[:MEMBER_OF]->(o:Organisation) RETURN o.name }[0] END AS organisation,
       r.degree AS degree, r.size AS size, r.roles AS roles, total,
       coalesce(a.synthetic, false) AS synthetic, r.core AS core
