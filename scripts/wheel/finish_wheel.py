"""Last step of ./run wheel, after auditwheel repair.

- adds csoundpp/licenses/: the Debian copyright file of every bundled library (the ones
  auditwheel grafted into csoundpp.libs/, plus Csound's plugins and headers), the common
  licence texts they refer to, and BUNDLED.md naming each library's Debian package and
  version with the offer of its corresponding source (LGPL);
- checks that no file holds the build machine's checkout path and that the wheel is at most
  5 MB;
- writes the wheel again reproducibly: sorted entries, SOURCE_DATE_EPOCH timestamps, fixed
  permissions, a fresh RECORD.

usage: finish_wheel.py REPAIRED.whl OUTDIR SOURCE_ROOT
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
LIBDIRS = ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/lib")
# Not grafted libraries, shipped as files by the CMake install step.
SHIPPED_PACKAGES = {
    "libcsound64-6.0": "Csound's opcode plugins (csoundpp/plugins64-6.0/)",
    "libcsound64-dev": "Csound's C headers (csoundpp/include/csound/)",
}


def dpkg_owner(path: str) -> str:
    for candidate in (path, os.path.realpath(path)):
        for variant in (candidate, candidate.replace("/usr/lib/", "/lib/", 1)):
            r = subprocess.run(["dpkg-query", "-S", variant], capture_output=True, text=True)
            if r.returncode == 0:
                return r.stdout.split(":", 1)[0].strip()
    raise SystemExit(f"finish_wheel: no Debian package owns {path}")


def package_info(pkg: str) -> dict[str, str]:
    fmt = "${Package}\t${Version}\t${source:Package}\t${source:Version}"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt, pkg], capture_output=True, text=True,
                         check=True).stdout.split("\t")
    return dict(zip(("package", "version", "source", "source_version"), out))


def original_of(grafted: str) -> str:
    """libsndfile-1a2b3c4d.so.1.0.35 -> the system file auditwheel copied."""
    name = re.sub(r"-[0-9a-f]{8}(?=\.so)", "", grafted)
    for d in LIBDIRS:
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    raise SystemExit(f"finish_wheel: cannot find the original of bundled {grafted} ({name})")


def add_licences(tree: Path) -> None:
    libs = sorted(p.name for p in (tree / "csoundpp.libs").iterdir())
    owners: dict[str, list[str]] = {}
    for lib in libs:
        owners.setdefault(dpkg_owner(original_of(lib)), []).append(f"csoundpp.libs/{lib}")
    for pkg, what in SHIPPED_PACKAGES.items():
        owners.setdefault(pkg, []).append(what)
    lic = tree / "csoundpp" / "licenses"
    (lic / "common-licenses").mkdir(parents=True, exist_ok=True)
    rows, common = [], set()
    for pkg in sorted(owners):
        info = package_info(pkg)
        text = Path(f"/usr/share/doc/{pkg}/copyright").read_text(encoding="utf-8", errors="replace")
        (lic / f"{pkg}.copyright").write_text(text, encoding="utf-8")
        common.update(re.findall(r"/usr/share/common-licenses/([A-Za-z0-9.+_-]+[A-Za-z0-9])", text))
        rows.append(f"| {', '.join(owners[pkg])} | `{pkg}` {info['version']} | "
                    f"`{info['source']}` {info['source_version']} |")
    for name in sorted(common):
        src = Path("/usr/share/common-licenses") / name
        if src.is_file():
            (lic / "common-licenses" / name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (lic / "BUNDLED.md").write_text(
        "# Libraries bundled in this wheel\n\n"
        "csoundpp itself is LGPL-2.1-or-later. This wheel also carries unmodified binaries from\n"
        "Debian 12 (bookworm) packages, listed below with their licences (`<package>.copyright`,\n"
        "and the texts they refer to in `common-licenses/`). auditwheel only renamed the grafted\n"
        "libraries (a hash in the file name) and set their SONAME and RPATH.\n\n"
        "| file(s) in the wheel | Debian binary package | Debian source package |\n"
        "|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "## Source offer\n\n"
        "The complete corresponding source of each library above is its Debian source package at\n"
        "the version listed, which Debian's archive and its snapshot archive keep available:\n"
        "`apt-get source <source package>=<source version>` fetches it. csoundpp's own source is\n"
        "its repository and source distribution. For the LGPL's relinking right: the libraries\n"
        "are ordinary shared objects in `csoundpp.libs/`; replace one with a compatible build of\n"
        "the same SONAME's interface, or remove `csoundpp.libs/` and install the system's.\n",
        encoding="utf-8")


def check_no_build_paths(tree: Path, root: str) -> None:
    needle = root.encode()
    bad = [str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file() and needle in p.read_bytes()]
    if bad:
        raise SystemExit(f"finish_wheel: the build checkout path {root} is in: {', '.join(bad)}")


def repack(tree: Path, out: Path) -> None:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    date_time = time.gmtime(max(epoch, 315532800))[:6]
    files = sorted(p for p in tree.rglob("*") if p.is_file())
    dist_info = next(p for p in tree.iterdir() if p.name.endswith(".dist-info"))
    record_name = f"{dist_info.name}/RECORD"
    records = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for p in files:
            arc = p.relative_to(tree).as_posix()
            if arc == record_name:
                continue
            data = p.read_bytes()
            info = zipfile.ZipInfo(arc, date_time)
            mode = 0o755 if os.access(p, os.X_OK) or data[:4] == b"\x7fELF" else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=9)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{arc},sha256={digest},{len(data)}")
        records.append(f"{record_name},,")
        info = zipfile.ZipInfo(record_name, date_time)
        info.external_attr = (0o100000 | 0o644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "\n".join(records) + "\n", compresslevel=9)


def main() -> None:
    wheel, outdir, root = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].rstrip("/")
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        with zipfile.ZipFile(wheel) as z:
            z.extractall(tree)
            for info in z.infolist():        # zipfile drops the executable bits: restore them
                if (info.external_attr >> 16) & 0o111:
                    os.chmod(tree / info.filename, 0o755)
        add_licences(tree)
        check_no_build_paths(tree, root)
        outdir.mkdir(parents=True, exist_ok=True)
        out = outdir / wheel.name
        repack(tree, out)
    size = out.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"finish_wheel: {out} is {size} bytes, over the 5 MB budget")
    print(f"{out} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
