// title: The core group
// question: Who is the dominant core group (the main k-core), how consistently do they appear across networks, and how closed is it (E-I index of core vs the rest)?
// note: Ties are directed arcs. E-I (Krackhardt & Stern 1988) = (E - I) / (E + I), I = arcs among core members, E = arcs between core and non-core actors; core_density = I / (n (n - 1)). Strongly negative: a closed, possibly exclusive clique.
// param network: str = all -- a network type, or `all`
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: actor, name, layer, organisation, coreness, networks_in_core, core_size, core_density, core_ei, internal_ties, external_ties, synthetic
MATCH (run:AnalysisRun {network: $network, current: true})<-[:IN_RUN]-(s:Score {in_main_core: true})<-[:HAS_SCORE]-(a:Actor)
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
       size(networks) AS networks_in_core, core_size,
       CASE WHEN core_size > 1 THEN round(toFloat(internal_ties) / (core_size * (core_size - 1)), 3) END AS core_density,
       CASE WHEN internal_ties + external_ties > 0
            THEN round(toFloat(external_ties - internal_ties) / (external_ties + internal_ties), 3) END AS core_ei,
       internal_ties, external_ties, coalesce(a.synthetic, false) AS synthetic
ORDER BY layer, name
