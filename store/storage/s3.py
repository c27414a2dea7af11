"""S3-compatible object storage through boto3 (OSS, OBS, MinIO, Ceph RGW and AWS speak the same protocol).

A PUT is atomic on every S3 implementation: a reader sees the old object or the whole new one. Large
streams go up in parts (`upload_fileobj`); downloads are read from the response body a chunk at a time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from store.storage import CHUNK


class S3Storage:
    """Objects in one bucket, under an optional key prefix."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        addressing_style: str = "auto",
        client=None,
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        config = Config(s3={"addressing_style": addressing_style}, retries={"max_attempts": 5, "mode": "standard"})
        self.client = client or boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)

    def _name(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad storage key {key!r}")
        return self.prefix + key

    def put(self, key: str, data: bytes | IO[bytes]) -> None:
        """Upload the object (in parts when large)."""
        body = io.BytesIO(bytes(data)) if isinstance(data, bytes | bytearray | memoryview) else data
        self.client.upload_fileobj(body, self.bucket, self._name(key))

    def chunks(self, key: str, size: int = CHUNK) -> Iterator[bytes]:
        """The object's content a chunk at a time (FileNotFoundError when missing)."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey as missing:
            raise FileNotFoundError(key) from missing
        body = response["Body"]
        try:
            yield from body.iter_chunks(size)
        finally:
            body.close()

    def size(self, key: str) -> int | None:
        """The object's size, None when missing."""
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self._name(key))["ContentLength"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def delete(self, key: str) -> None:
        """Remove the object (S3 answers success for a missing key too)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key starting with `prefix`, in order (listed a page at a time)."""
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
        for page in pages:
            for entry in page.get("Contents", []):
                yield entry["Key"][len(self.prefix) :]

    def describe(self) -> str:
        """The bucket, the prefix and the endpoint."""
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"
