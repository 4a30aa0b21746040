// title: Gould-Fernandez brokerage roles
// question: For each actor, how often do they broker between others, within or across groups (Gould & Fernandez 1989)?
// note: v brokers the ordered pair (a, b) when a->v->b and there is no tie a->b. Counted here in Cypher; z-scores come from `kb analyse`.
// param network: str = innovation -- a network type, or `all` for ties of any type
// param grouping: str = layer -- layer, org_type or locality
// param limit: int = 50 -- rows returned
// columns: actor, name, group, coordinator, itinerant, representative, gatekeeper, liaison, total, coordinator_z, itinerant_z, representative_z, gatekeeper_z, liaison_z
MATCH (a:Actor)-[r1:TIE]->(v:Actor)-[r2:TIE]->(b:Actor)
WHERE a <> b AND a <> v AND v <> b
  AND ($network = 'all' OR (r1.network = $network AND r2.network = $network))
  AND NOT EXISTS { MATCH (a)-[t:TIE]->(b) WHERE $network = 'all' OR t.network = $network }
WITH DISTINCT a, v, b
WITH v, a, b,
     coalesce(CASE $grouping WHEN 'org_type' THEN a.org_type WHEN 'locality' THEN COLLECT { MATCH (a)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE a.layer END, '') AS ga,
     coalesce(CASE $grouping WHEN 'org_type' THEN v.org_type WHEN 'locality' THEN COLLECT { MATCH (v)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE v.layer END, '') AS gv,
     coalesce(CASE $grouping WHEN 'org_type' THEN b.org_type WHEN 'locality' THEN COLLECT { MATCH (b)-[:LOCATED_IN]->(l) RETURN l.id }[0] ELSE b.layer END, '') AS gb
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
