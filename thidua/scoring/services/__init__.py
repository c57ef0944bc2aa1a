"""The write path of scoring, one module per entity.

- `tables`: scoring tables, their items and classification bands (draft, frozen, versions)
- `rounds`: a table's scoring round (opening, who scores whom, the answer window, the lock)
- `self_scores`: a unit head's self-score of their own unit
- `peer_scores`: a unit's scores of another unit, where assigned
- `verification`: the verifier's confirmed or changed scores, and publishing them
- `answers`: a unit's answers to its changed scores, and the second review
- `rankings`: the published ranking snapshot, and corrections after the lock
"""
