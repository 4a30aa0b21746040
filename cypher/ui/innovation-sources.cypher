// title: Sources of an innovation
// question: Which sources, and which sections of them, document this innovation and its adoptions?
// param innovation: str = see_through_shutters -- the innovation id
// columns: about, source, title, author, year, section, url
MATCH (i:Innovation {id: $innovation})
CALL (i) {
  MATCH (i)-[c:CITES]->(s:Source)
  RETURN 'the innovation' AS about, s, c.section AS section
  UNION
  MATCH (i)-[a:ADOPTED_IN]->(l:Locality)
  MATCH (s:Source {id: a.source})
  RETURN 'its adoption in ' + coalesce(l.name, l.id) AS about, s, a.section AS section
  UNION
  MATCH (i)-[:DOCUMENTED_IN]->(cs:CaseStudy)-[c:CITES]->(s:Source)
  RETURN 'case study: ' + coalesce(cs.title, cs.id) AS about, s, c.section AS section
}
RETURN about, s.id AS source, coalesce(s.title, s.id) AS title, s.author AS author, s.year AS year, section, s.url AS url
ORDER BY about = 'the innovation' DESC, about, title
