// title: The text fields of every node of one label ($label, from kb/meaning.py KINDS) and what its stored embedding was computed from
MATCH (n:$($label))
RETURN n.id AS id, elementId(n) AS node, [f IN $fields | n[f]] AS values, n.embedding_hash AS embedded_hash,
       n.embedding IS NOT NULL AS embedded
