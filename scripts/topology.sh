#!/usr/bin/env bash
# The scale-out of docs/deploy.md ("Scale-out") on one machine:
#
#   portaat init
#   portaat serve --no-worker --workers W --host 127.0.0.1 --port P     (in the background)
#   portaat worker                                       × M            (in the background)
#   wait until GET /health/ answers 200
#
#   scripts/topology.sh          start; PIDs go to $PORTAAT_DATA_DIR/topology.pids
#   scripts/topology.sh stop     stop what the PID file names
#
# Environment: PORTAAT_WEB_WORKERS (W, default 2), PORTAAT_WORKERS (M, default 2), PORT (P,
# default 8000), and Portaat's own: DATABASE_URL, REDIS_URL (needed with more than one process),
# PORTAAT_DATA_DIR (default ./var), SECRET_KEY, … Logs go to $PORTAAT_DATA_DIR/logs/.
set -euo pipefail

DATA_DIR=${PORTAAT_DATA_DIR:-./var}
PIDS=$DATA_DIR/topology.pids
LOGS=$DATA_DIR/logs
WEB_WORKERS=${PORTAAT_WEB_WORKERS:-2}
WORKERS=${PORTAAT_WORKERS:-2}
PORT=${PORT:-8000}
# an installed `portaat` first, else this checkout's virtual environment
PATH=$PATH:$(cd "$(dirname "$0")/.." && pwd)/.venv/bin

stop() {
    [ -f "$PIDS" ] || return 0
    pids=$(cat "$PIDS")
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 40); do # `portaat serve` gives its web processes 15 s to finish
        kill -0 $pids 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL $pids 2>/dev/null || true
    rm -f "$PIDS"
}

if [ "${1:-start}" = stop ]; then
    stop
    exit 0
fi
if [ -f "$PIDS" ]; then
    echo "topology.sh: $PIDS exists; run 'scripts/topology.sh stop' first" >&2
    exit 1
fi

mkdir -p "$LOGS"
portaat init >"$LOGS/init.log" 2>&1 || { cat "$LOGS/init.log" >&2; exit 1; }

portaat serve --no-worker --workers "$WEB_WORKERS" --host 127.0.0.1 --port "$PORT" \
    >"$LOGS/web.log" 2>&1 &
echo $! >"$PIDS"
for n in $(seq "$WORKERS"); do
    portaat worker >"$LOGS/worker-$n.log" 2>&1 &
    echo $! >>"$PIDS"
done

deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
    if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/health/" 2>/dev/null; then
        echo "Portaat: $WEB_WORKERS web process(es) at http://127.0.0.1:$PORT/, $WORKERS worker(s); PIDs in $PIDS, logs in $LOGS/"
        exit 0
    fi
    for pid in $(cat "$PIDS"); do
        kill -0 "$pid" 2>/dev/null || { echo "topology.sh: process $pid stopped; see $LOGS/" >&2; stop; exit 1; }
    done
    sleep 0.5
done
echo "topology.sh: /health/ did not answer 200 within 60 s; see $LOGS/" >&2
stop
exit 1
