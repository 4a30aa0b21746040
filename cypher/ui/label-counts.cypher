// title: Nodes by type
// question: How many nodes of each label does the knowledge base hold?
// columns: label, n
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS n
ORDER BY label
