"""Check the system libraries WeasyPrint needs, and say how to install what is missing.

Run before set-up (``python3 scripts/chinhquyenso/system_check.py``, standard library only) and
again by the report rule, so a missing Pango gives an instruction instead of a traceback.

HarfBuzz-subset is not required but strongly recommended: without it WeasyPrint subsets the
fonts with fontTools, which is slower, and will not be supported by later WeasyPrint releases.
Which one subsets changes the PDF's bytes (not its text or look), so ``pdf_libraries`` names
what shaped the PDF, for the manifest and appendix F.
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


# Names WeasyPrint itself tries (weasyprint.text.ffi), Linux, macOS and Windows spellings.
SONAMES = {
    "pango": ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll"),
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
    "harfbuzz-subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"),
}
RECOMMENDED = ("harfbuzz-subset", "libharfbuzz-subset0", "harfbuzz")


def _load(name: str):
    """The loaded library, or None. ctypes' own search comes last (a Homebrew or conda prefix)."""
    for soname in SONAMES[name]:
        try:
            return ctypes.CDLL(soname)
        except OSError:
            continue
    found = ctypes.util.find_library({"pango": "pango-1.0"}.get(name, name))
    try:
        return ctypes.CDLL(found) if found else None
    except OSError:
        return None


def _version_string(lib, function: str) -> str | None:
    if lib is None:
        return None
    fn = getattr(lib, function)
    fn.restype = ctypes.c_char_p
    return fn().decode()


def pdf_libraries() -> dict[str, str | None]:
    """What shapes the PDF's bytes beyond the Python packages: the versions of Pango, HarfBuzz
    and fontconfig, whether HarfBuzz-subset is present, and which library subsets the fonts
    (WeasyPrint uses HarfBuzz-subset from HarfBuzz 4.1.0 on, else fontTools). None: not found."""
    harfbuzz, subset, fontconfig = _load("harfbuzz"), _load("harfbuzz-subset"), _load("fontconfig")
    hb = _version_string(harfbuzz, "hb_version_string")
    fc = None
    if fontconfig is not None:
        number = fontconfig.FcGetVersion()  # major * 10000 + minor * 100 + revision
        fc = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    by_harfbuzz = subset is not None and hb is not None and tuple(map(int, hb.split(".")[:2])) >= (4, 1)
    if by_harfbuzz:
        subsetter = f"HarfBuzz-subset {hb}"
    else:
        try:
            from importlib.metadata import version

            subsetter = f"fontTools {version('fonttools')}"
        except Exception:  # before set-up: fontTools not installed yet
            subsetter = "fontTools"
    return {
        "pango": _version_string(_load("pango"), "pango_version_string"),
        "harfbuzz": hb,
        "harfbuzz_subset": hb if subset is not None else None,
        "fontconfig": fc,
        "font_subsetter": subsetter,
    }


def subset_advice() -> str:
    return (
        "Khuyến nghị mạnh: cài HarfBuzz-subset (libharfbuzz-subset0) để WeasyPrint tách phông chữ "
        "nhanh hơn; thiếu nó, WeasyPrint dùng fontTools (chậm hơn, các bản WeasyPrint sau sẽ không "
        "hỗ trợ) và tệp PDF khác byte (nội dung như nhau).\n"
        "  Debian/Ubuntu: sudo apt-get install libharfbuzz-subset0\n"
        "  Fedora:        sudo dnf install harfbuzz\n"
        "  macOS:         brew install harfbuzz\n"
        "  conda:         conda env create -f environment.yml (harfbuzz từ conda-forge có sẵn thư viện này)"
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
    if _load("harfbuzz-subset") is None:
        print(subset_advice(), file=sys.stderr)  # a recommendation: set-up goes on
    else:
        print(f"Tách phông chữ: {pdf_libraries()['font_subsetter']}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
