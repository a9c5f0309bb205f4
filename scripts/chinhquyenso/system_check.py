"""Check the system libraries WeasyPrint needs, and say how to install what is missing.

Run before set-up (``python3 scripts/chinhquyenso/system_check.py``, standard library only) and
again by the report rule, so a missing Pango gives an instruction instead of a traceback.
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Callable

# (library name for ctypes, Debian/Ubuntu package, Fedora package)
REQUIRED = (
    ("pango-1.0", "libpango-1.0-0", "pango"),
    ("pangoft2-1.0", "libpangoft2-1.0-0", "pango"),
    ("harfbuzz", "libharfbuzz0b", "harfbuzz"),
    ("fontconfig", "libfontconfig1", "fontconfig"),
)


def missing_libraries(find: Callable[[str], str | None] = ctypes.util.find_library) -> list[tuple]:
    return [entry for entry in REQUIRED if find(entry[0]) is None]


def advice(missing: list[tuple]) -> str:
    names = ", ".join(m[0] for m in missing)
    debian = " ".join(dict.fromkeys(m[1] for m in missing))
    fedora = " ".join(dict.fromkeys(m[2] for m in missing))
    return (
        f"Thiếu thư viện hệ thống mà WeasyPrint cần để xuất PDF: {names}.\n"
        f"  Debian/Ubuntu: sudo apt-get install {debian}\n"
        f"  Fedora:        sudo dnf install {fedora}\n"
        f"  macOS:         brew install pango\n"
        f"  conda:         conda env create -f environment.yml (cài sẵn pango từ conda-forge)"
    )


def require_weasyprint() -> None:
    """Raise a clear error if WeasyPrint cannot load its libraries."""
    missing = missing_libraries()
    if missing:
        raise RuntimeError(advice(missing))
    try:
        import weasyprint  # noqa: F401
    except OSError as err:  # the library exists but cannot be loaded
        raise RuntimeError(f"{advice(list(REQUIRED))}\nChi tiết: {err}") from err


def main() -> int:
    missing = missing_libraries()
    if missing:
        print(advice(missing), file=sys.stderr)
        return 1
    print("Thư viện hệ thống cho WeasyPrint: đủ (pango, pangoft2, harfbuzz, fontconfig).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
