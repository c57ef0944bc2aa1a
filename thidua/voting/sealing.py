"""Sealed ballots: what a cast stores while the vote is open, readable only with a key that is
never in the database, its backups, the logs or the stored files.

A cast must be durable the moment it is accepted, so it is written in the voter's own
transaction, next to the voter record; in PostgreSQL both rows then carry the same `xmin`, and
in SQLite neighbouring `rowid`s. That link is harmless only if the stored ballot says nothing:
so it is sealed (ChaCha20-Poly1305, a fresh random nonce, the vote's id as associated data)
under a key derived from the server's ballot key and the vote, and padded to one length for
every ballot of the vote, so neither its bytes nor its size tell one choice from another. The
vote's close opens the boxes, shuffles the contents and writes the readable ballots in one
transaction of its own (see `services.ballots`).

Pure: no database; the master key is an argument (the services read it from settings).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from thidua.lib.hashing import canonical_json

NONCE_BYTES = 12
TAG_BYTES = 16
_INFO = b"thidua/voting/ballot-seal/v1/"
# Padding is a run of spaces after the JSON: canonical JSON never ends with one.
_PAD = b" "


class Unreadable(Exception):
    """A box that was not sealed by a cast of this vote with this key: changed, moved from
    another vote, or forged."""


def vote_key(master: bytes, vote_id: object) -> bytes:
    """The vote's own sealing key: HKDF-SHA256 of the server's ballot key and the vote id."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + _id(vote_id)).derive(
        master
    )


def padded_size(candidate_ids: Iterable[int]) -> int:
    """One plaintext length for every ballot of a vote: the canonical JSON of a ballot naming
    every candidate under every answer is longer than any valid ballot."""
    ids = sorted(candidate_ids)
    return len(canonical_json({"agree": ids, "chosen": ids, "disagree": ids}).encode()) + 1


def seal(key: bytes, vote_id: object, content: str, size: int) -> bytes:
    """nonce ‖ ciphertext of `content` padded to `size` bytes."""
    data = content.encode("utf-8")
    if len(data) >= size or data.endswith(_PAD):
        raise ValueError("ballot content does not fit the vote's padded size")
    nonce = os.urandom(NONCE_BYTES)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, data.ljust(size, _PAD), _id(vote_id))


def unseal(key: bytes, vote_id: object, box: bytes) -> str:
    """The content sealed in `box`, or Unreadable."""
    box = bytes(box)
    try:
        data = ChaCha20Poly1305(key).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], _id(vote_id))
    except (InvalidTag, ValueError) as error:
        raise Unreadable from error
    return data.rstrip(_PAD).decode("utf-8")


def box_size(size: int) -> int:
    return NONCE_BYTES + size + TAG_BYTES


def _id(vote_id: object) -> bytes:
    return str(vote_id).encode("ascii")
