// title: outside-core's answer for the whole network at the default core fraction, stored on the
// run (kb/store/query_columns.py store_query_tables) so that the query reads one list property
// instead of aggregating every Score of the run at every call: `oc_rows`, its rows with
// synthetic actors (the first oc_split entries), then without them, in the query's order, each
// row one text of fields joined by U+001F: layer, organisation and org_type ('' for null, else
// '=' + the value), actors, outside_core, share_outside, mean_coreness,
// outside_main_component, synthetic, then the names outside the core (up to 20, by name).
// The aggregation is the query's own (cypher/outside-core.cypher, the branch that reads the
// copies on the Scores), over the Scores just written, once for both answers.
MATCH (run:AnalysisRun {id: $run})
CALL (run) {
  // One pass over the Scores for both answers: each group's aggregates over all its actors,
  // and over its actors that are not synthetic (the rows with include_synthetic = false).
  MATCH (s:Score) USING INDEX s:Score(run_id) WHERE s.run_id = run.id
  WITH s.layer AS layer, s.org_name AS organisation, s.org_type AS org_type, s.coreness AS coreness,
       s.in_main_component AS in_main, s.name AS name, s.synthetic AS synthetic,
       s.coreness < $core_fraction * run.max_coreness AS outside, NOT s.synthetic AS real
  // mean_coreness: an exact integer sum over a count. avg() keeps a running mean in the order the server
  // reads the rows, so a mean of exactly .xx5 (83/8) came out 10.374999... or 10.375 by run: 10.37 or 10.38.
  WITH layer, organisation, org_type,
       count(*) AS actors, sum(toInteger(outside)) AS outside_core, CASE WHEN count(coreness) > 0 THEN toFloat(sum(coreness)) / count(coreness) END AS mean_coreness,
       sum(toInteger(NOT in_main)) AS outside_main_component,
       collect(CASE WHEN outside THEN name END) AS outside, max(synthetic) AS synthetic,
       count(CASE WHEN real THEN 1 END) AS real_actors,
       sum(CASE WHEN real THEN toInteger(outside) ELSE 0 END) AS real_outside_core,
       CASE WHEN count(CASE WHEN real THEN coreness END) > 0
         THEN toFloat(sum(CASE WHEN real THEN coreness END)) / count(CASE WHEN real THEN coreness END) END
         AS real_mean_coreness,
       sum(CASE WHEN real THEN toInteger(NOT in_main) ELSE 0 END) AS real_outside_main_component,
       collect(CASE WHEN real AND outside THEN name END) AS real_outside,
       max(CASE WHEN real THEN synthetic END) AS real_synthetic
  MATCH (l:Layer {id: layer})
  UNWIND [{with_synthetic: true, actors: actors, outside_core: outside_core, mean_coreness: mean_coreness,
           outside_main_component: outside_main_component, outside: outside, synthetic: synthetic},
          {with_synthetic: false, actors: real_actors, outside_core: real_outside_core, mean_coreness: real_mean_coreness,
           outside_main_component: real_outside_main_component, outside: real_outside, synthetic: real_synthetic}] AS g
  WITH layer, organisation, org_type, l.rank AS rank, g WHERE g.actors > 0
  WITH g.with_synthetic AS with_synthetic, layer, organisation, org_type, g.actors AS actors, g.outside_core AS outside_core,
       round(toFloat(g.outside_core) / g.actors, 3) AS share_outside, round(g.mean_coreness, 2) AS mean_coreness,
       g.outside_main_component AS outside_main_component,
       COLLECT { UNWIND g.outside AS n RETURN n ORDER BY n LIMIT 20 } AS outside, g.synthetic AS synthetic, rank
  RETURN with_synthetic, layer, organisation, org_type, actors, outside_core, share_outside, mean_coreness,
         outside_main_component, outside, synthetic, rank, none(x IN [layer, organisation, org_type] + outside WHERE coalesce(x, '') CONTAINS '\u001f') AS clean
  ORDER BY with_synthetic DESC, mean_coreness, rank, organisation, org_type
}
WITH run, collect({with_synthetic: with_synthetic, mean_coreness: mean_coreness, synthetic: synthetic, rank: rank,
                   share_outside: share_outside, clean: clean,
                   text: reduce(t = layer, x IN [CASE WHEN organisation IS NULL THEN '' ELSE '=' + organisation END,
                                                 CASE WHEN org_type IS NULL THEN '' ELSE '=' + org_type END,
                                                 toString(actors), toString(outside_core), toString(share_outside),
                                                 toString(mean_coreness), toString(outside_main_component),
                                                 toString(synthetic)] + outside | t + '\u001f' + x)}) AS rows
// Only a table every value of which the text can hold (a null mean, synthetic flag or layer
// rank would not be) and whose texts do not hold the separator: otherwise the query keeps
// aggregating the Scores.
WHERE all(r IN rows WHERE r.mean_coreness IS NOT NULL AND r.synthetic IS NOT NULL AND r.rank IS NOT NULL
                          AND r.share_outside IS NOT NULL AND r.clean AND r.text IS NOT NULL)
WITH run, [r IN rows WHERE r.with_synthetic | r.text] AS first, [r IN rows WHERE NOT r.with_synthetic | r.text] AS second
SET run.oc_core_fraction = $core_fraction, run.oc_split = size(first), run.oc_rows = first + second
