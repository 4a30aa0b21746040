// title: Sources
// question: Where do the facts come from, and how many facts cite each source?
// columns: source, title, author, publisher, year, url, synthetic, citations
MATCH (s:Source)
RETURN s.id AS source, coalesce(s.title, s.id) AS title, s.author AS author, s.publisher AS publisher, s.year AS year,
       s.url AS url, coalesce(s.synthetic, false) AS synthetic, COUNT { ()-[:CITES]->(s) } AS citations
ORDER BY citations DESC, title
