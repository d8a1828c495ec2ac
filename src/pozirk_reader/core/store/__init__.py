"""The offline cache: the only package that speaks SQL."""
