// title: One user by name, with the password hash (sign-in checks it)
MATCH (u:User {name: $name})
RETURN u.name AS name, u.role AS role, u.password_hash AS password_hash
