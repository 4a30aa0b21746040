// title: The history records (:Change) that name a person (by id or name), for `kb forget` to scrub
MATCH (c:Change)
WHERE c.record_id = $id OR c.before CONTAINS $id OR c.after CONTAINS $id
   OR c.reason CONTAINS $id OR c.note CONTAINS $id
   OR ($name IS NOT NULL AND (c.before CONTAINS $name OR c.after CONTAINS $name OR c.reason CONTAINS $name
                              OR c.note CONTAINS $name))
RETURN c.id AS id, c.record_id AS record_id, c.before AS before, c.after AS after, c.reason AS reason, c.note AS note
