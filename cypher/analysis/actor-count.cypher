// title: How many actors there are (from the count store; the projection splits them into parts)
MATCH (a:Actor) RETURN count(a) AS actors
