// title: One saved query of one user, by name
MATCH (s:SavedQuery {user: $user, name: $name})
RETURN s.user AS user, s.name AS name, s.query AS query, s.text AS text, s.params AS params, s.saved_at AS saved_at
