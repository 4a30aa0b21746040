// title: Record a load as a change (op "load") under the user who ran it, linked by CHANGED to
// every node the load created or updated (they carry its load_id), each with its new version
// (one more than the last change that reached it)
CREATE (c:Change)
SET c = $change
WITH c
MATCH (n) WHERE n.load_id = $load_id AND n.id IS NOT NULL
CALL (c, n) {
  OPTIONAL MATCH (:Change)-[old:CHANGED]->(n)
  WITH c, n, coalesce(max(old.version), coalesce(n.version, 0)) + 1 AS version
  SET n.version = version
  CREATE (c)-[:CHANGED {version: version}]->(n)
}
RETURN count(*) AS records
