// title: Innovation search
// question: Which innovations match these words (full-text index) and every chosen facet?
// note: $q is a Lucene query string passed as a parameter. Facets are ANDed; the values chosen within one facet are ORed. locality = originated or adopted there; layer = the layer of an originator.
// param q: str = null -- Lucene query over name, description, outcomes, transferability, preconditions
// param sectors: list = null -- sector ids
// param problems: list = null -- problem ids
// param stages: list = null -- lifecycle stages
// param evidence: list = null -- Nesta evidence levels (integers)
// param localities: list = null -- locality ids (originated or adopted there)
// param layers: list = null -- layers of the originating actors
// param limit: int = 500 -- rows returned
// columns: innovation, name, score, sector, stage, evidence_level, origin, origin_year, adoptions, problems, synthetic
// The hits are the index's nodes themselves (a list of hit ids looked up per innovation made a search that
// matched all 2,000 innovations of a big knowledge base take seconds).
CALL () {
  WITH $q AS q WHERE q IS NOT NULL
  CALL db.index.fulltext.queryNodes('innovation_text', q) YIELD node, score
  RETURN node AS i, score
  UNION ALL
  WITH $q AS q WHERE q IS NULL
  MATCH (i:Innovation)
  RETURN i, null AS score
}
WITH i, score
WHERE ($sectors IS NULL OR EXISTS { (i)-[:IN_SECTOR]->(s:Sector) WHERE s.id IN $sectors })
  AND ($problems IS NULL OR EXISTS { (i)-[:ADDRESSES]->(p:Problem) WHERE p.id IN $problems })
  AND ($stages IS NULL OR i.lifecycle_stage IN $stages)
  AND ($evidence IS NULL OR i.evidence_level IN $evidence)
  AND ($localities IS NULL OR EXISTS { (i)-[:ORIGINATED_IN|ADOPTED_IN]->(l:Locality) WHERE l.id IN $localities })
  AND ($layers IS NULL OR EXISTS { (a:Actor)-[:ORIGINATED]->(i) WHERE a.layer IN $layers })
OPTIONAL MATCH (i)-[o:ORIGINATED_IN]->(origin:Locality)
RETURN i.id AS innovation, i.name AS name, round(score, 3) AS score,
       COLLECT { MATCH (i)-[:IN_SECTOR]->(s:Sector) RETURN s.name }[0] AS sector,
       i.lifecycle_stage AS stage, i.evidence_level AS evidence_level, origin.name AS origin, o.year AS origin_year,
       COUNT { (i)-[:ADOPTED_IN]->(:Locality) } AS adoptions,
       COLLECT { MATCH (i)-[:ADDRESSES]->(p:Problem) RETURN coalesce(p.name, p.id) } AS problems,
       coalesce(i.synthetic, false) AS synthetic
ORDER BY score DESC, name
LIMIT $limit
