// title: Delete a forgotten person's own survey respondent records (their answers and private link), in every round
MATCH (x:Respondent {person: $id})
WITH collect(x) AS records
FOREACH (x IN records | DETACH DELETE x)
RETURN size(records) AS n
