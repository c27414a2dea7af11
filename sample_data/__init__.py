"""Sample data: a generator of synthetic districts (`generator`) and the demo district (`demo`).

The demo module is not imported here, so that `python -m sample_data.demo` runs cleanly.
"""

from sample_data.generator import (
    MAX_SCHOOLS,
    District,
    generate_district,
    main,
    read_district,
    write_district,
)

__all__ = [
    "MAX_SCHOOLS",
    "District",
    "generate_district",
    "main",
    "read_district",
    "write_district",
]
