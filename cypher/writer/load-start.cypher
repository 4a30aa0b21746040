// title: Record a staged load before its first chunk: in progress until load-complete
// progress_at is the server's clock, so that loads from other machines compare without skew.
CREATE (l:Load {id: $record.id, status: 'in_progress', started_at: $record.at, loaded_at: $record.at,
                files: $record.files, file_sha256: $record.hashes, loaded_by: $record.user,
                host: $record.host, pid: $record.pid, chunks_total: $record.chunks_total, chunks_written: 0,
                progress_at: datetime()})
