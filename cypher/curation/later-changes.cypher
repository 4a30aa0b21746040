// title: The changes to a record made after a given version of it (they depend on it), oldest first
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
  MATCH (c:Change {record_id: $id}) WHERE c.version > $version RETURN c, c.version AS version
  UNION
  UNWIND records AS n
  MATCH (c:Change)-[r:CHANGED]->(n) WHERE c.op = 'load' AND r.version > $version RETURN c, r.version AS version
}
RETURN c.id AS id, c.op AS op, c.user AS user, c.at AS at, version
ORDER BY version
