// title: After a save's write, in the same transaction: the record's new version, the marks a
// write replaces (verified by, editors' judgement), and the :Change that records it, linked
// to the record. :RecordLabel as in lock-record
MATCH (n:RecordLabel {id: $id})
SET n += $keep, n.version = $change.version
CREATE (c:Change)
SET c = $change
CREATE (c)-[:CHANGED {version: $change.version}]->(n)
RETURN c.id AS id
