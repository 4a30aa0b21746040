// title: Write back the scrubbed history records of a forgotten person
UNWIND $rows AS row
MATCH (c:Change {id: row.id})
SET c.record_id = row.record_id, c.before = row.before, c.after = row.after, c.reason = row.reason, c.note = row.note
RETURN count(c) AS n
