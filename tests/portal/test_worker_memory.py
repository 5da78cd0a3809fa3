"""What a gunicorn worker holds: only what serving pages needs (the benchmark's peak memory per
worker is a target)."""

import json
import os
import subprocess
import sys

from django.conf import settings

WORKER = """
import gc, json, sys
import portal.wsgi
from django.urls import get_resolver
get_resolver().url_patterns  # every app's views and URLs, as the first request imports them
print(json.dumps({"modules": sorted(sys.modules), "frozen": gc.get_freeze_count()}))
"""


def worker_state():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_leaves_the_pinyin_dictionaries_to_the_code_that_names_things():
    # pypinyin's dictionaries are some 50 MiB; only saving a school, brand or tag needs them.
    assert "pypinyin" not in worker_state()["modules"]


def test_a_worker_keeps_what_it_loaded_at_start_out_of_the_collector():
    assert worker_state()["frozen"] > 10_000
