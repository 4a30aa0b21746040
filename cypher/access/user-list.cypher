// title: Every user and role (no hashes), by name
MATCH (u:User)
RETURN u.name AS name, u.role AS role, u.created AS created
ORDER BY u.name
