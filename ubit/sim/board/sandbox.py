"""The board process confined by the operating system: what a program there can't do.

A program on the virtual board is Python underneath, and Python offers many ways out
(``().__class__.__base__.__subclasses__()``, a function's ``__globals__``, a traceback's
frames); filtering them in Python can't be complete. So the process itself is confined,
before the program's first line, with kernel features made for it — no root, nothing
installed:

* **Landlock** (Linux ≥ 5.13): the files it may open are the Python standard library and
  the ubit package, for reading; it may write, create or run no file anywhere. From ABI 4
  it may not bind or connect TCP sockets; from ABI 6 it may not signal processes outside
  itself or reach abstract Unix sockets.
* **seccomp** (a filter written here in classic BPF): no new programs (``execve``), no new
  processes (``fork``, ``clone`` without ``CLONE_THREAD``), no sockets (it keeps only the
  two its host gave it), no signals to other processes, no tracing other processes, and
  none of the calls that widen what a process may do (namespaces, mounts, BPF, io_uring,
  keys, kernel modules).
* **Resource limits**, on every system: address space, open files, file size (0: no file
  can grow), no core files, and CPU seconds when the run has a time limit.
* **It dies with its host**: the kernel kills it when the host's thread that started it
  goes (``PR_SET_PDEATHSIG``), and it leaves when its control channel closes.

Its environment is empty and its working folder an empty one of its own (the host sees
to both). ``confine`` returns what it could put in place, which ``ready`` reports.
"""

from __future__ import annotations

import _signal as signal  # not signal, whose enums cost every board start-up (issue 17)
import os
import resource
import struct
import sys

from ubit.sim.shared.typenames import Any

try:  # built from _confinenative.c by pip/make: the calls below without ctypes' import
    from ubit.sim.board import _confinenative
except ImportError:  # not built here: ctypes makes the same calls
    _confinenative = None  # type: ignore[assignment]

# -- Linux constants (linux/landlock.h, linux/seccomp.h, linux/filter.h, linux/prctl.h) --------
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 2, 1 << 3
FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 1, 38, 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS = 0x7FFF0000, 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
EPERM, ENOSYS = 1, 38
CLONE_THREAD = 0x00010000
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JSET_K, BPF_JGE_K, BPF_RET_K = 0x20, 0x15, 0x45, 0x35, 0x06
ARCH_OFFSET, NR_OFFSET, ARG0_OFFSET = 4, 0, 16  # in struct seccomp_data (little-endian)

# Per architecture: the audit arch, and the syscalls' numbers (x86_64: unistd_64.h;
# aarch64: the generic table, asm-generic/unistd.h). None: the arch has no such call.
ARCHES: dict[str, dict[str, Any]] = {
    "x86_64": {"audit": 0xC000003E, "x32_bit": 0x40000000, "calls": {
        "execve": 59, "execveat": 322, "fork": 57, "vfork": 58, "clone": 56, "clone3": 435,
        "socket": 41, "socketpair": 53, "connect": 42, "bind": 49, "listen": 50,
        "accept": 43, "accept4": 288, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "mount": 165, "umount2": 166, "unshare": 272,
        "setns": 308, "chroot": 161, "pivot_root": 155, "keyctl": 250, "add_key": 248,
        "request_key": 249, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "kexec_load": 246, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "open_by_handle_at": 304, "name_to_handle_at": 303, "personality": 135,
        "reboot": 169, "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438,
        "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297}},
    "aarch64": {"audit": 0xC00000B7, "x32_bit": None, "calls": {
        "execve": 221, "execveat": 281, "fork": None, "vfork": None, "clone": 220,
        "clone3": 435, "socket": 198, "socketpair": 199, "connect": 203, "bind": 200,
        "listen": 201, "accept": 202, "accept4": 242, "ptrace": 117,
        "process_vm_readv": 270, "process_vm_writev": 271, "mount": 40, "umount2": 39,
        "unshare": 97, "setns": 268, "chroot": 51, "pivot_root": 41, "keyctl": 219,
        "add_key": 217, "request_key": 218, "bpf": 280, "perf_event_open": 241,
        "userfaultfd": 282, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "kexec_load": 104, "init_module": 105,
        "finit_module": 273, "delete_module": 106, "open_by_handle_at": 265,
        "name_to_handle_at": 264, "personality": 92, "reboot": 142, "pidfd_open": 434,
        "pidfd_send_signal": 424, "pidfd_getfd": 438, "kill": 129, "tkill": 130,
        "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240}},
}
DENIED = ("execve", "execveat", "fork", "vfork", "socket", "socketpair", "connect", "bind",
          "listen", "accept", "accept4", "ptrace", "process_vm_readv", "process_vm_writev",
          "mount", "umount2", "unshare", "setns", "chroot", "pivot_root", "keyctl", "add_key",
          "request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
          "io_uring_enter", "io_uring_register", "kexec_load", "init_module", "finit_module",
          "delete_module", "open_by_handle_at", "name_to_handle_at", "personality", "reboot",
          "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "tkill")
OWN_PID_ONLY = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")  # arg 0 is a pid

# Resource limits (soft = hard: the program can't raise them again).
MEMORY_LIMIT = 1 << 30  # address space: a program asking for gigabytes gets MemoryError
OPEN_FILES = 64  # the board needs a handful; imports open one file at a time
CPU_GRACE_S = 30  # a timed run gets its limit plus this much CPU, then SIGXCPU/SIGKILL


def always(cpu_seconds: float | None = None) -> dict[str, Any]:
    """What every board gets, sandbox or not: resource limits, and death with its host."""
    done: dict[str, Any] = {"limits": set_limits(cpu_seconds), "dies_with_host": False}
    if sys.platform.startswith("linux"):
        libc = _libc()
        done["dies_with_host"] = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        _preload_unwinder()
    return done


def _preload_unwinder() -> None:
    """Load libgcc_s now: glibc loads it only when a thread first exits, and a program that
    has used all its memory by then can't map it, which aborts the board ("libgcc_s.so.1
    must be installed for pthread_exit to work") instead of ending the program."""
    if native():
        _confinenative.load("libgcc_s.so.1")  # False: not a glibc system, or linked in
        return
    import ctypes

    try:
        ctypes.CDLL("libgcc_s.so.1")
    except OSError:
        pass  # not a glibc system, or it's linked in


def native() -> bool:
    """Whether the calls go through ``_confinenative`` (built, and not switched off by
    ``UBIT_CONFINE_NATIVE=0``) rather than ctypes."""
    return _confinenative is not None and os.environ.get("UBIT_CONFINE_NATIVE") != "0"


_libc_handle: Any = None


def _libc() -> Any:
    """What makes the C library's ``prctl`` and ``syscall`` calls (``_confinenative``, or
    ctypes' ``CDLL``), loaded once per process (a fork server's children find it loaded)."""
    global _libc_handle
    if _libc_handle is None:
        if native():
            _libc_handle = _confinenative
        else:
            import ctypes  # only here: the board needs it at start for nothing else

            _libc_handle = ctypes.CDLL(None, use_errno=True)
    return _libc_handle


def confine(readable: list[str], cpu_seconds: float | None = None) -> dict[str, Any]:
    """Confine this process as far as the system allows; what was put in place.

    ``readable``: folders it may still read (the standard library, the ubit package).
    ``cpu_seconds``: CPU time after which the kernel ends it (a timed run).
    """
    done = always(cpu_seconds)
    done.update(landlock=0, seccomp=False)
    if not sys.platform.startswith("linux"):
        return done
    libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return done  # without it neither Landlock nor seccomp can be applied unprivileged
    done["landlock"] = landlock(libc, readable)
    done["seccomp"] = seccomp(libc)
    return done


def set_limits(cpu_seconds: float | None) -> list[str]:
    """The resource limits every board gets; the names of those set."""
    limits = [("address space", resource.RLIMIT_AS, MEMORY_LIMIT),
              ("open files", resource.RLIMIT_NOFILE, OPEN_FILES),
              ("file size", resource.RLIMIT_FSIZE, 0),
              ("core files", resource.RLIMIT_CORE, 0)]
    if cpu_seconds is not None:
        limits.append(("CPU seconds", resource.RLIMIT_CPU, int(cpu_seconds) + CPU_GRACE_S))
    done = []
    for name, which, value in limits:
        try:
            _soft, hard = resource.getrlimit(which)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(which, (value, value))
            done.append(name)
        except (ValueError, OSError):
            pass  # a limit the system won't lower: the others still hold
    return done


def landlock(libc: Any, readable: list[str]) -> int:
    """Allow reading ``readable`` only, and nothing else the ABI can forbid; its ABI (0: none)."""
    abi = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    if abi < 1:
        return 0
    fs = FS_RIGHTS_BY_ABI[max(v for v in FS_RIGHTS_BY_ABI if v <= abi)]
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack("<QQQ", fs, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    ruleset = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, len(attr), 0)
    if ruleset < 0:
        return 0
    try:
        for folder in readable:
            try:
                fd = os.open(folder, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            # a file (the loader's cache) can only be given rights that apply to files
            rights = FS_READ_FILE if os.path.isfile(folder) else FS_READ_FILE | FS_READ_DIR
            rule = struct.pack("<Qi", rights, fd)
            libc.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, rule, 0)
            os.close(fd)
        if libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            return 0
    finally:
        os.close(ruleset)
    return abi


def seccomp_program(arch: str, pid: int) -> bytes:
    """The seccomp filter (classic BPF) for ``arch``, allowing signals only to ``pid``."""
    table = ARCHES[arch]
    calls = table["calls"]
    code: list[tuple[int, int, int, int]] = []

    deny = SECCOMP_RET_ERRNO | EPERM
    code.append((BPF_LD_W_ABS, 0, 0, ARCH_OFFSET))
    code.append((BPF_JEQ_K, 1, 0, table["audit"]))  # another ABI (i386 on x86_64): kill
    code.append((BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS))
    code.append((BPF_LD_W_ABS, 0, 0, NR_OFFSET))
    if table["x32_bit"]:
        code.append((BPF_JGE_K, 0, 1, table["x32_bit"]))  # the x32 ABI on x86_64: refuse
        code.append((BPF_RET_K, 0, 0, deny))
    for name in DENIED:
        number = calls[name]
        if number is not None:
            code.append((BPF_JEQ_K, 0, 1, number))
            code.append((BPF_RET_K, 0, 0, deny))
    # clone3 can't be looked into (its flags are behind a pointer): "no such call" makes
    # the C library fall back to clone, whose flags can
    code.append((BPF_JEQ_K, 0, 1, calls["clone3"]))
    code.append((BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS))
    code.append((BPF_JEQ_K, 0, 4, calls["clone"]))
    code.append((BPF_LD_W_ABS, 0, 0, ARG0_OFFSET))  # the flags' low word
    code.append((BPF_JSET_K, 1, 0, CLONE_THREAD))  # a thread of this process: allowed
    code.append((BPF_RET_K, 0, 0, deny))
    code.append((BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    for name in OWN_PID_ONLY:
        code.append((BPF_JEQ_K, 0, 4, calls[name]))
        code.append((BPF_LD_W_ABS, 0, 0, ARG0_OFFSET))
        code.append((BPF_JEQ_K, 1, 0, pid))
        code.append((BPF_RET_K, 0, 0, deny))
        code.append((BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    code.append((BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    return b"".join(struct.pack("<HBBI", *instruction) for instruction in code)


def seccomp(libc: Any) -> bool:
    """Install the seccomp filter; whether it is in place."""
    arch = os.uname().machine
    if arch not in ARCHES:
        return False
    program = seccomp_program(arch, os.getpid())
    if libc is _confinenative:
        return _confinenative.seccomp_filter(program) == 0
    import ctypes

    buffer = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


def readable_folders(package: str) -> list[str]:
    """What a board must still read: Python's own folders (its ``sys.path``), ``package``,
    and the system libraries Python's extension modules load (the folders of those already
    mapped, and the loader's cache), so a module imported later still loads.

    The folder that holds ``package`` (a project, or site-packages) is left out: only
    the package itself is read.
    """
    holder = os.path.dirname(package)
    folders = {os.path.abspath(p) for p in sys.path if p and os.path.isdir(p)}
    folders.discard(os.path.abspath(holder))
    folders |= shared_library_folders()
    folders.add("/etc/ld.so.cache")
    return sorted(folders | {package})


def shared_library_folders() -> set[str]:
    """The folders of the shared libraries this process has mapped (libc, libm, libz...)."""
    folders = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split(maxsplit=5)[-1].strip()
                if path.startswith("/") and ".so" in os.path.basename(path):
                    folders.add(os.path.dirname(path))
    except OSError:
        pass
    return folders
