"""Scoring pages: `tables` (editing a table), `rounds` (scores, verification, ranking),
`sheets` (XLSX scoring sheets and the charts of a round)."""
