// title: The core group
// question: Who is the dominant core group (the main k-core), how consistently do they appear across networks, and how closed is it (E-I index of core vs the rest)?
// note: Ties are directed arcs. E-I (Krackhardt & Stern 1988) = (E - I) / (E + I), I = arcs among core members, E = arcs between core and non-core actors; core_density = I / (n (n - 1)). Strongly negative: a closed, possibly exclusive clique.
// param network: str = all -- a network type, or `all`
// columns: actor, name, layer, organisation, coreness, networks_in_core, core_size, core_density, core_ei, internal_ties, external_ties
MATCH (run:AnalysisRun {network: $network, current: true})<-[:IN_RUN]-(s:Score {in_main_core: true})<-[:HAS_SCORE]-(a:Actor)
WITH run, collect(a) AS core
CALL (core) {
  UNWIND core AS x
  MATCH (x)-[t:TIE]->(y:Actor)
  WHERE ($network = 'all' OR t.network = $network) AND x <> y
  WITH DISTINCT x, y
  RETURN sum(toInteger(y IN core)) AS internal_ties, sum(toInteger(NOT y IN core)) AS out_ties
}
CALL (core) {
  UNWIND core AS y
  MATCH (x:Actor)-[t:TIE]->(y)
  WHERE ($network = 'all' OR t.network = $network) AND NOT x IN core
  WITH DISTINCT x, y
  RETURN count(*) AS in_ties
}
// The member list is not carried into the per-member aggregations below: as a grouping
// key it would be copied for every member (memory and time growing with the square of
// the core's size).
WITH run, core, size(core) AS core_size, internal_ties, out_ties + in_ties AS external_ties
UNWIND core AS a
OPTIONAL MATCH (a)-[:MEMBER_OF]->(o:Organisation)
WITH run, core_size, a, internal_ties, external_ties, collect(o.name)[0] AS organisation
OPTIONAL MATCH (a)-[:HAS_SCORE]->(other:Score {in_main_core: true})-[:IN_RUN]->(r:AnalysisRun {current: true})
WHERE r.network <> 'all'
WITH run, core_size, a, organisation, internal_ties, external_ties, collect(DISTINCT r.network) AS networks
MATCH (a)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(run)
RETURN a.id AS actor, a.name AS name, a.layer AS layer, organisation, s.coreness AS coreness,
       size(networks) AS networks_in_core, core_size,
       CASE WHEN core_size > 1 THEN round(toFloat(internal_ties) / (core_size * (core_size - 1)), 3) END AS core_density,
       CASE WHEN internal_ties + external_ties > 0
            THEN round(toFloat(external_ties - internal_ties) / (external_ties + internal_ties), 3) END AS core_ei,
       internal_ties, external_ties
ORDER BY layer, name
