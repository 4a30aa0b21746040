// title: One survey round, with its locality's name
MATCH (r:SurveyRound {id: $round})
OPTIONAL MATCH (l:Locality {id: r.locality})
RETURN r {.*} AS round, coalesce(l.name, r.locality) AS locality_name
