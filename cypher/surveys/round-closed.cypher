// title: Mark a closing round closed, and store its submitted answers with each person not listed named by the id they got (no name)
// No row when the round is not closing.
MATCH (r:SurveyRound {id: $round, status: 'closing'})
SET r.status = 'closed', r += $extra
WITH r
CALL (r) {
  UNWIND $rows AS row
  MATCH (x:Respondent {id: row.respondent, round: r.id})
  SET x.answers = row.answers
  RETURN count(x) AS rewritten
}
RETURN r.id AS round, rewritten
