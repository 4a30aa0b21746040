// title: Every survey round with its roster size and answers so far
MATCH (r:SurveyRound)
OPTIONAL MATCH (x:Respondent {round: r.id})
RETURN r.id AS round, r.locality AS locality, r.date AS date, r.status AS status,
       count(x) AS respondents, sum(CASE WHEN x.submitted THEN 1 ELSE 0 END) AS submitted, r.load_id AS load_id
ORDER BY r.date DESC, r.id
