// title: Unfinished loads
// question: Is a big (staged) load running or interrupted, so that the graph is part-way through it?
// columns: id, files, started_at, chunks_written, chunks_total
MATCH (l:Load {status: 'in_progress'})
RETURN l.id AS id, l.files AS files, l.started_at AS started_at,
       coalesce(l.chunks_written, 0) AS chunks_written, l.chunks_total AS chunks_total
ORDER BY started_at, id
