// title: Benchmark: forget cached plans, so that the next statement is planned afresh
CALL db.clearQueryCaches()
