// title: Brokers: hubs, gatekeepers and pulsetakers
// question: Who carries ideas between groups in this network, and why do they count as a broker?
// param network: str = innovation -- a network type, or `all` for every tie
// param role: str = null -- hub, gatekeeper or pulsetaker; null for all three
// param locality: str = null -- only actors of this locality
// param limit: int = 25 -- rows returned
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors and ties
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: actor, name, layer, roles, reasons, in_degree, betweenness, closeness, information, two_step_reach, constraint, coreness, synthetic
MATCH (run:AnalysisRun {network: $network, current: true})<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor)
WHERE size(s.roles) > 0 AND ($include_synthetic OR NOT coalesce(a.synthetic, false)) AND ($role IS NULL OR $role IN s.roles)
  AND ($locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
       OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
RETURN a.id AS actor, a.name AS name, a.layer AS layer, s.roles AS roles, s.reasons AS reasons,
       s.in_degree AS in_degree, round(s.betweenness, 3) AS betweenness, round(s.closeness, 3) AS closeness,
       round(s.information, 3) AS information, round(s.two_step_reach, 3) AS two_step_reach,
       round(s.constraint, 3) AS constraint, s.coreness AS coreness,
       coalesce(a.synthetic, false) AS synthetic
ORDER BY size(s.roles) DESC, s.betweenness DESC, s.in_degree DESC, name
LIMIT $limit
