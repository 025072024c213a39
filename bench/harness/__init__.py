"""Driving benchmarks: the fake and the bot each in their own process, steered from a third."""
