// title: The actors of the GraphML network that `kb export` writes for Gephi
MATCH (a:Actor)
RETURN a.id AS id, 'Organisation' IN labels(a) AS is_org, properties(a) AS props
ORDER BY a.id
