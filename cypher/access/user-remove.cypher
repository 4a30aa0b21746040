// title: Remove a user and their saved console queries (their past changes keep their name)
MATCH (u:User {name: $name})
WITH u, u.name AS name
OPTIONAL MATCH (q:SavedQuery {user: name})
WITH u, name, collect(q) AS saved
FOREACH (q IN saved | DELETE q)
DELETE u
RETURN name, size(saved) AS saved_queries
