// title: Count one failed sign-in against each key
UNWIND $keys AS key
MERGE (b:SignInBackoff {key: key})
SET b.failures = coalesce(b.failures, 0) + 1, b.last_epoch = $epoch
RETURN count(*) AS n
