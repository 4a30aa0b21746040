// title: (the write-back before the columns were read once per kb analyse) Attach one run's scores to actors, with what the named queries look up about each
// actor copied onto its score (kb/store/query_columns.py): name, layer, synthetic flag, the
// localities it is in (itself, or through an organisation it is a member of), the first
// organisation it is a member of (by name), and outside-core's group (itself when it is an
// organisation, else that organisation): name and type. One walk over the actor's own
// relationships.
MATCH (run:AnalysisRun {id: $run})
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor})
CREATE (a)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(run)
SET s = row.props
WITH a, s, [(a)-[r:MEMBER_OF|LOCATED_IN]->(n)
            WHERE (type(r) = 'LOCATED_IN' AND n:Locality) OR (type(r) = 'MEMBER_OF' AND n:Organisation)
            | {here: CASE WHEN type(r) = 'LOCATED_IN' THEN n.id END, org: CASE WHEN type(r) = 'MEMBER_OF' THEN n END}] AS out
WITH a, s, [x IN out WHERE x.here IS NOT NULL | x.here] AS here,
     COLLECT { UNWIND out AS x WITH x.org AS o WHERE o IS NOT NULL RETURN o ORDER BY o.name } AS orgs
WITH a, s, here, orgs, CASE WHEN a:Organisation THEN a ELSE orgs[0] END AS grp
SET s.name = a.name, s.layer = a.layer, s.synthetic = coalesce(a.synthetic, false),
    s.member_org = orgs[0].name, s.org_name = grp.name, s.org_type = grp.org_type,
    s.localities = COLLECT { UNWIND here + COLLECT { UNWIND orgs AS o MATCH (o)-[:LOCATED_IN]->(l:Locality) RETURN l.id AS id } AS id
                             RETURN DISTINCT id }
