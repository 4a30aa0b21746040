// title: Does the network's current analysis run still match the data? Every score of the run
// is there and no one was forgotten since (`kb forget` deletes the person's scores and marks the
// run: forgotten_people), no load is under way, and `$loads` (the finished loads that changed
// data now, cypher/analysis/loads.cypher) is the count the run recorded when it projected the
// graph (run.loads). kb/store/analysis_runs.py stored_run_is_current passes the
// answer to the named queries that can read the run's stored results as `$stored`.
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
RETURN coalesce(run.loads = $loads
                AND COUNT { (run)<-[:IN_RUN]-() } = run.actors
                AND run.forgotten_people IS NULL
                AND NOT EXISTS { MATCH (l:Load) WHERE l.status = 'in_progress' },
                false) AS matches
