// title: Move a round from one status to another (open -> closing -> closed, or back to open); no row when it was not in `from`
MATCH (r:SurveyRound {id: $round, status: $from})
SET r.status = $to, r += $extra
RETURN r.id AS round
