// title: The adoptions table of `kb export`: each ADOPTED_IN relationship's row, with the ids of
// its innovation and locality (authoritative over the copies kept as properties)
MATCH (i:Innovation)-[r:ADOPTED_IN]->(l:Locality)
RETURN properties(r) AS props, {innovation: i.id, locality: l.id} AS ends
ORDER BY i.id, l.id
