// title: One table of `kb export` kept as nodes of one label ($label, from the exporter's fixed
// map of tables), each node's row as its properties, in id order
MATCH (n:$($label))
RETURN properties(n) AS props, {} AS ends
ORDER BY n.id
