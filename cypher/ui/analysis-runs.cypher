// title: Current analysis runs
// question: When did `kb analyse` last compute the scores of each network?
// columns: network, computed_at, grouping, actors, ties, max_coreness, directed_paths, thresholds_from, thresholds_changed, synthetic
MATCH (r:AnalysisRun {current: true})
RETURN r.network AS network, r.computed_at AS computed_at, r.grouping AS grouping, r.actors AS actors, r.ties AS ties,
       r.max_coreness AS max_coreness, coalesce(r.directed_paths, false) AS directed_paths,
       coalesce(r.thresholds_from, 'defaults') AS thresholds_from,
       coalesce(r.thresholds_changed, []) AS thresholds_changed,
       EXISTS { MATCH ()-[t:TIE]->() WHERE t.synthetic AND t.superseded IS NULL AND (r.network = 'all' OR t.network = r.network) } AS synthetic
ORDER BY network
