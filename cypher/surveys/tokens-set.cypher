// title: Store the SHA-256 hashes of newly issued tokens (the tokens themselves are never stored)
UNWIND $rows AS row
MATCH (x:Respondent {id: row.respondent, round: $round})
SET x.token_hash = row.hash, x.token_issued_at = $at
RETURN count(x) AS issued
