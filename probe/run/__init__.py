"""Run: orchestrate a check or a matrix of checks from a request to a written report and an exit code."""
