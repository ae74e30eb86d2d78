"""moto's S3 server on loopback for tests, with IAM enforced so wrong credentials and denied
prefixes fail as they would on AWS.

    with S3Server() as s3:            # a free port on 127.0.0.1; stopped on exit
        s3.endpoint                   # "http://127.0.0.1:PORT"
        s3.app                        # {"accessKeyId", "secretAccessKey"} of the "app" user
        s3.client().put_object(...)   # boto3 client as the admin user

Users: `admin` may do anything; `app` may use S3 except objects under `etl-test/private/` and
the whole bucket `etl-locked` (both AccessDenied). Buckets: `etl-test`, `etl-locked`.
moto authenticates requests only after INITIAL_NO_AUTH_ACTION_COUNT actions: the first three
(create the admin, its key, its policy) run unauthenticated, everything after is signed.

As a script (for Node tests): prints one JSON line {endpoint, admin, app, pid} and runs until
stdin closes or SIGTERM, then stops the server.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BUCKET = "etl-test"
LOCKED = "etl-locked"
REGION = "us-east-1"
_ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
_APP = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{BUCKET}/private/*", f"arn:aws:s3:::{LOCKED}", f"arn:aws:s3:::{LOCKED}/*"]},
]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.admin: dict = {}
        self.app: dict = {}

    def __enter__(self) -> "S3Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        moto = Path(sys.executable).parent / "moto_server"
        env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "3", "AWS_EC2_METADATA_DISABLED": "true", "MOTO_PORT": str(self.port)}
        self.proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(self.port)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2):
                    break
            except Exception:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"moto_server did not start on {self.endpoint}")
                time.sleep(0.2)
        self._bootstrap()

    def _iam(self, creds: dict | None = None):
        import boto3

        kw = {"aws_access_key_id": "unauthenticated", "aws_secret_access_key": "unauthenticated"} if creds is None else \
            {"aws_access_key_id": creds["accessKeyId"], "aws_secret_access_key": creds["secretAccessKey"]}
        return boto3.client("iam", endpoint_url=self.endpoint, region_name=REGION, **kw)

    def _bootstrap(self) -> None:
        iam = self._iam()
        iam.create_user(UserName="admin")  # the three unauthenticated actions
        k = iam.create_access_key(UserName="admin")["AccessKey"]
        iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(_ALLOW_ALL))
        self.admin = {"accessKeyId": k["AccessKeyId"], "secretAccessKey": k["SecretAccessKey"]}
        iam = self._iam(self.admin)
        iam.create_user(UserName="app")
        k = iam.create_access_key(UserName="app")["AccessKey"]
        iam.put_user_policy(UserName="app", PolicyName="app", PolicyDocument=json.dumps(_APP))
        self.app = {"accessKeyId": k["AccessKeyId"], "secretAccessKey": k["SecretAccessKey"]}
        s3 = self.client()
        s3.create_bucket(Bucket=BUCKET)
        s3.create_bucket(Bucket=LOCKED)

    def client(self, creds: dict | None = None):
        """A boto3 S3 client (admin unless `creds`)."""
        import boto3

        c = creds or self.admin
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=c["accessKeyId"], aws_secret_access_key=c["secretAccessKey"])

    def connection(self, creds: dict | None = None) -> dict:
        """A connection config as the server puts it in ETL_S3_CONNECTIONS."""
        c = creds or self.app
        return {"region": REGION, "endpoint": self.endpoint, "pathStyle": True, **c}

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def main() -> int:
    server = S3Server()
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: (server.stop(), sys.exit(0)))
    print(json.dumps({"endpoint": server.endpoint, "region": REGION, "bucket": BUCKET, "locked": LOCKED,
                      "admin": server.admin, "app": server.app, "pid": server.proc.pid}), flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin (or dies)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
