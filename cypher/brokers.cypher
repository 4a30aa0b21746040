// title: Brokers: hubs, gatekeepers and pulsetakers
// question: Who carries ideas between groups in this network, and why do they count as a broker?
// param network: str = innovation -- a network type, or `all` for every tie
// param role: str = null -- hub, gatekeeper or pulsetaker; null for all three
// param locality: str = null -- only actors of this locality
// param limit: int = 25 -- rows returned
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors and ties
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to read each actor live)
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: actor, name, layer, roles, reasons, in_degree, betweenness, closeness, information, two_step_reach, constraint, coreness, synthetic
// While the run matches the data ($stored) and has the actors' copies on its scores
// (run.query_columns: kb/store/query_columns.py), its brokers are walked in the query's order
// (Score.broker_rank, index score_broker_rank; then name), stopping after `limit` rows;
// otherwise (an older run, or the data changed since) every score of the run is read with
// its actor.
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, coalesce($stored AND run.query_columns >= 2, false) AS copied
CALL (run, copied) {
  WITH run, copied WHERE copied
  MATCH (s:Score) USING INDEX s:Score(run_id, broker_rank) WHERE s.run_id = CASE WHEN copied THEN run.id END AND s.broker_rank >= 1
    AND ($include_synthetic OR NOT s.synthetic) AND ($role IS NULL OR $role IN s.roles)
    AND ($locality IS NULL OR $locality IN s.localities)
  WITH s, s.name AS name ORDER BY s.run_id, s.broker_rank, name LIMIT $limit  // s.run_id first: the index's order is used
  RETURN s, s.actor_id AS actor, name, s.layer AS layer, s.synthetic AS synthetic
  UNION ALL
  WITH run WHERE run IS NOT NULL AND NOT copied
  MATCH (run)<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor)
  WHERE size(s.roles) > 0 AND ($include_synthetic OR NOT coalesce(a.synthetic, false)) AND ($role IS NULL OR $role IN s.roles)
    AND ($locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
         OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
  WITH s, a, a.name AS name ORDER BY size(s.roles) DESC, s.betweenness DESC, s.in_degree DESC, name LIMIT $limit
  RETURN s, a.id AS actor, name, a.layer AS layer, coalesce(a.synthetic, false) AS synthetic
}
RETURN actor, name, layer, s.roles AS roles, s.reasons AS reasons,
       s.in_degree AS in_degree, round(s.betweenness, 3) AS betweenness, round(s.closeness, 3) AS closeness,
       round(s.information, 3) AS information, round(s.two_step_reach, 3) AS two_step_reach,
       round(s.constraint, 3) AS constraint, s.coreness AS coreness, synthetic
ORDER BY size(s.roles) DESC, s.betweenness DESC, s.in_degree DESC, name
LIMIT $limit
