// title: Nodes of one kind near a need: the vector index's nearest $k and the full-text index's best $k, each scored by both
// note: meaning = vector.similarity.cosine, (1 + cosine) / 2 in [0, 1]; text = the full-text (BM25) score divided by the best one of this search, in [0, 1]. kb/services/find.py combines them (docs/search.md).
CALL () {
  WITH $words AS q WHERE q IS NOT NULL
  CALL db.index.fulltext.queryNodes($text_index, q, {limit: $k}) YIELD node, score
  RETURN collect({node: node, score: score}) AS text_hits
}
CALL () {
  CALL db.index.vector.queryNodes($vector_index, $k, $vector) YIELD node
  RETURN collect(node) AS near
}
WITH text_hits, near, reduce(top = 0.0, h IN text_hits | CASE WHEN h.score > top THEN h.score ELSE top END) AS top
UNWIND near + [h IN text_hits WHERE NOT h.node IN near | h.node] AS n
WITH n, top, [h IN text_hits WHERE h.node = n | h.score][0] AS text
RETURN n.id AS id, n.name AS name,
       CASE WHEN n.embedding IS NULL THEN 0.0 ELSE vector.similarity.cosine(n.embedding, $vector) END AS meaning,
       CASE WHEN text IS NULL OR top = 0 THEN 0.0 ELSE text / top END AS text,
       coalesce(n.synthetic, false) AS synthetic
