"""The read path of scoring.

- `tables`: a table's tree and the engine's view of it
- `results`: a round's results for its block (final points, ranking, warnings, matrix)
- `rounds`: what is due in the rounds (for the home page and the reminders)
"""
