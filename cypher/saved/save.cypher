// title: Save (or replace) one user's saved query under a name: a named query with its parameters, or their own Cypher
MERGE (s:SavedQuery {user: $user, name: $name})
ON CREATE SET s.created = $at
SET s.query = $query, s.text = $text, s.params = $params, s.saved_at = $at
RETURN s.user AS user, s.name AS name, s.query AS query, s.text AS text, s.params AS params, s.saved_at AS saved_at,
       s.created = $at AS created
