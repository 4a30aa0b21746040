// title: Gould-Fernandez brokerage roles
// question: For each actor, how often do they broker between others, within or across groups (Gould & Fernandez 1989)?
// note: v brokers the ordered pair (a, b) when a->v->b and there is no tie a->b. Counted here in Cypher; z-scores come from `kb analyse`.
// param network: str = innovation -- a network type, or `all` for ties of any type
// param grouping: str = layer -- layer, org_type or locality
// param limit: int = 50 -- rows returned
// columns: actor, name, group, coordinator, itinerant, representative, gatekeeper, liaison, total, coordinator_z, itinerant_z, representative_z, gatekeeper_z, liaison_z
// Each broker's distinct in- and out-neighbours first (their groups read once per
// neighbour), then every in x out pair once: with `all`, parallel ties of several types
// would otherwise repeat each two-path (and its closure check) up to 49 times. The arcs
// that close a pair (a -> b) are read once per in-neighbour a, not looked up per pair.
MATCH (v:Actor)
CALL (v) {
  MATCH (a:Actor)-[r1:TIE]->(v)
  WHERE a <> v AND ($network = 'all' OR r1.network = $network)
  WITH DISTINCT a
  RETURN collect([a, coalesce(CASE $grouping WHEN 'org_type' THEN a.org_type WHEN 'locality' THEN COLLECT { MATCH (a)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE a.layer END, '')]) AS ins
}
WITH v, ins WHERE size(ins) > 0
CALL (v) {
  MATCH (v)-[r2:TIE]->(b:Actor)
  WHERE b <> v AND ($network = 'all' OR r2.network = $network)
  WITH DISTINCT b
  RETURN collect([b, coalesce(CASE $grouping WHEN 'org_type' THEN b.org_type WHEN 'locality' THEN COLLECT { MATCH (b)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE b.layer END, '')]) AS outs
}
WITH v, ins, outs WHERE size(outs) > 0
WITH v, ins, outs,
     coalesce(CASE $grouping WHEN 'org_type' THEN v.org_type WHEN 'locality' THEN COLLECT { MATCH (v)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE v.layer END, '') AS gv
UNWIND ins AS x
WITH v, gv, outs, x[0] AS a, x[1] AS ga
WITH v, gv, outs, a, ga, [(a)-[t:TIE]->(c) WHERE $network = 'all' OR t.network = $network | c] AS closed
UNWIND outs AS y
WITH v, gv, a, ga, y[0] AS b, y[1] AS gb, closed
WHERE a <> b AND NOT b IN closed
WITH v, gv,
     sum(CASE WHEN ga = gv AND gv = gb THEN 1 ELSE 0 END) AS coordinator,
     sum(CASE WHEN ga = gb AND ga <> gv THEN 1 ELSE 0 END) AS itinerant,
     sum(CASE WHEN ga = gv AND gb <> gv THEN 1 ELSE 0 END) AS representative,
     sum(CASE WHEN gb = gv AND ga <> gv THEN 1 ELSE 0 END) AS gatekeeper,
     sum(CASE WHEN ga <> gv AND gb <> gv AND ga <> gb THEN 1 ELSE 0 END) AS liaison
OPTIONAL MATCH (v)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(:AnalysisRun {network: $network, current: true, grouping: $grouping})
RETURN v.id AS actor, v.name AS name, gv AS group, coordinator, itinerant, representative, gatekeeper, liaison,
       coordinator + itinerant + representative + gatekeeper + liaison AS total,
       round(s.gf_coordinator_z, 3) AS coordinator_z, round(s.gf_itinerant_z, 3) AS itinerant_z,
       round(s.gf_representative_z, 3) AS representative_z, round(s.gf_gatekeeper_z, 3) AS gatekeeper_z,
       round(s.gf_liaison_z, 3) AS liaison_z
ORDER BY total DESC, name
LIMIT $limit
