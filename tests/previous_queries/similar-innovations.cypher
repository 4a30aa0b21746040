// title: Similar innovations
// question: Which innovations resemble this one: shared problems, sector, lifecycle stage and wording (full-text index)?
// param innovation: str = see_through_shutters -- the innovation id
// param limit: int = 10 -- rows returned
// columns: innovation, name, score, shared_problems, same_sector, same_stage, text_score, synthetic
MATCH (i:Innovation {id: $innovation})
// Words of 4+ letters from its name and description, OR-ed into a Lucene query
// (the regex keeps Lucene's special characters out).
WITH i, [w IN split(toLower(i.name + ' ' + coalesce(i.description, '')), ' ') WHERE w =~ '[a-z]{4,}'] AS words
CALL (i, words) {
  WITH i, words WHERE size(words) > 0
  CALL db.index.fulltext.queryNodes('innovation_text', reduce(q = '', w IN words | q + ' ' + w)) YIELD node, score
  WITH node, score WHERE node <> i
  RETURN collect({id: node.id, score: score}) AS text_hits
}
MATCH (other:Innovation) WHERE other <> i
WITH i, other, [h IN text_hits WHERE h.id = other.id | h.score][0] AS text_score
OPTIONAL MATCH (i)-[:ADDRESSES]->(p:Problem)<-[:ADDRESSES]-(other)
WITH i, other, text_score, collect(p.name) AS shared_problems
WITH i, other, text_score, shared_problems,
     EXISTS { (i)-[:IN_SECTOR]->(:Sector)<-[:IN_SECTOR]-(other) } AS same_sector,
     (i.lifecycle_stage IS NOT NULL AND i.lifecycle_stage = other.lifecycle_stage) AS same_stage
WITH other, shared_problems, same_sector, same_stage, coalesce(text_score, 0.0) AS text_score,
     3 * size(shared_problems) + CASE WHEN same_sector THEN 2 ELSE 0 END + CASE WHEN same_stage THEN 1 ELSE 0 END
       + coalesce(text_score, 0.0) AS score
WHERE score > 0
RETURN other.id AS innovation, other.name AS name, round(score, 3) AS score, shared_problems, same_sector,
       same_stage, round(text_score, 3) AS text_score, coalesce(other.synthetic, false) AS synthetic
ORDER BY score DESC, name
LIMIT $limit
