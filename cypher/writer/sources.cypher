// title: Write sources (citations)
// Used by kb.writer; $rows: [{key, hash, props}]. Counts created / unchanged rows.
UNWIND $rows AS row
MERGE (n:Source {id: row.key})
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
