"""Rewrite the stored responses in a random physical order.

Random keys hide the order of submissions from every key and index, but the files still follow
the order rows were written in: on PostgreSQL each row version records the transaction that wrote
it (xmin) and new rows are appended to the table; on SQLite rows are placed within a page in the
order they arrive. Responses join in shuffled batches (see waiting.py), so within a batch they
have one transaction and no order; rewriting every response at once gives all of them one
transaction and lays them out in the order of their random ids, so the order of the batches goes
too; the old copies go with the old files. Run it on a schedule (nightly, after adding whatever is
waiting): until the next run, that day's batches keep the order they joined in.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from survey_app.models import Response

#: Each response table and the index (its primary key, random) it is rewritten in the order of.
TABLES = {"response": "pk_response", "answer": "pk_answer", "answer_choice": "pk_answer_choice"}


def shuffle_responses(engine: Engine) -> int:
    """Rewrite the response tables in the order of their random keys; returns how many responses."""
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Response))
    if engine.dialect.name == "sqlite":
        # VACUUM rebuilds the file table by table in key order, then replaces it.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
        return count
    with engine.begin() as connection:
        # One transaction writes a new version of every row, so every row has the same xmin...
        connection.exec_driver_sql("UPDATE response SET language = language")
        connection.exec_driver_sql("UPDATE answer SET number = number")
        connection.exec_driver_sql("UPDATE answer_choice SET choice_id = choice_id")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table, index in TABLES.items():
            # ...and CLUSTER copies the live versions into a new file in key order, leaving the old
            # file (with every earlier version) behind to be deleted.
            connection.exec_driver_sql(f"CLUSTER {table} USING {index}")
    return count
