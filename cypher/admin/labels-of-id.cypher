// title: The labels of a node with this id (any label)
MATCH (n {id: $id}) RETURN labels(n) AS labels LIMIT 1
