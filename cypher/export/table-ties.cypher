// title: The ties table of `kb export`: each TIE relationship's row, with the ids of its two actors
MATCH (a:Actor)-[r:TIE]->(b:Actor)
RETURN properties(r) AS props, {from: a.id, to: b.id} AS ends
ORDER BY a.id, b.id, r.network
