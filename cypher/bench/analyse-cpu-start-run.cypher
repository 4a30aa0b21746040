// title: Benchmark (bench/analyse_cpu.py): a throwaway run that the score write-back is timed on
CREATE (:AnalysisRun {id: $id, network: 'bench-cpu', current: false, status: 'writing'})
