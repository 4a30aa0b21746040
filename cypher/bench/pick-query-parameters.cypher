// title: Benchmark (bench/queries.py): a locality that faces problems (knowsley when it does,
// else the one with the most actors) and the innovation with the most adoptions, as [id, n]
WITH COLLECT { MATCH (l:Locality {id: 'knowsley'})-[:FACES]->() RETURN DISTINCT l.id AS id } AS knowsley
RETURN coalesce(knowsley[0],
                COLLECT { MATCH (l:Locality) WHERE EXISTS { (l)-[:FACES]->(:Problem) }
                          RETURN l.id AS id ORDER BY COUNT { (l)<-[:LOCATED_IN]-(:Actor) } DESC, l.id LIMIT 1 }[0]) AS locality,
       COLLECT { MATCH (i:Innovation)-[a:ADOPTED_IN]->()
                 WITH i.id AS id, count(a) AS n RETURN [id, n] AS pair ORDER BY n DESC, id LIMIT 1 }[0] AS innovation
