// title: Write back survey answers scrubbed of a forgotten person
UNWIND $rows AS row
MATCH (x:Respondent {id: row.respondent})
SET x.answers = row.answers
RETURN count(x) AS n
