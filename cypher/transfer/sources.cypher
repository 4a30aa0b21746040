// title: The sources cited by a transfer brief ($ids: source ids), with what a reference needs (kb/services/brief.py)
UNWIND $ids AS id
OPTIONAL MATCH (s:Source {id: id})
RETURN id, s IS NOT NULL AS known, s.title AS title, s.author AS author, s.publisher AS publisher, s.year AS year,
       s.url AS url
