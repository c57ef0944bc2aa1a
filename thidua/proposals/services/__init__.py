"""The write path of proposals, one module per entity: authorise → validate → write → audit.

- `dossiers`: a block's dossier (prepared, filed, submitted, accepted or returned) and the
  council's agenda of accepted dossiers
- `upward`: the Department's proposal to the level above and its answer

Who may do what is in `proposals.permissions`, the reads in `proposals.selectors`, the
stored files in `proposals.storage`, the Tờ trình's context in `proposals.documents`.
Each step moves the block's year along (campaigns.services.block_cycle_follow); the council
votes with the meeting machinery of `thidua.voting`, whose tally rows are read, never
recomputed here.
"""
