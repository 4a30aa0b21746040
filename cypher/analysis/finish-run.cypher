// title: Make a finished run current (atomically retiring the previous one)
MATCH (run:AnalysisRun {id: $id})
OPTIONAL MATCH (old:AnalysisRun {network: run.network, current: true})
SET old.current = false
WITH DISTINCT run
SET run.current = true, run.status = 'complete', run.computed_at = $at
