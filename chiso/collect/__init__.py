"""Collecting a province's evaluation from Cổng DVCQG: provinces, periods, the careful HTTP client, the run.

Facts about the portal's six evaluation endpoints (request bodies, period encoding, which periods exist)
live in ``periods.py``; the rules of a careful collector (one request at a time, stop when refused) in
``client.py``; ``run.py`` verifies every response with the JSON importer before anything is stored.
"""
