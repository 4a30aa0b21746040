// title: Localities a survey round can be run in (id, name), for the editors' page
MATCH (l:Locality)
RETURN l.id AS id, coalesce(l.name, l.id) AS name
ORDER BY name, id
