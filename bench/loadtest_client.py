"""The surge's clients: each organisation starts its application, saves three sections and
submits through the API, as an integration would, arriving spread over the surge's window.

One asyncio loop, loopback only, a bounded number of requests in flight. Every 5xx, timeout
or dropped connection is retried up to three times with the same body (the submission with
the same idempotency key). Plain HTTP/1.1 over asyncio streams: gunicorn's sync workers
answer one request a connection, so a connection per request is what a browser gets too.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from loadtest_world import Applicant, World

RETRIES = 3
TIMEOUT = 30.0
ANSWERS = {
    "project": {
        "project_title": "Drama club costumes",
        "project_summary": "Costumes and scripts for our new youth drama club.",
        "purpose": "materials",
        "community_benefit": "Young people in the village get a free weekly club.",
        "start_date": "2027-01-10",
    },
    "money": {
        "amount_requested": 150_000,
        "budget": [
            {"item": "Costumes", "amount_pence": 100_000},
            {"item": "Scripts", "amount_pence": 50_000},
        ],
        "other_funding": "no",
    },
    "documents": {},
}


@dataclass
class Tally:
    """What the clients saw: latencies by step, 5xx, retries, failures, receipts."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: int = 0
    connection_errors: int = 0
    retries: int = 0
    unexpected: list[str] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    acknowledged: dict[int, str] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    last_arrival: float = 0.0  # seconds into the surge when the last organisation began


class Client:
    def __init__(self, host: str, port: int, limit: int, tally: Tally) -> None:
        self.host, self.port, self.tally = host, port, tally
        self.slots = asyncio.Semaphore(limit)

    async def _once(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Any:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
            writer.write("\r\n".join(head).encode() + body)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        status_line, _, rest = raw.partition(b"\r\n")
        _, _, payload = rest.partition(b"\r\n\r\n")
        return int(status_line.split()[1]), payload

    async def call(self, step: str, method: str, path: str, data: Any, headers: dict) -> Any:
        """One step, retried on 5xx and connection errors; the JSON answer or None."""
        body = json.dumps(data).encode()
        for attempt in range(RETRIES + 1):
            if attempt:
                self.tally.retries += 1
                await asyncio.sleep(0.2 * attempt)
            started = time.perf_counter()
            try:
                async with self.slots:
                    started = time.perf_counter()
                    status, payload = await asyncio.wait_for(
                        self._once(method, path, body, headers), TIMEOUT
                    )
            except (TimeoutError, OSError, IndexError, ValueError):
                self.tally.connection_errors += 1
                continue
            self.tally.statuses[status] += 1
            if status >= 500:
                self.tally.server_errors += 1
                continue
            self.tally.latencies[step].append(time.perf_counter() - started)
            if status >= 400:
                self.tally.unexpected.append(f"{step} {status} {payload[:200]!r}")
                return None
            return json.loads(payload)
        return None


async def _organisation(client: Client, world: World, who: Applicant, delay: float) -> None:
    await asyncio.sleep(delay)
    headers = {
        "Authorization": f"Bearer {who.secret}",
        "Content-Type": "application/json",
        "X-Forwarded-For": who.address,
    }
    start = {"opportunity_id": world.opportunity_id, "organisation_id": who.organisation_id}
    started = await client.call("start", "POST", "/api/v1/applications", start, headers)
    if started is None:
        client.tally.failed.append(who.organisation_id)
        return
    base = f"/api/v1/applications/{started['id']}"
    for key, answers in ANSWERS.items():
        saved = await client.call(
            "save", "PATCH", f"{base}/sections/{key}", {"answers": answers}, headers
        )
        if saved is None:
            client.tally.failed.append(who.organisation_id)
            return
    submit = {"idempotency_key": f"surge-{uuid.uuid4().hex}", "declaration": True}
    receipt = await client.call("submit", "POST", f"{base}/submit", submit, headers)
    if receipt is None:
        client.tally.failed.append(who.organisation_id)
        return
    client.tally.acknowledged[who.organisation_id] = receipt["reference"]


async def surge(
    *, world: World, host: str, port: int, seconds: float, concurrency: int, seed: int = 1
) -> Tally:
    """Every applicant arrives at a random moment within ``seconds`` and applies."""
    tally = Tally()
    client = Client(host, port, concurrency, tally)
    rng = random.Random(seed)  # noqa: S311 - arrival times, not secrets
    arrivals = [rng.uniform(0, seconds) for _ in world.applicants]
    tally.last_arrival = max(arrivals, default=0.0)
    await asyncio.gather(
        *(
            _organisation(client, world, who, arrival)
            for who, arrival in zip(world.applicants, arrivals, strict=True)
        )
    )
    return tally


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` from 0 to 1) in milliseconds."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000
