// title: Replace a user's password hash (a rehash with newer argon2 parameters at sign-in, or a new password)
MATCH (u:User {name: $name})
SET u.password_hash = $hash
RETURN u.name AS name
