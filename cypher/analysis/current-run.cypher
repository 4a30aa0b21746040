// title: The network's current analysis run, if any: how many actors it covered and when it was
// computed (kb/store/named_queries.py uses it, when the run no longer matches the data, to answer
// from it anyway on a large knowledge base, saying it is stale: KB_STALE_RUN_ACTORS)
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
RETURN run.actors AS actors, toString(run.computed_at) AS computed_at
