// title: Data version
// question: Has anything been loaded or analysed since the UI last looked? (The UI's cache key.)
// columns: nodes, relationships, loads, last_load, runs
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { OPTIONAL MATCH (l:Load) RETURN count(l) AS loads, max(l.loaded_at) AS last_load }
CALL () { OPTIONAL MATCH (r:AnalysisRun {current: true}) WITH r ORDER BY r.id RETURN collect(r.id) AS runs }
RETURN nodes, relationships, loads, last_load, runs
