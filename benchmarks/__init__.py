"""Benchmarks of service-catalogue at scale (issue 8): `python -m benchmarks` or `make bench`.

Not part of the test run. Every figure is a ratio of two times measured in the
same run, so that it holds on a noisy machine.
"""
