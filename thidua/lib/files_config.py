"""Which backend keeps the stored files (thidua.lib.files), from the environment.

Pure (no Django import), so settings.py can call it. Local disk under DATA_DIR unless
THIDUA_S3_BUCKET names a bucket; then an S3-compatible server through django-storages.
The credentials are read by boto3 itself from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
(or an instance role), so they never pass through the settings. See docs/operations.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOCAL_BACKEND = "thidua.lib.files.DurableFileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"


def files_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The STORAGES["files"] entry."""
    bucket = environ.get("THIDUA_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": LOCAL_BACKEND}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Files are served only through permission-checked views, never by a bucket URL.
        "default_acl": "private",
        "querystring_auth": True,
        # Names are ours (content hashes, row keys): the same name means the same file.
        "file_overwrite": True,
        "location": environ.get("THIDUA_S3_PREFIX", "").strip().strip("/"),
    }
    optional = {
        "endpoint_url": "THIDUA_S3_ENDPOINT_URL",
        "region_name": "THIDUA_S3_REGION",
        "addressing_style": "THIDUA_S3_ADDRESSING_STYLE",
    }
    for option, variable in optional.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


CHECKPOINT_STORAGE_ALIAS = "audit-checkpoints"


def checkpoint_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The storage of the audit log's checkpoints when THIDUA_AUDIT_CHECKPOINT_DIR names a
    folder of their own (another disk, a write-once mount); else none, and the checkpoints
    go to the files storage like every other area."""
    folder = environ.get("THIDUA_AUDIT_CHECKPOINT_DIR", "").strip()
    if not folder:
        return {}
    return {CHECKPOINT_STORAGE_ALIAS: {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"location": folder}}}
