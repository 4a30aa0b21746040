// title: The core group
// question: Who is the dominant core group (the main k-core), how consistently do they appear across networks, and how closed is it (E-I index of core vs the rest)?
// note: Ties are directed arcs. E-I (Krackhardt & Stern 1988) = (E - I) / (E + I), I = arcs among core members, E = arcs between core and non-core actors; core_density = I / (n (n - 1)). Strongly negative: a closed, possibly exclusive clique. organisation: the first (by name) the actor is a member of.
// param network: str = all -- a network type, or `all`
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to count live)
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: actor, name, layer, organisation, coreness, networks_in_core, core_size, core_density, core_ei, internal_ties, external_ties, synthetic
// While the run matches the data ($stored) and has its core's arc counts and the actors'
// copies on its scores (and, since round 2 session 4, its core's members listed in order) (run.query_columns: kb/store/query_columns.py), the core's members are
// read through the index score_main_core and the counts from the run: only the members' other
// scores are looked up (networks_in_core). Otherwise (an older run, or the data changed
// since) the arcs are counted live, below.
MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, coalesce($stored AND run.query_columns >= 2, false) AS copied
WITH run, copied, coalesce(copied AND run.cc_rows IS NOT NULL AND run.forgotten_people IS NULL, false) AS listed
CALL (run, copied, listed) {
  // The core's members as `kb analyse` listed them on the run, in the answer's order
  // (run.cc_rows: cypher/analysis/core-members.cypher, from the same copies): read while the
  // copies are, unless someone was forgotten since. Each member's other runs are looked up for
  // the rows fetched only (kb query stops at its row limit).
  WITH run, listed WHERE listed
  WITH run.cc_rows AS rows, run.core_internal_ties AS internal_ties, run.core_external_ties AS external_ties,
       COLLECT { MATCH (r:AnalysisRun {current: true}) WHERE r.network <> 'all' RETURN r.id } AS current_runs
  UNWIND rows AS text
  WITH size(rows) AS core_size, internal_ties, external_ties, current_runs, split(text, '\u001f') AS f
  WHERE $include_synthetic OR f[5] = 'false'
  RETURN f[0] AS actor, CASE f[1] WHEN '' THEN null ELSE substring(f[1], 1) END AS name,
         CASE f[2] WHEN '' THEN null ELSE substring(f[2], 1) END AS layer,
         CASE f[3] WHEN '' THEN null ELSE substring(f[3], 1) END AS organisation, toInteger(f[4]) AS coreness,
         size(COLLECT { MATCH (m:Actor {id: f[0]})-[:HAS_SCORE]->(n:Score) USING INDEX m:Actor(id)
                        WHERE n.in_main_core = true AND n.run_id IN current_runs RETURN DISTINCT n.network }) AS networks_in_core,
         core_size, internal_ties, external_ties, f[5] = 'true' AS synthetic
  UNION ALL
  WITH run, copied, listed WHERE copied AND NOT listed
  MATCH (s:Score) USING INDEX s:Score(run_id, in_main_core) WHERE s.run_id = CASE WHEN copied THEN run.id END AND s.in_main_core = true
  WITH run, collect(s) AS core
  WITH run, size(core) AS core_size, core, run.core_internal_ties AS internal_ties, run.core_external_ties AS external_ties,
       COLLECT { MATCH (r:AnalysisRun {current: true}) WHERE r.network <> 'all' RETURN r.id } AS current_runs
  UNWIND core AS s
  WITH s, core_size, internal_ties, external_ties, current_runs
  WHERE $include_synthetic OR NOT s.synthetic
  // In the answer's order first: each member's other scores are then looked up only for the
  // rows fetched (kb query stops at its row limit), not for the whole core.
  WITH s, core_size, internal_ties, external_ties, current_runs ORDER BY s.layer, s.name
  RETURN s.actor_id AS actor, s.name AS name, s.layer AS layer, s.member_org AS organisation, s.coreness AS coreness,
         size(COLLECT { MATCH (m:Actor {id: s.actor_id})-[:HAS_SCORE]->(n:Score) USING INDEX m:Actor(id)
                        WHERE n.in_main_core = true AND n.run_id IN current_runs RETURN DISTINCT n.network }) AS networks_in_core,
         core_size, internal_ties, external_ties, s.synthetic AS synthetic
  UNION ALL
  WITH run WHERE NOT copied
  MATCH (run)<-[:IN_RUN]-(s:Score {in_main_core: true})<-[:HAS_SCORE]-(a:Actor)
  WITH run, collect(a) AS core
  // Internal arcs: x -> y with both in the core; external: exactly one of them in it.
  // One network type: its arcs straight from the TIE(network) relationship index (the core's
  // members also have ties of every other type, which expanding them would read). `all`:
  // each member's tie list read once, both directions together (an arc x -> y counted
  // from x's side when internal, from the member's side when external).
  CALL (core) {
    WITH core WHERE $network <> 'all'
    CALL (core) {
      MATCH (x:Actor)-[t:TIE]->(y:Actor)
      WHERE t.network = $network AND x <> y AND t.superseded IS NULL
      WITH x, y, x IN core AS x_in, y IN core AS y_in
      WHERE x_in OR y_in
      WITH DISTINCT x, y, x_in, y_in
      RETURN sum(toInteger(x_in AND y_in)) AS internal_ties, sum(toInteger(x_in <> y_in)) AS external_ties
    }
    RETURN internal_ties, external_ties
    UNION ALL
    WITH core WHERE $network = 'all'
    CALL (core) {
      UNWIND core AS x
      MATCH (x)-[t:TIE]-(y:Actor)
      WHERE x <> y AND t.superseded IS NULL
      WITH x, y, startNode(t) = x AS outward, y IN core AS inside
      WHERE outward OR NOT inside
      WITH DISTINCT x, y, outward, inside
      RETURN sum(toInteger(outward AND inside)) AS internal_ties, sum(toInteger(NOT inside)) AS external_ties
    }
    RETURN internal_ties, external_ties
  }
  // The member list is not carried into the per-member aggregations below: as a grouping
  // key it would be copied for every member (memory and time growing with the square of
  // the core's size).
  WITH run, core, size(core) AS core_size, internal_ties, external_ties
  UNWIND core AS a
  // One walk over the member's other relationships: its organisation, its score in this
  // run, and the other current runs (one network type each) whose main core it is in.
  CALL (a, run) {
    MATCH (a)-[m:MEMBER_OF|HAS_SCORE]->(n)
    WITH n, CASE WHEN m:MEMBER_OF AND n:Organisation THEN n.name END AS org,
         CASE WHEN m:HAS_SCORE THEN [(n)-[:IN_RUN]->(r:AnalysisRun) | r][0] END AS r
    RETURN collect(org)[0] AS organisation, collect(CASE WHEN r = run THEN n END)[0] AS s,
           collect(DISTINCT CASE WHEN n.in_main_core = true AND r.current = true AND r.network <> 'all'
                                 THEN r.network END) AS networks
  }
  WITH run, core_size, a, organisation, s, networks, internal_ties, external_ties
  WHERE s IS NOT NULL AND ($include_synthetic OR NOT coalesce(a.synthetic, false))
  RETURN a.id AS actor, a.name AS name, a.layer AS layer, organisation, s.coreness AS coreness,
         size(networks) AS networks_in_core, core_size, internal_ties, external_ties,
         coalesce(a.synthetic, false) AS synthetic
  ORDER BY layer, name
}
// Each branch gives its rows in the answer's order (ORDER BY layer, name), so that the copied
// one computes networks_in_core only for the rows fetched.
RETURN actor, name, layer, organisation, coreness, networks_in_core, core_size,
       CASE WHEN core_size > 1 THEN round(toFloat(internal_ties) / (core_size * (core_size - 1)), 3) END AS core_density,
       CASE WHEN internal_ties + external_ties > 0
            THEN round(toFloat(external_ties - internal_ties) / (external_ties + internal_ties), 3) END AS core_ei,
       internal_ties, external_ties, synthetic
