// title: Write ties between actors (directed, one per network type)
UNWIND $rows AS row
MATCH (a:Actor {id: row.props.from})
MATCH (b:Actor {id: row.props.to})
MERGE (a)-[n:TIE {network: row.props.network}]->(b)
WITH n, row, n.content_hash IS NULL AS created, coalesce(n.content_hash = row.hash, false) AS same
CALL (n, row, same) {
  WITH n, row WHERE NOT same
  SET n = row.props
}
RETURN sum(toInteger(created)) AS created, sum(toInteger(same)) AS unchanged, count(*) AS rows
