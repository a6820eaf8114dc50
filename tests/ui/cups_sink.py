"""A private CUPS server with one PDF-taking printer whose backend keeps every job (for tests and benchmarks).

The queue has a PPD with InputSlot (Upper/Lower) and Duplex, whose only filter is ``application/pdf 0 -``:
the PDF reaches the backend untouched, as on an office printer that takes PDF. The backend writes
``job-N.pdf`` and ``job-N.args`` (the copies and the options CUPS handed it) into the sink folder.
Nothing of the machine's own CUPS is touched: the server listens on a socket in a temporary folder and
libcups is pointed at it (``CUPS_SERVER`` for ``lp``, ``cupsSetServer`` for this process's Qt).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PRINTER = "windowdesk-sink"
SBIN = "/usr/sbin:/usr/bin:/sbin:/bin"

PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "WDSINK.PPD"
*Manufacturer: "window-desk"
*Product: "(Sink)"
*ModelName: "window-desk PDF sink"
*ShortNickName: "PDF sink"
*NickName: "window-desk PDF sink"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*LandscapeOrientation: Plus90
*TTRasterizer: Type42
*cupsFilter: "application/pdf 0 -"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*OpenUI *PageRegion: PickOne
*OrderDependency: 10 AnySetup *PageRegion
*DefaultPageRegion: A4
*PageRegion A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageRegion
*DefaultImageableArea: A4
*ImageableArea A4/A4: "18 36 577 806"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
*OpenUI *InputSlot/Media Source: PickOne
*OrderDependency: 20 AnySetup *InputSlot
*DefaultInputSlot: Upper
*InputSlot Upper/Tray 1: "<</ManualFeed false>>setpagedevice"
*InputSlot Lower/Tray 2: "<</ManualFeed false>>setpagedevice"
*CloseUI: *InputSlot
*OpenUI *Duplex/Two-Sided: PickOne
*OrderDependency: 30 AnySetup *Duplex
*DefaultDuplex: None
*Duplex None/Off: "<</Duplex false>>setpagedevice"
*Duplex DuplexNoTumble/Long Edge: "<</Duplex true/Tumble false>>setpagedevice"
*Duplex DuplexTumble/Short Edge: "<</Duplex true/Tumble true>>setpagedevice"
*CloseUI: *Duplex
"""

BACKEND = """#!/bin/sh
# CUPS backend: argv = job user title copies options [file]; without arguments it lists its device.
if [ $# -eq 0 ]; then echo 'direct wdsink "Unknown" "window-desk sink"'; exit 0; fi
dir="${DEVICE_URI#wdsink:}"
printf 'copies=%s\\noptions=%s\\n' "$4" "$5" > "$dir/job-$1.part"
if [ -n "$6" ]; then cp "$6" "$dir/job-$1.pdf"; else cat > "$dir/job-$1.pdf"; fi
mv "$dir/job-$1.part" "$dir/job-$1.args"
exit 0
"""


def cupsd_path() -> str | None:
    return shutil.which("cupsd", path=SBIN)


@dataclass
class CupsSink:
    root: Path
    process: subprocess.Popen[bytes]

    @property
    def socket(self) -> str:
        return str(self.root / "cups.sock")

    @property
    def jobs(self) -> Path:
        return self.root / "out"

    def job(self, number: int, timeout: float = 10.0) -> tuple[dict[str, str], bytes]:
        """The copies/options line and the bytes the backend received for job ``number``."""
        args = self.jobs / f"job-{number}.args"
        deadline = time.monotonic() + timeout
        while not args.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"CUPS job {number} did not reach the backend")
            time.sleep(0.02)
        fields = dict(line.split("=", 1) for line in args.read_text().splitlines())
        return fields, (self.jobs / f"job-{number}.pdf").read_bytes()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(root: Path) -> CupsSink:
    """Start cupsd in ``root`` with the sink queue; raises RuntimeError if it does not come up."""
    cupsd = cupsd_path()
    lpadmin = shutil.which("lpadmin", path=SBIN)
    if cupsd is None or lpadmin is None:
        raise RuntimeError("cupsd/lpadmin not installed")
    for sub in ("spool", "tmp", "cache", "state", "out", "bin/backend", "ppd"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(root / "out", 0o777)
    for entry in Path("/usr/lib/cups").iterdir():  # the system's filters and daemons, plus our backend
        if entry.name != "backend":
            (root / "bin" / entry.name).symlink_to(entry)
    backend = root / "bin" / "backend" / "wdsink"
    backend.write_text(BACKEND)
    backend.chmod(0o700)  # run as the server's own user, not as lp
    (root / "sink.ppd").write_text(PPD)
    (root / "cupsd.conf").write_text(f"""Listen {root}/cups.sock
LogLevel warn
DefaultAuthType None
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
    (root / "cups-files.conf").write_text(f"""ServerRoot {root}
RequestRoot {root}/spool
TempDir {root}/tmp
CacheDir {root}/cache
StateDir {root}/state
ErrorLog {root}/error_log
AccessLog {root}/access_log
PageLog {root}/page_log
ServerBin {root}/bin
DataDir /usr/share/cups
""")
    process = subprocess.Popen([cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sink = CupsSink(root, process)
    env = dict(os.environ, CUPS_SERVER=sink.socket)
    deadline = time.monotonic() + 15
    while True:
        done = subprocess.run([lpadmin, "-p", PRINTER, "-E", "-v", f"wdsink:{sink.jobs}", "-P", str(root / "sink.ppd")],
                              env=env, capture_output=True, check=False)
        if done.returncode == 0:
            return sink
        if time.monotonic() > deadline or process.poll() is not None:
            sink.stop()
            raise RuntimeError(f"cupsd did not start: {done.stderr.decode(errors='replace')}")
        time.sleep(0.1)


def point_libcups_at(server: str | None) -> None:
    """This thread's libcups (which Qt's print support uses) talks to ``server`` (None: the default)."""
    name = ctypes.util.find_library("cups")
    if name is None:
        raise RuntimeError("libcups not found")
    lib = ctypes.CDLL(name)
    lib.cupsSetServer.argtypes = [ctypes.c_char_p]
    lib.cupsSetServer(server.encode() if server else None)
