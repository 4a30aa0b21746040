// title: Remove a person's id from the originator and adopter lists that name them
OPTIONAL MATCH (i:Innovation) WHERE $id IN i.originators
SET i.originators = [x IN i.originators WHERE x <> $id]
WITH count(i) AS originators
OPTIONAL MATCH ()-[a:ADOPTED_IN]->() WHERE $id IN a.adopters
SET a.adopters = [x IN a.adopters WHERE x <> $id]
RETURN originators, count(a) AS adopters
