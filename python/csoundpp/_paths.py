"""Where the installed C++ side of csoundpp lives (as pybind11.get_include() does).

A wheel installs, inside the package directory:
  csoundpp/include/csoundpp/*.hpp          the C++ library's headers
  csoundpp/lib/libcsoundpp.a               the static library
  csoundpp/share/cmake/csoundpp/           csoundppConfig.cmake + targets

so a C++ project or extension module can do
  cmake -Dcsoundpp_DIR=$(python -c "import csoundpp; print(csoundpp.get_cmake_dir())")
and then find_package(csoundpp) + target_link_libraries(app csoundpp::csoundpp).
"""
from __future__ import annotations

import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _existing(path: str, what: str) -> str:
    if not os.path.isdir(path):
        raise FileNotFoundError(
            f"csoundpp's {what} is not installed at {path}: this csoundpp was not installed from a "
            "wheel/`pip install .` (a development build has them under build/<dir>/install after "
            "`cmake --install`)"
        )
    return path


def get_include() -> str:
    """Directory to add to the include path (holds csoundpp/*.hpp)."""
    return _existing(os.path.join(_HERE, "include"), "C++ include directory")


def get_cmake_dir() -> str:
    """Directory holding csoundppConfig.cmake (pass as csoundpp_DIR or add to CMAKE_PREFIX_PATH)."""
    return _existing(os.path.join(_HERE, "share", "cmake", "csoundpp"), "CMake package")


def get_library_dir() -> str:
    """Directory holding the static library libcsoundpp.a."""
    return _existing(os.path.join(_HERE, "lib"), "C++ library directory")
