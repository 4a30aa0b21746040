// title: Outside the core
// question: Which actors and groups sit outside the core networks of influence (low k-core number, or outside the main component), by layer and organisation?
// note: Core numbers come from `kb analyse` (Batagelj & Zaversnik 2003). An actor is in the core when its core number is at least core_fraction x the network's highest core number. Groups: layer x the organisation the actor belongs to (or is).
// param network: str = all -- a network type, or `all`
// param locality: str = null -- only actors of this locality
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors
// param core_fraction: float = 0.5 -- share of the highest core number that counts as core
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: layer, organisation, org_type, actors, outside_core, share_outside, mean_coreness, outside_main_component, outside, synthetic
MATCH (run:AnalysisRun {network: $network, current: true})
MATCH (run)<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor)
WHERE ($locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
       OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
  AND ($include_synthetic OR NOT coalesce(a.synthetic, false))
WITH run, a, s, COLLECT { MATCH (a)-[:MEMBER_OF]->(o:Organisation) RETURN o ORDER BY o.name }[0] AS org
WITH a, s, CASE WHEN a:Organisation THEN a ELSE org END AS org,
     s.coreness < $core_fraction * run.max_coreness AS outside
WITH a.layer AS layer, org.name AS organisation, org.org_type AS org_type,
     count(*) AS actors, sum(toInteger(outside)) AS outside_core, CASE WHEN count(s.coreness) > 0 THEN toFloat(sum(s.coreness)) / count(s.coreness) END AS mean_coreness,
     sum(toInteger(NOT s.in_main_component)) AS outside_main_component,
     collect(CASE WHEN outside THEN a.name END) AS outside, max(coalesce(a.synthetic, false)) AS synthetic
MATCH (l:Layer {id: layer})
RETURN layer, organisation, org_type, actors, outside_core, round(toFloat(outside_core) / actors, 3) AS share_outside,
       round(mean_coreness, 2) AS mean_coreness, outside_main_component, outside[0..20] AS outside, synthetic
ORDER BY mean_coreness, l.rank, organisation
