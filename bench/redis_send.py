"""What one write to a waiting Redis costs the writer: the floor under a Redis read-only call.

    python bench/redis_send.py                     # Redis at redis://127.0.0.1:6379
    python bench/redis_send.py --rounds 9 --repeat 2000

With a Redis store, a read-only call makes no Redis command (its answer comes from the
process's copy), but its journal entry is written to Redis before the answer leaves, so that
an entry another process records because of that answer is numbered after it
(store/journal/redis.py). That write is one `send` on the journal's connection. Redis, idle
between calls, is asleep in epoll, so the kernel wakes it in the writer's `send`: on a small
virtual machine that wakeup, not the bytes, is most of what the write costs the event loop.

Rows, each the median over the rounds of the mean `send` time of a journal-sized command
(an EVAL of about 650 bytes), measured side by side in each round:
- to Redis, waiting for each answer before the next send (Redis is asleep at each send, as
  between a widget's calls);
- the same bytes on a loopback TCP connection whose reader is not waiting (no wakeup);
- the same bytes on a socketpair (no TCP, no wakeup).
The ratio is to the socketpair row. Compare the first row with a read-only call's cost over
a bare echo in `ratios.py --store redis`.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _environment import print_environment

# An EVAL that answers at once, framed as the journal frames its appends (~650 bytes).
_SCRIPT = b"return 1 -- " + b"x" * 300
_ENTRY = b'{"at":1.0,"kind":"call","provider":"cifb_softphone","api":"canCreateSession"}'
COMMAND = b"".join(
    [b"*4\r\n"]
    + [b"$%d\r\n%s\r\n" % (len(part), part) for part in (b"EVAL", _SCRIPT, b"0", _ENTRY * 3)]
)


def mean_send_us(sender: socket.socket, drain: socket.socket, repeat: int, answer: int) -> float:
    """Return the mean time of `send` alone; the answer (or the bytes) is read after each."""
    spent = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        sender.sendall(COMMAND)
        spent += time.perf_counter() - started
        got = 0
        while got < answer:
            got += len(drain.recv(65536))
    return spent / repeat * 1e6


def connections(redis_url: str) -> dict[str, tuple[socket.socket, socket.socket, int]]:
    """Return, per row, the sending socket, the one read after each send, and the bytes to read."""
    address = urlparse(redis_url)
    redis = socket.create_connection((address.hostname or "127.0.0.1", address.port or 6379))
    redis.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener = socket.create_server(("127.0.0.1", 0))
    tcp = socket.create_connection(listener.getsockname())
    tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tcp_peer, _ = listener.accept()
    listener.close()
    left, right = socket.socketpair()
    return {
        "send to Redis (asleep, woken by the send)": (redis, redis, len(b":1\r\n")),
        "send on loopback TCP (reader not waiting)": (tcp, tcp_peer, len(COMMAND)),
        "send on a socketpair (reader not waiting)": (left, right, len(COMMAND)),
    }


def main(redis_url: str, rounds: int, repeat: int) -> None:
    print_environment()
    rows = connections(redis_url)
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for sender, drain, answer in rows.values():  # warm up
        mean_send_us(sender, drain, max(1, repeat // 10), answer)
    for _ in range(rounds):
        for name, (sender, drain, answer) in rows.items():
            samples[name].append(mean_send_us(sender, drain, repeat, answer))
    base = statistics.median(samples["send on a socketpair (reader not waiting)"])
    print(f"one {len(COMMAND)}-byte command per send, rounds {rounds} x {repeat} sends")
    for name, values in samples.items():
        value = statistics.median(values)
        print(f"  {name:<46} {value:7.1f} µs {value / base:7.1f}x")
    for sender, drain, _ in rows.values():
        sender.close()
        drain.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2000, help="sends per row and round")
    options = parser.parse_args()
    main(options.redis_url, options.rounds, options.repeat)
