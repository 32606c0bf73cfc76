"""What every benchmark needs: SQL on the local cluster outside Django (to create and drop
its throwaway database)."""

import os

PORT = os.environ.get("MAILLAGE_PG_PORT", "54329")


def psql(sql: str, dbname: str = "postgres", params=None):
    """Runs one statement in autocommit; returns the rows when it has any."""
    import psycopg

    with psycopg.connect(f"postgresql://maillage@127.0.0.1:{PORT}/{dbname}", autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else None
