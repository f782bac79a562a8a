"""gunicorn's settings for this application, read from the working directory whenever gunicorn
starts there (`gunicorn delivery_unit.wsgi`); command-line options override them."""

import gc


def post_worker_init(worker) -> None:
    """Once a worker has loaded Django, every object it made so far (modules, settings, URL
    patterns, compiled templates' classes) lives as long as the worker: move them out of the
    garbage collector's sight, so that each collection during a request walks only what that
    request made rather than the whole of Django."""
    gc.collect()
    gc.freeze()
