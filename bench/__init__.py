"""Benchmarks against the peer tools; every figure is a ratio measured in the same run."""
