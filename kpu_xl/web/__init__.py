"""`kpu-xl web`: a local web page over the same library the CLI calls.

    uploads.py  uploaded files -> a request's own folder, within limits, names made safe
    jobs.py     the work of each page (validate, consolidate, report), run in worker processes
    pool.py     those processes: a time limit per job, a dead worker replaced once, never on the loop
    guard.py    host, origin and access-code checks, security headers (ASGI middleware)
    app.py      the routes (Starlette), Jinja2 templates in templates/, assets in static/
    server.py   the command: binding, the access code, the addresses to open, a clean stop

Needs the optional dependencies: pip install 'kpu-xl[web]'.
"""
