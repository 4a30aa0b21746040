// title: Empty the server's query plan cache (bench/pages.py, on its throwaway server only), so a view is
// measured as the first one after a restart: every query it runs is planned anew.
CALL db.clearQueryCaches()
