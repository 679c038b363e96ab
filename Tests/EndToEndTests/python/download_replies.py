"""The original Psyx service's documented client, unchanged in spirit: download a
pack's replies with `requests` and basic auth, then read them as dictionaries.

    python3 download_replies.py BASE_URL PACK_ID USER PASSWORD

Prints the pack's name and reply count, then one `name<TAB>age<TAB>date` line per reply.
"""
import sys

import requests

base, pack_id, user, password = sys.argv[1:5]

r = requests.get(base + "/api/admin/download?id=" + pack_id, auth=(user, password))
r.raise_for_status()
pack = r.json()

print("pack", pack["pack_name"], len(pack["replies"]))
for reply in pack["replies"]:
    print(reply["name"], reply["age"], reply["date"], sep="\t")
