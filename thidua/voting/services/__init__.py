"""The write path of meetings and votes, one module per entity: authorise → validate →
write → audit.

- `meetings`: calling a meeting (with its roll), attendance, the agenda, closing
- `votes`: opening a round, closing it (electronic or paper), the tally, a tie settled
- `ballots`: casting a ballot in secret, checking a vote's ballots, sealing their chain

The ballot hash chain itself is pure and lives in `voting.chain`.
"""
