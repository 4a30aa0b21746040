// title: The finished loads that changed data (recorded on a run as `loads`: a later load that
// creates or updates anything changes the count; one that finds everything unchanged does not)
MATCH (l:Load) WHERE coalesce(l.status, '') <> 'in_progress' AND coalesce(l.changed, true)
RETURN count(l) AS loads
