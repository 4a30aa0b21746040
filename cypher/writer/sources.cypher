// title: Write sources (citations)
// Used by kb.store.writer; $rows: [{key, hash, props}]. Counts created / unchanged rows.
UNWIND $rows AS row
MERGE (n:Source {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.props.content_hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props, n.source_file = $files[row.f], n.load_id = $load_id, n.loaded_at = $loaded_at
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
