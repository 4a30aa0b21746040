// title: People for a roster: those of a locality, or those with the given ids (the others are missing)
// Either $locality or $ids is given.
MATCH (p:Person)
WHERE ($ids IS NULL OR p.id IN $ids)
  AND ($locality IS NULL OR p.locality = $locality OR EXISTS { (p)-[:LOCATED_IN]->(:Locality {id: $locality}) })
OPTIONAL MATCH (p)-[:MEMBER_OF]->(o:Organisation)
WITH p, collect(coalesce(o.name, o.id)) AS organisations
RETURN p.id AS person, coalesce(p.name, p.id) AS name, p.layer AS layer, organisations
ORDER BY name, person
