// title: The finished loads so far (recorded on a run as `loads`: a later load changes the count)
MATCH (l:Load) WHERE coalesce(l.status, '') <> 'in_progress'
RETURN count(l) AS loads
