// title: Every relationship, for a backup (type, endpoints by elementId, all properties)
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
