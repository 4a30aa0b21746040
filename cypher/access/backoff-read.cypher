// title: Sign-in failures recorded for these keys ("user:NAME", "address:ADDR"), with the seconds since the last
UNWIND $keys AS key
MATCH (b:SignInBackoff {key: key})
RETURN b.key AS key, b.failures AS failures, b.last_epoch AS last_epoch
