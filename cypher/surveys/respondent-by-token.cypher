// title: The respondent a token's hash opens, with its round (nothing for an unknown hash)
MATCH (x:Respondent {token_hash: $hash})
MATCH (r:SurveyRound {id: x.round})
OPTIONAL MATCH (p:Person {id: x.person})
OPTIONAL MATCH (l:Locality {id: r.locality})
RETURN x.id AS respondent, x.person AS person, coalesce(p.name, x.person) AS name, x.answers AS answers,
       coalesce(x.submitted, false) AS submitted, r {.*, locality_name: coalesce(l.name, r.locality)} AS round
