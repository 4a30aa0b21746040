// title: Staged loads still in progress (running now, or interrupted part-way)
// columns: id, files, file_sha256, started_at, chunks_written, chunks_total, host, pid, idle_seconds
// idle_seconds: since its last committed chunk, by the server's clock (null for a record
// written before progress_at was kept)
MATCH (l:Load {status: 'in_progress'})
RETURN l.id AS id, l.files AS files, l.file_sha256 AS file_sha256, l.started_at AS started_at,
       coalesce(l.chunks_written, 0) AS chunks_written, l.chunks_total AS chunks_total,
       l.host AS host, l.pid AS pid,
       CASE WHEN l.progress_at IS NULL THEN null
            ELSE duration.inSeconds(l.progress_at, datetime()).seconds END AS idle_seconds
ORDER BY started_at, id
