// title: Undo a record's creation: delete it (and its own links), record the :Change. Refused
// (nothing deleted, `refs` > 0) while other records refer to it. :RecordLabel as in lock-record
MATCH (n:RecordLabel {id: $id})
OPTIONAL MATCH (n)<-[r]-(other) WHERE NOT other:Change AND NOT other:Score
WITH n, count(r) AS refs
CALL (n, refs) {
  WITH n WHERE refs = 0
  DETACH DELETE n
}
WITH refs
CALL (refs) {
  WITH refs WHERE refs = 0
  CREATE (c:Change)
  SET c = $change
}
RETURN refs
