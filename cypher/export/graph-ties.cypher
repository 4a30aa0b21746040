// title: The ties of the GraphML network that `kb export` writes for Gephi (properties(r), not
// r.date: the server warns about a property key no tie has ever had)
MATCH (a:Actor)-[r:TIE]->(b:Actor)
RETURN a.id AS source, b.id AS target, properties(r) AS props
ORDER BY a.id, b.id, r.network
