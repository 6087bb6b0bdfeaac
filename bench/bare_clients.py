"""The yardsticks: bare httpx clients doing only the network part of a sync step.

    python bench/bare_clients.py read '<json: url, client_id, client_secret, plan, ...>'
    python bench/bare_clients.py post '<json: url, token, org_id, batches_file>'
    python bench/bare_clients.py list '<json: url, token, org_id>'

`read` takes a token, then reads every page of the plan's tables and projections (sorted by
key, as the sync asks) with N threads, parses each page's JSON and keeps nothing: the speed
of the server as a client sees it. `post` sends the given batches one after another, as the
sink does, and checks every answer. `list` pages through the org's users (cursor after cursor,
as it must) and parses each page: the speed of the platform's listing. Each prints one JSON
line with its wall time; the bench runs them in a child process so they never share a core's
GIL with the servers.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import orjson


def read(spec: dict) -> dict:
    concurrency = spec.get("concurrency", 4)
    started = time.perf_counter()
    with httpx.Client(
        base_url=spec["url"], timeout=120, limits=httpx.Limits(max_connections=concurrency + 1)
    ) as http:
        token = http.post(
            "/oauth/access_token",
            auth=(spec["client_id"], spec["client_secret"]),
            data={"grant_type": "client_credentials"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        size = http.get("/ws/v1/metadata", headers=headers).json()["metadata"][
            "schema_table_query_max_page_size"
        ]
        jobs = []
        for table, (columns, key, queries) in spec["plan"].items():
            for q in queries:
                params = {"q": q} if q else {}
                count = http.get(
                    f"/ws/schema/table/{table}/count", params=params, headers=headers
                ).json()["count"]
                for page in range(1, max(1, -(-count // size)) + 1):
                    jobs.append(
                        (
                            f"/ws/schema/table/{table}",
                            {
                                **params,
                                "projection": ",".join(columns),
                                "page": page,
                                "pagesize": size,
                                "sort": key,
                                "sortdescending": "false",
                            },
                        )
                    )

        def fetch(job: tuple[str, dict]) -> int:
            response = http.get(job[0], params=job[1], headers=headers)
            response.raise_for_status()
            return len(response.json()["record"])

        with ThreadPoolExecutor(concurrency) as pool:
            rows = sum(pool.map(fetch, jobs))
    return {"seconds": time.perf_counter() - started, "rows": rows, "pages": len(jobs)}


def post(spec: dict) -> dict:
    with open(spec["batches_file"]) as file:
        batches = json.load(file)
    run = uuid.uuid4().hex[:12]  # each post is new work, never a replay
    started = time.perf_counter()
    with httpx.Client(
        base_url=spec["url"],
        timeout=120,
        headers={"Authorization": f"Bearer {spec['token']}", "Accept": "application/json"},
    ) as http:
        for index, operations in enumerate(batches):
            response = http.post(
                f"/v1/orgs/{spec['org_id']}/users:batch",
                json={"operations": operations},
                headers={"Idempotency-Key": f"bare-{run}-{index:05d}"},
            )
            response.raise_for_status()
            if len(response.json()["results"]) != len(operations):
                raise RuntimeError(f"batch {index}: results do not match the operations")
    return {
        "seconds": time.perf_counter() - started,
        "batches": len(batches),
        "operations": sum(map(len, batches)),
    }


def listing(spec: dict) -> dict:
    started = time.perf_counter()
    users = pages = 0
    with httpx.Client(
        base_url=spec["url"],
        timeout=120,
        headers={"Authorization": f"Bearer {spec['token']}", "Accept": "application/json"},
    ) as http:
        cursor = None
        while True:
            params = {"limit": 1000, "status": "all", **({"cursor": cursor} if cursor else {})}
            response = http.get(f"/v1/orgs/{spec['org_id']}/users", params=params)
            response.raise_for_status()
            body = orjson.loads(response.content)
            users += len(body["data"])
            pages += 1
            cursor = body.get("next_cursor")
            if not cursor:
                break
    return {"seconds": time.perf_counter() - started, "users": users, "pages": pages}


if __name__ == "__main__":
    modes = {"read": read, "post": post, "list": listing}
    print(json.dumps(modes[sys.argv[1]](json.loads(sys.argv[2]))))
