// title: The respondent a token's hash opens, with its round (nothing for an unknown hash)
MATCH (x:Respondent {token_hash: $hash})
MATCH (r:SurveyRound {id: x.round})
OPTIONAL MATCH (p:Person {id: x.person})
RETURN x.id AS respondent, x.person AS person, coalesce(p.name, x.person) AS name, x.answers AS answers,
       coalesce(x.submitted, false) AS submitted, r {.*} AS round
