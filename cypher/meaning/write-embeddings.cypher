// title: Store embeddings ($rows: node = elementId, vector, hash); a null vector removes the embedding
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.node
SET n.embedding = row.vector, n.embedding_hash = row.hash
