// title: Nodes by type
// question: How many nodes of each type are there, and how many of them are synthetic (illustrative)?
// param include_synthetic: bool = true -- false counts only sourced nodes
// columns: type, nodes, sourced, synthetic
MATCH (n)
// A source is synthetic when only synthetic facts cite it (sources carry no flag of their own).
WITH n, coalesce((n.synthetic = true OR (n:Source AND EXISTS { (:!Source)-[:CITES]->(n) } AND NOT EXISTS { (x)-[:CITES]->(n) WHERE NOT coalesce(x.synthetic, false) })), false) AS synthetic
WHERE $include_synthetic OR NOT synthetic
UNWIND labels(n) AS type
WITH type, count(*) AS nodes, sum(toInteger(synthetic)) AS synthetic
RETURN type, nodes, nodes - synthetic AS sourced, synthetic
ORDER BY type
