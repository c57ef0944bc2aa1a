"""The organisation's pages, one module per entity: units (and the tree), people, blocks
and councils, and the Excel import."""
