// title: One change by its id
MATCH (c:Change {id: $id})
RETURN properties(c) AS change
