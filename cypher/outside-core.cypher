// title: Outside the core
// question: Which actors and groups sit outside the core networks of influence (low k-core number, or outside the main component), by layer and organisation?
// note: Core numbers come from `kb analyse` (Batagelj & Zaversnik 2003). An actor is in the core when its core number is at least core_fraction x the network's highest core number. Groups: layer x the organisation the actor belongs to (or is). `outside` lists up to 20 of the group's actors outside the core, by name.
// param network: str = all -- a network type, or `all`
// param locality: str = null -- only actors of this locality
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) actors
// param core_fraction: float = 0.5 -- share of the highest core number that counts as core
// param stored: bool = false -- the network's current analysis run still matches the data (kb sets it: kb/store/analysis_runs.py stored_run_is_current; in Neo4j Browser leave false to read each actor live)
// analysis: required -- answers from the network's current `kb analyse` run; without one it has no rows (kb says so)
// columns: layer, organisation, org_type, actors, outside_core, share_outside, mean_coreness, outside_main_component, outside, synthetic
// For the whole network at the run's stored core fraction (0.5, the default) the rows are
// the table `kb analyse` stored on the run (run.oc_rows: cypher/analysis/outside-core-groups.cypher,
// the same aggregation over the same copies, done once), read while the run is used as below
// and no one was forgotten since (kb forget drops the table).
// Otherwise, while the run matches the data ($stored) and has the actors' copies on its scores
// (run.query_columns: kb/store/query_columns.py: layer, group organisation, localities,
// synthetic flag, name), only the run's scores are read (index score_run); otherwise (an older
// run, or the data changed since) each score's actor and its organisations and localities.
MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, coalesce($stored AND run.query_columns >= 2, false) AS copied
WITH run, copied, coalesce(copied AND $locality IS NULL AND run.oc_core_fraction = $core_fraction
                           AND run.forgotten_people IS NULL AND run.oc_rows IS NOT NULL, false) AS tabled
CALL (run, copied, tabled) {
  WITH run, tabled WHERE tabled
  UNWIND CASE WHEN $include_synthetic THEN run.oc_rows[..run.oc_split] ELSE run.oc_rows[run.oc_split..] END AS text
  WITH split(text, '\u001f') AS f
  RETURN f[0] AS layer, CASE f[1] WHEN '' THEN null ELSE substring(f[1], 1) END AS organisation,
         CASE f[2] WHEN '' THEN null ELSE substring(f[2], 1) END AS org_type, toInteger(f[3]) AS actors,
         toInteger(f[4]) AS outside_core, toFloat(f[5]) AS share_outside, toFloat(f[6]) AS mean_coreness,
         toInteger(f[7]) AS outside_main_component, f[9..] AS outside, f[8] = 'true' AS synthetic
  UNION ALL
  WITH run, copied, tabled WHERE NOT tabled
  CALL (run, copied) {
    WITH run, copied WHERE copied
    MATCH (s:Score) USING INDEX s:Score(run_id) WHERE s.run_id = CASE WHEN copied THEN run.id END
      AND ($locality IS NULL OR $locality IN s.localities) AND ($include_synthetic OR NOT s.synthetic)
    RETURN s.layer AS layer, s.org_name AS organisation, s.org_type AS org_type, s.coreness AS coreness,
           s.in_main_component AS in_main, s.name AS name, s.synthetic AS synthetic
    UNION ALL
    WITH run WHERE NOT copied
    MATCH (run)<-[:IN_RUN]-(s:Score)<-[:HAS_SCORE]-(a:Actor)
    WHERE ($locality IS NULL OR EXISTS { (a)-[:LOCATED_IN]->(:Locality {id: $locality}) }
           OR EXISTS { (a)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(:Locality {id: $locality}) })
      AND ($include_synthetic OR NOT coalesce(a.synthetic, false))
    WITH a, s, COLLECT { MATCH (a)-[:MEMBER_OF]->(o:Organisation) RETURN o ORDER BY o.name }[0] AS org
    WITH a, s, CASE WHEN a:Organisation THEN a ELSE org END AS org
    RETURN a.layer AS layer, org.name AS organisation, org.org_type AS org_type, s.coreness AS coreness,
           s.in_main_component AS in_main, a.name AS name, coalesce(a.synthetic, false) AS synthetic
  }
  WITH layer, organisation, org_type, coreness, in_main, name, synthetic,
       coreness < $core_fraction * run.max_coreness AS outside
  // mean_coreness: an exact integer sum over a count. avg() keeps a running mean in the order the server
  // reads the rows, so a mean of exactly .xx5 (83/8) came out 10.374999... or 10.375 by run: 10.37 or 10.38.
  WITH layer, organisation, org_type,
       count(*) AS actors, sum(toInteger(outside)) AS outside_core, CASE WHEN count(coreness) > 0 THEN toFloat(sum(coreness)) / count(coreness) END AS mean_coreness,
       sum(toInteger(NOT in_main)) AS outside_main_component,
       collect(CASE WHEN outside THEN name END) AS outside, max(synthetic) AS synthetic
  MATCH (l:Layer {id: layer})
  RETURN layer, organisation, org_type, actors, outside_core, round(toFloat(outside_core) / actors, 3) AS share_outside,
         round(mean_coreness, 2) AS mean_coreness, outside_main_component,
         COLLECT { UNWIND outside AS n RETURN n ORDER BY n LIMIT 20 } AS outside, synthetic
  ORDER BY mean_coreness, l.rank, organisation
}
RETURN layer, organisation, org_type, actors, outside_core, share_outside, mean_coreness, outside_main_component,
       outside, synthetic
