"""A network namespace for one drill trial, and a cut of one process's network inside it.

The trial's job runs in a fresh network namespace (only its own loopback), so rules added there touch nothing else
on the machine. The cut drops every packet the process sends: its open connections by their local ports, and any
connection it opens later by its cgroup (nftables `socket cgroupv2`, which only sees the cgroup a socket was made in).
Needs root, nftables (`nft`), `ss` and cgroup v2.
"""
import ctypes
import os
import shutil
import subprocess

CLONE_NEWNET = 0x40000000
TABLE = "geneformer_drill"


def unavailable():
    """Why a network cut cannot be made here, or None."""
    if os.geteuid() != 0:
        return "run as root: a network namespace and nftables rules need it"
    missing = [t for t in ("nft", "ss", "ip", "unshare") if shutil.which(t) is None]
    if missing:
        return f"missing {', '.join(missing)} (apt-get install nftables iproute2 util-linux)"
    if cgroup2_root() is None:
        return "no cgroup v2 hierarchy is mounted"
    return None


def cgroup2_root():
    with open("/proc/self/mounts") as f:
        for line in f:
            _, where, kind, *_ = line.split()
            if kind == "cgroup2":
                return where
    return None


class NetworkNamespace:
    """Moves this (single-threaded) process into a new network namespace with loopback up; back out on exit.
    Processes started inside inherit it."""

    def __enter__(self):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        if self.libc.unshare(CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET)")
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        return self

    def __exit__(self, *_):
        subprocess.run(["nft", "delete", "table", "inet", TABLE], capture_output=True)
        if self.libc.setns(self.home, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back to the original network namespace")
        os.close(self.home)


class Cut:
    """Drops every packet process `pid` sends, inside the current network namespace, until heal()."""

    def __init__(self, pid):
        self.pid = pid
        root = cgroup2_root()
        self.name = f"geneformer-drill-{pid}"
        self.cgroup = os.path.join(root, self.name)
        os.makedirs(self.cgroup, exist_ok=True)
        with open(os.path.join(self.cgroup, "cgroup.procs"), "w") as f:
            f.write(str(pid))
        ports = sorted({line.split()[3].rsplit(":", 1)[1]
                        for line in subprocess.run(["ss", "-tanpH"], capture_output=True, text=True, check=True).stdout.splitlines()
                        if f"pid={pid}," in line})
        nft(f"add table inet {TABLE}")
        nft(f"add chain inet {TABLE} out {{ type filter hook output priority 0; }}")
        if ports:
            nft(f"add rule inet {TABLE} out tcp sport {{ {', '.join(ports)} }} drop")
            nft(f"add rule inet {TABLE} out tcp dport {{ {', '.join(ports)} }} drop")
        # nft resolves a cgroupv2 path under /sys/fs/cgroup; mount the hierarchy there in a private mount namespace.
        relative = os.path.relpath(self.cgroup, root)
        subprocess.run(["unshare", "-m", "sh", "-c", f'mount -t cgroup2 none /sys/fs/cgroup && nft add rule inet {TABLE} out socket cgroupv2 level 1 \'"{relative}"\' drop'],
                       check=True, capture_output=True, text=True)
        self.ports = ports

    def heal(self):
        subprocess.run(["nft", "delete", "table", "inet", TABLE], capture_output=True)
        # Back to the root cgroup (if still alive), then the emptied cgroup can go.
        try:
            with open(os.path.join(cgroup2_root(), "cgroup.procs"), "w") as f:
                f.write(str(self.pid))
        except OSError:
            pass
        try:
            os.rmdir(self.cgroup)
        except OSError:
            pass


def nft(command):
    subprocess.run(["nft", command], check=True, capture_output=True, text=True)
