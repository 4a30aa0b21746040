// title: Benchmark (bench/pages.py): a locality that faces problems, an innovation with an
// origin and the actor with the most ties, to open the pages with; `knowsley` when present
// (the casebase), with its innovation see_through_shutters
RETURN COLLECT { MATCH (l:Locality)-[:FACES]->() RETURN l.id AS id ORDER BY id LIMIT 1 }[0] AS locality,
       COLLECT { MATCH (i:Innovation)-[:ORIGINATED_IN]->() RETURN i.id AS id ORDER BY id LIMIT 1 }[0] AS innovation,
       COLLECT { MATCH (a:Actor)-[t:TIE]-() WITH a.id AS id, count(t) AS d RETURN id ORDER BY d DESC, id LIMIT 1 }[0] AS actor,
       EXISTS { MATCH (:Locality {id: 'knowsley'}) } AS knowsley
