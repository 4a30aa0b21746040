// title: Every problem with its name and description, and the problems a locality faces, for
// matching problems by meaning in the transfer finder (kb/services/transfer.py)
RETURN COLLECT { MATCH (p:Problem) RETURN {id: p.id, name: coalesce(p.name, p.id), description: p.description,
                                          embedding: p.embedding} AS x
                 ORDER BY x.id } AS problems,
       COLLECT { MATCH (:Locality {id: $locality})-[:FACES]->(p:Problem) RETURN p.id } AS faced,
       EXISTS { (:Locality {id: $locality}) } AS locality_known
