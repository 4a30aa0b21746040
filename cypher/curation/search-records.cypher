// title: Records of one kind whose id or name contains the text (the forms' pickers), names first.
// :RecordLabel as in lock-record
MATCH (n:RecordLabel)
WITH n, coalesce(n.name, n.title, n.id) AS name
WHERE toLower(name) CONTAINS $text OR toLower(n.id) CONTAINS $text
RETURN n.id AS id, name, coalesce(n.synthetic, false) AS synthetic
ORDER BY CASE WHEN toLower(name) STARTS WITH $text THEN 0 ELSE 1 END, name, n.id
LIMIT $limit
