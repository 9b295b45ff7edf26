"""Checks PostgreSQL and Redis are reachable and creates the database if it is missing.

Run by `make setup` and `make test` before anything else so that a newcomer learns
exactly what is missing, and how to start it, instead of reading a stack trace.
"""

import os
import sys
from urllib.parse import urlparse

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/harbour"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def fail(message: str) -> None:
    print(f"\n*** {message}\n", file=sys.stderr)
    sys.exit(1)


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/") or "harbour"
    conninfo = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name!r}.")
            else:
                print(f"Database {name!r} is there.")
    except psycopg.OperationalError as exc:
        fail(
            f"PostgreSQL is not reachable at {conninfo['host']}:{conninfo['port']} ({exc}).\n"
            "    Start it (on this machine: pg_ctlcluster --skip-systemctl-redirect "
            "$(ls /etc/postgresql) main start) or set DATABASE_URL."
        )


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        print("Redis is there.")
    except redis.RedisError as exc:
        fail(
            f"Redis is not reachable at {url} ({exc}).\n"
            "    Start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' "
            "--appendonly no) or set REDIS_URL."
        )


if __name__ == "__main__":
    ensure_database(os.environ.get("DATABASE_URL", DEFAULT_DB))
    check_redis(os.environ.get("REDIS_URL", DEFAULT_REDIS))
