// title: What the named queries look up about each actor of the analysed population, copied onto
// its Scores (kb/store/query_columns.py): name, layer, synthetic flag, the localities it is in
// (itself, or through an organisation it is a member of), the first organisation it is a member
// of (by name), and outside-core's group (itself when it is an organisation, else that
// organisation): name and type. Read once per `kb analyse` for every network's Scores, in parts
// of the actors' id order ($skip, $limit) as the projection reads them; every actor with a tie
// (each scope's population is among them).
MATCH (a:Actor) WHERE a.id IS NOT NULL
WITH a ORDER BY a.id SKIP $skip LIMIT $limit
WHERE EXISTS { (a)-[:TIE]-() }
WITH a, [(a)-[r:MEMBER_OF|LOCATED_IN]->(n)
         WHERE (type(r) = 'LOCATED_IN' AND n:Locality) OR (type(r) = 'MEMBER_OF' AND n:Organisation)
         | {here: CASE WHEN type(r) = 'LOCATED_IN' THEN n.id END, org: CASE WHEN type(r) = 'MEMBER_OF' THEN n END}] AS out
WITH a, [x IN out WHERE x.here IS NOT NULL | x.here] AS here,
     COLLECT { UNWIND out AS x WITH x.org AS o WHERE o IS NOT NULL RETURN o ORDER BY o.name } AS orgs
WITH a, here, orgs, CASE WHEN a:Organisation THEN a ELSE orgs[0] END AS grp
RETURN a.id AS actor, a.name AS name, a.layer AS layer, coalesce(a.synthetic, false) AS synthetic,
       orgs[0].name AS member_org, grp.name AS org_name, grp.org_type AS org_type,
       COLLECT { UNWIND here + COLLECT { UNWIND orgs AS o MATCH (o)-[:LOCATED_IN]->(l:Locality) RETURN l.id AS id } AS id
                 RETURN DISTINCT id } AS localities
