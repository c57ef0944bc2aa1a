"""The write path of the organisation, one module per entity.

- `units`: units and their dated history (create, rename, move, merge, dissolve, archive, delete)
- `people`: people (create or update, archive, delete)
- `employment`: who works in which unit over which period
- `ratings`: yearly ratings of staff and of units
- `discipline`: disciplinary measures
- `blocks`: emulation blocks and their yearly terms
- `councils`: an agency's emulation & commendation council and its members
- `roles`: role assignments

Each service: authorise → validate → write → audit, inside one transaction.
"""
