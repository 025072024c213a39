"""Pieces every extension shares: permission checks and error replies."""
