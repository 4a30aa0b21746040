// title: Save a respondent's answers, found by its token's hash, only while its round is open
// Returns no row when the hash opens nothing or the round is not open (closing or closed).
MATCH (x:Respondent {token_hash: $hash})
MATCH (r:SurveyRound {id: x.round, status: 'open'})
SET x.answers = $answers, x.submitted = $submitted, x.updated_at = $at
RETURN x.id AS respondent
