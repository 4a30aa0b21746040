// title: One user's saved queries (only theirs), by name
MATCH (s:SavedQuery {user: $user})
RETURN s.user AS user, s.name AS name, s.query AS query, s.text AS text, s.params AS params, s.saved_at AS saved_at
ORDER BY toLower(s.name), s.name
