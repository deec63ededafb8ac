#!/usr/bin/env python3
"""Fault drills: a local job (`pretrain --local`: a coordinator and 2 CPU ranks, or --ranks N laid out as --nodes M) run
many times, one injected failure each.

Every trial is checked, not eyeballed: the job either finishes with weights identical to an uninterrupted run, or
stops with a clear error naming what broke; no committed checkpoint is lost or left half-written; no process is left.
The trials are drawn from --seed, so a failing trial can be replayed (--scenarios NAME --trials N --seed S).
Run through tools/drills.sh; see docs/drills.md.
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import time
import urllib.request

import netcut

SCENARIOS = ["kill-rank", "stop-rank", "cut-rank", "kill-node", "kill-coordinator", "kill-checkpoint", "corrupt-checkpoint", "corrupt-shard", "disk-full",
             "slow-all"]
EVERY = 4


class Drill:
    def __init__(self, args):
        self.geneformer = args.geneformer.split()
        self.out = os.path.abspath(args.out)
        self.timeout = args.timeout
        self.ranks, self.nodes = args.ranks, args.nodes
        # Two ranks train the tiny preset for 24 steps; a job of many ranks on one machine, the micro preset for 16.
        self.steps = 24 if self.ranks <= 2 else 16
        self.corpus = args.corpus or os.path.join(self.out, "corpus")
        self.config = os.path.join(self.out, "training.json")
        self.env = dict(os.environ)

    # ----- the job -----
    def prepare(self):
        os.makedirs(self.out, exist_ok=True)
        model = {"model": "tiny", "micro_batch": 4, "global_batch": 4 * self.ranks, "max_length": 128} if self.ranks <= 2 else \
            {"model": "micro", "micro_batch": 2, "global_batch": 2 * self.ranks, "max_length": 64}
        with open(self.config, "w") as f:
            json.dump({**model, "max_steps": self.steps, "lr": 0.002, "warmup_steps": 2, "checkpoint_every": EVERY, "keep_last": 3,
                       "eval_every": 1000, "log_every": 1, "device": "cpu", "threads": 1, "seed": 9}, f)
        if not os.path.isdir(self.corpus):
            raw = os.path.join(self.out, "raw")
            run(self.geneformer + ["generate", "--output", raw, "--datasets", "5", "--cells-per-dataset", "120", "--genes", "3000",
                                   "--genes-per-cell", "400"])
            run(self.geneformer + ["prepare", "--input", raw, "--output", self.corpus, "--holdout-fraction", "0.25", "--no-progress"])

    def start(self, checkpoints, port, corpus=None, config=None, log=None):
        cmd = self.geneformer + ["pretrain", "--local", "--ranks", str(self.ranks), "--nodes", str(self.nodes), "--status-port", str(port), "--training", config or self.config,
                                 "--corpus", corpus or self.corpus, "--checkpoints", checkpoints]
        log = open(log or os.path.join(os.path.dirname(checkpoints), "job.log"), "a")
        # Its own session: the whole job (launcher, mpiexec, ranks) can be found and killed as one group.
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)

    def reference(self):
        ref = os.path.join(self.out, "reference", "checkpoints")
        if not os.path.isfile(os.path.join(ref, f"step-{self.steps:06d}", "manifest.json")):
            shutil.rmtree(os.path.dirname(ref), ignore_errors=True)
            os.makedirs(os.path.dirname(ref))
            job = self.start(ref, free_port())
            code = job.wait(self.timeout)
            if code != 0:
                log = os.path.join(os.path.dirname(ref), "job.log")
                sys.exit(f"drills: the uninterrupted reference run failed (exit {code}); the end of {log}:\n{tail(log)}")
        return tensors(os.path.join(ref, f"step-{self.steps:06d}", "model.safetensors"))

    def verify(self, checkpoints):
        r = subprocess.run(self.geneformer + ["checkpoints", "verify", checkpoints], capture_output=True, text=True)
        return r.returncode == 0, (r.stdout + r.stderr).strip()


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"drills: {' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")


def tail(path, lines=60):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return f"(unreadable: {e})"


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2) as r:
            return json.load(r)
    except Exception:
        return None


def tensors(path):
    """name -> sha256 of the tensor's bytes in a safetensors file (its metadata may differ between identical runs)."""
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    return {k: hashlib.sha256(data[v["data_offsets"][0]:v["data_offsets"][1]]).hexdigest()
            for k, v in header.items() if k != "__metadata__"}


def committed(checkpoints):
    if not os.path.isdir(checkpoints):
        return []
    return sorted(int(d[5:]) for d in os.listdir(checkpoints) if d.startswith("step-") and os.path.isfile(os.path.join(checkpoints, d, "manifest.json")))


def job_processes(checkpoints):
    """pids of geneformer processes whose arguments name this trial's checkpoint directory (launcher and ranks)."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{d}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except OSError:
            continue
        if checkpoints.encode() in argv and (b"pretrain" in argv or b"worker" in argv):
            pids.append(int(d))
    return pids


def flip_byte(path, rng):
    size = os.path.getsize(path)
    offset = rng.randrange(size // 4, size)
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0xFF]))
    return offset


class Trial:
    """One injected failure: the job started, watched through its status, the fault injected, the outcome checked."""

    def __init__(self, drill, scenario, index, rng, reference):
        self.d, self.scenario, self.index, self.rng, self.reference = drill, scenario, index, rng, reference
        self.dir = os.path.join(drill.out, scenario, f"trial-{index:03d}")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.checkpoints = os.path.join(self.dir, "checkpoints")
        self.port = free_port()
        self.target = rng.randrange(EVERY + 1, drill.steps - 2)
        self.detect = self.resume = None
        self.lost = None
        self.outcome = "?"
        self.problems = []

    def log(self):
        try:
            with open(os.path.join(self.dir, "job.log")) as f:
                return f.read()
        except OSError:
            return ""

    def wait_status(self, until, timeout=300, poll=0.2):
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = status(self.port)
            if s and until(s):
                return s
            time.sleep(poll)
        return None

    def min_step(self, s):
        steps = [w["step"] for w in s.get("workers", [])]
        return min(steps) if len(steps) == self.d.ranks else -1

    def start_until(self, reached, what, poll=0.2):
        """Starts the job and watches it until reached(status); None (and the job killed) if it never gets there."""
        job = self.d.start(self.checkpoints, self.port)
        s = self.wait_status(reached, poll=poll)
        if s:
            return job, s
        self.problems.append(f"the job never reached {what}")
        kill_group(job)
        return None, None

    def wait_end(self, job):
        """The job's exit code, or None (and the job killed) when it runs past the timeout."""
        try:
            return job.wait(self.d.timeout)
        except subprocess.TimeoutExpired:
            kill_group(job)
            self.problems.append(f"the job did not end within {self.d.timeout} s")
            return None

    def victim(self, s):
        return next(w["pid"] for w in s["workers"] if w["rank"] == 1)

    def victim_member(self, s):
        """The process holding rank 1's node agent (the node's cluster member): the one whose network a cut must isolate."""
        w = next(w for w in s["workers"] if w["rank"] == 1)
        return w.get("agent_pid") or w["pid"]

    def run(self):
        getattr(self, "drill_" + self.scenario.replace("-", "_"))()
        self.check_nothing_left()
        return self

    # ----- checks -----
    def finish(self, job):
        code = self.wait_end(job)
        if code is None:
            return
        if code != 0:
            self.problems.append(f"the job ended with exit {code}; the end of its log:\n{tail(os.path.join(self.dir, 'job.log'), 30)}")
            return
        final = os.path.join(self.checkpoints, f"step-{self.d.steps:06d}", "model.safetensors")
        if not os.path.isfile(final):
            self.problems.append(f"no checkpoint of step {self.d.steps}")
        elif tensors(final) != self.reference:
            self.problems.append("the final weights differ from the uninterrupted run")
        ok, text = self.d.verify(self.checkpoints)
        if not ok:
            self.problems.append(f"checkpoints verify failed: {text}")
        self.outcome = "recovered" if not self.problems else "FAILED"

    def check_nothing_left(self):
        deadline = time.time() + 30
        while job_processes(self.checkpoints) and time.time() < deadline:
            time.sleep(0.5)
        left = job_processes(self.checkpoints)
        if left:
            self.problems.append(f"processes left running: {left}")
            send(left, signal.SIGKILL)
        if self.problems:
            self.outcome = "FAILED"

    def trained_before_resume(self):
        """The highest step rank 0 logged before the job resumed: what the failure interrupted."""
        lines = self.log().splitlines()
        cut = next((i for i, l in enumerate(lines) if "resumed from" in l and " at step " in l), len(lines))
        steps = [int(m.group(1)) for l in lines[:cut] if (m := re.match(r"step=(\d+)\s+loss=", l))]
        return max(steps) if steps else None

    def resumed_step(self):
        for line in self.log().splitlines():
            if "resumed from" in line and " at step " in line:
                try:
                    return int(line.rsplit(" at step ", 1)[1].split()[0].rstrip(",;)"))
                except ValueError:
                    pass
        return None

    def measure_restart(self, injected, before):
        """Seconds until the coordinator acted (a new generation) and until every rank trained again after it."""
        s = self.wait_status(lambda s: s["job"]["generation"] > before, timeout=120, poll=0.1)
        if s:
            self.detect = time.time() - injected
            t = self.wait_status(lambda s: s["job"]["generation"] > before and s["job"]["phase"] == "running" and
                                 self.min_step(s) > (s["job"].get("last_committed_step") or 0), timeout=300, poll=0.2)
            if t:
                self.resume = time.time() - injected

    def steps_lost(self, newest):
        """Steps trained and lost: the highest step logged before the resume, less the step resumed from, which must be
        the newest checkpoint committed when the failure struck (or a later one whose commit was already under way)."""
        r, trained = self.resumed_step(), self.trained_before_resume()
        if r is None:
            return  # a failure after the final checkpoint's commit ends the job without a resume
        if newest is not None and r < newest:
            self.problems.append(f"resumed from step {r}, older than the newest committed checkpoint, step {newest}")
        if trained is not None:
            self.lost = max(0, trained - r)

    # ----- scenarios -----
    def inject_while_training(self, inject):
        """Starts the job; once every rank is past the trial's step, inject(status, generation) injects the failure;
        then the recovery is measured and checked against the uninterrupted run."""
        job, s = self.start_until(lambda s: self.min_step(s) >= self.target, f"step {self.target}")
        if not job:
            return
        before = s["job"]["generation"]
        newest = max(committed(self.checkpoints), default=None)
        injected = time.time()
        inject(s, before)
        self.measure_restart(injected, before)
        self.finish(job)
        self.steps_lost(newest)

    def drill_kill_rank(self, sig=signal.SIGKILL):
        def inject(s, before):
            pid = self.victim(s)
            os.kill(pid, sig)
            if sig == signal.SIGSTOP:
                # Hung, not dead: continued once the coordinator has acted, as a stalled node that recovers would be.
                self.wait_status(lambda s: s["job"]["generation"] > before, timeout=120, poll=0.1)
                send([pid], signal.SIGCONT)
        self.inject_while_training(inject)

    def drill_stop_rank(self):
        self.drill_kill_rank(signal.SIGSTOP)

    def drill_cut_rank(self):
        """The network of rank 1's node agent (its node's cluster member) cut, the job in a network namespace of its own:
        the coordinator must find its ranks silent, restart the job without them, and the cut processes must not
        linger; the cut heals once the coordinator has acted."""
        why = netcut.unavailable()
        if why:
            self.outcome = "skipped"
            self.problems.append(f"cannot cut a rank's network: {why}")
            return

        def inject(s, before):
            cut = netcut.Cut(self.victim_member(s))
            try:
                self.wait_status(lambda s: s["job"]["generation"] > before, timeout=120, poll=0.1)
            finally:
                cut.heal()
        with netcut.NetworkNamespace():
            self.inject_while_training(inject)

    def drill_kill_node(self):
        """Every process of one node killed at once (SIGKILL): its agent and all its ranks, as when a node dies."""
        def inject(s, before):
            node = self.rng.choice(sorted({w["node"] for w in s["workers"]}))
            pids = {w["pid"] for w in s["workers"] if w["node"] == node} | {w["agent_pid"] for w in s["workers"] if w["node"] == node and w.get("agent_pid")}
            self.scenario_note = f"{node}, {len(pids)} processes"
            send(pids, signal.SIGKILL)
        self.inject_while_training(inject)

    def drill_slow_all(self):
        """Every rank held to a few percent of one core for a while (a CPU quota on all rank processes): training slows
        and heartbeats come late, but nothing died, so the job must finish without a restart, bit-identical."""
        why = CpuQuota.unavailable()
        if why:
            self.outcome = "skipped"
            self.problems.append(f"cannot slow the ranks: {why}")
            return
        job, s = self.start_until(lambda s: self.min_step(s) >= self.target, f"step {self.target}")
        if not job:
            return
        pids = sorted({w["pid"] for w in s["workers"]})
        gaps, generations = {}, {s["job"]["generation"]}

        def watch(until):
            """Records the job's generations and its ranks' longest heartbeat gaps, once a second, while it runs and until() holds."""
            while until() and job.poll() is None:
                if (t := status(self.port)) is not None:
                    generations.add(t["job"]["generation"])
                    for w in t["workers"]:
                        gaps[w["rank"]] = max(gaps.get(w["rank"], 0.0), w.get("max_heartbeat_gap_seconds") or 0.0)
                time.sleep(1)
        with CpuQuota(pids, SLOW_CPUS):
            deadline = time.time() + SLOW_SECONDS
            watch(lambda: time.time() < deadline)
        watch(lambda: True)
        longest = max(gaps, key=gaps.get, default=None)
        self.scenario_note = (f"{len(pids)} rank processes at {SLOW_CPUS:.0%} of one core for {SLOW_SECONDS} s; longest heartbeat gap "
                              f"{gaps.get(longest, 0.0):.1f} s (rank {longest}), the ranks' median longest {statistics.median(gaps.values() or [0.0]):.1f} s")
        self.finish(job)
        if max(generations) > 1 or "relaunching" in self.log():
            self.problems.append(f"the slowdown was taken for a failure: the job restarted (generations {sorted(generations)})")
            self.outcome = "FAILED"

    def drill_kill_coordinator(self):
        """The launcher holds the coordinator: killed, its ranks must leave by themselves; started again, the job resumes."""
        job, s = self.start_until(lambda s: self.min_step(s) >= self.target, f"step {self.target}")
        if not job:
            return
        newest = max(committed(self.checkpoints), default=None)
        injected = time.time()
        os.kill(job.pid, signal.SIGKILL)
        job.wait()
        deadline = time.time() + 120
        while job_processes(self.checkpoints) and time.time() < deadline:
            time.sleep(0.2)
        if job_processes(self.checkpoints):
            self.problems.append("the ranks did not leave within 120 s of the coordinator's death")
            kill_group(job)
            return
        self.detect = time.time() - injected
        again = self.d.start(self.checkpoints, self.port)
        if self.wait_status(lambda s: s["job"]["phase"] == "running" and self.min_step(s) > (s["job"].get("last_committed_step") or 0)):
            self.resume = time.time() - injected
        self.finish(again)
        self.steps_lost(newest)

    def drill_kill_checkpoint(self):
        """SIGKILL of a rank while a checkpoint is written: before its staging folder is complete, during, or just after the commit."""
        phase = ["before", "during", "after"][self.index % 3]
        step = EVERY * self.rng.randrange(2, self.d.steps // EVERY)
        staging = os.path.join(self.checkpoints, f".step-{step:06d}.staging")
        final = os.path.join(self.checkpoints, f"step-{step:06d}")
        job, s = self.start_until(lambda s: self.min_step(s) >= step - 1, f"step {step - 1}", poll=0.05)
        if not job:
            return
        deadline = time.time() + 120
        while time.time() < deadline:
            if phase == "before" and os.path.isdir(staging):
                break
            if phase == "during" and os.path.isdir(staging) and any(os.scandir(staging)):
                break
            if phase == "after" and os.path.isfile(os.path.join(final, "manifest.json")):
                break
            time.sleep(0.005)
        s = status(self.port) or s
        before = s["job"]["generation"]
        committed_before = committed(self.checkpoints)
        injected = time.time()
        os.kill(self.victim(s), signal.SIGKILL)
        self.scenario_note = f"{phase} the commit of step {step}"
        self.measure_restart(injected, before)
        self.finish(job)
        self.steps_lost(max(committed_before, default=None))

    def drill_corrupt_checkpoint(self):
        """A flipped byte in the newest committed checkpoint while the job is down: it resumes from the one before."""
        job, s = self.start_until(lambda s: (s["job"].get("last_committed_step") or 0) >= max(EVERY * 2, self.target - self.target % EVERY),
                                  "a committed checkpoint")
        if not job:
            return
        kill_group(job)
        job.wait()
        while job_processes(self.checkpoints):
            time.sleep(0.2)
        before_damage = committed(self.checkpoints)
        newest = before_damage[-1]
        flip_byte(os.path.join(self.checkpoints, f"step-{newest:06d}", "model.safetensors"), self.rng)
        injected = time.time()
        again = self.d.start(self.checkpoints, self.port)
        if self.wait_status(lambda s: s["job"]["phase"] == "running" and self.min_step(s) > (s["job"].get("last_committed_step") or 0)):
            self.resume = time.time() - injected
        self.finish(again)
        r = self.resumed_step()
        if r is not None and r >= newest:
            self.problems.append(f"resumed from step {r}, the corrupted checkpoint")
        self.steps_lost(max((c for c in before_damage if c < newest), default=None))

    def drill_corrupt_shard(self):
        """A flipped byte in a corpus shard: the job stops before training, naming the shard, and does not restart."""
        corpus = os.path.join(self.dir, "corpus")
        shutil.copytree(self.d.corpus, corpus)
        shards = sorted(os.path.join(r, f) for r, _, fs in os.walk(os.path.join(corpus, "train")) for f in fs)
        shard = self.rng.choice(shards)
        flip_byte(shard, self.rng)
        started = time.time()
        code = self.wait_end(self.d.start(self.checkpoints, self.port, corpus=corpus))
        if code is None:
            return
        self.detect = time.time() - started  # the whole job, from start to its stop: the check happens before any step
        log, name = self.log(), os.path.relpath(shard, corpus)
        if code == 0:
            self.problems.append(f"{name} was corrupted but the job finished without an error")
        elif name not in log:
            self.problems.append(f"the job stopped (exit {code}) without naming {name}")
        elif "relaunching" in log:
            self.problems.append("the job restarted on a damaged corpus instead of stopping")
        elif re.search(r"^step=\d+", log, re.MULTILINE):
            self.problems.append("the job trained steps before it found the damaged shard")
        else:
            self.outcome = "stopped"

    def drill_disk_full(self):
        """The checkpoint volume fills up: the job stops with an error saying so; committed checkpoints stay intact."""
        os.makedirs(self.checkpoints)
        size_mb = 60  # two checkpoints of the tiny model, not three
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", self.checkpoints], capture_output=True, text=True)
        if r.returncode != 0:
            self.outcome = "skipped"
            self.problems.append(f"cannot mount a small tmpfs ({r.stderr.strip()}); run as root")
            return
        try:
            with open(os.path.join(self.d.config)) as f:
                config = json.load(f)
            config["keep_last"] = 10  # no pruning: the volume must fill
            small = os.path.join(self.dir, "training.json")
            with open(small, "w") as f:
                json.dump(config, f)
            code = self.wait_end(self.d.start(self.checkpoints, self.port, config=small, log=os.path.join(self.dir, "job.log")))
            if code is None:
                return
            log = self.log()
            if code == 0:
                self.problems.append("the job finished although its checkpoint volume was full")
            elif "No space left on device" not in log and "disk full" not in log.lower():
                self.problems.append(f"the job stopped (exit {code}) without saying the disk is full")
            elif "relaunching" in log:
                self.problems.append("the job spent its restart budget on a full disk instead of stopping")
            ok, text = self.d.verify(self.checkpoints)
            if not ok:
                self.problems.append(f"committed checkpoints damaged: {text}")
            if not committed(self.checkpoints):
                self.problems.append("no checkpoint was committed before the volume filled")
            if not self.problems:
                self.outcome = "stopped"
        finally:
            while job_processes(self.checkpoints):
                time.sleep(0.2)
            subprocess.run(["umount", "-l", self.checkpoints], capture_output=True)


SLOW_CPUS = 0.05    # the CPU left to all ranks together during slow-all, in cores
SLOW_SECONDS = 30


class CpuQuota:
    """Holds processes to a CPU quota for a while: a cgroup of their own (v1 cpu controller or v2 cpu.max)."""
    V1 = "/sys/fs/cgroup/cpu"
    V2 = "/sys/fs/cgroup"

    @staticmethod
    def unavailable():
        if os.geteuid() != 0:
            return "run as root: a cgroup needs it"
        if not os.path.isfile(os.path.join(CpuQuota.V2, "cgroup.controllers")) and not os.path.isfile(os.path.join(CpuQuota.V1, "cpu.cfs_quota_us")):
            return "no cgroup cpu controller is mounted"
        return None

    def __init__(self, pids, cpus):
        self.pids, self.cpus = pids, cpus
        self.v2 = os.path.isfile(os.path.join(self.V2, "cgroup.controllers"))
        self.base = self.V2 if self.v2 else self.V1
        self.path = os.path.join(self.base, f"geneformer-drill-slow-{os.getpid()}")

    def __enter__(self):
        os.makedirs(self.path, exist_ok=True)
        period = 1_000_000
        if self.v2:
            write(os.path.join(self.base, "cgroup.subtree_control"), "+cpu")
            write(os.path.join(self.path, "cpu.max"), f"{int(self.cpus * period)} {period}")
        else:
            write(os.path.join(self.path, "cpu.cfs_period_us"), str(period))
            write(os.path.join(self.path, "cpu.cfs_quota_us"), str(int(self.cpus * period)))
        for pid in self.pids:
            try:
                write(os.path.join(self.path, "cgroup.procs"), str(pid))
            except OSError:
                pass  # already gone
        return self

    def __exit__(self, *exc):
        with open(os.path.join(self.path, "cgroup.procs")) as f:
            for pid in f.read().split():
                try:
                    write(os.path.join(self.base, "cgroup.procs"), pid)
                except OSError:
                    pass
        os.rmdir(self.path)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def send(pids, sig):
    """Signals each process; one already gone is skipped."""
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def kill_group(job):
    try:
        os.killpg(job.pid, signal.SIGKILL)
    except OSError:
        pass


def table(rows):
    lines = ["| scenario | trials | recovered | stopped cleanly | failed | time to detect (s, median / max) | time to resume (s, median / max) | steps lost (max) |",
             "|---|---|---|---|---|---|---|---|"]
    for scenario in SCENARIOS:
        mine = [r for r in rows if r.scenario == scenario]
        if not mine:
            continue

        def spread(values):
            values = sorted(v for v in values if v is not None)
            return f"{values[len(values) // 2]:.1f} / {values[-1]:.1f}" if values else "-"
        lost = [r.lost for r in mine if r.lost is not None]
        lines.append(f"| {scenario} | {len(mine)} | {sum(r.outcome == 'recovered' for r in mine)} | {sum(r.outcome == 'stopped' for r in mine)} | "
                     f"{sum(r.outcome not in ('recovered', 'stopped') for r in mine)} | {spread(r.detect for r in mine)} | "
                     f"{spread(r.resume for r in mine)} | {max(lost) if lost else '-'} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated, from: " + ", ".join(SCENARIOS))
    ap.add_argument("--trials", type=int, default=20, help="trials of each scenario")
    ap.add_argument("--seed", type=int, default=1, help="draws every trial's fault step; the same seed replays the same trials")
    ap.add_argument("--out", default="drill-runs", help="folder for the corpus, the reference run and every trial")
    ap.add_argument("--corpus", help="a prepared corpus (default: generate a small one in --out)")
    ap.add_argument("--geneformer", default="geneformer", help="the geneformer command, e.g. 'dotnet path/geneformer.dll'")
    ap.add_argument("--timeout", type=int, default=600, help="seconds a job may take before the trial fails")
    ap.add_argument("--table", help="also write the result table (Markdown) to this file")
    ap.add_argument("--ranks", type=int, default=2, help="ranks of the job (more than 2: the micro preset, 16 steps)")
    ap.add_argument("--round-robin", action="store_true", help="run trial 1 of every scenario, then trial 2, ... (default: every trial of a scenario before the next)")
    ap.add_argument("--nodes", type=int, default=1, help="nodes the ranks are laid out as (pretrain --local --nodes)")
    args = ap.parse_args()
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario {', '.join(unknown)}; expected some of {', '.join(SCENARIOS)}")
    # Stopped with SIGTERM, the drill still lifts a CPU quota it holds and heals a network it cut (their with-blocks end).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    drill = Drill(args)
    drill.prepare()
    reference = drill.reference()
    rows = []
    # Trial by trial across the scenarios: a run cut short has covered every scenario as evenly as it could.
    order = [(s, i) for i in range(args.trials) for s in scenarios] if args.round_robin else [(s, i) for s in scenarios for i in range(args.trials)]
    for scenario, i in order:
        rng = random.Random(f"{args.seed}/{scenario}/{i}")
        trial = Trial(drill, scenario, i, rng, reference).run()
        rows.append(trial)
        note = getattr(trial, "scenario_note", "")
        timing = f"detect {trial.detect:.1f}s" if trial.detect is not None else "detect -"
        timing += f", resume {trial.resume:.1f}s" if trial.resume is not None else ", resume -"
        print(f"{scenario} trial {i} (seed {args.seed}, step {trial.target}{', ' + note if note else ''}): {trial.outcome}; {timing}; "
              f"steps lost {trial.lost if trial.lost is not None else '-'}" + (f"; {'; '.join(trial.problems)}" if trial.problems else ""),
              flush=True)
        if trial.outcome == "FAILED" and not any("the end of its log" in p for p in trial.problems):
            print(f"the end of {os.path.join(trial.dir, 'job.log')}:\n{tail(os.path.join(trial.dir, 'job.log'), 30)}", flush=True)
        if args.table:
            write(args.table, table(rows) + "\n")  # after every trial: a run cut short keeps its table
    result = table(rows)
    print()
    print(result)
    sys.exit(0 if all(r.outcome in ("recovered", "stopped") for r in rows) else 1)


if __name__ == "__main__":
    main()
