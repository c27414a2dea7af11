"""numpy arrays to arrow arrays and back through their buffers, without pyarrow's pandas shim.

pyarrow imports pandas (0.35 s of a command's start) the first time it converts a Python or numpy
object (`pa.array`, `pa.scalar`, a Python value given to a compute function, `to_numpy`), to check
whether it is a pandas object. `xinyu score` never needs pandas, so its arrow work goes through
these: arrays are built from numpy buffers and read back as views of theirs. Kernels are called by
name (`kernel`) through `pyarrow._compute.call_function`, which `pyarrow.compute` itself wraps:
that module builds a Python function for each of its 300 kernels on import (0.05 s).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

NUMBER_TYPES = {np.dtype(np.int32): pa.int32(), np.dtype(np.int64): pa.int64(), np.dtype(np.float64): pa.float64()}


def values(array: pa.Array) -> np.ndarray:
    """The values of a fixed-width arrow array (ints, floats) as a numpy view (what null cells hold is undefined)."""
    assert pa.types.is_integer(array.type) or pa.types.is_floating(array.type), array.type
    dtype = np.dtype(str(array.type))  # int8 ... uint64, float (32 bits), double
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)


def nulls(array: pa.Array) -> np.ndarray:
    """[rows] True where the arrow array's cell is null."""
    if not array.null_count:
        return np.zeros(len(array), dtype=bool)
    valid = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
    return ~valid[array.offset : array.offset + len(array)].astype(bool)


def number_array(data: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """An int32, int64 or float64 numpy array as an arrow array (null where `missing`)."""
    data = np.ascontiguousarray(data)
    kind = NUMBER_TYPES[data.dtype]
    validity = None
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(kind, len(data), [validity, pa.py_buffer(data)])


def text_array(words: Sequence[str]) -> pa.Array:
    """Python strings as an arrow large_string array (TypeError when one is not a string).

    Joined and encoded once, with a NUL between words whose positions give the offsets; a word that
    holds a NUL itself is encoded on its own.
    """
    joined = "\0".join(words).encode("utf-8")
    ends = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == 0)
    if len(ends) == max(len(words) - 1, 0):
        lengths = np.diff(np.concatenate(([-1], ends, [len(joined)]))) - 1 if len(words) else np.zeros(0, np.int64)
        data = joined.replace(b"\0", b"")
    else:
        encoded = [w.encode("utf-8") for w in words]
        lengths, data = np.array([len(b) for b in encoded], dtype=np.int64), b"".join(encoded)
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(pa.large_string(), len(words), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def text_scalar(word: str) -> pa.Scalar:
    """One string as an arrow scalar (a separator for the join kernels)."""
    return text_array([word])[0]


def kernel(name: str, *args: object, options: object = None) -> pa.Array:
    """An arrow compute kernel by name, on arrow arrays and scalars (`pyarrow.compute.call_function`)."""
    from pyarrow._compute import call_function

    return call_function(name, list(args), options)


def texts_of(words: Sequence[str], codes: np.ndarray) -> pa.Array:
    """[rows] the word of each row's code (-1: null), taken in arrow from the distinct words."""
    codes = np.asarray(codes, dtype=np.int64)
    return kernel("take", text_array(words), number_array(codes, codes < 0))


def joined_bytes(strings: pa.Array | pa.ChunkedArray) -> memoryview:
    """The concatenated bytes of a large_string array: a view of its value buffer between the first and last offsets.

    A view, not a copy (a result file of 66 MB is written from arrow's memory as it is); `bytes()` copies it.
    """
    array = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    return memoryview(array.buffers()[2])[int(offsets[0]) : int(offsets[-1])]
