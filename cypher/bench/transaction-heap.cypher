// title: Benchmark: the largest estimated heap of any running transaction but this one
SHOW TRANSACTIONS YIELD currentQuery, estimatedUsedHeapMemory
WHERE NOT currentQuery STARTS WITH 'SHOW'
RETURN max(estimatedUsedHeapMemory) AS heap
