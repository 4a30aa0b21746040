// title: Adoptions to pick
// question: Which adoptions (an innovation adopted in a locality) can a form open? Their ids as the curation service names them.
// columns: id, name
MATCH (i:Innovation)-[:ADOPTED_IN]->(l:Locality)
RETURN i.id + ':' + l.id AS id, coalesce(i.name, i.id) + ' in ' + coalesce(l.name, l.id) AS name
ORDER BY name, id
