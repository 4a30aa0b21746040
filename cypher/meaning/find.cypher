// title: Nodes near a need, for every kind at once ($kinds: name, vector_index, text_index, text): per kind the vector index's nearest $k and the full-text index's best $k, each scored by both
// note: One round trip for all kinds. meaning = the cosine score of the vector index, (1 + cosine) / 2 in [0, 1] (vector.similarity.cosine for a full-text hit not among the nearest); text = the full-text (BM25) score divided by the best one of this kind for this need, in [0, 1]. kb/services/find.py combines them (docs/search.md).
UNWIND $kinds AS kind
CALL (kind) {
  WITH kind WHERE kind.text AND $words IS NOT NULL
  CALL db.index.fulltext.queryNodes(kind.text_index, $words, {limit: $k}) YIELD node, score
  RETURN collect({node: node, score: score}) AS text_hits
}
CALL (kind) {
  CALL db.index.vector.queryNodes(kind.vector_index, $k, $vector) YIELD node, score
  RETURN collect({node: node, score: score}) AS near
}
WITH kind, text_hits, near, reduce(top = 0.0, h IN text_hits | CASE WHEN h.score > top THEN h.score ELSE top END) AS top
WITH kind, text_hits, top, near + [h IN text_hits WHERE NONE(v IN near WHERE v.node = h.node) | {node: h.node, score: null}] AS hits
UNWIND hits AS hit
WITH kind, top, hit.node AS n, hit.score AS meaning, [h IN text_hits WHERE h.node = hit.node | h.score][0] AS text
RETURN kind.name AS kind, n.id AS id, n.name AS name,
       coalesce(meaning, CASE WHEN n.embedding IS NULL THEN 0.0 ELSE vector.similarity.cosine(n.embedding, $vector) END) AS meaning,
       CASE WHEN text IS NULL OR top = 0 THEN 0.0 ELSE text / top END AS text,
       coalesce(n.synthetic, false) AS synthetic
