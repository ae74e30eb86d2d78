"""S3 connections of a job: pyarrow S3 filesystems built from the job's environment.

Generated scripts name a connection (`rt.filesystem("lake")`), never its settings. The settings
of every connection the pipeline uses are ONE JSON object keyed by connection name. A Ray job
gets it sealed: `ETL_S3_CONNECTIONS_SEALED` in its runtime_env (Ray logs runtime_envs, so the
variable alone must reveal nothing) is the JSON XOR a one-time pad, base64; the pad is the file
`etl_connections.key` of the job's working_dir, read once and deleted. A local process (the
preview worker, tests) may instead set `ETL_S3_CONNECTIONS` to the JSON itself:

    {"lake": {"region": "eu-west-1", "endpoint": "http://127.0.0.1:9000", "pathStyle": true,
              "accessKeyId": "...", "secretAccessKey": "...", "sessionToken": null}}

No `accessKeyId` means "the environment's default chain" (env vars, profile, instance role).
Secrets never appear in a message this module raises or logs.
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional
from urllib.parse import urlparse

import pyarrow.fs as pafs

ENV_VAR = "ETL_S3_CONNECTIONS"
SEALED_VAR = "ETL_S3_CONNECTIONS_SEALED"
KEY_FILE = "etl_connections.key"
_unsealed: Dict[str, str] = {}  # sealed value -> JSON, once the pad is read (and deleted)


def _unseal(sealed: str) -> str:
    if sealed in _unsealed:
        return _unsealed[sealed]
    import base64

    key_path = os.path.join(os.getcwd(), KEY_FILE)
    try:
        with open(key_path, "rb") as f:
            pad = base64.b64decode(f.read())
    except OSError:
        raise ConnectionError_(f"${SEALED_VAR} is set but its key file {KEY_FILE} is not in the job's working_dir") from None
    data = base64.b64decode(sealed)
    if len(pad) != len(data):
        raise ConnectionError_(f"the key file {KEY_FILE} does not match ${SEALED_VAR}")
    _unsealed[sealed] = bytes(a ^ b for a, b in zip(data, pad)).decode("utf-8")
    try:
        os.remove(key_path)  # the driver has it now; nothing else needs it
    except OSError:
        pass
    return _unsealed[sealed]


class ConnectionError_(Exception):
    """A connection named by the script is missing from, or malformed in, the environment."""


def _configs() -> Dict[str, Dict[str, Any]]:
    raw = os.environ.get(ENV_VAR)
    if not raw and os.environ.get(SEALED_VAR):
        raw = _unseal(os.environ[SEALED_VAR])
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise ConnectionError_(f"${ENV_VAR} is not valid JSON") from None
    if not isinstance(data, dict):
        raise ConnectionError_(f"${ENV_VAR} must be a JSON object keyed by connection name")
    return data


def config(name: str) -> Dict[str, Any]:
    """The settings of connection `name` (secrets included: never print them)."""
    configs = _configs()
    if name not in configs or not isinstance(configs[name], dict):
        known = ", ".join(sorted(configs)) or "none"
        raise ConnectionError_(f"S3 connection {name!r} is not available to this job (known: {known}); "
                               f"the server passes connections in ${ENV_VAR}")
    return configs[name]


def filesystem_from_config(c: Dict[str, Any]) -> pafs.S3FileSystem:
    """A pyarrow S3FileSystem for one connection's settings.

    A custom endpoint (`http://127.0.0.1:9000`) sets scheme + host; path-style addressing is
    pyarrow's default with an endpoint, so `pathStyle: false` forces virtual-host addressing."""
    kwargs: Dict[str, Any] = {}
    region = c.get("region")
    if region:
        kwargs["region"] = str(region)
    endpoint: Optional[str] = c.get("endpoint") or None
    if endpoint:
        u = urlparse(endpoint if "://" in endpoint else f"https://{endpoint}")
        kwargs["endpoint_override"] = u.netloc + (u.path.rstrip("/") if u.path not in ("", "/") else "")
        kwargs["scheme"] = u.scheme or "https"
        if c.get("pathStyle") is False:
            kwargs["force_virtual_addressing"] = True
    if c.get("accessKeyId"):
        kwargs["access_key"] = str(c["accessKeyId"])
        kwargs["secret_key"] = str(c.get("secretAccessKey") or "")
        if c.get("sessionToken"):
            kwargs["session_token"] = str(c["sessionToken"])
    # Fail fast instead of retrying a refused connection for minutes.
    kwargs["retry_strategy"] = pafs.AwsStandardS3RetryStrategy(max_attempts=3)
    kwargs["connect_timeout"] = 5
    kwargs["request_timeout"] = 60
    return pafs.S3FileSystem(**kwargs)


_CACHE: Dict[str, pafs.S3FileSystem] = {}


def filesystem(name: str) -> pafs.S3FileSystem:
    """The filesystem of connection `name`, e.g. `ray.data.read_parquet(p, filesystem=rt.filesystem("lake"))`."""
    c = config(name)
    key = json.dumps(c, sort_keys=True)
    fs = _CACHE.get(key)
    if fs is None:
        fs = _CACHE[key] = filesystem_from_config(c)
    return fs


def default_filesystem() -> pafs.S3FileSystem:
    """s3:// paths without a connection: the environment's default credential chain, with the
    region from AWS_REGION / AWS_DEFAULT_REGION (default us-east-1) and an optional endpoint
    from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL. Never pyarrow's `from_uri`, which looks the
    bucket's region up over the network (at AWS) before anything else."""
    env = os.environ
    return filesystem_from_config({
        "region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        "endpoint": env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None,
        "pathStyle": True,
    })


def bucket_and_key(path: str) -> tuple:
    """`s3://b/k/x` or `b/k/x` -> ("b", "k/x")."""
    p = path.split("://", 1)[1] if "://" in path else path
    bucket, _, key = p.partition("/")
    return bucket, key


def describe_error(exc: BaseException) -> str:
    """pyarrow's S3 errors, shortened to what a user can act on (no request ids, no secrets)."""
    text = str(exc)
    table = [  # pyarrow spells S3's codes in upper snake case
        ("INVALID_ACCESS_KEY_ID", "the access key id is not known to the S3 server (wrong credentials)"),
        ("InvalidAccessKeyId", "the access key id is not known to the S3 server (wrong credentials)"),
        ("SIGNATURE_DOES_NOT_MATCH", "the secret access key is wrong (the request signature does not match)"),
        ("SignatureDoesNotMatch", "the secret access key is wrong (the request signature does not match)"),
        ("NO_SUCH_BUCKET", "the bucket does not exist"),
        ("NoSuchBucket", "the bucket does not exist"),
        ("ACCESS_DENIED", "access denied"),
        ("AccessDenied", "access denied"),
    ]
    for needle, meaning in table:
        if needle in text:
            return meaning
    return text.splitlines()[0] if text else type(exc).__name__
