// title: Does the network's current analysis run still match the data? Every score of the run
// is there and no one was forgotten since (`kb forget` deletes the person's scores and marks the
// run: forgotten_people), no load is under way, and the finished loads that changed data now
// (counted as cypher/analysis/loads.cypher counts them) are the count the run recorded when it
// projected the graph (run.loads). Also the run's size and time, so that kb/store/named_queries.py
// decides in one round trip whether to read the stored results (`$stored`), answer from a stale
// run (KB_STALE_RUN_ACTORS) or say there is no run (kb/store/analysis_runs.py run_state).
OPTIONAL MATCH (run:AnalysisRun {network: $network, current: true})
WITH run, COUNT { MATCH (l:Load) WHERE coalesce(l.status, '') <> 'in_progress' AND coalesce(l.changed, true) }
          + COUNT { MATCH (c:Change) WHERE c.kind IN ['people', 'organisations']
                    AND c.op IN ['create', 'update', 'undo'] } AS loads
RETURN coalesce(run.loads = loads
                AND COUNT { (run)<-[:IN_RUN]-() } = run.actors
                AND run.forgotten_people IS NULL
                AND NOT EXISTS { MATCH (l:Load) WHERE l.status = 'in_progress' },
                false) AS matches,
       run.actors AS actors, toString(run.computed_at) AS computed_at
