// title: The finished loads that changed data (recorded on a run as `loads`: a later load that
// creates or updates anything changes the count; one that finds everything unchanged does not),
// plus the edits of actors through the forms or `kb edit` (docs/curation.md), which change the
// layers and memberships the measures read
MATCH (l:Load) WHERE coalesce(l.status, '') <> 'in_progress' AND coalesce(l.changed, true)
WITH count(l) AS loads
RETURN loads + COUNT { MATCH (c:Change) WHERE c.kind IN ['people', 'organisations']
                       AND c.op IN ['create', 'update', 'undo'] } AS loads
