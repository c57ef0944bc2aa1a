"""The write path of scoring, one module per entity.

- `tables`: scoring tables, their items and classification bands (draft, frozen, versions)
- `rounds`: a table's scoring rounds and their scores (self-scores, peer scores,
  verification, answers, the second review, the lock, the published ranking)
"""
