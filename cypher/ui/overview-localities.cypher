// title: Localities
// question: Which places does the knowledge base cover, and how much does it hold about each?
// note: named = not synthetic and named in the source (the report does not name the site of its experimental social network analysis; its locality's name starts with "Unnamed").
// param include_synthetic: bool = true -- false leaves out synthetic (illustrative) data
// columns: locality, name, country, region, kind, named, synthetic, problems, innovations_originated, adoptions, actors, case_studies, latitude, longitude
MATCH (l:Locality)
WITH l, coalesce(l.synthetic, false) AS synthetic
WHERE $include_synthetic OR NOT synthetic
RETURN l.id AS locality, coalesce(l.name, l.id) AS name, l.country AS country, l.region AS region, l.kind AS kind,
       NOT synthetic AND NOT toLower(coalesce(l.name, '')) STARTS WITH 'unnamed' AS named, synthetic,
       COUNT { (l)-[:FACES]->(:Problem) } AS problems,
       COUNT { (:Innovation)-[:ORIGINATED_IN]->(l) } AS innovations_originated,
       COUNT { (:Innovation)-[:ADOPTED_IN]->(l) } AS adoptions,
       COUNT { (:Actor)-[:LOCATED_IN]->(l) } AS actors,
       COUNT { (:CaseStudy)-[:ABOUT]->(l) } AS case_studies,
       l.latitude AS latitude, l.longitude AS longitude
ORDER BY synthetic, named DESC, name
