// title: Record answers from a filled-in survey spreadsheet (by respondent id), only while the round is open
UNWIND $rows AS row
MATCH (x:Respondent {id: row.respondent, round: $round})
MATCH (r:SurveyRound {id: $round, status: 'open'})
SET x.answers = row.answers, x.submitted = true, x.updated_at = $at
RETURN count(x) AS recorded
