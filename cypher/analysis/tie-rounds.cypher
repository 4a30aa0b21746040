// title: The survey rounds that ties carry, each with its ties and its latest tie date, in order
// (by date, then id); none when no tie has a round (the TIE(round) index answers it)
MATCH ()-[t:TIE]->() WHERE t.round IS NOT NULL
RETURN t.round AS round, count(*) AS ties, max(t.date) AS date
ORDER BY date, round
