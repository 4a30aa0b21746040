// title: Forget the failed sign-ins of these keys (after a successful sign-in)
UNWIND $keys AS key
MATCH (b:SignInBackoff {key: key})
DELETE b
RETURN count(*) AS n
