// title: Store embeddings ($rows: id, vector, hash) on nodes of one label ($label); a null vector removes the embedding
UNWIND $rows AS row
MATCH (n:$($label) {id: row.id})
SET n.embedding = row.vector, n.embedding_hash = row.hash
