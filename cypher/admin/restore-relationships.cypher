// title: Recreate relationships from a backup (endpoints by the elementIds created in this transaction)
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.start
MATCH (b) WHERE elementId(b) = row.end
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(r) AS created
