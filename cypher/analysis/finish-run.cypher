// title: Make a finished run current for its network and scope (atomically retiring the previous
// one of the same scope). `scope_current` marks the current run of each scope (a round's, a
// date's); `current` only the default scope's ("": every tie), which the named queries and pages
// read, so an analysis of one round never replaces what they show.
MATCH (run:AnalysisRun {id: $id})
OPTIONAL MATCH (old:AnalysisRun {network: run.network})
  WHERE old <> run AND coalesce(old.scope, '') = run.scope
    AND (old.current OR coalesce(old.scope_current, false))
SET old.current = false, old.scope_current = false
WITH DISTINCT run
SET run.current = (run.scope = ''), run.scope_current = true, run.status = 'complete', run.computed_at = $at
