// title: Staged loads still in progress (running now, or interrupted part-way)
// columns: id, files, file_sha256, started_at, chunks_written, chunks_total, host, pid
MATCH (l:Load {status: 'in_progress'})
RETURN l.id AS id, l.files AS files, l.file_sha256 AS file_sha256, l.started_at AS started_at,
       coalesce(l.chunks_written, 0) AS chunks_written, l.chunks_total AS chunks_total,
       l.host AS host, l.pid AS pid
ORDER BY started_at, id
