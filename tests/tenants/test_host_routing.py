"""Host routing (MAILLAGE_ROUTING=host): a coordination on its own host name.

Routing is chosen at start-up, so this runs a separate Python process on the test database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
answers = {}
for host in ["localhost", "schaerbeek.localhost", "atlantis.localhost"]:
    response = client.get("/", HTTP_HOST=host)
    answers[host] = [response.status_code, response.get("Location", "")]
print(json.dumps(answers))
"""


def test_coordinations_answer_on_their_own_host(world):
    db = connection.settings_dict
    env = {
        **os.environ,
        "MAILLAGE_ROUTING": "host",
        "MAILLAGE_SITE_URL": "http://localhost:8000",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["localhost"][0] == 200
    assert answers["schaerbeek.localhost"] == [302, "http://localhost:8000/accounts/login/?next=/"]
    assert answers["atlantis.localhost"][0] == 404
