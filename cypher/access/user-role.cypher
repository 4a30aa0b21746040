// title: Change a user's role
MATCH (u:User {name: $name})
SET u.role = $role
RETURN u.name AS name, u.role AS role
