"""Plain functions from real and synthetic DataFrames to numbers and frames."""
