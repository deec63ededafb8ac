#!/usr/bin/env bash
# A single-node Slurm (munged + slurmctld + slurmd, all as root) under BASE_DIR, for tests of the real batch scripts.
#   tools/slurm-local.sh start  BASE_DIR   # prints `export SLURM_CONF=BASE_DIR/slurm.conf` once the node is idle
#   tools/slurm-local.sh status BASE_DIR   # daemons and node state; exit 0 only when all three run
#   tools/slurm-local.sh stop   BASE_DIR   # cancels jobs, stops the daemons (also after a partial start)
# Each BASE_DIR gets its own free TCP ports, so several of these can run on one machine.
# Needs the Debian packages slurm-wlm and munge. Recipe: RECIPES.md "Slurm on one machine".
set -euo pipefail

usage() { echo "usage: $0 start|stop|status BASE_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
mkdir -p "$2"
base=$(cd "$2" && pwd)
conf=$base/slurm.conf
export SLURM_CONF=$conf

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# A TCP port nobody listens on, from a range away from Slurm's defaults (6817/6818) and ephemeral ports.
free_port() {
  local used port
  used=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u)
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 10000))
    if ! grep -qx "$port" <<<"$used" && [ "$port" != "${1:-}" ]; then echo "$port"; return; fi
  done
  echo "slurm-local: no free TCP port found" >&2; exit 1
}

write_conf() {
  local mem ctld_port slurmd_port
  # Slurm refuses a node whose RealMemory exceeds what slurmd measures: leave 1 GiB of head room.
  mem=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
  ctld_port=$(free_port)
  slurmd_port=$(free_port "$ctld_port")
  cat >"$conf" <<CONF
ClusterName=ci
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/munge/munge.socket.2
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmi2
ReturnToService=2
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

node_state() { timeout 10 sinfo -h -o %T 2>/dev/null | head -1 || true; }

logs() {
  for f in "$base"/log/slurmctld.log "$base"/log/slurmd.log "$base"/munge/munged.log; do
    [ -f "$f" ] && { echo "--- $f (last 30 lines)"; tail -n 30 "$f"; }
  done
  return 0
}

start() {
  command -v slurmctld >/dev/null && command -v munged >/dev/null ||
    { echo "slurm-local: slurmctld/munged not installed (apt-get install -y slurm-wlm munge)" >&2; exit 1; }
  if alive "$base/munge/munged.pid" && alive "$base/slurmctld.pid" && alive "$base/slurmd.pid" && [ "$(node_state)" = idle ]; then
    echo "export SLURM_CONF=$conf"; return
  fi
  stop >/dev/null 2>&1 || true # clear a half-started instance
  mkdir -p "$base"/{munge,state,spool,log}
  # munged refuses a socket directory that others can write to.
  chmod 755 "$base" "$base/munge"
  [ -f "$base/munge/munge.key" ] || mungekey -c -k "$base/munge/munge.key"
  munged --socket="$base/munge/munge.socket.2" --key-file="$base/munge/munge.key" --log-file="$base/munge/munged.log" \
    --pid-file="$base/munge/munged.pid" --seed-file="$base/munge/munged.seed"
  write_conf
  slurmctld -f "$conf" || { logs >&2; exit 1; }
  slurmd -f "$conf" -N localhost || { logs >&2; exit 1; }
  local state=""
  for _ in $(seq 60); do
    state=$(node_state)
    [ "$state" = idle ] && { echo "export SLURM_CONF=$conf"; return; }
    sleep 0.5
  done
  echo "slurm-local: node did not become idle in 30 s (state '${state}')" >&2
  logs >&2
  exit 1
}

# Sends TERM to the daemon in a pid file and waits up to 10 s for it to go, then KILLs it.
stop_daemon() {
  local pidfile=$1 pid
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

stop() {
  if [ -f "$conf" ] && alive "$base/slurmctld.pid"; then
    # Jobs first, so no rank outlives the daemons; KillWait=5 bounds how long they take.
    jobs=$(timeout 10 squeue -h -o %i 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086
      timeout 10 scancel $jobs 2>/dev/null || true
      for _ in $(seq 30); do [ -z "$(timeout 10 squeue -h -o %i 2>/dev/null || true)" ] && break; sleep 0.5; done
    fi
    timeout 10 scontrol shutdown >/dev/null 2>&1 || true
  fi
  stop_daemon "$base/slurmd.pid"
  stop_daemon "$base/slurmctld.pid"
  stop_daemon "$base/munge/munged.pid"
  echo "slurm-local: stopped ($base)"
}

status() {
  local ok=0 d
  for d in munge/munged slurmctld slurmd; do
    if alive "$base/$d.pid"; then echo "$(basename $d): running (pid $(cat "$base/$d.pid"))"; else echo "$(basename $d): not running"; ok=1; fi
  done
  [ $ok -eq 0 ] && echo "node: $(node_state)" && echo "export SLURM_CONF=$conf"
  return $ok
}

case $action in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
