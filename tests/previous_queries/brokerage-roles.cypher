// title: Gould-Fernandez brokerage roles
// question: For each actor, how often do they broker between others, within or across groups (Gould & Fernandez 1989)?
// note: v brokers the ordered pair (a, b) when a->v->b and there is no tie a->b. Counted here in Cypher, or read from `kb analyse`'s counts while the network's current run (by the same grouping) still matches the data; z-scores come from `kb analyse`. When the network's current run still matches the data, only the actors whose stored total reaches the limit-th largest are counted (the total does not depend on the grouping).
// param network: str = innovation -- a network type, or `all` for ties of any type
// param grouping: str = layer -- layer, org_type or locality
// param limit: int = 50 -- rows returned
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) brokers and ties (counted live then)
// param live: bool = false -- count every actor live, even when a current analysis run could narrow the candidates
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to count live)
// analysis: optional -- reads the network's current `kb analyse` run when it still matches the data, else counts live (on a large knowledge base without any run kb answers with no rows and says why)
// columns: actor, name, group, coordinator, itinerant, representative, gatekeeper, liaison, total, coordinator_z, itinerant_z, representative_z, gatekeeper_z, liaison_z, synthetic
// Candidate brokers. The total number of open two-paths through v does not depend on the
// grouping, and `kb analyse` stores it (gf_total). While the network's current run still
// matches the data ($stored, which kb computes once: every score of the run is there (`kb forget` removes one), no load
// is under way or finished since the run's projection (run.loads counts the finished
// loads that changed data)) - the top `limit` rows by total are among the actors whose stored total
// reaches the limit-th largest, so only those are counted below; ties at that total are
// all kept. Otherwise (no current run, the data changed, a run older than run.loads, or
// $live or no $stored) every actor is a candidate. Rows are always counted live.
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, coalesce($stored AND NOT $live AND $include_synthetic AND run IS NOT NULL, false) AS stored
// The run counted the roles itself (Score.gf_coordinator .. gf_liaison, equal to the live
// counts below: tests/test_analysis_db.py) by its grouping: while it matches the data and
// the grouping asked for is the run's, the top rows are read from its scores (ordered as
// the rows below: total, then name), without counting any two-path.
WITH run, stored, stored AND run.grouping = $grouping AS counted
CALL (run, stored, counted) {
  WITH run WHERE counted
  MATCH (run)<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(v:Actor)
  WHERE s.gf_total > 0
  WITH v, s ORDER BY s.gf_total DESC, v.name LIMIT $limit
  RETURN v, coalesce(CASE $grouping WHEN 'org_type' THEN v.org_type WHEN 'locality' THEN COLLECT { MATCH (v)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE v.layer END, '') AS gv,
         toInteger(s.gf_coordinator) AS coordinator, toInteger(s.gf_itinerant) AS itinerant,
         toInteger(s.gf_representative) AS representative, toInteger(s.gf_gatekeeper) AS gatekeeper,
         toInteger(s.gf_liaison) AS liaison
  UNION
  WITH run, stored WHERE NOT counted
  CALL (run, stored) {
    WITH run WHERE stored
    CALL (run) {
      MATCH (run)<-[:IN_RUN]-(s:Score) WHERE s.gf_total > 0
      WITH s.gf_total AS total ORDER BY total DESC LIMIT $limit
      RETURN min(total) AS threshold
    }
    MATCH (run)<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(v:Actor)
    WHERE s.gf_total >= threshold
    RETURN v
    UNION
    WITH run WHERE NOT stored
    MATCH (v:Actor) WHERE $include_synthetic OR NOT coalesce(v.synthetic, false)
    RETURN v
  }
  // Each broker's distinct in- and out-neighbours first (their groups read once per
  // neighbour): with `all`, parallel ties of several types would otherwise repeat each
  // two-path (and its closure check) up to 49 times.
  CALL (v) {
    MATCH (a:Actor)-[r1:TIE]->(v)
    WHERE a <> v AND ($network = 'all' OR r1.network = $network) AND r1.superseded IS NULL
      AND ($include_synthetic OR NOT coalesce(r1.synthetic, false) AND NOT coalesce(a.synthetic, false))
    WITH DISTINCT a
    RETURN collect([a, coalesce(CASE $grouping WHEN 'org_type' THEN a.org_type WHEN 'locality' THEN COLLECT { MATCH (a)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE a.layer END, '')]) AS ins
  }
  WITH v, ins WHERE size(ins) > 0
  CALL (v) {
    MATCH (v)-[r2:TIE]->(b:Actor)
    WHERE b <> v AND ($network = 'all' OR r2.network = $network) AND r2.superseded IS NULL
      AND ($include_synthetic OR NOT coalesce(r2.synthetic, false) AND NOT coalesce(b.synthetic, false))
    WITH DISTINCT b
    RETURN collect([b, coalesce(CASE $grouping WHEN 'org_type' THEN b.org_type WHEN 'locality' THEN COLLECT { MATCH (b)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE b.layer END, '')]) AS outs
  }
  WITH v, ins, outs WHERE size(outs) > 0
  WITH v, ins, outs,
       coalesce(CASE $grouping WHEN 'org_type' THEN v.org_type WHEN 'locality' THEN COLLECT { MATCH (v)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE v.layer END, '') AS gv
  // The pairs are counted by groups, not enumerated: all in x out pairs of groups (ga, gb)
  // number |A_ga| x |B_gb| (A the in-, B the out-neighbours of v), less the pairs that are
  // not brokered - a = b (an actor in both lists) and the closed ones (a -> b), found from
  // each b's own in-ties. Each pair (ga, gb) falls in exactly one role.
  CALL (v, gv, ins, outs) {
    WITH v, gv, ins, outs, [x IN ins | x[0]] AS as, [y IN outs | y[0]] AS bs
    WITH gv, ins, outs, as, bs,
         COLLECT { UNWIND ins AS x WITH x[1] AS g, count(*) AS n RETURN [g, n] } AS ha,
         COLLECT { UNWIND outs AS y WITH y[1] AS g, count(*) AS n RETURN [g, n] } AS hb
    WITH gv, ha, hb,
         [x IN ins WHERE x[0] IN bs | [x[1], x[1]]] +
         COLLECT { UNWIND outs AS y
                   WITH y[0] AS b, y[1] AS gb
                   MATCH (a:Actor)-[t:TIE]->(b)
                   WHERE a <> b AND ($network = 'all' OR t.network = $network) AND a IN as AND t.superseded IS NULL
                     AND ($include_synthetic OR NOT coalesce(t.synthetic, false))
                   WITH DISTINCT a, b, gb
                   RETURN [coalesce(CASE $grouping WHEN 'org_type' THEN a.org_type WHEN 'locality' THEN COLLECT { MATCH (a)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE a.layer END, ''), gb] } AS unbrokered
    WITH gv, unbrokered,
         reduce(s = 0, p IN ha | s + p[1]) AS na, reduce(s = 0, p IN hb | s + p[1]) AS nb,
         coalesce([p IN ha WHERE p[0] = gv | p[1]][0], 0) AS na_v, coalesce([p IN hb WHERE p[0] = gv | p[1]][0], 0) AS nb_v,
         reduce(s = 0, p IN ha | s + CASE WHEN p[0] <> gv THEN p[1] * coalesce([q IN hb WHERE q[0] = p[0] | q[1]][0], 0) ELSE 0 END) AS same_other
    RETURN na_v * nb_v - size([u IN unbrokered WHERE u[0] = gv AND u[1] = gv]) AS coordinator,
           same_other - size([u IN unbrokered WHERE u[0] = u[1] AND u[0] <> gv]) AS itinerant,
           na_v * (nb - nb_v) - size([u IN unbrokered WHERE u[0] = gv AND u[1] <> gv]) AS representative,
           (na - na_v) * nb_v - size([u IN unbrokered WHERE u[1] = gv AND u[0] <> gv]) AS gatekeeper,
           (na - na_v) * (nb - nb_v) - same_other - size([u IN unbrokered WHERE u[0] <> gv AND u[1] <> gv AND u[0] <> u[1]]) AS liaison
  }
  RETURN v, gv, coordinator, itinerant, representative, gatekeeper, liaison
}
WITH v, gv, coordinator, itinerant, representative, gatekeeper, liaison
WHERE coordinator + itinerant + representative + gatekeeper + liaison > 0
// z-scores of a run over every tie: not shown when synthetic ties are left out.
OPTIONAL MATCH (v)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(:AnalysisRun {network: $network, current: true, grouping: $grouping})
WHERE $include_synthetic
RETURN v.id AS actor, v.name AS name, gv AS group, coordinator, itinerant, representative, gatekeeper, liaison,
       coordinator + itinerant + representative + gatekeeper + liaison AS total,
       round(s.gf_coordinator_z, 3) AS coordinator_z, round(s.gf_itinerant_z, 3) AS itinerant_z,
       round(s.gf_representative_z, 3) AS representative_z, round(s.gf_gatekeeper_z, 3) AS gatekeeper_z,
       round(s.gf_liaison_z, 3) AS liaison_z, coalesce(v.synthetic, false) AS synthetic
ORDER BY total DESC, name
LIMIT $limit
