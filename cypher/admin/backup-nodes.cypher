// title: Every node, for a backup (labels and all properties; elementId only to join relationships)
MATCH (n)
RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props
