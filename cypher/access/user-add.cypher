// title: Add a user (name, role, argon2 password hash); returns nothing when the name is taken
OPTIONAL MATCH (old:User {name: $name})
WITH old WHERE old IS NULL
CREATE (u:User {name: $name, role: $role, password_hash: $hash, created: $created})
RETURN u.name AS name, u.role AS role
