// title: Transferable innovations
// question: Which innovations elsewhere could transfer here? Same problem, evidence that it worked, not yet adopted here, and who could introduce us.
// param locality: str = null -- the locality to transfer to (its problems are matched); e.g. knowsley
// param problem: str = null -- or/also a problem id to match
// param sector: str = null -- restrict to a sector id or a term of the sectors (e.g. education: also 'local government / education')
// note: A quick first cut, scored by problems shared, evidence and adoptions that worked. The transfer finder (`kb transfer`, the UI) ranks these candidates by the full assessment instead: preconditions met or unmet, places, problems by meaning and weighted introduction paths (`kb assess`, docs/transfer.md).
// param min_evidence: int = 0 -- minimum Nesta evidence level (1-5)
// param include_unevidenced: bool = false -- also list innovations without an evidence level (flagged in evidence_flag)
// param max_hops: int = 6 -- longest introduction path searched (ties and memberships); a row without one within it stays, with no path
// param limit: int = 25 -- rows returned
// columns: innovation, name, score, reason, evidence_flag, shared_problems, evidence_level, worked_in, origin, sector, stage, transferability, introduction_path, introduction_hops, synthetic
OPTIONAL MATCH (here:Locality {id: $locality})
OPTIONAL MATCH (here)-[:FACES]->(need:Problem)
WITH here, collect(DISTINCT need.id) + CASE WHEN $problem IS NULL THEN [] ELSE [$problem] END AS wanted
WHERE $locality IS NULL OR here IS NOT NULL
// The locality's actors, read once: located here, or a member of an organisation located
// here. The introduction search below tests its actors against this list (a hash lookup)
// instead of reading each neighbour's LOCATED_IN and MEMBER_OF ties.
// The innovations that started or were adopted here are read once too.
WITH here, wanted,
     CASE WHEN here IS NULL THEN [] ELSE COLLECT { MATCH (a:Actor)-[:LOCATED_IN]->(here) RETURN a
                                                   UNION
                                                   MATCH (a:Actor)-[:MEMBER_OF]->(:Organisation)-[:LOCATED_IN]->(here) RETURN a } END AS local,
     CASE WHEN here IS NULL THEN [] ELSE COLLECT { MATCH (x)-[:ADOPTED_IN|ORIGINATED_IN]->(here) RETURN x } END AS done_here
// The candidates, found from the problems' side (a few hundred of thousands of innovations):
// those that address a problem wanted, or, when no problem is wanted but a sector is, those
// in the sector.
CALL (wanted) {
  UNWIND wanted AS w
  MATCH (:Problem {id: w})<-[:ADDRESSES]-(i:Innovation)
  RETURN i
  UNION
  WITH wanted WHERE size(wanted) = 0 AND $sector IS NOT NULL
  MATCH (sx:Sector) WHERE sx.id = $sector OR toLower($sector) IN [x IN split(coalesce(sx.name, sx.id), '/') | toLower(trim(x))]
  MATCH (sx)<-[:IN_SECTOR]-(i:Innovation)
  RETURN i
}
WITH here, local, done_here, wanted, i
WHERE NOT i IN done_here
  AND coalesce(i.evidence_level, 0) >= $min_evidence
  AND (i.evidence_level IS NOT NULL OR $include_unevidenced)
  AND ($sector IS NULL OR EXISTS { (i)-[:IN_SECTOR]->(sx:Sector) WHERE sx.id = $sector
       OR toLower($sector) IN [x IN split(coalesce(sx.name, sx.id), '/') | toLower(trim(x))] })
// Shared problems and places listed by name, so that a row reads the same every time.
OPTIONAL MATCH (i)-[:ADDRESSES]->(p:Problem) WHERE p.id IN wanted
WITH here, local, wanted, i, p ORDER BY p.name
WITH here, local, wanted, i, collect(DISTINCT p.name) AS shared_problems
WHERE size(shared_problems) > 0 OR (size(wanted) = 0 AND $sector IS NOT NULL)
OPTIONAL MATCH (i)-[a:ADOPTED_IN]->(elsewhere:Locality) WHERE a.outcome IN ['successful', 'promising']
WITH here, local, i, shared_problems, elsewhere ORDER BY elsewhere.name
WITH here, local, i, shared_problems, collect(DISTINCT elsewhere.name) AS worked_in
WITH here, local, i, shared_problems, worked_in,
     3 * size(shared_problems) + coalesce(i.evidence_level, 0) + 2 * size(worked_in) AS score
ORDER BY score DESC, i.name
LIMIT $limit
// Origin and sector only for the innovations shown (an innovation has one origin).
OPTIONAL MATCH (i)-[:ORIGINATED_IN]->(origin:Locality)
OPTIONAL MATCH (i)-[:IN_SECTOR]->(s:Sector)
WITH here, local, i, shared_problems, origin, worked_in, score, collect(DISTINCT s.name)[0] AS sector
// The shortest chain of ties and memberships from an actor of this locality (located
// here, or a member of an organisation located here) to an actor behind the innovation
// (its originators and adopters), counted in hops between those two actors.
// Met from the innovation's side first: the actors behind it (a handful) and their
// neighbours are checked for being local, which finds the 1- and 2-hop introductions
// without expanding the locality's own ring (about 1,000 actors and their ties) for every
// innovation. Only when no actor behind is local and nothing is found within 2 hops (or
// an actor behind is itself local, whose introduction needs a closed chain) are the
// searches from the locality run: between the locality and the innovation nodes, through
// the local actor's LOCATED_IN (or its organisation's) at one end and the
// ORIGINATED/ADOPTED of the actor behind at the other, so each is one bidirectional
// breadth-first search; the extra hops at the ends are not counted.
CALL (here, local, i) {
  WITH here, local, i, COLLECT { MATCH (i)<-[:ORIGINATED|ADOPTED]-(b:Actor) RETURN DISTINCT b } AS behind
  WITH here, local, i, behind, here IS NOT NULL AND NOT any(b IN behind WHERE b IN local) AS meet
  OPTIONAL CALL (local, behind, meet) {
    WITH local, behind WHERE meet AND $max_hops >= 1
    UNWIND behind AS b
    MATCH (b)-[:TIE|MEMBER_OF]-(x:Actor)
    WHERE x IN local
    RETURN [x.name, b.name] AS one
    LIMIT 1
  }
  OPTIONAL CALL (local, behind, meet, one) {
    WITH local, behind WHERE meet AND one IS NULL AND $max_hops >= 2
    UNWIND behind AS b
    MATCH (b)-[:TIE|MEMBER_OF]-(m)-[:TIE|MEMBER_OF]-(x:Actor)
    WHERE x IN local
    RETURN [x.name, m.name, b.name] AS two
    LIMIT 1
  }
  OPTIONAL CALL (here, i, meet, one, two) {
    WITH here, i WHERE here IS NOT NULL AND one IS NULL AND two IS NULL AND (NOT meet OR $max_hops >= 3)
    CALL (here, i) {
      OPTIONAL MATCH path = SHORTEST 1
        (here)<-[:LOCATED_IN]-(:Actor)-[:TIE|MEMBER_OF]-{1,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)
      RETURN path, 1 AS head
      UNION
      OPTIONAL MATCH path = SHORTEST 1
        (here)<-[:LOCATED_IN]-(:Organisation)<-[:MEMBER_OF]-(:Actor)-[:TIE|MEMBER_OF]-{1,6}(:Actor)-[:ORIGINATED|ADOPTED]->(i)
      RETURN path, 2 AS head
    }
    WITH path, head, length(path) - head - 1 AS hops
    WHERE path IS NOT NULL AND hops <= $max_hops
    RETURN [n IN nodes(path)[head..-1] | n.name] AS searched, hops AS searched_hops
    ORDER BY searched_hops
    LIMIT 1
  }
  RETURN coalesce(one, two, searched) AS introduction_path,
         CASE WHEN one IS NOT NULL THEN 1 WHEN two IS NOT NULL THEN 2 ELSE searched_hops END AS introduction_hops
}
RETURN i.id AS innovation, i.name AS name, score,
       CASE WHEN size(shared_problems) > 0 THEN 'addresses ' + reduce(t = '', p IN shared_problems | t + CASE WHEN t = '' THEN '' ELSE '; ' END + p)
            ELSE 'in the sector chosen' END
       + CASE WHEN i.evidence_level IS NULL THEN '; no evidence level recorded' ELSE '; evidence level ' + toString(i.evidence_level) END
       + CASE WHEN size(worked_in) > 0 THEN '; worked in ' + reduce(t = '', p IN worked_in | t + CASE WHEN t = '' THEN '' ELSE ', ' END + p) ELSE '' END
       + CASE WHEN introduction_hops IS NULL THEN '; no introduction within ' + toString($max_hops) + ' steps'
              ELSE '; introduction in ' + toString(introduction_hops) + CASE introduction_hops WHEN 1 THEN ' step' ELSE ' steps' END END AS reason,
       CASE WHEN i.evidence_level IS NULL THEN 'no evidence level recorded' ELSE '' END AS evidence_flag,
       shared_problems, i.evidence_level AS evidence_level,
       worked_in, origin.name AS origin, sector, i.lifecycle_stage AS stage, i.transferability AS transferability,
       introduction_path, introduction_hops, coalesce(i.synthetic, false) AS synthetic
ORDER BY score DESC, name
