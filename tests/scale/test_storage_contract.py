"""The storage contract, on the local folder and on a real S3-compatible server (boto3 over HTTP)."""

from __future__ import annotations

import hashlib
import io
import os
import threading

import pytest

from store.storage import CHUNK, Blobs, Storage, key_for, read_all, sha256_of, sha_of_key


def test_put_and_read_back_bytes_and_streams(storage: Storage) -> None:
    data = b"%PDF-1.7 evidence"
    key = key_for("evidence", hashlib.sha256(data).hexdigest())
    assert storage.size(key) is None
    storage.put(key, data)
    assert storage.size(key) == len(data)
    assert read_all(storage, key) == data
    other = key_for("results", hashlib.sha256(b"x" * 10).hexdigest())
    storage.put(other, io.BytesIO(b"x" * 10))
    assert read_all(storage, other) == b"x" * 10


def test_a_large_object_goes_up_in_parts_and_comes_down_in_chunks(storage: Storage) -> None:
    data = os.urandom(9 * 1024 * 1024)  # above boto3's 8 MB multipart threshold
    sha = hashlib.sha256(data).hexdigest()
    key = key_for("results", sha)
    storage.put(key, io.BytesIO(data))
    chunks = list(storage.chunks(key, size=CHUNK))
    assert len(chunks) >= 9 and max(len(c) for c in chunks) <= CHUNK  # streamed, never one 9 MB read
    assert sha256_of(chunks) == (sha, len(data))


def test_missing_objects(storage: Storage) -> None:
    key = key_for("evidence", "0" * 64)
    assert storage.size(key) is None
    with pytest.raises(FileNotFoundError):
        read_all(storage, key)
    storage.delete(key)  # no error for a missing one


def test_replace_delete_and_list(storage: Storage) -> None:
    keys = [key_for(space, hashlib.sha256(bytes([n])).hexdigest()) for n, space in enumerate(["evidence"] * 3)]
    for n, key in enumerate(keys):
        storage.put(key, bytes([n]) * 3)
    storage.put(keys[0], b"new")
    assert read_all(storage, keys[0]) == b"new"
    storage.put(key_for("results", "f" * 64), b"r")
    assert list(storage.keys("evidence/")) == sorted(keys)
    assert set(storage.keys()) == {*keys, key_for("results", "f" * 64)}
    storage.delete(keys[1])
    assert storage.size(keys[1]) is None and list(storage.keys("evidence/")) == sorted([keys[0], keys[2]])


def test_a_reader_sees_the_old_object_or_the_whole_new_one(storage: Storage) -> None:
    key = key_for("results", "a" * 64)
    old, new = b"o" * (2 * 1024 * 1024), b"n" * (2 * 1024 * 1024)
    storage.put(key, old)
    seen: list[bytes] = []
    writer = threading.Thread(target=lambda: [storage.put(key, new) for _ in range(3)])
    writer.start()
    while writer.is_alive():
        seen.append(read_all(storage, key))
    writer.join()
    assert all(s in (old, new) for s in seen)


def test_keys_stay_inside_the_store(storage: Storage) -> None:
    for bad in ("../outside", "evidence/../../x", "", "/abs"):
        with pytest.raises(ValueError, match="bad storage key"):
            storage.put(bad, b"x")


def test_content_hash_keys() -> None:
    sha = hashlib.sha256(b"a").hexdigest()
    assert key_for("evidence", sha) == f"evidence/{sha[:2]}/{sha}"
    assert sha_of_key(key_for("results", sha)) == sha and sha_of_key("xinyu.sqlite3") is None
    with pytest.raises(ValueError, match="SHA-256"):
        key_for("evidence", "../../etc/passwd")


def test_blobs_store_content_once(storage: Storage) -> None:
    blobs = Blobs(storage, "evidence")
    data = b"same content"
    sha = hashlib.sha256(data).hexdigest()
    blobs.put(sha, data)
    blobs.put(sha, data)
    assert list(storage.keys()) == [f"evidence/{sha[:2]}/{sha}"]
    assert blobs.get(sha) == data and b"".join(blobs.chunks(sha)) == data
