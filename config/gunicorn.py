"""
gunicorn's settings for LabelWatch, on loopback behind nginx:

    .venv/bin/gunicorn -c config/gunicorn.py config.wsgi

The application is loaded once, in the master, before it forks the workers
(`preload_app`): config.wsgi then imports every view, compiles every
template and loads the catalogues (core.warmup) and freezes that heap out of
the garbage collector's way, so that no worker pays for it again on its
first requests and the workers share those pages of memory.

Sync workers, GUNICORN_WORKERS of them (default two per core): the pages
are CPU-bound (templates, the ORM, password hashing) and a Python process
runs one thread at a time, so threads in a worker would only make each
query's answer wait for the lock held by another request's rendering;
separate processes keep every core busy while one of them waits on
PostgreSQL.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "") or 2 * (os.cpu_count() or 1))
worker_class = "sync"
preload_app = True
timeout = 60
# No control socket (gunicorn 25+ opens one in $HOME/.gunicorn by default):
# it is managed by systemd, and two instances on one host would take each
# other's socket.
control_socket_disable = True
