"""Data contracts of careerfacts: the claim vocabulary, the problem catalogue and the
pandera models of every table. Nothing here imports the extractors or the pipeline.

`schemas.vocabulary` and `schemas.problems` are light; `schemas.claims` imports pandera
(about a second), so import it only where tables are validated.
"""
