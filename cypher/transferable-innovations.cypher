// title: Transferable innovations
// question: Which innovations elsewhere could transfer here? Same problem, evidence that it worked, not yet adopted here, and who could introduce us.
// param locality: str = null -- the locality to transfer to (its problems are matched); e.g. knowsley
// param problem: str = null -- or/also a problem id to match
// param sector: str = null -- restrict to a sector id (e.g. education)
// param min_evidence: int = 0 -- minimum Nesta evidence level (1-5)
// param max_hops: int = 6 -- longest introduction path searched (ties and memberships)
// param limit: int = 25 -- rows returned
// columns: innovation, name, score, shared_problems, evidence_level, worked_in, origin, sector, stage, transferability, introduction_path, introduction_hops
OPTIONAL MATCH (here:Locality {id: $locality})
OPTIONAL MATCH (here)-[:FACES]->(need:Problem)
WITH here, collect(DISTINCT need.id) + CASE WHEN $problem IS NULL THEN [] ELSE [$problem] END AS wanted
WHERE $locality IS NULL OR here IS NOT NULL
MATCH (i:Innovation)
WHERE (here IS NULL OR (NOT (i)-[:ADOPTED_IN]->(here) AND NOT (i)-[:ORIGINATED_IN]->(here)))
  AND coalesce(i.evidence_level, 0) >= $min_evidence
  AND ($sector IS NULL OR EXISTS { (i)-[:IN_SECTOR]->(:Sector {id: $sector}) })
OPTIONAL MATCH (i)-[:ADDRESSES]->(p:Problem) WHERE p.id IN wanted
WITH here, wanted, i, collect(DISTINCT p.name) AS shared_problems
WHERE size(shared_problems) > 0 OR (size(wanted) = 0 AND $sector IS NOT NULL)
OPTIONAL MATCH (i)-[:ORIGINATED_IN]->(origin:Locality)
OPTIONAL MATCH (i)-[a:ADOPTED_IN]->(elsewhere:Locality) WHERE a.outcome IN ['successful', 'promising']
OPTIONAL MATCH (i)-[:IN_SECTOR]->(s:Sector)
WITH here, i, shared_problems, origin, collect(DISTINCT elsewhere.name) AS worked_in, collect(DISTINCT s.name)[0] AS sector
WITH here, i, shared_problems, origin, worked_in, sector,
     3 * size(shared_problems) + coalesce(i.evidence_level, 0) + 2 * size(worked_in) AS score
ORDER BY score DESC, i.name
LIMIT $limit
// The shortest chain of ties and memberships from an actor of this locality to an
// actor behind the innovation (its originators and adopters).
CALL (here, i) {
  OPTIONAL MATCH path = SHORTEST 1 (local:Actor)-[:TIE|MEMBER_OF]-{1,6}(behind:Actor)
  WHERE here IS NOT NULL
    AND (EXISTS { (local)-[:LOCATED_IN]->(here) } OR EXISTS { (local)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(here) })
    AND (EXISTS { (behind)-[:ORIGINATED|ADOPTED]->(i) })
    AND length(path) <= $max_hops
  WITH path ORDER BY length(path) LIMIT 1
  RETURN [n IN nodes(path) | n.name] AS introduction_path, length(path) AS introduction_hops
}
RETURN i.id AS innovation, i.name AS name, score, shared_problems, i.evidence_level AS evidence_level,
       worked_in, origin.name AS origin, sector, i.lifecycle_stage AS stage, i.transferability AS transferability,
       introduction_path, introduction_hops
ORDER BY score DESC, name
