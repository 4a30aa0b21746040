// title: Current analysis runs
// question: When did `kb analyse` last compute the scores of each network?
// columns: network, computed_at, grouping, actors, ties, max_coreness, synthetic
MATCH (r:AnalysisRun {current: true})
RETURN r.network AS network, r.computed_at AS computed_at, r.grouping AS grouping, r.actors AS actors, r.ties AS ties,
       r.max_coreness AS max_coreness,
       EXISTS { MATCH ()-[t:TIE]->() WHERE t.synthetic AND (r.network = 'all' OR t.network = r.network) } AS synthetic
ORDER BY network
