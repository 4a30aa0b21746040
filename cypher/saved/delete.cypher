// title: Delete one saved query of one user
MATCH (s:SavedQuery {user: $user, name: $name})
WITH s, s.name AS name
DELETE s
RETURN name
