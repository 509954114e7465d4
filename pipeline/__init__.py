"""The pipeline: source registry, the refresh chain, reconciliation, writers, report, CLI.

Imports point one way: pipeline -> extractors -> schemas.
"""
