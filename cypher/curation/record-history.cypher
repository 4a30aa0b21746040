// title: A record's history, newest first: the changes made to it by id, and the loads that
// changed it (a load links its :Change by CHANGED to every node it created or updated). The
// record is looked up label by label (each an index seek), as a history names no kind
CALL () {
  MATCH (n:Innovation {id: $id}) RETURN n
  UNION MATCH (n:Actor {id: $id}) RETURN n
  UNION MATCH (n:Problem {id: $id}) RETURN n
  UNION MATCH (n:Locality {id: $id}) RETURN n
  UNION MATCH (n:CaseStudy {id: $id}) RETURN n
  UNION MATCH (n:FundingInstrument {id: $id}) RETURN n
  UNION MATCH (n:Source {id: $id}) RETURN n
  UNION MATCH (n:Element {id: $id}) RETURN n
  UNION MATCH (n:Precondition {id: $id}) RETURN n
  UNION MATCH (n:LayerLink {id: $id}) RETURN n
}
WITH collect(n) AS records
CALL (records) {
  MATCH (c:Change {record_id: $id}) RETURN c, c.version AS version
  UNION
  UNWIND records AS n
  MATCH (c:Change)-[r:CHANGED]->(n) WHERE c.op = 'load' RETURN c, r.version AS version
}
RETURN properties(c) AS change, version
ORDER BY version DESC, c.at DESC
