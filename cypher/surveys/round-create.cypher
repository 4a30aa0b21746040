// title: Create a survey round (open); `created` is false when the id is taken (nothing is changed then)
MERGE (r:SurveyRound {id: $round.id})
ON CREATE SET r += $round, r.status = 'open', r.created_at = $at, r.new_round = true
WITH r, coalesce(r.new_round, false) AS created
REMOVE r.new_round
RETURN created
