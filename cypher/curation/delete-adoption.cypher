// title: Undo an adoption's creation: delete the ADOPTED_IN relationship and its adopters' links, record the :Change
MATCH (i:Innovation {id: $innovation})-[n:ADOPTED_IN]->(l:Locality {id: $locality})
OPTIONAL MATCH (i)<-[a:ADOPTED {locality: l.id}]-()
DELETE a
WITH DISTINCT n
DELETE n
CREATE (c:Change)
SET c = $change
RETURN 0 AS refs
