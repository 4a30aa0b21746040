// title: Benchmark: when each network's current analysis run was computed
MATCH (r:AnalysisRun {current: true})
RETURN r.network AS network, r.computed_at AS at
ORDER BY network
