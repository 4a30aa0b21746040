// title: Recreate nodes from a backup (dynamic labels; returns the new elementId per key)
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN row.key AS key, elementId(n) AS eid
