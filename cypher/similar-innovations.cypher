// title: Similar innovations
// question: Which innovations resemble this one: shared problems, sector, lifecycle stage and wording (full-text index)?
// param innovation: str = see_through_shutters -- the innovation id
// param limit: int = 10 -- rows returned
// columns: innovation, name, score, shared_problems, same_sector, same_stage, text_score, synthetic
MATCH (i:Innovation {id: $innovation})
// Words of 4+ letters from its name and description, OR-ed into a Lucene query
// (the regex keeps Lucene's special characters out).
WITH i, [w IN split(toLower(i.name + ' ' + coalesce(i.description, '')), ' ') WHERE w =~ '[a-z]{4,}'] AS words
// Its problems and sectors read once; each other innovation's own few ADDRESSES and
// IN_SECTOR ties are then checked against them (not this innovation's ties, which include
// every adoption, once per other innovation).
WITH i, words, COLLECT { MATCH (i)-[:ADDRESSES]->(p:Problem) RETURN p } AS problems,
     COLLECT { MATCH (i)-[:IN_SECTOR]->(s:Sector) RETURN s } AS sectors
// The candidates: only an innovation that shares a problem, a sector or the lifecycle stage
// with this one (`near`), or that the full-text query finds, can score above 0 (the others
// were scored and dropped). One found by the full-text query only scores its text score, so
// of those only the best `limit` (by the rounded score, then name: the order of the rows)
// can be shown: with common words the query finds nearly every innovation.
WITH i, words, problems, sectors,
     COLLECT { UNWIND problems AS p MATCH (p)<-[:ADDRESSES]-(other:Innovation) WHERE other <> i RETURN other
               UNION
               UNWIND sectors AS s MATCH (s)<-[:IN_SECTOR]-(other:Innovation) WHERE other <> i RETURN other
               UNION
               WITH i WHERE i.lifecycle_stage IS NOT NULL
               MATCH (other:Innovation {lifecycle_stage: i.lifecycle_stage}) WHERE other <> i RETURN other } AS near
// One row per way it was found, with its full-text score when the query found it, joined by
// aggregation (a lookup in the list of hits for each innovation would compare every
// innovation with every hit).
CALL (i, words, near) {
  UNWIND near AS other
  RETURN other, null AS text_score
  UNION ALL
  WITH i, words, near WHERE size(words) > 0
  CALL db.index.fulltext.queryNodes('innovation_text', reduce(q = '', w IN words | q + ' ' + w)) YIELD node, score
  WITH node, score WHERE node <> i AND node IN near
  RETURN node AS other, score AS text_score
  UNION ALL
  WITH i, words, near WHERE size(words) > 0
  CALL db.index.fulltext.queryNodes('innovation_text', reduce(q = '', w IN words | q + ' ' + w)) YIELD node, score
  WITH node, score WHERE node <> i AND NOT node IN near
  RETURN node AS other, score AS text_score
  ORDER BY round(text_score, 3) DESC, other.name
  LIMIT $limit
}
WITH i, problems, sectors, other, max(text_score) AS text_score
WITH i, other, text_score, [(other)-[:ADDRESSES]->(p:Problem) WHERE p IN problems | p.name] AS shared_problems,
     EXISTS { MATCH (other)-[:IN_SECTOR]->(s:Sector) WHERE s IN sectors } AS same_sector
WITH i, other, text_score, shared_problems, same_sector,
     (i.lifecycle_stage IS NOT NULL AND i.lifecycle_stage = other.lifecycle_stage) AS same_stage
WITH other, shared_problems, same_sector, same_stage, coalesce(text_score, 0.0) AS text_score,
     3 * size(shared_problems) + CASE WHEN same_sector THEN 2 ELSE 0 END + CASE WHEN same_stage THEN 1 ELSE 0 END
       + coalesce(text_score, 0.0) AS score
WHERE score > 0
RETURN other.id AS innovation, other.name AS name, round(score, 3) AS score, shared_problems, same_sector,
       same_stage, round(text_score, 3) AS text_score, coalesce(other.synthetic, false) AS synthetic
ORDER BY score DESC, name
LIMIT $limit
