// title: Remove a user (their past changes keep their name)
MATCH (u:User {name: $name})
WITH u, u.name AS name
DELETE u
RETURN name
