// title: Before the saved queries' (user, name) uniqueness constraint (cypher/schema/004-curation.cypher):
// merge the saved queries that share a user and a name (a database from before the constraint
// can hold them: the old save raced), keeping the one saved last. `kb init` runs this first.
MATCH (s:SavedQuery)
WITH s.user AS user, s.name AS name, collect(s) AS same
WHERE size(same) > 1
UNWIND same AS s
WITH user, name, s ORDER BY coalesce(s.saved_at, '') DESC
WITH user, name, collect(s) AS newest_first
UNWIND newest_first[1..] AS older
DETACH DELETE older
RETURN count(older) AS merged
