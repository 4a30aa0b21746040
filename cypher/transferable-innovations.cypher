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
// actor behind the innovation (its originators and adopters). Searched between the
// locality and the innovation nodes themselves, through the local actor's LOCATED_IN (or
// its organisation's) at one end and the ORIGINATED/ADOPTED of the actor behind at the
// other: with both ends bound, each search is one bidirectional breadth-first search
// instead of one per (local actor, actor behind) pair. The two forms of "local" are two
// searches; the extra hops at the ends are not counted.
CALL (here, i) {
  CALL (here, i) {
    OPTIONAL MATCH path = SHORTEST 1
      (here)<-[:LOCATED_IN]-(:Actor)-[:TIE|MEMBER_OF]-{1,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)
    WHERE here IS NOT NULL
    RETURN path, 1 AS head
    UNION
    OPTIONAL MATCH path = SHORTEST 1
      (here)<-[:LOCATED_IN]-(:Organisation)<-[:MEMBER_OF]-(:Actor)-[:TIE|MEMBER_OF]-{1,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)
    WHERE here IS NOT NULL
    RETURN path, 2 AS head
  }
  WITH path, head, length(path) - head - 1 AS hops
  WHERE path IS NOT NULL AND hops <= $max_hops
  WITH path, head, hops ORDER BY hops LIMIT 1
  RETURN collect([n IN nodes(path)[head..-1] | n.name]) AS found, collect(hops) AS found_hops
}
WITH here, i, shared_problems, origin, worked_in, sector, score, found[0] AS introduction_path,
     found_hops[0] AS introduction_hops
RETURN i.id AS innovation, i.name AS name, score, shared_problems, i.evidence_level AS evidence_level,
       worked_in, origin.name AS origin, sector, i.lifecycle_stage AS stage, i.transferability AS transferability,
       introduction_path, introduction_hops
ORDER BY score DESC, name
