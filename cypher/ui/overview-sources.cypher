// title: Sources
// question: Where do the facts come from, and how many facts cite each source?
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: source, title, author, publisher, year, url, synthetic, citations
MATCH (s:Source)
// A source is synthetic when only synthetic facts cite it (sources carry no flag of their own).
WITH s, coalesce((s.synthetic = true OR (s:Source AND EXISTS { (:!Source)-[:CITES]->(s) } AND NOT EXISTS { (x)-[:CITES]->(s) WHERE NOT coalesce(x.synthetic, false) })), false) AS synthetic
WHERE $include_synthetic OR NOT synthetic
RETURN s.id AS source, coalesce(s.title, s.id) AS title, s.author AS author, s.publisher AS publisher, s.year AS year,
       s.url AS url, synthetic, COUNT { ()-[:CITES]->(s) } AS citations
ORDER BY citations DESC, title
