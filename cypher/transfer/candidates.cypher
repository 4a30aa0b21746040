// title: The candidates of the transfer finder (kb/services/transfer.py): innovations that address
// one of $problems (or are in $sector when no problem is given: a sector's id, or one term of the
// sectors' vocabulary, which a sector named "a / b" is under both of), neither originated nor adopted in
// the locality, with at least $min_evidence; without an evidence level only when $unevidenced.
// The finder then assesses each and ranks them by the assessment.
// The candidates are found from the problems' side (a few hundred of thousands of innovations),
// or from the sector's when no problem is given; every innovation only when neither is.
OPTIONAL MATCH (here:Locality {id: $locality})
CALL () {
  UNWIND $problems AS w
  MATCH (:Problem {id: w})<-[:ADDRESSES]-(i:Innovation)
  RETURN i
  UNION
  WITH 1 AS one WHERE size($problems) = 0 AND $sector IS NOT NULL
  MATCH (sx:Sector) WHERE sx.id = $sector OR toLower($sector) IN [x IN split(coalesce(sx.name, sx.id), '/') | toLower(trim(x))]
  MATCH (sx)<-[:IN_SECTOR]-(i:Innovation)
  RETURN i
  UNION
  WITH 1 AS one WHERE size($problems) = 0 AND $sector IS NULL
  MATCH (i:Innovation)
  RETURN i
}
WITH here, i
WHERE (here IS NULL OR NOT EXISTS { (i)-[:ORIGINATED_IN|ADOPTED_IN]->(here) })
  AND (i.evidence_level IS NOT NULL OR $unevidenced)
  AND coalesce(i.evidence_level, 0) >= $min_evidence
  AND ($sector IS NULL OR EXISTS { (i)-[:IN_SECTOR]->(sx:Sector) WHERE sx.id = $sector
       OR toLower($sector) IN [x IN split(coalesce(sx.name, sx.id), '/') | toLower(trim(x))] })
  AND (size($problems) = 0 OR EXISTS { (i)-[:ADDRESSES]->(p:Problem) WHERE p.id IN $problems })
RETURN i.id AS innovation, coalesce(i.name, i.id) AS name, i.evidence_level AS evidence_level,
       coalesce(i.synthetic, false) AS synthetic,
       COLLECT { MATCH (i)-[:ADDRESSES]->(p:Problem) WHERE p.id IN $problems RETURN coalesce(p.name, p.id) } AS matched,
       COUNT { (i)-[a:ADOPTED_IN]->() WHERE a.outcome IN ['successful', 'promising'] } AS worked
ORDER BY size(matched) DESC, coalesce(i.evidence_level, 0) DESC, worked DESC, i.id
LIMIT $limit
