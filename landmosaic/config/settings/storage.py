"""The storage of uploaded files: a local folder, or S3-compatible object storage.

One place builds the object-storage options, so that production and the tests that run against a
real S3-protocol endpoint use exactly the same ones.
"""

from __future__ import annotations

from typing import Any


def s3_storage(
    *,
    bucket_name: str,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
) -> dict[str, Any]:
    """Django ``STORAGES`` entry for a private bucket.

    Objects are written with the ``private`` ACL and every address the storage hands out is signed
    (``querystring_auth``), so no stored file is ever reachable by a plain, public URL. Names are
    never overwritten: a second file of the same name gets a new one. Without keys, boto3 finds
    them itself (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, or an instance role).
    """
    options: dict[str, Any] = {
        "bucket_name": bucket_name,
        "endpoint_url": endpoint_url or None,
        "region_name": region_name or None,
        "default_acl": "private",
        "querystring_auth": True,
        # Left unset, botocore presigns with the legacy SigV2 in us-east-1 (and on most custom
        # endpoints), which newer AWS regions refuse; SigV4 works on AWS, MinIO and the others.
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    if access_key and secret_key:
        options |= {"access_key": access_key, "secret_key": secret_key}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
