"""Benchmarks on generated data; each writes JSON to bench/results/ and asserts nothing."""
