// title: Record a load as complete (created here for a one-transaction load), and mark the
// interrupted loads of the same files that it completed. `changed`: it created or updated
// something (a load that found everything unchanged leaves the analysis current;
// cypher/analysis/loads.cypher)
CALL () {
  WITH * WHERE $create
  CREATE (:Load {id: $record.id, started_at: $record.at, files: $record.files, file_sha256: $record.hashes,
                 loaded_by: $record.user, chunks_total: $record.chunks_total})
}
MATCH (l:Load {id: $record.id})
SET l.status = 'complete', l.loaded_at = $record.at, l.counts = $counts, l.changed = $changed,
    l.completed_at = toString(datetime.truncate('second', datetime())), l.chunks_written = $record.chunks_total
WITH l
OPTIONAL MATCH (old:Load {status: 'in_progress'}) WHERE old.id IN $completed
SET old.status = 'completed_by', old.completed_by = l.id
