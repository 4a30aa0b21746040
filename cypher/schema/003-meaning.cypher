// title: Search by meaning: a vector index per kind searched by `kb find` (kb/meaning.py KINDS), and the full-text indexes it combines them with
// question: 256-dimension WordLlama embeddings of each node's text, compared by cosine; problems get a full-text index too (innovations have innovation_text).
CREATE VECTOR INDEX problem_meaning IF NOT EXISTS FOR (n:Problem) ON n.embedding OPTIONS {indexConfig: {`vector.dimensions`: 256, `vector.similarity_function`: 'cosine'}};
CREATE VECTOR INDEX innovation_meaning IF NOT EXISTS FOR (n:Innovation) ON n.embedding OPTIONS {indexConfig: {`vector.dimensions`: 256, `vector.similarity_function`: 'cosine'}};
CREATE FULLTEXT INDEX problem_text IF NOT EXISTS FOR (n:Problem) ON EACH [n.name, n.description];
