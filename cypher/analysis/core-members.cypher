// title: core-clique's members of the run's main core in the query's order (layer, then name),
// stored on the run (kb/store/query_columns.py store_query_tables) so that the query reads one
// list property instead of collecting and sorting the core's Scores at every call: `cc_rows`,
// each member one text of fields joined by U+001F: actor id, then name, layer and organisation
// (each '' for null, else '=' + the value), coreness and the synthetic flag, as the copies on
// its Score hold them (kb/store/query_columns.py). How many other current runs have the member
// in their main core changes with those runs: the query still looks that up, for the rows it
// returns. Stored only when no text holds the separator.
MATCH (run:AnalysisRun {id: $run})
CALL (run) {
  MATCH (s:Score) USING INDEX s:Score(run_id, in_main_core) WHERE s.run_id = run.id AND s.in_main_core = true
  WITH s.actor_id AS actor, s.name AS name, s.layer AS layer, s.member_org AS organisation, s.coreness AS coreness,
       s.synthetic AS synthetic
  ORDER BY layer, name
  RETURN collect(reduce(t = actor, x IN [CASE WHEN name IS NULL THEN '' ELSE '=' + name END,
                                         CASE WHEN layer IS NULL THEN '' ELSE '=' + layer END,
                                         CASE WHEN organisation IS NULL THEN '' ELSE '=' + organisation END,
                                         toString(coreness), toString(synthetic)] | t + '\u001f' + x)) AS rows,
         all(x IN collect([actor, name, layer, organisation]) WHERE none(y IN x WHERE coalesce(y, '') CONTAINS '\u001f'))
         AND count(*) = count(coreness) AND count(*) = count(synthetic) AND count(*) = count(actor) AS clean
}
WITH run, rows WHERE clean
SET run.cc_rows = rows
