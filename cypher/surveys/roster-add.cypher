// title: Add people to a round's roster (a person already on it is left as it is); returns how many were added
MATCH (r:SurveyRound {id: $round})
UNWIND $people AS person
MERGE (x:Respondent {id: $round + '/' + person})
ON CREATE SET x.round = $round, x.person = person, x.submitted = false, x.answers = '{}', x.added_at = $at,
              x.new_respondent = true
WITH x, coalesce(x.new_respondent, false) AS added
REMOVE x.new_respondent
RETURN sum(toInteger(added)) AS added
