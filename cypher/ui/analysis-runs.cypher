// title: Current analysis runs
// question: When did `kb analyse` last compute the scores of each network?
// columns: network, computed_at, grouping, actors, ties, max_coreness
MATCH (r:AnalysisRun {current: true})
RETURN r.network AS network, r.computed_at AS computed_at, r.grouping AS grouping, r.actors AS actors, r.ties AS ties,
       r.max_coreness AS max_coreness
ORDER BY network
