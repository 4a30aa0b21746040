"""Benchmarks. Each module runs with `python -m bench.<name>` from the project root and
writes its section of docs/benchmarks.md (bench.common.write_section)."""
