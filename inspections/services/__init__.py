"""
Writes of the inspections app, one module an area: campaigns and selection
plans (campaigns.py), inspections and sampled items (inspections.py),
findings (findings.py), automatic label-check results (label_results.py),
explicit-label check results and their evidence files (explicit_results.py).
Every write validates, runs in a transaction and records an audit event.
Reads live in inspections/selectors.py.
"""
