"""The Psyx API from the test's side (PSYX.md §3), with plain urllib: creating
packs and reading the stored replies, which is how every browser test
checks what the pages sent."""

import base64
import csv
import io
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from stack import ADMIN_PASSWORD, ADMIN_USER


class Answer:
    """status, headers and body of one HTTP exchange."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class API:
    def __init__(self, base, user=ADMIN_USER, password=ADMIN_PASSWORD):
        self.base = base
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.auth = {"Authorization": f"Basic {token}"}

    def request(self, method, path_or_url, body=None, headers=None, auth=True):
        url = path_or_url if path_or_url.startswith("http") else self.base + path_or_url
        all_headers = dict(self.auth if auth else {})
        all_headers.update(headers or {})
        req = urllib.request.Request(url, data=body, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as err:
            return Answer(err.code, dict(err.headers), err.read())

    # ---- admin ----

    def create_pack(self, name, sex, age_min, age_max, folder):
        boundary = "psyxtest" + uuid.uuid4().hex
        chunks = []
        for field, value in (("pack_name", name), ("sex", sex), ("age_min", age_min), ("age_max", age_max)):
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode())
        for path in sorted(Path(folder).iterdir()):
            chunks.append(
                (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n").encode() + path.read_bytes() + b"\r\n")
        chunks.append(f"--{boundary}--\r\n".encode())
        answer = self.request("POST", "/api/admin/create", b"".join(chunks),
                              {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if answer.status != 200:
            raise AssertionError(f"create {name}: {answer.status} {answer.text}")
        return answer.text

    def packs(self):
        answer = self.request("GET", "/api/admin/list")
        assert answer.status == 200, answer.text
        return answer.json()

    def pack_id(self, name):
        ids = [p["p_id"] for p in self.packs() if p["pack_name"] == name]
        assert len(ids) == 1, f"pack {name} listed {len(ids)} times"
        return ids[0]

    def download(self, pack_id):
        answer = self.request("GET", f"/api/admin/download?id={pack_id}")
        assert answer.status == 200, f"download {pack_id}: {answer.status} {answer.text}"
        return answer.json()

    def replies_of(self, pack_id, no):
        """The stored replies of participant `no` in a pack."""
        return [r for r in self.download(pack_id)["replies"] if r["no"] == no]

    def csv_rows(self, pack_id, r_id):
        """The CSV download's rows of one reply, as dicts by column name."""
        answer = self.request("GET", f"/api/admin/download?id={pack_id}&format=csv")
        assert answer.status == 200, f"csv {pack_id}: {answer.status} {answer.text}"
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        return [row for row in rows if row["r_id"] == str(r_id)]

    # ---- participant (used where a test needs a reply without the pages) ----

    def post_json(self, path, value):
        return self.request("POST", path, json.dumps(value).encode(),
                            {"Content-Type": "application/json"}, auth=False)

    def reply_without_pages(self, person):
        """Starts and submits a reply the way the pages would, all answered F after 0.5 s."""
        start = self.post_json("/api/reply/start", person)
        assert start.status == 200, start.text
        s = start.json()
        answers = [["F", 0.5, left, right] for left, right in s["pic_pairs"]]
        submit = self.post_json("/api/reply/submit", {"p_id": s["p_id"], **person, "answers": answers,
                                                      "layout": "key,rt,left,right",
                                                      "submission_id": uuid.uuid4().hex})
        assert submit.status == 200, submit.text
        return s
