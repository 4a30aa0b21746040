// title: A round's roster: each respondent, the person's name, layer and organisations, link issued, progress
MATCH (x:Respondent {round: $round})
OPTIONAL MATCH (p:Person {id: x.person})
OPTIONAL MATCH (p)-[:MEMBER_OF]->(o:Organisation)
WITH x, p, collect({id: o.id, name: coalesce(o.name, o.id)}) AS organisations
RETURN x.id AS respondent, x.person AS person, coalesce(p.name, x.person) AS name, p.layer AS layer,
       [o IN organisations WHERE o.id IS NOT NULL] AS organisations,
       x.token_hash IS NOT NULL AS link_issued, coalesce(x.submitted, false) AS submitted,
       coalesce(x.answers, '{}') <> '{}' AS started, x.answers AS answers
ORDER BY name, person
