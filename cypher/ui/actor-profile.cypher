// title: Actor profile
// question: Who is this actor: layer, organisations, places, innovations, roles and scores in a network?
// param actor: str = null -- the actor id
// param network: str = all -- the network whose scores are shown
// columns: actor, name, kind, type_or_role, layer, synthetic, source, section, localities, organisations, members, innovations, roles, reasons, in_degree, out_degree, betweenness, closeness, constraint, coreness, in_main_core
MATCH (a:Actor {id: $actor})
OPTIONAL MATCH (a)-[:HAS_SCORE]->(s:Score)-[:IN_RUN]->(:AnalysisRun {network: $network, current: true})
RETURN a.id AS actor, coalesce(a.name, a.id) AS name,
       CASE WHEN a:Organisation THEN 'organisation' WHEN a:Person THEN 'person' ELSE 'actor' END AS kind,
       coalesce(a.org_type, a.role) AS type_or_role, a.layer AS layer, coalesce(a.synthetic, false) AS synthetic,
       a.source AS source, a.section AS section,
       COLLECT { MATCH (a)-[:LOCATED_IN]->(l:Locality) RETURN coalesce(l.name, l.id) } AS localities,
       COLLECT { MATCH (a)-[:MEMBER_OF]->(o:Organisation) RETURN coalesce(o.name, o.id) } AS organisations,
       COLLECT { MATCH (p:Person)-[:MEMBER_OF]->(a) RETURN coalesce(p.name, p.id) } AS members,
       COLLECT { MATCH (a)-[:ORIGINATED|ADOPTED]->(i:Innovation) RETURN DISTINCT coalesce(i.name, i.id) } AS innovations,
       coalesce(s.roles, []) AS roles, coalesce(s.reasons, []) AS reasons, s.in_degree AS in_degree,
       s.out_degree AS out_degree, round(s.betweenness, 3) AS betweenness, round(s.closeness, 3) AS closeness,
       round(s.constraint, 3) AS constraint, s.coreness AS coreness, s.in_main_core AS in_main_core
