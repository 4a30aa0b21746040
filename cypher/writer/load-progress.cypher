// title: Count a committed chunk on a staged load's in-progress :Load record (same transaction as the chunk)
MATCH (l:Load {id: $id}) SET l.chunks_written = $n, l.progress_at = datetime()
