"""Proposals up the chain: a block's dossier to the Department's council, the council's
proposal to the level above, and the answer that comes back."""
