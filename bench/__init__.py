"""Benchmarks: a fake Discord over loopback, the processes that drive it, and one-off timing scripts."""
