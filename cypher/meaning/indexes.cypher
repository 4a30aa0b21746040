// title: The online indexes by name (which kinds `kb find` can search)
SHOW INDEXES YIELD name, state
WHERE state = 'ONLINE'
RETURN name
