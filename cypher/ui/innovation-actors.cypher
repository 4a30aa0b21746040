// title: Who is behind an innovation
// question: Which organisations and people originated or adopted this innovation, and who belongs to them?
// param innovation: str = see_through_shutters -- the innovation id
// columns: actor, name, kind, type_or_role, layer, involvement, locality, organisations, members
MATCH (i:Innovation {id: $innovation})
CALL (i) {
  MATCH (a:Actor)-[:ORIGINATED]->(i)
  RETURN a, 'originated' AS involvement, null AS locality
  UNION
  MATCH (a:Actor)-[r:ADOPTED]->(i)
  OPTIONAL MATCH (l:Locality {id: r.locality})
  RETURN a, 'adopted' AS involvement, coalesce(l.name, r.locality) AS locality
}
RETURN a.id AS actor, coalesce(a.name, a.id) AS name,
       CASE WHEN a:Organisation THEN 'organisation' WHEN a:Person THEN 'person' ELSE 'actor' END AS kind,
       coalesce(a.org_type, a.role) AS type_or_role, a.layer AS layer, involvement, locality,
       COLLECT { MATCH (a)-[:MEMBER_OF]->(o:Organisation) RETURN coalesce(o.name, o.id) } AS organisations,
       COLLECT { MATCH (p:Person)-[:MEMBER_OF]->(a) RETURN coalesce(p.name, p.id) } AS members
ORDER BY involvement DESC, kind, name
