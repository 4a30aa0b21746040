// title: Organisations a respondent may name for someone not listed (all of them: id, name, layer)
MATCH (o:Organisation)
RETURN o.id AS id, coalesce(o.name, o.id) AS name, o.layer AS layer
ORDER BY name, id
